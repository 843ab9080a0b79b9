"""Rule C7: duplicate and near-duplicate cards across the whole course.

Two cards are near-duplicates when the difflib ratio of their normalised front+back is at
least ``NEAR_DUPLICATE_RATIO``. Comparing every pair that way is quadratic and slow in pure
Python, so a pair is compared only when it shares at least half of its distinct word stems
(first letters of each word): any near-duplicate does easily, since a text with its words
re-inflected keeps their stems. The pairs that can share that many stems are found without
looking at every pair, by prefix filtering: order each card's stems rarest first; two sets
whose overlap is at least ``o`` share a stem among their first ``len − o + 1``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from difflib import SequenceMatcher
from itertools import chain, islice

from ..diagnostics import Diagnostic
from ..model import Flashcard, Reference
from . import rules as R
from .text import normalise

STEM_LETTERS = 4  # words compared on their first letters
STEM_SHARE = 0.5  # Dice coefficient of the stem sets a pair needs to be compared
MAX_NAMED = 3  # duplicates named in one warning


def card_key(card: Flashcard, references: Mapping[str, Reference] | None = None) -> str:
    """The text C7 compares: front and back, normalised (cloze gaps filled in)."""
    return normalise(card.front.text + "\n" + card.back.text, references)


def _stems(key: str) -> frozenset[str]:
    return frozenset(w[:STEM_LETTERS] for w in key.split())


def _min_overlap(size: int) -> int:
    """The fewest stems a set of ``size`` shares with any set at Dice ≥ STEM_SHARE."""
    return max(1, math.ceil(STEM_SHARE * size / (2 - STEM_SHARE) - 1e-9))


def candidate_pairs(stems: list[frozenset[str]]) -> list[tuple[int, int]]:
    """Every pair (i < j) whose stem sets may reach STEM_SHARE (and a few that do not)."""
    frequency = Counter(stem for s in stems for stem in s)
    seen_with: dict[str, list[int]] = defaultdict(list)
    pairs: set[tuple[int, int]] = set()
    for i, s in enumerate(stems):
        if not s:
            continue
        ordered = sorted(s, key=lambda stem: (frequency[stem], stem))
        prefix = ordered[: len(ordered) - _min_overlap(len(ordered)) + 1]
        for stem in prefix:
            pairs.update((j, i) for j in seen_with[stem])
            seen_with[stem].append(i)
    return sorted(pairs)


def _near_pairs(keys: list[str]) -> Iterator[tuple[int, int, float]]:
    """(i, j, ratio) for the pairs of distinct texts at a ratio ≥ NEAR_DUPLICATE_RATIO."""
    stems = [_stems(k) for k in keys]
    bags: dict[int, Counter] = {}
    matcher = SequenceMatcher(None, autojunk=False)
    for i, j in candidate_pairs(stems):
        total = len(keys[i]) + len(keys[j])
        # an upper bound of the ratio from the lengths; then the stems; then an upper bound
        # from the letters shared; only then the (slow) ratio itself
        if 2 * min(len(keys[i]), len(keys[j])) < R.NEAR_DUPLICATE_RATIO * total:
            continue
        if 2 * len(stems[i] & stems[j]) < STEM_SHARE * (len(stems[i]) + len(stems[j])):
            continue
        bag_i, bag_j = (bags.setdefault(n, Counter(keys[n])) for n in (i, j))
        if 2 * sum((bag_i & bag_j).values()) < R.NEAR_DUPLICATE_RATIO * total:
            continue
        matcher.set_seqs(keys[j], keys[i])
        ratio = matcher.ratio()
        if ratio >= R.NEAR_DUPLICATE_RATIO:
            yield i, j, ratio


def near_duplicates(cards: list[Flashcard], refs) -> Iterator[Diagnostic]:
    """One warning per card that has (near-)duplicates, naming where they are. Cards with the
    same text are grouped first, so n copies cost one comparison, not n²."""
    groups: dict[str, list[Flashcard]] = {}
    key_of: dict[int, str] = {}
    for index, card in enumerate(cards):
        key: str | None = card_key(card, refs)
        if key:
            groups.setdefault(key, []).append(card)
            key_of[index] = key
    keys = list(groups)
    near: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for i, j, ratio in _near_pairs(keys):
        near[keys[i]].append((ratio, keys[j]))
        near[keys[j]].append((ratio, keys[i]))
    for index, card in enumerate(cards):
        key = key_of.get(index)
        if key is None or (len(groups[key]) == 1 and key not in near):
            continue
        count = len(groups[key]) - 1 + sum(len(groups[other]) for _, other in near[key])
        found = islice(
            chain(
                ((1.0, other) for other in groups[key] if other is not card),
                ((ratio, other) for ratio, k in near[key] for other in groups[k]),
            ),
            MAX_NAMED,
        )
        named = "; ".join(
            f"{'the same as' if ratio == 1.0 else f'{ratio:.0%} like'} card '{other.id}' at {other.loc.path}:{other.loc.line}"
            for ratio, other in found
        )
        more = f" and {count - MAX_NAMED} more" if count > MAX_NAMED else ""
        yield R.warning(card.loc, "C7", f"card '{card.id}' reads {named}{more}; merge them or make the difference clear")
