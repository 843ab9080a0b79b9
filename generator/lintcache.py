"""The writing rules' warnings of the last build, kept in ``OUT/.coursegen-lint.json``.

Checking every quiz item and card takes a few tenths of a second, more than a whole no-op
rebuild, so ``coursegen build`` answers an unchanged course from this file. The key is a
digest of the rules' code and of the course as the rules read it (``lint.lint_view``; its
``repr``: plain frozen data, so equal views give equal keys): the rules are given only that
view, so no part they read can be forgotten, and an edit of a lesson's text keeps the key. The file is plain
JSON, read as data only: a missing, old, damaged or hostile file only costs checking again;
deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .diagnostics import Diagnostic
from .model import Course, SourceLoc
from .outputs import write_atomic

CACHE_NAME = ".coursegen-lint.json"
_GENERATOR = Path(__file__).resolve().parent


def rules_code() -> list[Path]:
    """The files of the rules' code: generator/lint/ and the quiz item types' records its
    rules consult (which rules apply to a type, what a no-knowledge strategy expects)."""
    return sorted((_GENERATOR / "lint").glob("*.py")) + [_GENERATOR / "quiztypes.py"]


def _key(course: Course) -> str:
    from .lint import lint_view

    digest = hashlib.sha256(b"coursegen-lint 2\n")
    for path in rules_code():
        digest.update(path.read_bytes())
    digest.update(repr(lint_view(course)).encode())
    return digest.hexdigest()


def _decode(data: bytes, key: str) -> list[Diagnostic] | None:
    found = json.loads(data)
    if not isinstance(found, dict) or found.get("key") != key or not isinstance(found.get("warnings"), list):
        return None
    diagnostics = []
    for item in found["warnings"]:
        path, line, col, severity, message = item
        if not (
            isinstance(path, str)
            and isinstance(line, int)
            and isinstance(col, int)
            and severity in ("error", "warning")
            and isinstance(message, str)
        ):
            return None
        diagnostics.append(Diagnostic(SourceLoc(path, line, col), severity, message))
    return diagnostics


def _encode(found: list[Diagnostic], key: str) -> bytes:
    warnings = [[d.loc.path, d.loc.line, d.loc.col, d.severity, d.message] for d in found]
    return json.dumps({"key": key, "warnings": warnings}, ensure_ascii=False, sort_keys=True).encode()


def lint_cached(course: Course, cache_dir: Path | None, keep: bool = True) -> list[Diagnostic]:
    """``lint_course(course)``, from ``cache_dir``'s file when the course has not changed.
    A new result is written only when ``keep`` (a build that goes on), so a build stopped by
    ``--strict`` leaves the output folder as it was."""
    from .lint import lint_course

    if cache_dir is None:
        return lint_course(course)
    cache_file = Path(cache_dir) / CACHE_NAME
    header = _key(course)
    try:
        cached = _decode(cache_file.read_bytes(), header)
        if cached is not None:
            return cached
    except (OSError, ValueError, TypeError):  # missing, old or damaged: only costs checking again
        pass
    found = lint_course(course)
    if keep or not found:
        try:
            write_atomic(cache_file, _encode(found, header))
        except OSError:
            pass  # no cache, only a slower next build
    return found
