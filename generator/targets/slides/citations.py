"""Citations on slides: the short form "(Author, year)" stays; the citations of the keys a
course marks as notes-only (``targets.slides.notes_only_citations``, e.g. the review every
sentence draws on) are left off the slides and named in the notes instead.

The loader has already resolved ``[@key]`` to "(Cite, year)" text (``; ``-separated when
several keys are cited together), so a citation is found by that text."""

from __future__ import annotations

import re

from ...model import Markdown, Reference


class SlideCitations:
    def __init__(self, notes_only: list[Reference]) -> None:
        self.parts = [f"{ref.cite}, {ref.year}" for ref in notes_only]
        self.removed: list[str] = []  # what the last ``for_slide`` calls left out, for the notes
        if self.parts:
            one = "|".join(re.escape(p) for p in sorted(self.parts, key=len, reverse=True))
            self._alone = re.compile(rf"\s*\((?:{one})\)")
            self._first = re.compile(rf"\((?:{one});\s*")
            self._later = re.compile(rf";\s*(?:{one})(?=[;)])")
            self._any = re.compile(one)
        else:
            self._alone = None  # type: ignore[assignment]  # no notes-only keys: for_slide returns the text

    def for_slide(self, text):
        """``text`` (Markdown or str) without the notes-only citations."""
        if self._alone is None:
            return text
        raw = text.text if isinstance(text, Markdown) else text
        found = self._any.findall(raw)
        if not found:
            return text
        for part in found:
            if part not in self.removed:
                self.removed.append(part)
        cleaned = self._alone.sub("", raw)
        cleaned = self._first.sub("(", cleaned)
        cleaned = self._later.sub("", cleaned)
        if isinstance(text, Markdown):
            return Markdown(cleaned, text.base, text.loc)
        return cleaned

    def take_removed(self) -> list[str]:
        removed, self.removed = self.removed, []
        return removed
