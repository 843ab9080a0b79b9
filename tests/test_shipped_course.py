"""The shipped course, "Partnerschap met ouders": complete, consistent with the review, covered."""

from __future__ import annotations

from pathlib import Path

from generator.cli import main
from generator.coverage import KINDS, MISSION_GROUPS, coverage, gaps

SOURCE = Path(__file__).resolve().parent.parent / "course_source"

# The counts the review gives for its enumerations (the registry must match them exactly).
REVIEW_COUNTS = {
    "kassenberg-petit-competences": 4,
    "knof-swick-strategies": 8,
    "partnership-indicators": 14,
    "guideline-pleegzorg": 14,
    "guideline-residentieel": 15,
    "guideline-samen-beslissen": 4,
    "epstein-types": 6,
    "family-centred-principles": 6,
    "palisano-steps": 5,
    "ho-gonzales-competences": 4,
    "kitzmann-components": 3,
    "yoder-forms": 3,
    "hermanns-conditions": 5,
    "de-baat-de-lange-activities": 4,
}


def test_check_strict_passes(capsys):
    code = main(["check", "--source", str(SOURCE), "--strict"])
    assert code == 0, capsys.readouterr().err


def test_registry_counts_match_the_review(shipped_course):
    groups = {g.id: len(g.concepts) for g in shipped_course.concept_groups}
    assert {gid: groups.get(gid) for gid in REVIEW_COUNTS} == REVIEW_COUNTS


def test_mission_groups_are_covered_four_ways_and_the_rest_taught_and_drilled(shipped_course):
    matrix = coverage(shipped_course)
    assert gaps(matrix) == []
    mission = [g for g in matrix["groups"] if g["id"] in MISSION_GROUPS]
    assert len(mission) == len(MISSION_GROUPS)
    for group in mission:
        for concept in group["concepts"]:
            assert all(concept[kind] for kind in KINDS), concept


def test_didactic_size(shipped_course):
    modules = shipped_course.modules
    assert 7 <= len(modules) <= 9
    assert sum(len(m.vignettes) for m in modules) >= 25
    assert sum(len(m.quiz) for m in modules) > 100
    for module in modules:
        assert module.objectives, module.id
        for lesson in module.lessons:
            assert 10 <= lesson.minutes <= 20, lesson.id
            assert lesson.objectives, lesson.id
            for section in lesson.sections:
                assert section.notes is not None and section.notes.minutes, f"{lesson.id}#{section.id} lacks timed notes"


def test_every_quiz_item_and_card_cites_a_source(shipped_course):
    for module in shipped_course.modules:
        for item in module.quiz + module.flashcards:
            assert item.citations, item.id
        for item in module.quiz:
            if item.type in ("single", "multiple", "truefalse"):
                assert all(option.feedback for option in item.options), item.id
