"""The order in which an item's options are shown in every build-time output (decision D1).

Authors may write the correct option first; that order is never what a learner sees. Every
output made at build time (slides, print, the e-learning page before its script runs) shows
options in the order given here: a permutation ranked by SHA-256 of the item id and the option
id, so the same source gives the same bytes on any machine, and an item keeps its order when
other items are added or moved. The e-learning re-orders per learner in the browser
(templates/scorm/assets/quiz.js, ``optionOrder``) with the same rules, one per display rule of
generator/quiztypes.py:

- single, multiple: shuffled, unless the item says ``shuffle: false`` (a scale, "beide");
- truefalse: always "true", "false" (never shuffled);
- order: shuffled and never already in the correct order (the author's order is the answer);
- match: the left-hand rows stay in the author's order; the right-hand answers are shuffled
  and never in row order (that would pair every row with the answer beside it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

from .model import Option, QuizItem
from .quiztypes import QUIZ_TYPES

T = TypeVar("T")


def permutation(seed: str, ids: Sequence[str]) -> list[int]:
    """Indices of ``ids`` in a reproducible shuffled order: ranked by SHA-256 of ``seed:id``."""
    return sorted(range(len(ids)), key=lambda i: (hashlib.sha256(f"{seed}:{ids[i]}".encode()).digest(), i))


def _scrambled(seed: str, options: Sequence[T], ids: Sequence[str]) -> list[T]:
    """A reproducible shuffle that is never the given order (when there are two or more)."""
    order = permutation(seed, ids)
    if len(order) > 1 and order == list(range(len(order))):
        order = order[1:] + order[:1]
    return [options[i] for i in order]


def shown_options(item: QuizItem) -> tuple[Option, ...]:
    """The options in the order shown, by the display rule of the item's type
    (generator/quiztypes.py): answer options (single, multiple, truefalse), the starting order
    of an order item, or the left-hand rows of a match item."""
    ids = [o.id for o in item.options]
    display = QUIZ_TYPES[item.type].display
    if display == "fixed":  # true/false: "true" first
        return tuple(sorted(item.options, key=lambda o: o.id != "true"))
    if display == "shuffled":
        if not item.shuffle:
            return item.options
        return tuple(item.options[i] for i in permutation(item.id, ids))
    if display == "scrambled":
        return tuple(_scrambled(item.id, item.options, ids))
    return item.options  # rows


def shown_matches(item: QuizItem) -> tuple[Option, ...]:
    """A match item's right-hand answers in the order offered (each option's ``match``)."""
    return tuple(_scrambled(item.id + ":right", item.options, [o.id for o in item.options]))
