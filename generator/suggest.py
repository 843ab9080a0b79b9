"""'Did you mean ...?': the closest known name to a name that is not known."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``known`` to ``name``, or ``""``."""
    candidates = [k for k in known if isinstance(k, str)]
    if not isinstance(name, str) or not candidates or len(name) > 200:
        return ""
    lowered = {k.lower(): k for k in candidates}
    if name.lower() in lowered and lowered[name.lower()] != name:
        return f" (did you mean '{lowered[name.lower()]}'?)"
    match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return f" (did you mean '{match[0]}'?)" if match else ""
