"""A cache of the loaded course, so a rebuild with an unchanged source skips parsing.

The key is a hash of every file in the source folder (bytes, not times) and of the
loader's own code; any change loads afresh. The cache holds the model and its
diagnostics, so warnings are reported again on a cached load.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from ..outputs import write_atomic
from . import LoadResult, load_course

CACHE_VERSION = 1
_CODE = Path(__file__).resolve().parent.parent
# Files a target writes into the source folder: state, not input to the model.
_NOT_INPUT = {"anki-state.json"}


def _source_key(source: Path) -> str | None:
    digest = hashlib.sha256(f"{CACHE_VERSION}".encode())
    for path in sorted((_CODE / "loader").glob("*.py")) + [_CODE / "model.py", _CODE / "markup.py", _CODE / "diagnostics.py"]:
        digest.update(path.read_bytes())
    try:
        files = sorted(p for p in source.rglob("*") if p.is_file() and p.name not in _NOT_INPUT)
        for path in files:
            digest.update(path.relative_to(source).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return digest.hexdigest()


def load_course_cached(source: Path, cache_file: Path) -> LoadResult:
    """``load_course``, answered from ``cache_file`` when the source has not changed."""
    key = _source_key(source)
    if key is not None:
        try:
            stored_key, result = pickle.loads(cache_file.read_bytes())
            if stored_key == key:
                return result
        except Exception:  # a missing, old or damaged cache only costs a fresh load
            pass
    result = load_course(source)
    if key is not None and result.course is not None:
        try:
            write_atomic(cache_file, pickle.dumps((key, result), protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, TypeError, pickle.PicklingError):
            pass  # no cache, only a slower next build
    return result
