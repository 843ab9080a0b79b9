"""Helpers for the Anki target tests: build a source, import into the real Anki, study, snapshot.

Everything here drives the official ``anki`` package headless, the way a student's Anki
imports a deck (see ../shared/docs/real-consumers.md)."""

from __future__ import annotations

import re
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import build_course
from generator.loader import load_course

SHIPPED = Path(__file__).resolve().parents[2] / "course_source"


def load(source: Path):
    result = load_course(source)
    if result.course is None:
        pytest.fail("the course does not load:\n" + "\n".join(str(d) for d in result.diagnostics.errors))
    return result.course


def build(source: Path, out: Path):
    """Build the anki target of ``source`` into ``out``; returns (course, report, package path)."""
    course = load(source)
    [report] = build_course(course, source, out, ["anki"])
    return course, report, out / "anki" / f"{course.id}.apkg"


@contextmanager
def package_db(apkg: Path) -> Iterator[sqlite3.Connection]:
    """The collection inside a package, opened in memory (``with package_db(path) as db``)."""
    with zipfile.ZipFile(apkg) as archive:
        data = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        yield connection
    finally:
        connection.close()


def open_collection(path: Path):
    from anki.collection import Collection

    return Collection(str(path))


def import_package(col, apkg: Path, merge_notetypes: bool = False):
    """Import as Anki's import screen does by default: update notes and note types "if newer"."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as UC

    options = ImportAnkiPackageOptions(
        update_notes=UC.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=UC.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        merge_notetypes=merge_notetypes,
        with_scheduling=False,
    )
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options)).log


_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def log_ids(entries) -> set[str]:
    """The card ids (field 'Id': the last field that looks like an id) of one list of an import log."""
    return {next(field for field in reversed(entry.fields) if _ID.match(field)) for entry in entries}


def notes_by_card_id(col) -> dict[str, list]:
    """Card id (the 'Id' field) -> the notes in the collection with it (more than one = a duplicate)."""
    result: dict[str, list] = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        result.setdefault(note["Id"] if "Id" in note else "", []).append(note)  # noqa: SIM401 (anki's Note has no get)
    return result


def study(col, deck: str, count: int, rating: str = "EASY") -> list[int]:
    """Answer ``count`` cards of ``deck`` through Anki's scheduler; returns the card ids studied."""
    from anki.scheduler_pb2 import CardAnswer

    col.decks.set_current(col.decks.id_for_name(deck))
    studied = []
    for _ in range(count):
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            break
        card = col.get_card(queued.cards[0].card.id)
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=getattr(CardAnswer, rating)))
        studied.append(card.id)
    return studied


@dataclass(frozen=True)
class Review:
    """What a student must never lose: the card's schedule and its review log."""

    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    deck: int
    revlog: tuple


def reviews(col, card_ids) -> dict[int, Review]:
    result = {}
    for card_id in card_ids:
        card = col.get_card(card_id)
        revlog = tuple(
            tuple(row)
            for row in col.db.all("select id, ease, ivl, lastIvl, factor, type from revlog where cid = ? order by id", card_id)
        )
        result[card_id] = Review(card.type, card.queue, card.due, card.ivl, card.factor, card.reps, card.lapses, card.did, revlog)
    return result


def append_cards(cards_yaml: Path, text: str) -> None:
    """Add cards (YAML list entries) to a module's cards.yaml."""
    existing = cards_yaml.read_text("utf-8") if cards_yaml.exists() else ""
    cards_yaml.write_text(existing.rstrip("\n") + "\n" + text.strip("\n") + "\n", "utf-8")


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
