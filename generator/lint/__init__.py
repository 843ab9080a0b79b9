"""Writing rules for quiz items and flashcards: pure functions from the course model to warnings.

``lint_course(course)`` returns every warning of rules Q1–Q9 and C1–C8 (``rules.RULES``,
docs/item-rules.md). No I/O; ``coursegen check`` and ``build`` print the result.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model import Course


def lint_course(course: Course) -> list[Diagnostic]:
    return lint_all(lint_view(course))


def lint_all(course: Course) -> list[Diagnostic]:
    """Every rule on ``course`` as given (``lint_course`` gives them only ``lint_view``)."""
    from .cards import check_cards  # here, so a build answered from the lint cache never imports the rules
    from .quiz import check_quiz

    return check_quiz(course) + check_cards(course)


def lint_view(course: Course) -> Course:
    """The course as the rules read it: per module its quiz items, cards, settings and the
    knowledge checks its lessons place; the references and the course's settings. Lesson
    texts, vignettes, session plans, descriptions, concepts and images are left out, so an
    edit of a lesson's text leaves the rules' result (and its key, lintcache.py) unchanged.
    A test holds every rule's result on this view to its result on the whole course."""
    from dataclasses import replace

    from ..model import FrozenDict

    def lesson(kept):
        sections = tuple(replace(s, title="", body=replace(s.body, text=""), notes=None) for s in kept.sections if s.checks)
        return replace(kept, title="", objectives=(), concepts=(), citations=(), sections=sections)

    modules = tuple(
        replace(
            m,
            title="",
            description=replace(m.description, text=""),
            objectives=(),
            lessons=tuple(lesson(x) for x in m.lessons if any(s.checks for s in x.sections)),
            vignettes=(),
            session=None,
        )
        for m in course.modules
    )
    return replace(
        course,
        modules=modules,
        description=replace(course.description, text=""),
        concept_groups=(),
        images=FrozenDict(),
    )


def with_lint_warnings(result, found: list[Diagnostic] | None = None):
    """A copy of a ``LoadResult`` whose diagnostics include the writing rules' warnings
    (``found``, when already known)."""
    from ..diagnostics import Diagnostics
    from ..loader import LoadResult

    diagnostics = Diagnostics()
    diagnostics.extend(result.diagnostics.items)
    if result.course is not None:
        diagnostics.extend(lint_course(result.course) if found is None else found)
    return LoadResult(result.course, diagnostics)
