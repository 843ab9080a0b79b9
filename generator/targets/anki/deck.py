"""Planning the one output of the target: notes, note types, state, fingerprint, render."""

from __future__ import annotations

import hashlib
import json

from ...model import Course
from ...outputs import BuildContext, Output, build_timestamp, write_atomic
from . import STATE_FILE
from .apkg import write_apkg
from .notes import build_decks, build_notes, deck_name
from .notetypes import build_note_types, load_strings
from .state import load_state, next_edition, now, update_state

FORMAT = 1  # of the package this module writes; part of the fingerprint


def plan_deck(course: Course, context: BuildContext) -> Output:
    """``anki/<course-id>.apkg``. Reads the state file; writes nothing (``render`` does)."""
    templates_dir = context.templates_dir / "anki"
    state_path = context.source_dir / STATE_FILE
    old_state = load_state(state_path)
    edition = next_edition(old_state, {card.id for module in course.modules for card in module.flashcards})
    strings = load_strings(templates_dir, course.language)
    top, module_decks = build_decks(course)
    notes, media = build_notes(course, module_decks, edition, str(strings["edition"]))
    all_types = build_note_types(course, deck_name(course), templates_dir)
    note_types = {key: nt for key, nt in all_types.items() if any(n.note_type == key for n in notes)}
    state = update_state(
        old_state, edition,
        {note.key: note.content_hash for note in notes},
        {key: nt.content_hash for key, nt in note_types.items()},
        now(),
    )
    state_text = state.dumps()
    timestamp = build_timestamp()
    decks = (top, *module_decks.values())

    def render() -> bytes:
        data = write_apkg(decks, note_types, notes, media, state, timestamp, top.id)
        # The state goes with the package: these are the note times students now receive.
        try:
            unchanged = state_path.read_text("utf-8") == state_text
        except FileNotFoundError:
            unchanged = False
        if not unchanged:
            write_atomic(state_path, state_text.encode("utf-8"))
        return data

    inputs = {
        "format": FORMAT,
        "timestamp": timestamp,
        "decks": [[d.id, d.name, d.description] for d in decks],
        "note_types": [[nt.key, nt.id, nt.content_hash] for nt in note_types.values()],
        "notes": [[n.guid, n.deck_id, n.position, n.content_hash] for n in notes],
        "media": [[name, hashlib.sha256(data).hexdigest()] for name, data in media.items()],
    }
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    cards = sum(len(note.ordinals()) for note in notes)
    return Output(
        path=f"anki/{course.id}.apkg",
        fingerprint=("anki", digest, state_text),
        render=render,
        counts={"notes": len(notes), "cards": cards, "media": len(media)},
    )
