"""Sizes and depths of Markdown text with a limit, so that no input can exhaust the time or
memory of a renderer, or lose text silently (markdown-it drops what is nested deeper than
it supports). Each is an error at the place, checked without parsing."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics
from ..model import SourceLoc

MAX_PARAGRAPH_CHARS = 10_000  # a slide or a page shows a few hundred; a renderer measures every word
MAX_LIST_ITEMS = 1_000
MAX_QUOTE_DEPTH = 4
MAX_LINE_NESTING = 8  # block quotes and list markers at the start of one line, together

# A blank line, or a line that starts a list item, heading or table row, ends a paragraph.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\n(?=[ \t>]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|[ \t]*#|[ \t]*\|)")
_LIST_ITEM = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
_CONTAINERS = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+", re.MULTILINE)


def check_markdown_limits(text: str, loc: SourceLoc, diag: Diagnostics) -> None:
    for items, match in enumerate(_LIST_ITEM.finditer(text) if "\n" in text else (), start=1):
        if items > MAX_LIST_ITEMS:
            diag.error(
                _at(text, match.start(), loc),
                f"more than {MAX_LIST_ITEMS:,} list items in one text; they cannot be shown on a slide",
            )
            return
    if len(text) > MAX_PARAGRAPH_CHARS:
        start = 0
        for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
            end = brk.start() if brk else len(text)
            if end - start > MAX_PARAGRAPH_CHARS:
                diag.error(
                    _at(text, start, loc),
                    f"paragraph of {end - start:,} characters; at most "
                    f"{MAX_PARAGRAPH_CHARS:,} fit (split it, or move text to a handout)",
                )
                return
            start = brk.end() if brk else end
    for match in _CONTAINERS.finditer(text):
        prefix = match.group()
        quotes = prefix.count(">")
        if quotes > MAX_QUOTE_DEPTH:
            diag.error(
                _at(text, match.start(), loc),
                f"block quotes are nested {quotes} deep; at most {MAX_QUOTE_DEPTH} levels are shown",
            )
            return
        depth = quotes + len(re.findall(r"[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])", prefix))
        if depth > MAX_LINE_NESTING:
            diag.error(
                _at(text, match.start(), loc),
                f"block quotes and lists are nested {depth} deep on one line; at most {MAX_LINE_NESTING} levels are shown",
            )
            return


def _at(text: str, index: int, loc: SourceLoc) -> SourceLoc:
    line = text.count("\n", 0, index)
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return SourceLoc(loc.path, loc.line + line, col if line else loc.col + col - 1)
