"""Planning the one output of the target: notes, note types, state, fingerprint, render."""

from __future__ import annotations

import dataclasses
import re
from functools import partial
from pathlib import Path

from ...model import Course
from ...outputs import BuildContext, Output, build_timestamp, write_atomic
from . import STATE_FILE
from .notes import build_decks, build_notes, deck_name
from .notetypes import build_note_types, load_strings
from .state import next_edition, now, parse_state, read_state_text, update_state


def anki_course(course: Course) -> Course:
    """The course as the deck's render sees it: the modules without lessons, vignettes and
    quiz (the build keys the deck by this value, generator/fingerprint.py)."""
    return dataclasses.replace(
        course, modules=tuple(dataclasses.replace(m, lessons=(), vignettes=(), quiz=()) for m in course.modules)
    )


def plan_deck(course: Course, context: BuildContext) -> Output:
    """``anki/<course-id>.apkg``. Planning reads the state file (a damaged one stops the build
    before anything is rendered); ``render`` makes the notes, the package and the new state
    file. ``refresh`` plans again with the state render wrote: what the next build compares."""
    templates_dir = context.templates_dir / "anki"
    view = anki_course(course)

    def planned() -> partial:
        state_text = read_state_text(context.source_dir, STATE_FILE)
        parse_state(state_text, context.source_dir / STATE_FILE)
        return partial(render_deck, view, templates_dir, context.source_dir, state_text, build_timestamp())

    cards = [card for module in course.modules for card in module.flashcards]
    return Output(
        path=f"anki/{course.id}.apkg",
        render=planned(),
        counts={"notes": len(cards), "cards": sum(_card_count(card) for card in cards)},  # media: render counts them
        refresh=planned,
    )


def render_deck(
    course: Course, templates_dir: Path, source_dir: Path, state_text: str | None, timestamp: int
) -> tuple[bytes, dict[str, int]]:
    """The package and how many media files it holds, from the state as planned; writes the
    new state file beside the source."""
    from .apkg import write_apkg  # genanki: imported only when a package is written

    state_path = Path(source_dir) / STATE_FILE
    old_state = parse_state(state_text, state_path)
    edition = next_edition(old_state, {card.id for module in course.modules for card in module.flashcards})
    strings = load_strings(templates_dir, course.language)
    top, module_decks = build_decks(course)
    notes, media = build_notes(course, module_decks, edition, strings)
    all_types = build_note_types(course, deck_name(course), templates_dir)
    note_types = {key: nt for key, nt in all_types.items() if any(n.note_type == key for n in notes)}
    state = update_state(
        old_state,
        edition,
        {note.key: note.content_hash for note in notes},
        {key: nt.content_hash for key, nt in note_types.items()},
        now(),
    )
    new_text = state.dumps()
    decks = (top, *module_decks.values())
    data = write_apkg(decks, note_types, notes, media, state, timestamp, top.id)
    # The state goes with the package: these are the note times students now receive.
    if new_text != state_text:
        write_atomic(state_path, new_text.encode("utf-8"))
    return data, {"media": len(media)}


def _card_count(card) -> int:
    if card.type == "cloze":
        return len(set(re.findall(r"\{\{c(\d+)::", card.front.text))) or 1
    return 2 if card.type == "reversed" else 1
