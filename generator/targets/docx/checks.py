"""A plenary check question on paper: the options in the order the slides show them, and
(for the guide only) the correct answer, why, and what to say to other choices."""

from __future__ import annotations

import re
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


def shown(item: QuizItem, words) -> Shown:
    order = _display_order(item)
    if item.type == "truefalse":
        return Shown(tuple((letter(i), words(o.id)) for i, o in enumerate(order, start=1)))
    if item.type == "match":
        return Shown(tuple((str(i), o.text) for i, o in enumerate(item.options, start=1)),
                     tuple((letter(i), o.match or "") for i, o in enumerate(_matches(item), start=1)))
    return Shown(tuple((letter(i), o.text) for i, o in enumerate(order, start=1)))


@dataclass(frozen=True)
class Key:
    """The answer key of one check question."""

    label: str  # 'Juist antwoord:', 'Goede volgorde:', ...
    answers: tuple[str, ...]  # one line per correct option / position / pair
    why: str
    feedback: tuple[tuple[str, str], ...]  # (label, feedback) for the other options


_VERDICT = re.compile(r"^\s*(Juist|Goed|Klopt|Terecht|Correct|Inderdaad|Precies|Ja|Right|Yes|Good|Exactly)"
                      r"( gekoppeld| gedaan| zo)?\s*(?:[.!,]\s*|(?=\())", re.IGNORECASE)


def without_verdict(text: str) -> str:
    """'Juist. Ouders kennen ...' → 'Ouders kennen ...': the why without the verdict."""
    return _VERDICT.sub("", text, count=1).strip()


def key(item: QuizItem, words) -> Key:
    order = _display_order(item)
    letters = {o.id: letter(i) for i, o in enumerate(order, start=1)}
    correct = [o for o in item.options if o.correct]
    if item.type == "truefalse":
        right = correct[0] if correct else item.options[0]
        others = tuple((words(o.id), o.feedback) for o in item.options if o is not right and o.feedback)
        return Key(words("answer_label"), (words(right.id),), without_verdict(right.feedback or item.feedback_correct), others)
    if item.type == "order":
        return Key(words("order_label"), tuple(f"{letters[o.id]}. {o.text}" for o in item.options),
                   without_verdict(item.feedback_correct), ())
    if item.type == "match":
        match_letters = {o.id: letter(i) for i, o in enumerate(_matches(item), start=1)}
        return Key(words("pairs_label"),
                   tuple(f"{i} → {match_letters[o.id]}: {o.text} → {o.match or ''}" for i, o in enumerate(item.options, start=1)),
                   without_verdict(item.feedback_correct), ())
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
