"""The 'Source' field: one short line (author, year), the full references behind a tap.

On a phone a card with nine full references was taller than the screen. The field now holds
a ``<details>`` element: its summary is the in-text form the course uses elsewhere
('Knof & Swick, 2007; Epstein, 1991'), as many works as fit on one line and then 'en 3 andere';
tapping it opens the full references. ``<details>`` needs no script and opens on a tap in
Anki desktop, AnkiDroid and AnkiMobile; the template puts the label ('Bron:') before it.

The field keeps its name and place (the note types are frozen, see the package docstring);
only its content changed, which reaches students as an ordinary note update.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping

from ...model import Flashcard, Reference
from .fields import render_lines

SHORT_LINE = 40  # characters of the summary: one line next to 'Bron:' on a 390 px phone


def _short(references: list[Reference], more: str) -> str:
    """'Dunst, 1995, 2007; Epstein, 1991', or 'Saint-Jacques et al., 2006 en 8 andere' when the
    works do not fit in ``SHORT_LINE`` characters. Works by the same authors share a name."""
    works: list[tuple[str, list[str]]] = []
    for reference in references:
        if works and works[-1][0] == reference.cite:
            works[-1][1].append(reference.year)
        else:
            works.append((reference.cite, [reference.year]))
    names = [f"{cite}, {', '.join(years)}" for cite, years in works]

    def line(shown: int) -> str:
        rest = len(names) - shown
        return "; ".join(names[:shown]) + (" " + more.format(n=rest) if rest else "")

    shown = 1
    while shown < len(names) and len(line(shown + 1)) <= SHORT_LINE:
        shown += 1
    return line(shown)


def source_field(card: Flashcard, references: Mapping[str, Reference], more: str) -> str:
    """The field HTML; empty when the card cites nothing known (the loader reports unknown keys)."""
    cited = [references[key] for key in card.citations if key in references]
    if not cited:
        return ""
    summary = html.escape(_short(cited, more), quote=False)
    full = render_lines([reference.apa for reference in cited])
    return unicodedata.normalize(
        "NFC", f'<details class="cg-refs"><summary>{summary}</summary><p class="cg-refs-full">{full}</p></details>'
    )
