"""Target 'anki': one .apkg deck for the course, a subdeck per module.

``plan`` returns one output, ``anki/<course-id>.apkg``. The modules of this package:

- ``fields``     Markdown → sanitised card HTML (cloze deletions kept intact), media names.
- ``notetypes``  the three note types (basic, basic-and-reversed, cloze) and their templates.
- ``notes``      one note per flashcard: fields, tags, stable ids, content hash; the decks.
- ``tags``       the tags a student sees: module and topic in words, the edition.
- ``source``     the 'Source' field: one short line (author, year), full references on a tap.
- ``state``      the note-time lock file ``<source>/anki-state.json``.
- ``apkg``       the package bytes: a SQLite collection written with genanki's schema, zipped.
- ``ids``        stable numeric ids from source ids.
- ``deck``       ``plan_deck``: puts it together into the one ``Output``.

Why a state file
----------------
Anki updates a note the student already has only when the package's modification time
for that note is *newer* than the student's copy ("Update notes: if newer", the default;
even "always" skips an equal time). The build must also give byte-identical packages
for an unchanged source, so the time cannot simply be "now". ``anki-state.json`` keeps,
per note id (and per note type), a hash of the content Anki receives and the time that
content last changed, in whole seconds. When a hash changes the time becomes
``max(now, previous + 1)`` — strictly newer even for two builds in the same second;
unchanged notes keep their time, so the bytes stay identical. It is like a lock file:
commit it with the source, never edit it by hand.

The new state is computed in ``plan`` (no side effects: it only reads the file) and is
part of the output's fingerprint, so a state edit or a lost state file rebuilds the deck.
Writing it is part of rendering the package: ``render`` writes it (only when it changed)
with ``generator.outputs.write_atomic`` just before the build writes the package. A build
stopped in between leaves recorded times for content that was not published yet; the next
build finds the same content under those times and publishes it with them, so no student
ever holds a newer time than the state.

Removed cards
-------------
Anki never deletes notes that left a package. The state keeps a tombstone for a removed
card, and its removal raises the deck's *edition*: every note carries the tag
``<prefix>::editie::<N>`` (``edition`` in English courses), so all current notes are
updated with the new number and the student finds removed cards as the ones with an
older edition tag (see docs/anki-students.md).

Frozen note types — read before changing ``notetypes.py``
---------------------------------------------------------
The field names and the template names of each note type are its *schema*. A student's
Anki compares the schema of an imported note type with the one it has under the same id;
if they differ it adds a second note type ("Name+") and leaves every existing note
un-updated ("conflicting"), unless the student ticks "Merge note types". Therefore the
fields (``FRONT_BACK_FIELDS``, ``CLOZE_FIELDS``), their order, the template names and the
sort field do not change. Template *text* and CSS may change freely: same id, newer time,
updated in place (tests/test_anki_import.py checks this).

If a schema change is ever unavoidable (checked with the real Anki, see
``test_an_appended_field_reaches_students_after_one_merge_import``):

1. only *append*: add the new field (or template) at the end, keep the note-type ids
   (they depend on the course id and the key only). Never rename, remove or reorder a
   field — a student's merged note type keeps the old field, so the schemas would differ
   on every later import and every note would conflict again. An obsolete field stays,
   empty. New ids would be worse: every note of every student would conflict;
2. announce the release: students import it once with "Merge note types" ticked (a
   student who forgot imports the same file again with it ticked; Anki then folds the
   "Name+" copy back in). Reviews are kept; later imports need no option;
3. the merge stamps each student's notes with the moment of that import, so the text of the
   new field reaches them only through a *later* package whose notes are newer than that:
   after the merge release, delete those notes' entries from ``anki-state.json`` (a note
   without an entry is stamped with the build time) and publish one more release;
4. update docs/anki-students.md ("Als het aantekeningstype verandert").

Changing a card's ``type`` (basic ↔ reversed ↔ cloze) changes its note type: Anki reports
the note as conflicting and does not update it. Give the card a new id instead.
"""

from ...loader.fields import Field

SETTINGS = {
    "deck_name": Field("str", False, "Name of the top-level deck; default: the course title.", default=""),
    "tag_prefix": Field(
        "str",
        False,
        "First part of every tag (module/topic and edition), e.g. 'Partnerschap'; default: the course id.",
        default="",
    ),
}

STATE_FILE = "anki-state.json"


def plan(course, context):
    """The outputs of this target (see generator.outputs.Output): one ``anki/<course-id>.apkg``."""
    from .deck import plan_deck

    return [plan_deck(course, context)]
