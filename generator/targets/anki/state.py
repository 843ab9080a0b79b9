"""The note-time lock file ``<source>/anki-state.json``.

Anki applies an update to a note only when the package's modification time for it is newer
than the student's copy. This file remembers, per note (keyed by the card's source id) and
per note type, a hash of the content Anki receives and the time, in whole seconds, at which
that content last changed::

    {
      "edition": 2,
      "format": 1,
      "note_types": {"basic": {"hash": "…", "mod": 1795913284}, …},
      "notes": {
        "card-ks-relatie": {"hash": "…", "mod": 1795913284},
        "card-old": {"hash": "…", "mod": 1795900000, "removed": true}
      }
    }

Rules (``update_state``): an unchanged hash keeps its time, so an unchanged source gives the
same bytes; a changed, new or returning entry gets ``max(now, previous + 1)``, strictly newer
than anything a student can have, even for two builds within one second. A card that left
the source stays as a tombstone (``removed``) and raises ``edition`` once. Keys are sorted
and the text ends in a newline, so the file diffs and merges like a lock file.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

FORMAT = 1

# The clock the state reads; tests replace it to build twice "in the same second".
clock = time.time


class StateError(ValueError):
    """The state file exists but cannot be used; building on would lose note times."""


@dataclass(frozen=True)
class Entry:
    hash: str
    mod: int
    removed: bool = False


@dataclass(frozen=True)
class State:
    edition: int = 1
    notes: Mapping[str, Entry] = field(default_factory=dict)
    note_types: Mapping[str, Entry] = field(default_factory=dict)

    def current_ids(self) -> set[str]:
        return {key for key, entry in self.notes.items() if not entry.removed}

    def dumps(self) -> str:
        def entries(items: Mapping[str, Entry]) -> dict:
            return {key: {"hash": e.hash, "mod": e.mod, **({"removed": True} if e.removed else {})}
                    for key, e in sorted(items.items())}

        data = {"edition": self.edition, "format": FORMAT, "notes": entries(self.notes),
                "note_types": entries(self.note_types)}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def now() -> int:
    return int(clock())


def load_state(path: Path) -> State:
    """The state in ``path``; an empty state when there is no file yet."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return State()
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")

        def entries(raw: Mapping[str, Mapping]) -> dict[str, Entry]:
            return {str(key): Entry(str(value["hash"]), int(value["mod"]), bool(value.get("removed", False)))
                    for key, value in raw.items()}

        return State(int(data["edition"]), entries(data["notes"]), entries(data["note_types"]))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StateError(
            f"{path}: error: cannot read the Anki state file ({error}); restore it from version control "
            "(a merge conflict: keep, per note, the entry with the higher 'mod', and the higher 'edition')"
        ) from None


def next_edition(old: State, ids: set[str]) -> int:
    """The edition of the next package: one higher when a card that the last package had is gone."""
    return old.edition + 1 if old.current_ids() - ids else old.edition


def _update(old: Mapping[str, Entry], hashes: Mapping[str, str], moment: int, keep_removed: bool) -> dict[str, Entry]:
    result: dict[str, Entry] = {}
    for key, content_hash in hashes.items():
        before = old.get(key)
        if before is not None and not before.removed and before.hash == content_hash:
            result[key] = before
        else:
            result[key] = Entry(content_hash, max(moment, before.mod + 1) if before else moment)
    if keep_removed:
        for key, before in old.items():
            if key not in hashes:
                result[key] = before if before.removed else Entry(before.hash, before.mod, removed=True)
    return result


def update_state(old: State, edition: int, note_hashes: Mapping[str, str], type_hashes: Mapping[str, str],
                 moment: int) -> State:
    """The state after a build whose notes and note types have these content hashes, at ``moment``.

    Pure: equal inputs give an equal state, and an unchanged source gives ``old`` back."""
    return State(
        edition=edition,
        notes=_update(old.notes, note_hashes, moment, keep_removed=True),
        note_types=_update(old.note_types, type_hashes, moment, keep_removed=True),
    )
