"""Card writing rules C1–C8 (docs/item-rules.md): one fact per card, short, self-contained, distinct."""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from typing import Iterator, Mapping

from ..diagnostics import Diagnostic
from ..model import Course, Flashcard, Reference
from . import rules as R
from .text import CLOZE_GAP, PUNCTUATION, normalise, plain, strip_citations, strip_markdown, words

DOUBLE_QUESTION = re.compile("|".join(R.DOUBLE_QUESTION_PATTERNS), re.IGNORECASE)
STEM_LETTERS = 4             # C7 prefilter: words compared on their first letters
STEM_PREFILTER_RATIO = 0.5  # C7 prefilter: far below any pair that reaches 0.85 on characters
UNSEEN = re.compile("|".join(R.UNSEEN_PATTERNS), re.IGNORECASE)


def _warn(card: Flashcard, code: str, message: str) -> Diagnostic:
    return Diagnostic(card.loc, "warning", f"{code}: {message} [{R.RULES_BY_CODE[code].title}; docs/item-rules.md]")


def _gap_numbers(card: Flashcard) -> list[int]:
    return sorted({int(m["n"]) for m in CLOZE_GAP.finditer(card.front.text)})


def _c1_gaps(card: Flashcard, refs) -> Iterator[Diagnostic]:
    gaps = _gap_numbers(card) if card.type == "cloze" else []
    if len(gaps) > R.CLOZE_GAPS_MAX:
        yield _warn(card, "C1", f"cloze card '{card.id}' has {len(gaps)} gaps (at most {R.CLOZE_GAPS_MAX}); split it into "
                    f"cards of at most {R.CLOZE_GAPS_MAX} gaps, each with a context line that names the list "
                    "(e.g. 'strategieën 1–3 van 8')")


def _c2_reversed(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if card.type != "reversed":
        return
    sides = {"front": len(plain(card.front.text, refs)), "back": len(plain(card.back.text, refs))}
    long = {side: n for side, n in sides.items() if n > R.REVERSED_SIDE_MAX_CHARS}
    if long:
        listed = ", ".join(f"{side} {n}" for side, n in long.items())
        yield _warn(card, "C2", f"reversed card '{card.id}' has a long side ({listed} characters; at most "
                    f"{R.REVERSED_SIDE_MAX_CHARS} each); shorten it or make it type: basic")


def _c3_one_question(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if card.type == "cloze":
        return
    front = plain(card.front.text, refs)
    if front.count("?") > 1:
        yield _warn(card, "C3", f"the front of '{card.id}' asks {front.count('?')} questions; ask one per card")
        return
    double = DOUBLE_QUESTION.search(front)
    if double:
        yield _warn(card, "C3", f"the front of '{card.id}' asks two things ('{double.group(0).strip(', ')}'); "
                    "make two cards")


def _count(text: str, refs) -> int:
    return len(words(plain(text, refs)))


def _c4_length(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if card.type == "cloze":
        n, limit, what = _count(card.front.text, refs), R.CLOZE_MAX_WORDS, "cloze text"
    else:
        n, limit, what = _count(card.back.text, refs), R.BACK_MAX_WORDS, "back"
    if n > limit:
        yield _warn(card, "C4", f"the {what} of '{card.id}' has {n} words (at most {limit}); shorten it or split the card")
    extra = _count(card.extra.text, refs)
    if extra > R.EXTRA_MAX_WORDS:
        yield _warn(card, "C4", f"the extra ('Toelichting') of '{card.id}' has {extra} words (at most "
                    f"{R.EXTRA_MAX_WORDS}); keep only what explains the answer")


def _c5_unseen(card: Flashcard, refs) -> Iterator[Diagnostic]:
    for field, md in (("front", card.front), ("back", card.back), ("extra", card.extra)):
        found = UNSEEN.search(plain(md.text, refs))
        if found:
            yield _warn(card, "C5", f"the {field if card.type != 'cloze' or field != 'front' else 'text'} of "
                        f"'{card.id}' refers to '{found.group(0)}', which the student cannot see; say what it shows instead")


def _c6_citation_only(card: Flashcard, refs) -> Iterator[Diagnostic]:
    if not card.extra:
        return
    rest = PUNCTUATION.sub(" ", strip_markdown(strip_citations(card.extra.text, refs)).lower())
    remaining = [w for w in rest.split() if w not in R.CITATION_ONLY_LABELS and not w.isdigit()]
    if not remaining:
        yield _warn(card, "C6", f"the extra ('Toelichting') of '{card.id}' is only a citation; the source is shown "
                    "already: remove the extra or say something that explains the answer")


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
                yield _warn(card, "C8", f"gap c{number} of '{card.id}' ('{strip_markdown(answer).strip()}') also stands "
                            "elsewhere on the card; rephrase, or make both places the same gap")
                break


CARD_RULES = (_c1_gaps, _c2_reversed, _c3_one_question, _c4_length, _c5_unseen, _c6_citation_only, _c8_gap_given_away)


def check_card(card: Flashcard, references: Mapping[str, Reference] | None = None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in CARD_RULES:
        found.extend(rule(card, references))
    return found


def card_key(card: Flashcard, references: Mapping[str, Reference] | None = None) -> str:
    """The text C7 compares: front and back, normalised (cloze gaps filled in)."""
    return normalise(card.front.text + "\n" + card.back.text, references)


def _stems(key: str) -> list[str]:
    return [w[:STEM_LETTERS] for w in key.split()]


def _c7_near_duplicates(cards: list[Flashcard], refs) -> Iterator[Diagnostic]:
    """Pairs at a character ratio ≥ NEAR_DUPLICATE_RATIO. The character ratio is slow (seconds
    for a course), so a pair must first share half of its word stems (first letters), which
    any near-duplicate does easily: a text with its words re-inflected keeps their stems."""
    keys = [card_key(c, refs) for c in cards]
    stems = [Counter(_stems(k)) for k in keys]
    bags = [Counter(k) for k in keys]
    for i in range(len(cards)):
        if not keys[i]:
            continue
        by_char = SequenceMatcher(None, autojunk=False)
        by_char.set_seq2(keys[i])
        for j in range(i + 1, len(cards)):
            if not keys[j]:
                continue
            total = len(keys[i]) + len(keys[j])
            # upper bounds of the ratio: from the lengths, then from the letters shared
            if 2 * min(len(keys[i]), len(keys[j])) < R.NEAR_DUPLICATE_RATIO * total:
                continue
            if 2 * sum((bags[i] & bags[j]).values()) < R.NEAR_DUPLICATE_RATIO * total:
                continue
            shared = sum((stems[i] & stems[j]).values())
            if 2 * shared < STEM_PREFILTER_RATIO * (sum(stems[i].values()) + sum(stems[j].values())):
                continue
            by_char.set_seq1(keys[j])
            ratio = by_char.ratio()
            if ratio >= R.NEAR_DUPLICATE_RATIO:
                a, b = cards[i], cards[j]
                what = "the same as" if keys[i] == keys[j] else f"{ratio:.0%} like"
                for here, there in ((a, b), (b, a)):
                    yield _warn(here, "C7", f"card '{here.id}' reads {what} card '{there.id}' at {there.loc.path}:"
                                f"{there.loc.line}; merge them or make the difference clear")


def check_cards(course: Course) -> list[Diagnostic]:
    refs = course.references
    cards = [card for module in course.modules for card in module.flashcards]
    found: list[Diagnostic] = []
    for card in cards:
        found.extend(check_card(card, refs))
    found.extend(_c7_near_duplicates(cards, refs))
    return found
