"""generator/shuffle.py: one reproducible option order per item for every build-time output."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from generator.model import Option, QuizItem, SourceLoc
from generator.shuffle import permutation, shown_matches, shown_options


def item(item_id: str, kind: str = "single", count: int = 4, shuffle: bool = True) -> QuizItem:
    if kind == "truefalse":
        options = (Option("true", "", True, "f1"), Option("false", "", False, "f2"))
    else:
        options = tuple(
            Option(
                chr(97 + i) if kind in ("single", "multiple") else str(i + 1),
                f"option {i}",
                i == 0 or kind in ("order", "match"),
                "",
                f"right {i}" if kind == "match" else None,
            )
            for i in range(count)
        )
    return QuizItem(item_id, kind, None, options, "", "", (), None, (), SourceLoc("quiz.yaml"), shuffle)  # type: ignore[arg-type]


def ids(options) -> list[str]:
    return [o.id for o in options]


def test_the_same_item_gets_the_same_order_and_other_items_others():
    assert ids(shown_options(item("q-een"))) == ids(shown_options(item("q-een")))
    orders = {tuple(ids(shown_options(item(f"q-{n}")))) for n in range(40)}
    assert len(orders) > 10, "items are shuffled independently"
    # The order of an item depends on its own id and option ids only (not on its neighbours).
    assert permutation("q-een", ["a", "b", "c"]) == permutation("q-een", ["a", "b", "c"])


def test_truefalse_is_always_true_then_false():
    for n in range(20):
        assert ids(shown_options(item(f"q-{n}", "truefalse"))) == ["true", "false"]
        flipped = item(f"q-{n}", "truefalse")
        flipped = dataclasses.replace(flipped, options=flipped.options[::-1])
        assert ids(shown_options(flipped)) == ["true", "false"]


def test_shuffle_false_keeps_the_authors_order():
    for n in range(20):
        assert ids(shown_options(item(f"q-{n}", shuffle=False))) == ["a", "b", "c", "d"]
        assert ids(shown_options(item(f"q-{n}", "multiple", shuffle=False))) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("count", range(2, 9))
def test_order_and_match_never_start_right(count):
    for n in range(60):
        order = item(f"q-{n}", "order", count)
        assert ids(shown_options(order)) != ids(order.options)
        assert sorted(ids(shown_options(order))) == sorted(ids(order.options))
        match = item(f"q-{n}", "match", count)
        assert ids(shown_options(match)) == ids(match.options), "the left-hand rows stay in place"
        assert ids(shown_matches(match)) != ids(match.options), "a row's answer is never the one beside it"


def test_authors_first_option_is_not_first_more_often_than_chance():
    first = sum(shown_options(item(f"q-{n}"))[0].id == "a" for n in range(2000))
    assert 400 < first < 600, first  # 1 in 4


def test_shipped_decks_put_the_correct_option_in_every_position_about_equally(shipped_course):
    """Across the shipped course (what slides and print show), per number of options k, each
    position holds a correct option about 1/k of the time: every position within 50-150 % of
    its expected count, and a chi-square statistic below the 0.1 % critical value."""
    critical = {2: 10.83, 3: 13.82, 4: 16.27, 5: 18.47, 6: 20.52, 7: 22.46}
    counts: dict[int, Counter] = {}
    for module in shipped_course.modules:
        for quiz_item in module.quiz:
            if quiz_item.type not in ("single", "multiple") or not quiz_item.shuffle:
                continue
            shown = shown_options(quiz_item)
            tally = counts.setdefault(len(shown), Counter())
            for position, option in enumerate(shown):
                tally[position] += option.correct
    checked = 0
    for k, tally in sorted(counts.items()):
        total = sum(tally.values())
        if total < 10 * k:  # too few to say anything
            continue
        expected = total / k
        report = f"k={k}: {[tally[p] for p in range(k)]}, expected {expected:.1f} each"
        assert all(0.5 * expected <= tally[p] <= 1.5 * expected for p in range(k)), report
        assert sum((tally[p] - expected) ** 2 / expected for p in range(k)) < critical[k], report
        checked += 1
    assert checked, "the shipped course has enough single/multiple items to judge"
