"""Checks across the whole course, once everything has loaded."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Course, SourceLoc


def cross_check(course: Course, cited: dict[str, SourceLoc], diag: Diagnostics) -> None:
    _unique_ids(course, diag)
    taught = {concept for module in course.modules for lesson in module.lessons for concept in lesson.concepts}
    for group in course.concept_groups:
        for concept in group.concepts:
            if concept.id not in taught:
                diag.warning(concept.loc, f"concept '{concept.id}' is not taught by any lesson")
    for key, reference in course.references.items():
        if key not in cited:
            diag.warning(reference.loc, f"reference '{key}' is never cited")
    for module in course.modules:
        if not module.quiz:
            diag.warning(module.loc, f"module '{module.id}' has no quiz items")


def _unique_ids(course: Course, diag: Diagnostics) -> None:
    """Modules, lessons, vignettes, quiz items and cards share one id space: ids become
    file names, SCORM identifiers and Anki guids, so a clash anywhere would merge two items."""
    seen: dict[str, tuple[str, SourceLoc]] = {}

    def claim(item_id: str, what: str, loc: SourceLoc) -> None:
        if not item_id:
            return
        if item_id in seen:
            other_what, other_loc = seen[item_id]
            diag.error(loc, f"duplicate id '{item_id}': this {what} has the same id as the {other_what} at {other_loc}")
        else:
            seen[item_id] = (what, loc)

    for module in course.modules:
        claim(module.id, "module", module.loc)
        for lesson in module.lessons:
            claim(lesson.id, "lesson", lesson.loc)
        for vignette in module.vignettes:
            claim(vignette.id, "vignette", vignette.loc)
        for item in module.quiz:
            claim(item.id, "quiz item", item.loc)
        for card in module.flashcards:
            claim(card.id, "card", card.loc)
