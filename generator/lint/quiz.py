"""Quiz-item writing rules Q1–Q9 (docs/item-rules.md): cues that let a learner score without knowing."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from ..diagnostics import Diagnostic
from ..model import Course, Module, QuizItem, Reference
from ..quiztypes import CHOICE_TYPES, QUIZ_TYPES
from . import rules as R
from .expected import STRATEGIES, module_expected, partial_credit
from .text import contains_phrase, normalise, plain, strip_citations, words

ABSOLUTE_EXCEPTION = re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in R.ABSOLUTE_EXCEPTIONS))
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"'”’])\s+")  # a quoted sentence ends at its quote
EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
NEGATIVE = re.compile(r"(?<!\w)(" + "|".join(R.NEGATIVE_WORDS) + r")(?!\w)", re.IGNORECASE)


def _split(item: QuizItem, refs) -> tuple[list[str], list[str]]:
    """Plain texts of the correct options and of the distractors."""
    correct = [plain(o.text, refs) for o in item.options if o.correct]
    wrong = [plain(o.text, refs) for o in item.options if not o.correct]
    return correct, wrong


def _q1_clearly_longest(item: QuizItem, refs) -> Iterator[Diagnostic]:
    correct, wrong = _split(item, refs)
    if not correct or not wrong:
        return
    right, other = max(len(t) for t in correct), max(len(t) for t in wrong)
    if right >= R.LONGEST_RATIO * other and right >= other + R.LONGEST_MARGIN:
        yield R.warning(
            item.loc,
            "Q1",
            f"the correct option of '{item.id}' is clearly the longest ({right} characters, the "
            f"longest distractor {other}); make a distractor as long and specific, or the correct option shorter",
        )


def _strictly_longest(item: QuizItem, refs) -> bool:
    correct, wrong = _split(item, refs)
    return bool(correct and wrong) and max(map(len, correct)) > max(map(len, wrong))


def _q2_longest_share(module: Module, refs) -> Iterator[Diagnostic]:
    items = [i for i in module.quiz if i.type in CHOICE_TYPES and any(not o.correct for o in i.options)]
    if len(items) < R.LONGEST_SHARE_MIN_ITEMS:
        return
    longest = [i.id for i in items if _strictly_longest(i, refs)]
    share = len(longest) / len(items)
    chance = sum(sum(o.correct for o in i.options) / len(i.options) for i in items) / len(items)
    if share > R.LONGEST_SHARE_MAX:
        yield R.warning(
            module.loc,
            "Q2",
            f"in module '{module.id}' the correct option is strictly the longest in "
            f"{len(longest)} of {len(items)} choice items ({share:.0%}; by chance about {chance:.0%}, "
            f"at most {R.LONGEST_SHARE_MAX:.0%}); "
            f"make a distractor the longest in at least {len(longest) - math.floor(R.LONGEST_SHARE_MAX * len(items))} "
            f"of: {', '.join(longest)}",
        )


@lru_cache(maxsize=65536)
def _absolute_words(text: str) -> tuple[str, ...]:
    lowered = ABSOLUTE_EXCEPTION.sub(" ", text.lower())
    return tuple(contains_phrase(lowered, R.ABSOLUTE_WORDS))


def _q3_absolute_words(item: QuizItem, refs) -> Iterator[Diagnostic]:
    correct, _ = _split(item, refs)
    if any(_absolute_words(t) for t in correct):
        return
    for option in item.options:
        found = [] if option.correct else _absolute_words(plain(option.text, refs))
        if found:
            yield R.warning(
                item.loc,
                "Q3",
                f"distractor '{option.id}' of '{item.id}' says {', '.join(repr(w) for w in found)} "
                "and no correct option has such a word; rephrase the distractor without it",
            )


def _q4_all_or_none(item: QuizItem, refs) -> Iterator[Diagnostic]:
    for option in item.options:
        found = contains_phrase(normalise(option.text, refs), R.ALL_OR_NONE_PHRASES)
        if found:
            yield R.warning(
                item.loc,
                "Q4",
                f"option '{option.id}' of '{item.id}' is '{found[0]}'-style; shuffled options break it: "
                "make it a multiple-response item (type: multiple) instead",
            )


def question_sentence(text: str) -> str:
    """The sentence that asks: the last one with a question mark, else the last sentence."""
    sentences = [s for s in SENTENCE_END.split(text.strip()) if s.strip()]
    if not sentences:
        return ""
    asking = [s for s in sentences if "?" in s]
    return (asking or sentences)[-1]


def _q5_negative_stem(item: QuizItem, refs) -> Iterator[Diagnostic]:
    if QUIZ_TYPES[item.type].statement:  # a statement to judge may say "niet"
        return
    sentence = question_sentence(strip_citations(item.question.text, refs))
    emphasised = [m.span(2) for m in EMPHASIS.finditer(sentence)]
    for match in NEGATIVE.finditer(sentence):
        word = match.group(1)
        if word.isupper() and len(word) > 1:
            continue
        if any(start <= match.start(1) and match.end(1) <= end for start, end in emphasised):
            continue
        yield R.warning(
            item.loc,
            "Q5",
            f"the question of '{item.id}' asks with '{word}' without emphasis; ask positively, or write **{word.lower()}**",
        )
        return


def _q6_same_text(item: QuizItem, refs) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}
    for option in item.options:
        key = normalise(option.text, refs)
        if not key:
            continue
        if key in seen:
            yield R.warning(
                item.loc,
                "Q6",
                f"options '{seen[key]}' and '{option.id}' of '{item.id}' have the same text; make them differ or remove one",
            )
        else:
            seen[key] = option.id


@lru_cache(maxsize=65536)
def _key_words(text: str) -> frozenset[str]:
    return frozenset(
        w for w in (w.lower() for w in words(text)) if len(w) >= R.KEY_WORD_MIN_LETTERS and w not in R.KEY_WORD_STOP_WORDS
    )


def _q7_key_word(item: QuizItem, refs) -> Iterator[Diagnostic]:
    correct, wrong = _split(item, refs)
    if not correct or not wrong:
        return
    stem = _key_words(plain(item.question.text, refs))
    in_wrong = set().union(*(_key_words(t) for t in wrong))
    in_right = set().union(*(_key_words(t) for t in correct))
    cues = sorted((stem & in_right) - in_wrong)
    if cues:
        yield R.warning(
            item.loc,
            "Q7",
            f"the correct option of '{item.id}' repeats the question's word "
            f"{', '.join(repr(w) for w in cues)} and no distractor does; use it in a distractor too, "
            "or rephrase the correct option",
        )


def _q8_true_false(module: Module) -> Iterator[Diagnostic]:
    items = [i for i in module.quiz if QUIZ_TYPES[i.type].statement and i.options]
    n = len(items)
    if not n:
        return
    true = sum(1 for i in items if i.options[0].correct)
    low, high = math.floor(R.TRUE_SHARE_MIN * n), math.ceil(R.TRUE_SHARE_MAX * n)
    if not low <= true <= high:
        yield R.warning(
            module.loc,
            "Q8",
            f"module '{module.id}' has {true} true of {n} true/false statements; "
            f"make it between {low} and {high} by turning statements {'false' if true > high else 'true'}",
        )


# What lowers each strategy's score, for Q9's message.
Q9_ADVICE = {
    "first": "more options per item, fewer true statements (Q8), no correct option first where shuffle: false",
    "longest": "fewer items whose correct option is the longest (Q1, Q2), fewer false statements (Q8)",
    "first_or_false": "more options per item, fewer false statements (Q8)",
}


def _q9_no_knowledge(module: Module, credit: bool, refs) -> Iterator[Diagnostic]:
    scores = module_expected(module, credit, refs)
    over = {s: v for s, v in scores.items() if v > R.NO_KNOWLEDGE_MAX}
    if over:
        listed = "; ".join(f'"{STRATEGIES[s]}" {v:.0f}% (lower it with {Q9_ADVICE[s]})' for s, v in over.items())
        yield R.warning(
            module.loc,
            "Q9",
            f"without any knowledge a learner can expect more than {R.NO_KNOWLEDGE_MAX:g}% in "
            f"module '{module.id}': {listed}; see coursegen coverage",
        )


ITEM_RULES = (_q1_clearly_longest, _q3_absolute_words, _q4_all_or_none, _q5_negative_stem, _q6_same_text, _q7_key_word)
CHOICE_ONLY = {_q1_clearly_longest, _q3_absolute_words, _q4_all_or_none, _q7_key_word}


def check_item(item: QuizItem, references: Mapping[str, Reference] | None = None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in ITEM_RULES:
        if rule in CHOICE_ONLY and item.type not in CHOICE_TYPES:
            continue
        found.extend(rule(item, references))
    return found


def check_module(module: Module, references: Mapping[str, Reference] | None = None, credit: bool = True) -> list[Diagnostic]:
    """Every rule on one module; ``credit``: partial credit for multiple and match (D2)."""
    found: list[Diagnostic] = []
    for item in module.quiz:
        found.extend(check_item(item, references))
    found.extend(_q2_longest_share(module, references))
    found.extend(_q8_true_false(module))
    found.extend(_q9_no_knowledge(module, credit, references))
    return found


def check_quiz(course: Course) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in course.modules:
        found.extend(check_module(module, course.references, partial_credit(course, module)))
    return found
