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

Only ever move the file forward. Rolling the source back to an older version is fine, but
keep the current state file: the reverted notes then differ from the recorded hashes and get
a new, newer time. Rolling the state back with them would give the old text its old time,
which every student already has passed, and the revert would never arrive. After a merge
conflict take either side's file whole and build again: whatever differs gets a new time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...outputs import TargetError

FORMAT = 1

# The clock the state reads; tests replace it to build twice "in the same second".
clock = time.time


class StateError(TargetError):
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
        """Sorted keys, one line per entry (so that diffs and merges stay per note), final newline."""

        def section(name: str, items: Mapping[str, Entry]) -> str:
            lines = []
            for key, entry in sorted(items.items()):
                value = {"hash": entry.hash, "mod": entry.mod, **({"removed": True} if entry.removed else {})}
                lines.append(f"    {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, sort_keys=True)}")
            body = ",\n".join(lines)
            return f'  "{name}": {{\n{body}\n  }}' if lines else f'  "{name}": {{}}'

        parts = [
            f'  "edition": {self.edition}',
            f'  "format": {FORMAT}',
            section("note_types", self.note_types),
            section("notes", self.notes),
        ]
        return "{\n" + ",\n".join(parts) + "\n}\n"


def now() -> int:
    return int(clock())


def read_state_text(source_dir: Path, name: str) -> str | None:
    """The state file's text, read like every source file: inside the source folder (no
    symbolic link out of it); None when there is none yet."""
    path = Path(source_dir) / name
    try:
        if path.is_symlink() or not path.resolve().is_relative_to(Path(source_dir).resolve()):
            raise StateError(f"{path}: error: the Anki state file must be a plain file inside the course source folder")
        return path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise StateError(f"{path}: error: cannot read the Anki state file ({error})") from None


def load_state(path: Path) -> State:
    """The state in ``path``; an empty state when there is no file yet."""
    return parse_state(read_state_text(path.parent, path.name), path)


def parse_state(text: str | None, path: Path) -> State:
    """The state in ``text`` (read from ``path``); an empty state for None."""
    if text is None:
        return State()
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown format {data.get('format')!r}")

        def entries(raw: Mapping[str, Mapping]) -> dict[str, Entry]:
            return {
                str(key): Entry(str(value["hash"]), int(value["mod"]), bool(value.get("removed", False)))
                for key, value in raw.items()
            }

        return State(int(data["edition"]), entries(data["notes"]), entries(data["note_types"]))
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError) as error:  # 1e400: inf
        raise StateError(
            f"{path}: error: cannot read the Anki state file ({error}); restore it from version control "
            "(after a merge conflict: take either side's version whole, then build again)"
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


def update_state(old: State, edition: int, note_hashes: Mapping[str, str], type_hashes: Mapping[str, str], moment: int) -> State:
    """The state after a build whose notes and note types have these content hashes, at ``moment``.

    Pure: equal inputs give an equal state, and an unchanged source gives ``old`` back."""
    return State(
        edition=edition,
        notes=_update(old.notes, note_hashes, moment, keep_removed=True),
        note_types=_update(old.note_types, type_hashes, moment, keep_removed=True),
    )
