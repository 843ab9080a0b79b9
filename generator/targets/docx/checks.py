"""A plenary check question on paper: the options in the order the slides show them, and
(for the guide only) the correct answer, why, and what to say to other choices."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ...model import Option, QuizItem


@dataclass(frozen=True)
class Shown:
    """The question as the room sees it: lettered options (or, for a match item, numbered
    rows and lettered answers)."""

    options: tuple[tuple[str, str], ...]  # (label, text)
    answers: tuple[tuple[str, str], ...] = ()  # match items: (letter, right-hand text)


def letter(number: int) -> str:
    return chr(ord("A") + number - 1)


def _display_order(item: QuizItem) -> tuple[Option, ...]:
    """The options in the order the slides and every printed output show them (decision D1)."""
    from ...shuffle import shown_options

    return tuple(shown_options(item))


def _matches(item: QuizItem) -> tuple[Option, ...]:
    from ...shuffle import shown_matches

    return tuple(shown_matches(item))


@dataclass(frozen=True)
class Key:
    """The answer key of one check question."""

    label: str  # 'Juist antwoord:', 'Goede volgorde:', ...
    answers: tuple[str, ...]  # one line per correct option / position / pair
    why: str
    feedback: tuple[tuple[str, str], ...]  # (label, feedback) for the other options


_VERDICT = re.compile(
    r"^\s*(Juist|Goed|Klopt|Terecht|Correct|Inderdaad|Precies|Ja|Right|Yes|Good|Exactly)"
    r"( gekoppeld| gedaan| zo)?\s*(?:[.!,]\s*|(?=\())",
    re.IGNORECASE,
)


def without_verdict(text: str) -> str:
    """'Juist. Ouders kennen ...' → 'Ouders kennen ...': the why without the verdict."""
    return _VERDICT.sub("", text, count=1).strip()


# -- one view per quiz item type (generator/quiztypes.py): what the room sees, and the key ----


def _options_shown(item: QuizItem, words) -> Shown:
    return Shown(tuple((letter(i), o.text) for i, o in enumerate(_display_order(item), start=1)))


def _truefalse_shown(item: QuizItem, words) -> Shown:
    return Shown(tuple((letter(i), words(o.id)) for i, o in enumerate(_display_order(item), start=1)))


def _match_shown(item: QuizItem, words) -> Shown:
    return Shown(
        tuple((str(i), o.text) for i, o in enumerate(item.options, start=1)),
        tuple((letter(i), o.match or "") for i, o in enumerate(_matches(item), start=1)),
    )


def _truefalse_key(item: QuizItem, words) -> Key:
    correct = [o for o in item.options if o.correct]
    right = correct[0] if correct else item.options[0]
    others = tuple((words(o.id), o.feedback) for o in item.options if o is not right and o.feedback)
    return Key(words("answer_label"), (words(right.id),), without_verdict(right.feedback or item.feedback_correct), others)


def _order_key(item: QuizItem, words) -> Key:
    letters = {o.id: letter(i) for i, o in enumerate(_display_order(item), start=1)}
    return Key(
        words("order_label"),
        tuple(f"{letters[o.id]}. {o.text}" for o in item.options),
        without_verdict(item.feedback_correct),
        (),
    )


def _match_key(item: QuizItem, words) -> Key:
    match_letters = {o.id: letter(i) for i, o in enumerate(_matches(item), start=1)}
    return Key(
        words("pairs_label"),
        tuple(f"{i} → {match_letters[o.id]}: {o.text} → {o.match or ''}" for i, o in enumerate(item.options, start=1)),
        without_verdict(item.feedback_correct),
        (),
    )


def _choice_key(item: QuizItem, words) -> Key:
    order = _display_order(item)
    letters = {o.id: letter(i) for i, o in enumerate(order, start=1)}
    correct = [o for o in item.options if o.correct]
    ranked = sorted(correct, key=lambda o: letters[o.id])
    if item.feedback_correct:
        why = item.feedback_correct
    elif len(correct) == 1:
        why = correct[0].feedback
    else:  # the correct options' own explanations, where they say more than "this is one"
        reasons: dict[str, None] = {}
        for option in ranked:
            reason = without_verdict(option.feedback or "")
            if len(re.sub(r"\([^()]*\)", "", reason).split()) >= 6:
                reasons.setdefault(reason, None)
        why = " ".join(reasons)
    others = tuple((letters[o.id], o.feedback) for o in order if not o.correct and o.feedback)
    return Key(words("answer_label"), tuple(f"{letters[o.id]}. {o.text}" for o in ranked), without_verdict(why), others)


@dataclass(frozen=True)
class CheckView:
    shown: Callable[[QuizItem, Callable], Shown]
    key: Callable[[QuizItem, Callable], Key]


# How each quiz item type is printed; tests/test_quiztypes.py checks every type has one.
QUIZ_VIEWS: dict[str, CheckView] = {
    "single": CheckView(_options_shown, _choice_key),
    "multiple": CheckView(_options_shown, _choice_key),
    "truefalse": CheckView(_truefalse_shown, _truefalse_key),
    "order": CheckView(_options_shown, _order_key),
    "match": CheckView(_match_shown, _match_key),
}


def shown(item: QuizItem, words) -> Shown:
    """The question as the room sees it."""
    return QUIZ_VIEWS[item.type].shown(item, words)


def key(item: QuizItem, words) -> Key:
    """The answer key of the guide."""
    return QUIZ_VIEWS[item.type].key(item, words)
