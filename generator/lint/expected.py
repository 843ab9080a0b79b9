"""The score a learner who knows nothing can expect, per item and per module (decision D3).

Display order follows D1: options are shuffled per learner, so "always the first" on an item
with k options expects 1/k; an item with ``shuffle: false`` keeps the author's order, so there
"first" is the author's first option. True/false is always shown "Waar", "Niet waar". Scoring
follows D2 (partial credit for multiple and match when on). "Always the longest" does not
depend on the order: it is the option with the most characters of text without citations,
ties split evenly.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Course, Module, QuizItem, Reference
from ..quiztypes import QUIZ_TYPES
from .text import plain

# strategy name → Dutch label, in the order coverage prints them
STRATEGIES = {
    "first": "altijd de eerste",
    "longest": "altijd de langste",
    "first_or_false": "eerste, of 'niet waar'",
}
TRUE_LABEL, FALSE_LABEL = "Waar", "Niet waar"


def item_expected(
    item: QuizItem, strategy: str, partial_credit: bool = True, references: Mapping[str, Reference] | None = None
) -> float:
    """Expected score (0–1) of ``item`` under ``strategy`` (a key of ``STRATEGIES``): its
    type's rule (generator/quiztypes.py)."""
    if not item.options:
        return 0.0
    lengths = [len(plain(o.text, references)) for o in item.options] if strategy == "longest" else []
    return QUIZ_TYPES[item.type].expected(item, strategy, partial_credit, lengths)


def graded_items(module: Module) -> tuple[QuizItem, ...]:
    """The items of the module's graded test: an item a lesson uses as a formative knowledge
    check (a section's ``checks``, when the model has them) is not graded."""
    checks = {item_id for lesson in module.lessons for section in lesson.sections for item_id in getattr(section, "checks", ())}
    return tuple(item for item in module.quiz if item.id not in checks)


def module_expected(
    module: Module, partial_credit: bool = True, references: Mapping[str, Reference] | None = None
) -> dict[str, float]:
    """Expected score (0–100) of the module's graded test per strategy; no items score 0."""
    items = graded_items(module)
    result = {}
    for strategy in STRATEGIES:
        scores = [item_expected(item, strategy, partial_credit, references) for item in items]
        result[strategy] = 100.0 * sum(scores) / len(scores) if scores else 0.0
    return result


def partial_credit(course: Course, module: Module | None = None) -> bool:
    """Partial credit for multiple and match (D2; default on): the SCORM setting
    ``partial_credit`` of the module (module.yaml ``targets``, when the model has them), else
    of the course."""
    for settings in (
        (getattr(module, "targets", None) or {}).get("scorm", {}) if module is not None else {},
        course.settings("scorm"),
    ):
        value = settings.get("partial_credit") if isinstance(settings, Mapping) else None
        if isinstance(value, bool):
            return value
    return True


def course_expected(course: Course) -> dict[str, dict[str, float]]:
    """Module id → expected score per strategy, for every module."""
    return {m.id: module_expected(m, partial_credit(course, m), course.references) for m in course.modules}
