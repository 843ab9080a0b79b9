"""Writing rules for quiz items and flashcards: pure functions from the course model to warnings.

``lint_course(course)`` returns every warning of rules Q1–Q9 and C1–C8 (``rules.RULES``,
docs/item-rules.md). No I/O; ``coursegen check`` and ``build`` print the result.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..model import Course


def lint_course(course: Course) -> list[Diagnostic]:
    from .cards import check_cards  # here, so a build answered from the lint cache never imports the rules
    from .quiz import check_quiz

    return check_quiz(course) + check_cards(course)


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
