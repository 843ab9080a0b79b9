"""Diagnostics that lead to the cause: one broken definitions file is one error there.

When references.yaml or a concepts file fails to load as a whole (a YAML error, not a
list), every citation or concept it should have defined would be "unknown": those errors
are dropped (the file's own error says what to fix). Otherwise many uses of one unknown name become one error at the first use,
"(and N more uses)".
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Diagnostics


def fold_unknown_names(diag: Diagnostics, broken: set[str]) -> None:
    """``broken``: the kinds of name (``Diagnostic.about`` up to the colon: "reference",
    "concept") whose definitions file failed to load."""
    uses: dict[str, list[Diagnostic]] = {}
    kept: list[Diagnostic] = []
    for item in diag._items:
        if not item.about:
            kept.append(item)
        elif item.about.split(":", 1)[0] not in broken:
            uses.setdefault(item.about, []).append(item)
    for same in uses.values():
        same.sort(key=lambda d: (d.loc.path, d.loc.line, d.loc.col))
        first = same[0]
        more = len({(d.loc.path, d.loc.line, d.loc.col) for d in same}) - 1
        if more:
            first = Diagnostic(
                first.loc, first.severity, f"{first.message} (and {more} more use{'s' if more > 1 else ''})", first.about
            )
        kept.append(first)
    diag._items[:] = kept
