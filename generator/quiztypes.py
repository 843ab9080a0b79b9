"""The quiz item types: one record per type, which every part of the generator consults.

A record says what is true of a type whatever the output: how it is written in the source
(which fields, which of them required; the loader checks them), in what order its options
are shown (decision D1, ``generator/shuffle.py``), how it is scored (D2) and what a learner
who knows nothing can expect from it (D3, ``generator/lint/expected.py``), and which writing
rules apply to it (D4, ``generator/lint/quiz.py``). How a target *shows* a type lives in that
target, in one table keyed by the type's name (docs/architecture.md, "Extension points");
``tests/test_quiztypes.py`` checks that every target and the e-learning's script have one.

No target knowledge here, and no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from .model import QuizItem

# How the options are written in quiz.yaml; the loader has one reader per way.
Source = Literal["options", "answer", "items", "pairs"]
# In what order the options are shown (D1): "shuffled" (an item may say ``shuffle: false``),
# "fixed" (always as listed: true, false), "scrambled" (shuffled, never the listed order: the
# listed order is the answer), "rows" (rows as listed; their right-hand answers scrambled).
Display = Literal["shuffled", "fixed", "scrambled", "rows"]

# Every field only some types allow; a type allows those in its ``fields`` and the loader
# refuses the others ("field 'x' does not belong in a ... item").
TYPE_FIELDS = ("options", "shuffle", "answer", "feedback_true", "feedback_false", "items", "pairs")

# expected(item, strategy, partial_credit, lengths): the score (0–1) a no-knowledge strategy
# (generator/lint/expected.py STRATEGIES) expects on the item; ``lengths``: the length of each
# option's text without citations (for "always the longest").
Expected = Callable[[QuizItem, str, bool, Sequence[int]], float]


@dataclass(frozen=True)
class QuizTypeSpec:
    name: str
    label: str  # in the loader's messages: "true/false item 'x' ..."
    source: Source
    fields: tuple[str, ...]  # of TYPE_FIELDS, the ones this type allows
    required: tuple[str, ...]  # fields besides the option source that must be present
    display: Display
    scoring: str  # D2 in words (docs and reviews; the runtime's quiz.js does it)
    expected: Expected
    choice: bool  # options right or wrong on their own: rules Q1–Q4 and Q7 apply
    statement: bool = False  # the stem is a statement to judge: no Q5, counted by Q8
    one_answer: bool = False  # exactly one option is right (else: one or more)


# -- what a learner who knows nothing can expect (D3) ---------------------------------------


def _pick_score(item: QuizItem, chosen: int, partial_credit: bool) -> float:
    """The score for choosing only option ``chosen`` of a single or multiple item."""
    option = item.options[chosen]
    if QUIZ_TYPES[item.type].one_answer:
        return 1.0 if option.correct else 0.0
    correct = sum(1 for o in item.options if o.correct)
    if not option.correct:
        return 0.0
    if partial_credit:
        return 1.0 / correct
    return 1.0 if correct == 1 else 0.0


def _longest_indices(lengths: Sequence[int]) -> list[int]:
    top = max(lengths)
    return [i for i, n in enumerate(lengths) if n == top]


def _choice_expected(item: QuizItem, strategy: str, partial_credit: bool, lengths: Sequence[int]) -> float:
    """ "Always the longest" is the longest text, ties split evenly; otherwise the first shown,
    which is any option alike (1/k) unless the item keeps the author's order."""
    if strategy == "longest":
        tied = _longest_indices(lengths)
        return sum(_pick_score(item, i, partial_credit) for i in tied) / len(tied)
    if not getattr(item, "shuffle", True):
        return _pick_score(item, 0, partial_credit)
    k = len(item.options)
    return sum(_pick_score(item, i, partial_credit) for i in range(k)) / k


def _truefalse_expected(item: QuizItem, strategy: str, partial_credit: bool, lengths: Sequence[int]) -> float:
    """Shown "Waar", "Niet waar": "first" says true; "longest" ("Niet waar") and the third
    strategy say false."""
    true_answer = item.options[0].correct
    if strategy == "first":
        return 1.0 if true_answer else 0.0
    return 0.0 if true_answer else 1.0


def _order_expected(item: QuizItem, strategy: str, partial_credit: bool, lengths: Sequence[int]) -> float:
    return 0.0  # shown scrambled, submitted as shown, all-or-nothing


def _match_expected(item: QuizItem, strategy: str, partial_credit: bool, lengths: Sequence[int]) -> float:
    """One answer (the first shown, or the longest) chosen in every row: exactly one row is
    right, whichever of the (tied) answers it is."""
    rows = len(item.options)
    if rows == 0:
        return 0.0
    if partial_credit:
        return 1.0 / rows
    return 1.0 if rows == 1 else 0.0


# -- the types --------------------------------------------------------------------------------

QUIZ_TYPES: dict[str, QuizTypeSpec] = {
    spec.name: spec
    for spec in (
        QuizTypeSpec(
            "single",
            "single-choice",
            "options",
            ("options", "shuffle"),
            (),
            "shuffled",
            "1 or 0",
            _choice_expected,
            choice=True,
            one_answer=True,
        ),
        QuizTypeSpec(
            "multiple",
            "multiple-response",
            "options",
            ("options", "shuffle"),
            (),
            "shuffled",
            "with partial credit max(0, (chosen right - chosen wrong) / number right), else all or nothing",
            _choice_expected,
            choice=True,
        ),
        QuizTypeSpec(
            "truefalse",
            "true/false",
            "answer",
            ("answer", "feedback_true", "feedback_false"),
            ("feedback_true", "feedback_false"),
            "fixed",
            "1 or 0",
            _truefalse_expected,
            choice=False,
            statement=True,
            one_answer=True,
        ),
        QuizTypeSpec(
            "order",
            "order",
            "items",
            ("items",),
            ("feedback_correct", "feedback_incorrect"),
            "scrambled",
            "all or nothing",
            _order_expected,
            choice=False,
        ),
        QuizTypeSpec(
            "match",
            "match",
            "pairs",
            ("pairs",),
            ("feedback_correct", "feedback_incorrect"),
            "rows",
            "with partial credit the share of rows right, else all or nothing",
            _match_expected,
            choice=False,
        ),
    )
}

NAMES: tuple[str, ...] = tuple(QUIZ_TYPES)
CHOICE_TYPES: tuple[str, ...] = tuple(name for name, spec in QUIZ_TYPES.items() if spec.choice)


def spec(item_or_name: QuizItem | str) -> QuizTypeSpec:
    """The record of an item's type (or of a type name)."""
    return QUIZ_TYPES[item_or_name if isinstance(item_or_name, str) else item_or_name.type]
