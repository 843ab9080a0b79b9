"""Stable numeric ids for Anki objects, from source ids only (never text, position or time)."""

from __future__ import annotations

import hashlib

# Anki reads note, card and deck ids as creation times in milliseconds and rewrites ids that
# lie in the future; this window (2001-09 .. 2017-07) is in the past and far from the ids
# Anki hands out today, so our ids never look invalid and rarely meet a student's own.
_LOW = 1_000_000_000_000
_SPAN = 500_000_000_000


def stable_id(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return _LOW + int.from_bytes(digest[:8], "big") % _SPAN
