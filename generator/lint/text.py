"""Plain text for the writing rules: citations, Markdown and cloze markup taken out.

The model holds citations already resolved ("(Knof & Swick, 2019)", "Knof en Swick (2019)"),
so the rules recognise them as the loader writes them: a parenthesis that ends in a year, and
a reference's short name written before "(year)".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from ..model import Reference

YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?|z\.d\.|n\.d\."
# "(Knof & Swick, 2019)", "(2019)", "(Baker et al., 2002; Kim, 2009)"
PARENTHETICAL = re.compile(rf"\s*\((?:[^();]*?,\s*)?(?:{YEAR})(?:\s*;\s*(?:[^();]*?,\s*)?(?:{YEAR}))*\)")
CLOZE_GAP = re.compile(r"\{\{c(?P<n>\d+)::(?P<answer>.*?)(?:::(?P<hint>.*?))?\}\}", re.DOTALL)
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKDOWN_MARKS = re.compile(r"(\*\*|__|\*|_|`|~~)(?=\S)(.+?)(?<=\S)\1")
HEADING_OR_LIST = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)", re.MULTILINE)
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
PUNCTUATION = re.compile(r"[^\w\s]|_")


YEAR_IN_PARENS = re.compile(rf"\s*\((?:{YEAR})\)")
_names_cache: dict[int, tuple[Mapping[str, Reference], tuple[str, ...]]] = {}


def _narrative_names(references: Mapping[str, Reference] | None) -> tuple[str, ...]:
    """The names a narrative citation can start with ("Knof en Swick"), longest first."""
    if not references:
        return ()
    cached = _names_cache.get(id(references))
    if cached is not None and cached[0] is references:
        return cached[1]
    names: set[str] = set()
    for ref in references.values():
        names |= {ref.cite, ref.cite.replace(" & ", " en "), ref.cite.replace(" & ", " and ")}
    result = tuple(sorted(names, key=len, reverse=True))
    _names_cache[id(references)] = (references, result)
    return result


def _strip_narrative(text: str, names: tuple[str, ...]) -> str:
    """Drop "Name (year)" for the names given; a bare "(year)" is left to PARENTHETICAL."""
    if not names or "(" not in text:
        return text
    parts, last = [], 0
    for match in YEAR_IN_PARENS.finditer(text):
        before = text[last : match.start()]
        name = next((n for n in names if before.endswith(n)), None)
        if name is None:
            parts.append(text[last : match.end()])
        else:
            parts.append(before[: len(before) - len(name)])
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def strip_citations(text: str, references: Mapping[str, Reference] | None = None) -> str:
    """``text`` without its citations: parenthetical ones, and narrative ones ("Knof en Swick
    (2019)", names included) for the references given."""
    text = _strip_narrative(text, _narrative_names(references))
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", PARENTHETICAL.sub("", text)).strip()


def strip_markdown(text: str) -> str:
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = HEADING_OR_LIST.sub("", text)
    for _ in range(2):  # "***x***" is emphasis inside strong emphasis
        text = MARKDOWN_MARKS.sub(r"\2", text)
    return text


def strip_cloze(text: str) -> str:
    """The cloze text as the back of the card shows it: every gap filled in, hints dropped."""
    return CLOZE_GAP.sub(lambda m: m["answer"], text)


def plain(text: str, references: Mapping[str, Reference] | None = None) -> str:
    """Readable text: no citations, no Markdown, no cloze markup, whitespace folded."""
    return _plain(text, _narrative_names(references))


@lru_cache(maxsize=65536)
def _plain(text: str, names: tuple[str, ...]) -> str:  # the rules ask for the same texts often
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", PARENTHETICAL.sub("", _strip_narrative(text, names))).strip()
    return " ".join(strip_markdown(strip_cloze(text)).split())


def words(text: str) -> list[str]:
    return WORD.findall(text)


def normalise(text: str, references: Mapping[str, Reference] | None = None) -> str:
    """For comparing texts: lower case, no citations, no punctuation, whitespace folded."""
    return _normalise(text, _narrative_names(references))


@lru_cache(maxsize=65536)
def _normalise(text: str, names: tuple[str, ...]) -> str:
    return " ".join(PUNCTUATION.sub(" ", _plain(text, names).lower()).split())


@lru_cache(maxsize=64)
def _phrase_patterns(phrases: tuple[str, ...]) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((p, re.compile(rf"(?<!\w){re.escape(p)}(?!\w)")) for p in phrases)


def contains_phrase(text: str, phrases: tuple[str, ...]) -> list[str]:
    """The phrases (lower case, whole words) that occur in ``text``."""
    lowered = text.lower()
    return [p for p, pattern in _phrase_patterns(tuple(phrases)) if p in lowered and pattern.search(lowered)]
