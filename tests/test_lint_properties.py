"""The writing rules never crash, whatever text an author writes (a traceback is a bug)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.lint.cards import check_card
from generator.lint.duplicates import near_duplicates
from generator.lint.expected import STRATEGIES, item_expected
from generator.lint.quiz import check_item
from generator.model import Flashcard, Markdown, Option, QuizItem, Reference, SourceLoc

LOC = SourceLoc("modules/x/quiz.yaml", 3, 7)
REFS = {"ks": Reference("ks", "Knof & Swick", "2007", "", LOC)}
# Text made of the pieces the rules look at: markup, citations, cloze gaps, quotes, words.
PIECES = st.sampled_from(
    [
        "niet",
        "**niet**",
        "NIET",
        "alleen",
        "niet alleen",
        "?",
        ".",
        '"',
        "'",
        "(",
        ")",
        "(Knof & Swick, 2007)",
        "Knof en Swick (2007)",
        "(2007; 2008)",
        "{{c1::",
        "}}",
        "::",
        "{{c2::x::hint}}",
        "{{c12::}}",
        "{{c::x}}",
        "Tabel 1.2",
        "p. 12",
        "*",
        "_",
        "[a](b)",
        "\n",
        " ",
        "relatie",
        "ouders",
        "é",
        "—",
        "1)",
        "Bron:",
    ]
)
TEXT = st.lists(PIECES, max_size=12).map("".join)


def _markdown(text: str) -> Markdown:
    return Markdown(text, "", LOC)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(["single", "multiple", "truefalse", "order", "match"]),
    question=TEXT,
    options=st.lists(st.tuples(TEXT, st.booleans(), TEXT), min_size=1, max_size=5),
)
def test_quiz_rules_and_expected_score_never_crash(kind, question, options):
    item = QuizItem(
        "q",
        kind,
        _markdown(question),
        tuple(Option(str(i), t, c, "", m) for i, (t, c, m) in enumerate(options)),
        "",
        "",
        (),
        None,
        (),
        LOC,
    )
    for diagnostic in check_item(item, REFS):
        assert diagnostic.loc == LOC and diagnostic.message[:1] == "Q"
    for strategy in STRATEGIES:
        assert 0.0 <= item_expected(item, strategy, references=REFS) <= 1.0


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(["basic", "reversed", "cloze"]), front=TEXT, back=TEXT, extra=TEXT)
def test_card_rules_never_crash(kind, front, back, extra):
    card = Flashcard("c", kind, _markdown(front), _markdown(back), _markdown(extra), (), (), (), LOC)
    for diagnostic in check_card(card, REFS):
        assert diagnostic.loc == LOC and diagnostic.message[:1] == "C"
    list(near_duplicates([card, card], REFS))
