"""The Anki deck in the real Anki (the official ``anki`` package): import, study, update, re-import.

The promise to students: re-import every new version of the deck and every edit arrives,
new cards appear, nothing is duplicated and no review is lost — also when two builds fall
in the same second.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from anki_support import (
    SHIPPED,
    append_cards,
    build,
    import_package,
    load,
    log_ids,
    notes_by_card_id,
    open_collection,
    package_db,
    replace_text,
    reviews,
    study,
)

from generator.outputs import BuildContext
from generator.paths import TEMPLATES_DIR
from generator.targets import anki as anki_target
from generator.targets.anki import state as anki_state

pytest.importorskip("anki")

TOP = "Mini-cursus partnerschap"
M1 = f"{TOP}::01 Basisbegrippen"
M2 = f"{TOP}::02 Partnerschap op school"


@pytest.fixture(autouse=True)
def _no_state_in_the_fixture_copy(valid_source):
    """Tests start from a source never built before, even if someone built the fixture in place."""
    (valid_source / anki_target.STATE_FILE).unlink(missing_ok=True)


@pytest.fixture
def clock(monkeypatch):
    """The state file's clock, frozen: every build 'in the same second' until a test moves it."""
    moment = {"now": int(time.time())}
    monkeypatch.setattr(anki_state, "clock", lambda: moment["now"])
    return moment


