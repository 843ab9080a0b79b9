"""The bytes of the .apkg: genanki's collection schema and note types, written without its clock.

``genanki.Package.write_to_file`` stamps every note, card and note type with one timestamp
(default: now), numbers notes and cards from that timestamp in list order, orders media
through a set and leaves its temporary SQLite file in ``$TMPDIR``. Here the collection is
built in an in-memory SQLite database with genanki's schema and ``Model.to_json``, and:

- every note (and its cards) carries its own modification time from the state file,
  every note type its own; decks and everything else the build timestamp;
- note and card ids are hashes of the note guid (see ``notes``), written in course order;
- the database is VACUUMed and serialised from memory — no temporary file at all;
- media are numbered in sorted name order and the zip is written by ``zip_bytes``
  (fixed times, fixed order).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from ...outputs import zip_bytes
from .notes import Deck, Note
from .notetypes import SORT_FIELD, NoteType
from .state import State


class _StampedNote(genanki.Note):
    """A genanki note that writes its own id, modification time and card ids, not the build's."""

    def __init__(self, spec: Note, model: genanki.Model, mod: int, note_id: int, card_ids: Mapping[int, int]) -> None:
        super().__init__(model=model, fields=list(spec.fields), tags=list(spec.tags), guid=spec.guid, due=spec.position)
        self.spec = spec
        self.mod = mod
        self.note_id = note_id
        self.card_ids = card_ids

    def write_to_db(self, cursor, timestamp, deck_id, id_gen=None) -> None:
        self._check_number_model_fields_matches_num_fields()
        cursor.execute(
            "INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?);",
            (
                self.note_id,
                self.guid,
                self.model.model_id,
                self.mod,
                -1,
                self._format_tags(),
                self._format_fields(),
                self.sort_field,
                0,
                0,
                "",
            ),
        )
        for ordinal, card_id in sorted(self.card_ids.items()):
            # id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data
            cursor.execute(
                "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);",
                (card_id, self.note_id, deck_id, ordinal, self.mod, -1, 0, 0, self.due, 0, 0, 0, 0, 0, 0, 0, 0, ""),
            )


def _model(note_type: NoteType) -> genanki.Model:
    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[{"name": name, "qfmt": front, "afmt": back} for name, front, back in note_type.templates],
        css=note_type.css,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=SORT_FIELD,
    )


def _claim(candidate: int, used: set[int]) -> int:
    """``candidate``, or the next free id should two hashes ever meet (deterministic: course order)."""
    while candidate in used:
        candidate += 1
    used.add(candidate)
    return candidate


def _collection(
    decks: Iterable[Deck],
    note_types: Mapping[str, NoteType],
    notes: tuple[Note, ...],
    state: State,
    timestamp: int,
    default_deck_id: int,
) -> bytes:
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        cursor.executescript(APKG_SCHEMA)
        cursor.executescript(APKG_COL)
        deck_json = json.loads(cursor.execute("SELECT decks FROM col").fetchone()[0])
        for deck in decks:
            data = genanki.Deck(deck.id, deck.name, deck.description).to_json()
            data["mod"] = timestamp
            deck_json[str(deck.id)] = data
        models = {key: _model(note_type) for key, note_type in sorted(note_types.items())}
        model_json = {
            str(model.model_id): model.to_json(state.note_types[key].mod, default_deck_id) for key, model in models.items()
        }
        cursor.execute(
            "UPDATE col SET decks = ?, models = ?",
            (json.dumps(deck_json, sort_keys=True), json.dumps(model_json, sort_keys=True)),
        )
        note_ids: set[int] = set()
        card_ids: set[int] = set()
        for note in notes:
            stamped = _StampedNote(
                note,
                models[note.note_type],
                state.notes[note.key].mod,
                _claim(note.id, note_ids),
                {ordinal: _claim(note.card_id(ordinal), card_ids) for ordinal in note.ordinals()},
            )
            stamped.write_to_db(cursor, timestamp, note.deck_id)
        connection.commit()
        connection.execute("VACUUM")
        return connection.serialize()
    finally:
        connection.close()


def write_apkg(
    decks: Iterable[Deck],
    note_types: Mapping[str, NoteType],
    notes: tuple[Note, ...],
    media: Mapping[str, bytes],
    state: State,
    timestamp: int,
    default_deck_id: int,
) -> bytes:
    """The package: ``collection.anki2``, the ``media`` index and the numbered media files."""
    names = sorted(media)
    entries = {
        "collection.anki2": _collection(decks, note_types, notes, state, timestamp, default_deck_id),
        "media": json.dumps({str(index): name for index, name in enumerate(names)}).encode(),
    }
    for index, name in enumerate(names):
        entries[str(index)] = media[name]
    return zip_bytes(entries, first=("collection.anki2", "media"))
