"""Card writing rules C1–C8 (docs/item-rules.md): one fact per card, short, self-contained, distinct."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ..diagnostics import Diagnostic
from ..model import Course, Flashcard, Reference
from . import rules as R
from .duplicates import near_duplicates
from .text import CLOZE_GAP, PUNCTUATION, normalise, plain, strip_citations, strip_markdown, words

DOUBLE_QUESTION = re.compile("|".join(R.DOUBLE_QUESTION_PATTERNS), re.IGNORECASE)
UNSEEN = re.compile("|".join(R.UNSEEN_PATTERNS), re.IGNORECASE)


def _gap_numbers(card: Flashcard) -> list[int]:
    return sorted({int(m["n"]) for m in CLOZE_GAP.finditer(card.front.text)})


def _c1_gaps(card: Flashcard, refs) -> Iterator[Diagnostic]:
    gaps = _gap_numbers(card) if card.type == "cloze" else []
    if len(gaps) > R.CLOZE_GAPS_MAX:
        yield R.warning(
            card.loc,
            "C1",
            f"cloze card '{card.id}' has {len(gaps)} gaps (at most {R.CLOZE_GAPS_MAX}); split it into "
            f"cards of at most {R.CLOZE_GAPS_MAX} gaps, each with a context line that names the list "
            "(e.g. 'strategieën 1–3 van 8')",
        )


def _c2_reversed(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if card.type != "reversed":
        return
    sides = {"front": len(plain(card.front.text, refs)), "back": len(plain(card.back.text, refs))}
    long = {side: n for side, n in sides.items() if n > R.REVERSED_SIDE_MAX_CHARS}
    if long:
        listed = ", ".join(f"{side} {n}" for side, n in long.items())
        yield R.warning(
            card.loc,
            "C2",
            f"reversed card '{card.id}' has a long side ({listed} characters; at most "
            f"{R.REVERSED_SIDE_MAX_CHARS} each); shorten it or make it type: basic",
        )


def _c3_one_question(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if card.type == "cloze":
        return
    front = plain(card.front.text, refs)
    if front.count("?") > 1:
        yield R.warning(card.loc, "C3", f"the front of '{card.id}' asks {front.count('?')} questions; ask one per card")
        return
    double = DOUBLE_QUESTION.search(front)
    if double:
        yield R.warning(
            card.loc, "C3", f"the front of '{card.id}' asks two things ('{double.group(0).strip(', ')}'); make two cards"
        )


def _count(text: str, refs) -> int:
    return len(words(plain(text, refs)))


def _c4_length(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if card.type == "cloze":
        n, limit, what = _count(card.front.text, refs), R.CLOZE_MAX_WORDS, "cloze text"
    else:
        n, limit, what = _count(card.back.text, refs), R.BACK_MAX_WORDS, "back"
    if n > limit:
        yield R.warning(
            card.loc, "C4", f"the {what} of '{card.id}' has {n} words (at most {limit}); shorten it or split the card"
        )
    extra = _count(card.extra.text, refs)
    if extra > R.EXTRA_MAX_WORDS:
        yield R.warning(
            card.loc,
            "C4",
            f"the extra ('Toelichting') of '{card.id}' has {extra} words (at most "
            f"{R.EXTRA_MAX_WORDS}); keep only what explains the answer",
        )


def _c5_unseen(card: Flashcard, refs) -> Iterator[Diagnostic]:
    for field, md in (("front", card.front), ("back", card.back), ("extra", card.extra)):
        found = UNSEEN.search(plain(md.text, refs))
        if found:
            yield R.warning(
                card.loc,
                "C5",
                f"the {field if card.type != 'cloze' or field != 'front' else 'text'} of "
                f"'{card.id}' refers to '{found.group(0)}', which the student cannot see; say what it shows instead",
            )


def _c6_citation_only(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if not card.extra:
        return
    rest = PUNCTUATION.sub(" ", strip_markdown(strip_citations(card.extra.text, refs)).lower())
    remaining = [w for w in rest.split() if w not in R.CITATION_ONLY_LABELS and not w.isdigit()]
    if not remaining:
        yield R.warning(
            card.loc,
            "C6",
            f"the extra ('Toelichting') of '{card.id}' is only a citation; the source is shown "
            "already: remove the extra or say something that explains the answer",
        )


def _hidden_and_visible(text: str, number: int) -> tuple[list[str], str]:
    """The answers of gap ``number`` and the text a card for that gap shows around them."""
    answers = [m["answer"] for m in CLOZE_GAP.finditer(text) if int(m["n"]) == number]
    visible = CLOZE_GAP.sub(lambda m: " … " if int(m["n"]) == number else m["answer"], text)
    return answers, visible


def _c8_gap_given_away(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if card.type != "cloze":
        return
    text = strip_citations(card.front.text, refs)
    for number in _gap_numbers(card):
        answers, visible = _hidden_and_visible(text, number)
        visible_plain = " " + normalise(visible) + " "
        for answer in answers:
            key = normalise(answer)
            if len(key) >= R.GAP_ANSWER_MIN_CHARS and f" {key} " in visible_plain:
                yield R.warning(
                    card.loc,
                    "C8",
                    f"gap c{number} of '{card.id}' ('{strip_markdown(answer).strip()}') also stands "
                    "elsewhere on the card; rephrase, or make both places the same gap",
                )
                break


CARD_RULES = (_c1_gaps, _c2_reversed, _c3_one_question, _c4_length, _c5_unseen, _c6_citation_only, _c8_gap_given_away)


def check_card(card: Flashcard, references: Mapping[str, Reference] | None = None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in CARD_RULES:
        found.extend(rule(card, references))
    return found


def check_cards(course: Course) -> list[Diagnostic]:
    refs = course.references
    cards = [card for module in course.modules for card in module.flashcards]
    found: list[Diagnostic] = []
    for card in cards:
        found.extend(check_card(card, refs))
    found.extend(near_duplicates(cards, refs))
    return found