@pytest.fixture
def student(tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    col = open_collection(folder / "collection.anki2")
    yield col
    col.close()


def _fields(note) -> dict[str, str]:
    return dict(note.items())


def test_fresh_import_has_every_note_card_field_tag_and_deck(valid_source, tmp_path, student):
    course, report, apkg = build(valid_source, tmp_path / "out")
    assert report.written == ["anki/mini-partnerschap.apkg"]
    log = import_package(student, apkg)
    assert log_ids(log.new) == {"card-epstein-ouderschap", "card-epstein-lijst", "card-ks-relatie"}
    assert not log.updated and not log.duplicate and not log.conflicting

    assert student.note_count() == 3
    assert student.card_count() == 5  # basic 1, cloze with two deletions 2, reversed 2
    assert {TOP, M1, M2} <= {deck.name for deck in student.decks.all_names_and_ids()}

    notes = {key: found[0] for key, found in notes_by_card_id(student).items()}
    basic = notes["card-epstein-ouderschap"]
    assert basic.note_type()["name"] == f"{TOP} · Basis"
    assert [f["name"] for f in basic.note_type()["flds"]] == ["Front", "Back", "Extra", "Source", "Id"]
    assert _fields(basic) == {
        "Front": "Wat houdt het type <em>ouderschap</em> van Epstein in?",
        "Back": "Ouders scheppen thuis de voorwaarden om op school te leren.",
        "Extra": "",
        "Source": '<details class="cg-refs"><summary>Epstein, 1991</summary>'
        '<p class="cg-refs-full">Epstein, J. L. (1991). Geciteerd in de bronreview.</p></details>',
        "Id": "card-epstein-ouderschap",
    }
    assert set(basic.tags) == {
        "mini-partnerschap::01-Basis::De-zes-typen-ouderbetrokkenheid-van-Epstein",
        "mini-partnerschap::editie::1",
    }

    cloze = notes["card-epstein-lijst"]
    assert [f["name"] for f in cloze.note_type()["flds"]] == ["Text", "Extra", "Source", "Id"]
    assert cloze["Text"] == "De eerste twee typen van Epstein: {{c1::ouderschap}} en {{c2::communiceren}}."
    assert sorted(card.ord for card in cloze.cards()) == [0, 1]
    assert cloze.tags == basic.tags  # the same module and topic

    reversed_note = notes["card-ks-relatie"]
    assert "strategie" in reversed_note.tags
    assert {student.decks.name(card.did) for card in reversed_note.cards()} == {M2}
    assert {student.decks.name(card.did) for card in basic.cards() + cloze.cards()} == {M1}

    # What the student sees: a Dutch label, the short citation under the answer, the full one
    # behind a tap, and no card id.
    answer = basic.cards()[0].answer()
    assert answer.index("Ouders scheppen thuis") < answer.index("Bron:") < answer.index("<summary>Epstein, 1991")
    assert answer.index("<summary>") < answer.index("Epstein, J. L. (1991)") < answer.index("</details>")
    assert "card-epstein-ouderschap" not in answer and "Kaart" not in answer
    assert "Toelichting" not in answer  # no explanation on this card: the section is left out
    assert "[...]" in cloze.cards()[0].question()


def test_edits_additions_and_removals_reach_the_student_without_losing_reviews(valid_source, tmp_path, student, clock):
    out = tmp_path / "out"
    module1, module2 = valid_source / "modules" / "01-basis", valid_source / "modules" / "02-school"
    _, _, apkg = build(valid_source, out)
    assert not import_package(student, apkg).conflicting

    studied = study(student, M1, 2) + study(student, M2, 1, rating="GOOD")
    assert len(studied) == 3
    history = reviews(student, studied)
    assert all(review.revlog for review in history.values())
    assert any(review.ivl > 0 for review in history.values())

    def reimport(expect_new=(), expect_updated=(), expect_conflicting=()):
        _, _, package = build(valid_source, out)
        log = import_package(student, package)
        assert log_ids(log.new) == set(expect_new)
        assert log_ids(log.updated) == set(expect_updated)
        assert log_ids(log.conflicting) == set(expect_conflicting)
        for key, found in notes_by_card_id(student).items():
            assert len(found) == 1, f"note {key} is in the collection {len(found)} times"
        assert reviews(student, studied) == history, "a re-import changed the review history"
        return package

    # Cycle 1, in the same second as the first build: edit one card, add two.
    replace_text(module1 / "cards.yaml", "op school te leren.", "op school te leren en te groeien.")
    append_cards(
        module1 / "cards.yaml",
        """
- id: card-nieuw-basis
  type: basic
  concepts: [epstein-communiceren]
  cite: [epstein-1991]
  front: Wat is *communiceren* volgens Epstein?
  back: Informatie uitwisselen tussen school en thuis.
""",
    )
    append_cards(
        module2 / "cards.yaml",
        """
- id: card-nieuw-omgekeerd
  type: reversed
  concepts: [ks-relatie]
  cite: [knof-swick-2007]
  front: Relatie
  back: Eerste strategie
  extra: Zie de les over Knof & Swick.
""",
    )
    reimport(expect_new={"card-nieuw-basis", "card-nieuw-omgekeerd"}, expect_updated={"card-epstein-ouderschap"})
    notes = notes_by_card_id(student)
    assert (
        notes["card-epstein-ouderschap"][0]["Back"] == "Ouders scheppen thuis de voorwaarden om op school te leren en te groeien."
    )
    assert notes["card-nieuw-omgekeerd"][0]["Extra"] == "Zie de les over Knof &amp; Swick."
    assert len(notes["card-nieuw-omgekeerd"][0].cards()) == 2

    # Cycle 2, same second again: edit twice in a row (each rebuild must move the time on),
    # add a deletion to the cloze card (a new card on an existing note) and remove a card.
    replace_text(module1 / "cards.yaml", "Wat is *communiceren*", "Wat betekent *communiceren*")
    build(valid_source, out)
    replace_text(module1 / "cards.yaml", "Wat betekent *communiceren*", "Wat houdt *communiceren* in")
    replace_text(module1 / "cards.yaml", "{{c2::communiceren}}.", "{{c2::communiceren}}; daarna {{c3::vrijwilligerswerk}}.")
    text = (module2 / "cards.yaml").read_text("utf-8")
    start, end = text.index("- id: card-ks-relatie"), text.index("- id: card-nieuw-omgekeerd")
    (module2 / "cards.yaml").write_text(text[:start] + text[end:], "utf-8")
    remaining = {"card-epstein-ouderschap", "card-epstein-lijst", "card-nieuw-basis", "card-nieuw-omgekeerd"}
    # A removal raises the edition: every remaining note is updated with the new edition tag.
    reimport(expect_updated=remaining)
    notes = notes_by_card_id(student)
    assert notes["card-nieuw-basis"][0]["Front"] == "Wat houdt <em>communiceren</em> in volgens Epstein?"
    assert len(notes["card-epstein-lijst"][0].cards()) == 3
    assert "card-ks-relatie" in notes, "Anki never deletes a note that left the deck"
    # How a student finds removed cards (docs/anki-students.md): an older edition tag.
    removed = student.find_notes(f'"deck:{TOP}" -tag:mini-partnerschap::editie::2')
    assert [student.get_note(nid)["Id"] for nid in removed] == ["card-ks-relatie"]

    # Cycle 3, a later second: edit the explanation of a studied card's note, rebuild twice
    # (the second build changes nothing), then import.
    clock["now"] += 1
    replace_text(module2 / "cards.yaml", "Zie de les over Knof & Swick.", "Zie les 1 over Knof & Swick.")
    build(valid_source, out)
    _, report, _ = build(valid_source, out)
    assert report.cached == ["anki/mini-partnerschap.apkg"]
    reimport(expect_updated={"card-nieuw-omgekeerd"})
    assert notes_by_card_id(student)["card-nieuw-omgekeerd"][0]["Extra"] == "Zie les 1 over Knof &amp; Swick."

    # Cycle 4, with the real clock: the removed card returns under its old id.
    clock["now"] = int(time.time())
    append_cards(
        module2 / "cards.yaml",
        """
- id: card-ks-relatie
  type: reversed
  concepts: [ks-relatie]
  cite: [knof-swick-2007]
  front: Eerste strategie van Knof & Swick
  back: Werk aan een goede relatie met ouders (terug)
  tags: [strategie]
""",
    )
    reimport(expect_updated={"card-ks-relatie"})
    note = notes_by_card_id(student)["card-ks-relatie"][0]
    assert note["Back"] == "Werk aan een goede relatie met ouders (terug)"
    assert "mini-partnerschap::editie::2" in note.tags

    # Cycle 5, nothing changed: nothing to update, nothing new.
    reimport()
    assert student.note_count() == 5


def test_a_changed_card_label_updates_the_note_type_in_place(valid_source, tmp_path, student, clock):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    course = load(valid_source)

    def package(name: str) -> Path:
        [output] = anki_target.plan(course, BuildContext(valid_source, tmp_path / "out", templates))
        path = tmp_path / name
        path.write_bytes(output.render()[0])
        return path

    import_package(student, package("one.apkg"))
    replace_text(templates / "anki" / "strings.yaml", "source: Bron", "source: Literatuur")
    log = import_package(student, package("two.apkg"))  # same second as the first build
    assert not log.updated and not log.conflicting  # the notes did not change
    student.models._clear_cache()
    note = notes_by_card_id(student)["card-epstein-ouderschap"][0]
    assert "Literatuur:" in note.cards()[0].answer()
    names = [nt.name for nt in student.models.all_names_and_ids()]
    assert not any(name.endswith("+") for name in names), "Anki made a second note type"


def test_an_appended_field_reaches_students_after_one_merge_import(valid_source, tmp_path, student, clock, monkeypatch):
    """The documented procedure for the day a note type needs a new field (package docstring)."""
    import dataclasses

    from generator.targets.anki import deck as anki_deck
    from generator.targets.anki import notetypes

    out = tmp_path / "out"
    _, _, apkg = build(valid_source, out)
    import_package(student, apkg)
    studied = study(student, M1, 2)
    history = reviews(student, studied)

    # The change: a field 'Hint' appended to the front/back note types, ids unchanged.
    layout = dict(notetypes._LAYOUT)
    for key in ("basic", "reversed"):
        monkeypatch.setitem(notetypes._LAYOUT, key, (layout[key][0] + ("Hint",), layout[key][1]))
    build_notes = anki_deck.build_notes

    def notes_with_hint(*args, **kwargs):
        notes, media = build_notes(*args, **kwargs)
        return tuple(
            note if note.note_type == "cloze" else dataclasses.replace(note, fields=note.fields + ("Een tip.",)) for note in notes
        ), media

    monkeypatch.setattr(anki_deck, "build_notes", notes_with_hint)
    clock["now"] += 1
    # A real code change rebuilds through the builder's code hash; a monkeypatch needs --clean.
    (out / ".coursegen-cache.json").unlink()
    _, _, apkg = build(valid_source, out)

    log = import_package(student, apkg)  # forgot the option: nothing lost, nothing updated
    assert log_ids(log.conflicting) == {"card-epstein-ouderschap", "card-ks-relatie"}
    log = import_package(student, apkg, merge_notetypes=True)  # the same file again, merging
    # Merging rewrites the student's notes to the new schema and stamps them with the time of
    # the import, so a package built before that moment brings no field text yet ...
    assert not log.conflicting
    assert not any(nt.name.endswith("+") for nt in student.models.all_names_and_ids())
    assert "Hint" in notes_by_card_id(student)["card-ks-relatie"][0]

    # ... the next release does, with the default options again.
    clock["now"] = int(time.time()) + 1
    replace_text(valid_source / "modules" / "02-school" / "cards.yaml", "met ouders", "met alle ouders")
    log = import_package(student, build(valid_source, out)[2])
    assert "card-ks-relatie" in log_ids(log.updated) and not log.conflicting
    assert notes_by_card_id(student)["card-ks-relatie"][0]["Hint"] == "Een tip."
    assert reviews(student, studied) == history
    assert student.note_count() == 3


def _shipped_course_or_skip():
    if not (SHIPPED / "course.yaml").is_file():
        pytest.skip("course_source/course.yaml does not exist yet (the course is being written)")
    from generator.loader import load_course

    result = load_course(SHIPPED)
    if result.course is None:
        first = result.diagnostics.errors[0] if result.diagnostics.errors else "no course"
        pytest.skip(f"course_source/ does not load yet ({len(result.diagnostics.errors)} errors, first: {first})")
    return result.course


def test_shipped_course_imports_cleanly_with_module_and_topic_tags(tmp_path, student):
    shipped = _shipped_course_or_skip()
    source = tmp_path / "course_source"  # a copy: the test must not move the committed note times
    shutil.copytree(SHIPPED, source)
    course, _, apkg = build(source, tmp_path / "out")
    assert course.id == shipped.id

    log = import_package(student, apkg)
    cards = [card for module in course.modules for card in module.flashcards]
    assert len(log.new) == len(cards)
    assert not log.updated and not log.duplicate and not log.conflicting
    assert student.note_count() == len(cards)

    # Tags a student can use: the module and the topic in words, and the edition; nothing else.
    from generator.targets.anki.tags import module_tag, tag_prefix, tag_words

    prefix = tag_prefix(course)
    [edition] = [tag for tag in student.tags.all() if tag.startswith(f"{prefix}::editie::")]
    groups = {group.id: group for group in course.concept_groups}
    notes = notes_by_card_id(student)
    for module in course.modules:
        module_part = module_tag(prefix, module)
        assert len(student.find_notes(f'"tag:{module_part}"')) == len(module.flashcards), module_part
        for card in module.flashcards:
            topics = {f"{module_part}::{tag_words(groups[course.concepts[c].group].label, 'en')}" for c in card.concepts}
            assert set(notes[card.id][0].tags) == topics | {edition} | set(card.tags), card.id
    assert not [tag for tag in student.tags.all() if "concept" in tag.lower()]

    top = course.settings("anki").get("deck_name") or course.title
    for module in course.modules:
        if module.flashcards:
            deck = f"{top}::{module.number:02d} {module.title}"
            assert student.decks.id_for_name(deck), f"no deck {deck!r}"
            assert len(student.find_cards(f'"deck:{deck}"')) >= len(module.flashcards)

    with package_db(apkg) as db:
        assert db.execute("select count(*) from notes").fetchone()[0] == len(cards)
