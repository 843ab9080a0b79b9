"""The coverage matrix: which lessons, vignettes, quiz items and cards serve each concept."""

from __future__ import annotations

from .model import Course, Flashcard, Lesson, QuizItem, Vignette

KINDS = ("lessons", "vignettes", "quiz", "flashcards")

# The lists the course exists to teach: each concept in them must be taught, practised,
# tested and drilled. Every other concept must at least be taught and drilled.
MISSION_GROUPS = (
    "kassenberg-petit-competences",
    "knof-swick-strategies",
    "partnership-indicators",
    "guideline-samen-beslissen",
    "guideline-pleegzorg",
    "guideline-residentieel",
)


def coverage(course: Course) -> dict:
    """``{"groups": [{"id", "label", "concepts": [{"id", "label", "lessons", "vignettes", "quiz", "flashcards"}]}],
    "modules": [{"id", "title", "graded", "no_knowledge": {strategy: expected score %}}]}``"""
    served: dict[str, dict[str, list[str]]] = {}
    for module in course.modules:
        parts: list[tuple[Lesson | Vignette | QuizItem | Flashcard, ...]] = [
            module.lessons,
            module.vignettes,
            module.quiz,
            module.flashcards,
        ]
        for kind, items in zip(KINDS, parts, strict=True):
            for item in items:
                for concept_id in item.concepts:
                    served.setdefault(concept_id, {k: [] for k in KINDS})[kind].append(item.id)
    groups = []
    for group in course.concept_groups:
        concepts = []
        for concept in group.concepts:
            row: dict[str, object] = {"id": concept.id, "label": concept.label}
            row.update(served.get(concept.id, {k: [] for k in KINDS}))
            concepts.append(row)
        groups.append({"id": group.id, "label": group.label, "concepts": concepts})
    return {"groups": groups, "modules": no_knowledge(course)}


def no_knowledge(course: Course) -> list[dict]:
    """Per module, the score (%) a learner who knows nothing can expect under each strategy
    (rule Q9, docs/item-rules.md), rounded to one decimal; ``graded``: the items in its test."""
    from .lint.expected import course_expected, graded_items

    expected = course_expected(course)
    return [
        {
            "id": m.id,
            "title": m.title,
            "graded": len(graded_items(m)),
            "no_knowledge": {s: round(v, 1) for s, v in expected[m.id].items()},
        }
        for m in course.modules
    ]


def gaps(matrix: dict) -> list[tuple[str, str, list[str]]]:
    """(group id, concept id, missing kinds) for every concept short of what it needs."""
    result = []
    for group in matrix["groups"]:
        needed = KINDS if group["id"] in MISSION_GROUPS else ("lessons", "flashcards")
        for concept in group["concepts"]:
            missing = [kind for kind in needed if not concept[kind]]
            if missing:
                result.append((group["id"], concept["id"], missing))
    return result
