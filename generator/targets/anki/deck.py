"""Planning the one output of the target: notes, note types, state, fingerprint, render."""

from __future__ import annotations

import hashlib
import re

from ...markup import resolve_image
from ...model import Course
from ...outputs import BuildContext, Output, build_timestamp, write_atomic
from . import STATE_FILE
from .notes import build_decks, build_notes, deck_name
from .notetypes import build_note_types, load_strings
from .state import load_state, next_edition, now, update_state

FORMAT = 1  # of the package this module writes; part of the fingerprint


def plan_deck(course: Course, context: BuildContext) -> Output:
    """``anki/<course-id>.apkg``. Planning is cheap; ``render`` makes the notes, the package
    and the new state file. The fingerprint is taken again after ``render``, so the state it
    wrote is what the next build compares with."""
    templates_dir = context.templates_dir / "anki"
    state_path = context.source_dir / STATE_FILE

    def render() -> bytes:
        from .apkg import write_apkg  # genanki: imported only when a package is written

        old_state = load_state(state_path)
        edition = next_edition(old_state, {card.id for module in course.modules for card in module.flashcards})
        strings = load_strings(templates_dir, course.language)
        top, module_decks = build_decks(course)
        notes, media = build_notes(course, module_decks, edition, strings)
        all_types = build_note_types(course, deck_name(course), templates_dir)
        note_types = {key: nt for key, nt in all_types.items() if any(n.note_type == key for n in notes)}
        state = update_state(
            old_state, edition,
            {note.key: note.content_hash for note in notes},
            {key: nt.content_hash for key, nt in note_types.items()},
            now(),
        )
        state_text = state.dumps()
        decks = (top, *module_decks.values())
        data = write_apkg(decks, note_types, notes, media, state, build_timestamp(), top.id)
        # The state goes with the package: these are the note times students now receive.
        try:
            unchanged = state_path.read_text("utf-8") == state_text
        except FileNotFoundError:
            unchanged = False
        if not unchanged:
            write_atomic(state_path, state_text.encode("utf-8"))
        return data

    def fingerprint() -> tuple:
        try:
            state_text = state_path.read_text("utf-8")
        except OSError:
            state_text = None
        modules = tuple((m.id, m.number, m.title, m.flashcards) for m in course.modules)
        images = tuple(sorted((path, hashlib.sha256(image.data).hexdigest()) for path, image in course.images.items()))
        return ("anki", FORMAT, build_timestamp(), course.id, course.title, course.language,
                tuple(sorted(course.settings("anki").items())), course.theme, course.concept_groups, modules, images, state_text)

    cards = [card for module in course.modules for card in module.flashcards]
    return Output(
        path=f"anki/{course.id}.apkg",
        fingerprint=fingerprint,
        render=render,
        counts={"notes": len(cards), "cards": sum(_card_count(card) for card in cards), "media": _media_count(cards)},
    )


def _card_count(card) -> int:
    if card.type == "cloze":
        return len(set(re.findall(r"\{\{c(\d+)::", card.front.text))) or 1
    return 2 if card.type == "reversed" else 1


def _media_count(cards) -> int:
    images = set()
    for card in cards:
        for md in (card.front, card.back, card.extra):
            for src in re.findall(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)", md.text):
                images.add(resolve_image(md, src))
    return len(images)
