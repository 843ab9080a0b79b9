"""The loader turns the valid fixture into the model we expect."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.loader import load_course


def test_valid_fixture_loads_without_diagnostics(valid_course):
    result = load_course(Path(__file__).parent / "fixtures" / "valid")
    assert [str(d) for d in result.diagnostics.items] == []
    assert [m.id for m in valid_course.modules] == ["m01-basis", "m02-school"]
    assert [m.number for m in valid_course.modules] == [1, 2]


def test_model_is_immutable(valid_course):
    with pytest.raises(dataclasses.FrozenInstanceError):
        valid_course.title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        valid_course.references["new"] = None  # type: ignore[index]


def test_sections_notes_and_citations(valid_course):
    lesson = valid_course.modules[0].lessons[0]
    assert lesson.id == "les-epstein" and lesson.minutes == 10
    assert [s.id for s in lesson.sections] == ["ouderschap", "communiceren"]
    first = lesson.sections[0]
    assert first.body.text.startswith("Ouders maken leren mogelijk (Epstein, 1991):")
    assert first.body.loc.line == 12
    assert first.notes.minutes == 5
    assert "**Groepswerk:**" in first.notes.script.text
    assert lesson.citations == ("epstein-1991",)


def test_narrative_citation_in_dutch(valid_course):
    body = valid_course.modules[1].lessons[0].sections[0].body.text
    assert body.startswith("Knof en Swick (2007) noemen een goede relatie")


def test_images_are_read_into_the_model(valid_course):
    assert list(valid_course.images) == ["images/logo.png"]
    assert valid_course.images["images/logo.png"].data.startswith(b"\x89PNG")
    assert valid_course.theme.logo == "images/logo.png"


def test_quiz_types(valid_course):
    items = {q.id: q for m in valid_course.modules for q in m.quiz}
    single = items["q-epstein-type"]
    assert [(o.id, o.correct) for o in single.options] == [("a", True), ("b", False)]
    truefalse = items["q-epstein-waar"]
    assert [(o.id, o.correct) for o in truefalse.options] == [("true", True), ("false", False)]
    order = items["q-ks-volgorde"]
    assert [o.text for o in order.options] == ["Kennismaken", "Belangstelling tonen", "Samen doelen stellen"]
    match = items["q-ks-koppel"]
    assert [(o.text, o.match) for o in match.options] == [("Huisbezoek", "Elkaar leren kennen"), ("Nieuwsbrief", "Informeren")]
    assert items["q-ks-meer"].type == "multiple"
    assert single.citations == ("epstein-1991",)


def test_cards(valid_course):
    cards = {c.id: c for m in valid_course.modules for c in m.flashcards}
    assert cards["card-epstein-lijst"].type == "cloze"
    assert "{{c1::ouderschap}}" in cards["card-epstein-lijst"].front.text
    assert cards["card-ks-relatie"].tags == ("strategie",)


def test_target_settings_are_validated_with_defaults(valid_course):
    assert valid_course.settings("scorm")["versions"] == ("1.2", "2004")
    assert valid_course.settings("scorm")["passing_score"] == 70
    assert valid_course.settings("anki")["deck_name"] == "Mini-cursus partnerschap"


def test_ids_survive_wording_edits(valid_source):
    """Editing text keeps every id: ids come from the source, never from text or position."""
    before = load_course(valid_source).course
    quiz = valid_source / "modules/01-basis/quiz.yaml"
    quiz.write_text(quiz.read_text("utf-8").replace("Een vader leest elke avond voor.", "Een moeder leest voor."), "utf-8")
    after = load_course(valid_source).course
    assert [q.id for m in before.modules for q in m.quiz] == [q.id for m in after.modules for q in m.quiz]
    assert before.modules[0].quiz[0].question != after.modules[0].quiz[0].question


def test_warnings_for_untaught_concept_and_unused_reference(valid_source):
    concepts = valid_source / "concepts/knof-swick.yaml"
    concepts.write_text(concepts.read_text("utf-8") + "  - id: ks-extra\n    label: Extra\n", "utf-8")
    refs = valid_source / "references.yaml"
    refs.write_text(
        refs.read_text("utf-8") + '- key: ongebruikt-2000\n  cite: Ongebruikt\n  year: "2000"\n  apa: "Ongebruikt (2000)."\n',
        "utf-8",
    )
    result = load_course(valid_source)
    warnings = [str(d) for d in result.diagnostics.warnings]
    assert "concepts/knof-swick.yaml:6:9: warning: concept 'ks-extra' is not taught by any lesson" in warnings
    assert "references.yaml:10:8: warning: reference 'ongebruikt-2000' is never cited" in warnings
    assert result.ok() and not result.ok(strict=True)
