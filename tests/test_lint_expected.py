"""The no-knowledge expected score (rule Q9, D3 under D1 and D2) on small hand-computed modules,
and docs/item-rules.md in step with the rule table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.lint.docs import render
from generator.lint.expected import item_expected, module_expected
from generator.lint.rules import RULES
from generator.model import Markdown, Module, Option, QuizItem, Reference, SourceLoc

LOC = SourceLoc("modules/x/quiz.yaml", 1, 1)
REFS = {"ks": Reference("ks", "Knof & Swick", "2007", "", LOC)}


def item(kind, *options, item_id="q"):
    return QuizItem(item_id, kind, Markdown("Vraag?", "", LOC), tuple(options), "", "", (), None, (), LOC)


def opt(text, correct=False, match=None):
    return Option(text[:8], text, correct, "", match)


def tf(answer: bool):
    return item("truefalse", Option("true", "", answer, ""), Option("false", "", not answer, ""))


def module(*items):
    return Module("m", 1, "M", Markdown("", "", LOC), (), (), (), tuple(items), (), LOC)


@dataclass(frozen=True)
class Unshuffled:
    """A quiz item with the ``shuffle: false`` field the loader may add (read with getattr)."""

    id: str
    type: str
    options: tuple
    shuffle: bool = False


def test_single_first_is_one_over_k_and_longest_follows_the_text():
    four = item("single", opt("Juist en lang antwoord", True), opt("Fout a"), opt("Fout b"), opt("Fout c"))
    assert item_expected(four, "first") == pytest.approx(1 / 4)
    assert item_expected(four, "longest") == 1.0
    assert item_expected(four, "first_or_false") == pytest.approx(1 / 4)


def test_longest_ignores_citations_and_splits_ties():
    # Without its citation the correct option is 5 characters, like two distractors: a 3-way tie.
    cited = item("single", opt("Juist (Knof & Swick, 2007)", True), opt("Fout1"), opt("Fout2"), opt("Kort"))
    assert item_expected(cited, "longest", references=REFS) == pytest.approx(1 / 3)
    narrative = item("single", opt("Knof en Swick (2007) zeggen A", True), opt("Iets heel anders"))
    assert item_expected(narrative, "longest", references=REFS) == 0.0


def test_unshuffled_item_keeps_the_authors_first_option():
    first_right = Unshuffled("q", "single", (opt("Beide", True), opt("Geen van beide"), opt("Een")))
    assert item_expected(first_right, "first") == 1.0
    last_right = Unshuffled("q", "single", (opt("Een"), opt("Twee"), opt("Drie", True)))
    assert item_expected(last_right, "first") == 0.0


def test_truefalse_first_is_waar_and_the_others_niet_waar():
    assert [item_expected(tf(True), s) for s in ("first", "longest", "first_or_false")] == [1.0, 0.0, 0.0]
    assert [item_expected(tf(False), s) for s in ("first", "longest", "first_or_false")] == [0.0, 1.0, 1.0]


def test_multiple_with_and_without_partial_credit():
    # 2 of 4 correct; choosing one option: a correct one scores (1 - 0) / 2 with partial credit.
    multi = item("multiple", opt("Juist een", True), opt("Juist twee is langst", True), opt("Fout"), opt("Fout b"))
    assert item_expected(multi, "first") == pytest.approx(2 / 4 * 1 / 2)
    assert item_expected(multi, "longest") == pytest.approx(1 / 2)
    assert item_expected(multi, "first", partial_credit=False) == 0.0
    single_right = item("multiple", opt("Juist", True), opt("Fout a"), opt("Fout b"))
    assert item_expected(single_right, "first", partial_credit=False) == pytest.approx(1 / 3)


def test_match_scores_one_row_and_order_nothing():
    match = item("match", opt("a", True, "Kort"), opt("b", True, "Veel langer"), opt("c", True, "Mid"))
    assert item_expected(match, "first") == pytest.approx(1 / 3)
    assert item_expected(match, "longest") == pytest.approx(1 / 3)
    assert item_expected(match, "first", partial_credit=False) == 0.0
    order = item("order", opt("Een", True), opt("Twee", True))
    assert [item_expected(order, s) for s in ("first", "longest", "first_or_false")] == [0.0, 0.0, 0.0]


def test_module_score_is_the_mean_times_100():
    # first: (1/2 + 1 + 0 + 0) / 4 = 37.5 %; longest: (1 + 0 + 1 + 0) / 4 = 50 %;
    # first or 'niet waar': (1/2 + 0 + 1 + 0) / 4 = 37.5 %.
    m = module(
        item("single", opt("Juist langer", True), opt("Fout")),
        tf(True),
        tf(False),
        item("order", opt("Een", True), opt("Twee", True)),
    )
    assert module_expected(m) == pytest.approx({"first": 37.5, "longest": 50.0, "first_or_false": 37.5})
    assert module_expected(module()) == {"first": 0.0, "longest": 0.0, "first_or_false": 0.0}


def test_item_rules_doc_is_generated_from_the_table():
    doc = Path(__file__).resolve().parent.parent / "docs" / "item-rules.md"
    assert doc.read_text("utf-8") == render(), "run: python -m generator.lint.docs > docs/item-rules.md"
    assert [r.code for r in RULES] == [f"Q{i}" for i in range(1, 10)] + [f"C{i}" for i in range(1, 9)]


def test_authoring_guide_links_the_rules():
    guide = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"
    assert "(item-rules.md)" in guide.read_text("utf-8")


@dataclass(frozen=True)
class _Section:
    checks: tuple = ()


@dataclass(frozen=True)
class _Lesson:
    sections: tuple = ()


@dataclass(frozen=True)
class _Module:
    quiz: tuple
    lessons: tuple = ()
    targets: dict | None = None


@dataclass(frozen=True)
class _Course:
    scorm: dict

    def settings(self, target):
        return self.scorm if target == "scorm" else {}


def test_knowledge_checks_in_lessons_are_not_in_the_graded_score():
    # The formative check 'q' ('first' answers it right) is left out: only the graded item counts.
    m = _Module(
        quiz=(tf(True), item("single", opt("Juist", True), opt("Fout"), item_id="graded")),
        lessons=(_Lesson((_Section(checks=("q",)),)),),
    )
    assert module_expected(m) == pytest.approx({"first": 50.0, "longest": 100.0, "first_or_false": 50.0})


def test_partial_credit_setting_of_the_module_then_the_course():
    from generator.lint.expected import partial_credit

    assert partial_credit(_Course({})) is True
    assert partial_credit(_Course({"partial_credit": False})) is False
    module_on = _Module(quiz=(), targets={"scorm": {"partial_credit": True}})
    assert partial_credit(_Course({"partial_credit": False}), module_on) is True
    assert partial_credit(_Course({"partial_credit": False}), _Module(quiz=())) is False


def test_same_text_cards_get_one_warning_each_naming_the_others():
    from generator.lint.duplicates import near_duplicates
    from generator.model import Flashcard

    def card(n, front="Wat is de eerste strategie van Knof & Swick?"):
        loc = SourceLoc(f"modules/0{n}/cards.yaml", n, 7)
        return Flashcard(
            f"c{n}",
            "basic",
            Markdown(front, "", loc),
            Markdown("Een goede relatie.", "", loc),
            Markdown("", "", loc),
            (),
            (),
            (),
            loc,
        )

    copies = [card(n) for n in range(1, 6)] + [card(9, "Welke kleur heeft de lucht bij helder weer?")]
    warnings = list(near_duplicates(copies, REFS))
    assert [w.loc.line for w in warnings] == [1, 2, 3, 4, 5]
    assert "reads the same as card 'c2' at modules/02/cards.yaml:2; the same as card 'c3'" in warnings[0].message
    assert "and 1 more;" in warnings[0].message
