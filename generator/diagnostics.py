"""Diagnostics: user mistakes as values, printed gcc-style as ``path:line:col: severity: message``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .model import SourceLoc

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    loc: SourceLoc
    severity: Severity
    message: str
    # What an "unknown name" error is about, e.g. "reference:epstein-1992": lets the loader
    # fold many uses of one unknown name into one error, or drop them when the file that
    # should define it failed to load (see loader/folding.py). Not printed.
    about: str = field(default="", compare=False)

    def __str__(self) -> str:
        # One line per diagnostic, whatever text from the source a message quotes.
        message = self.message.replace("\r", "\\r").replace("\n", "\\n")
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate, too
        return f"{self.loc}: {self.severity}: {message}"


class Diagnostics:
    """Collects every problem found, so that all of them are reported at once."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, loc: SourceLoc, message: str, about: str = "") -> None:
        self._items.append(Diagnostic(loc, "error", message, about))

    def warning(self, loc: SourceLoc, message: str) -> None:
        self._items.append(Diagnostic(loc, "warning", message))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    @property
    def items(self) -> tuple[Diagnostic, ...]:
        """All diagnostics, sorted by file, line and column so output is stable; a problem found
        twice (by two checks that meet the same file) is reported once."""
        return tuple(sorted(dict.fromkeys(self._items), key=lambda d: (d.loc.path, d.loc.line, d.loc.col, d.message)))

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.items if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.items if d.severity == "warning")

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))
