"""The loaded course kept between builds, so that an unchanged source is not parsed again.

``OUT/.coursegen-model.json`` holds one load result (model and diagnostics, as plain JSON:
``generator.plaindata``) with what it was made from:

- the code: the whole ``generator`` package and the libraries it imports (``fingerprint``);
- the shape of the source folder: every name in it, file or folder (never their bytes);
- the bytes (SHA-256) of every file the load read or looked at;

and the SHA-256 of the stored result, so that a damaged file is noticed.

It answers a load only when all three are unchanged, so it gives what a fresh load gives: an
added, removed or renamed file anywhere changes the shape, an edited file that the load read
changes its hash, and a file nothing refers to is listed but never read. A source folder with
a symbolic link, a pipe or another special file in it is always loaded afresh. Only a load
without errors is kept; a missing, damaged or hostile cache file costs a fresh load.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from ..fingerprint import code_digest
from ..outputs import write_atomic
from . import LoadResult, load_course

FORMAT = 1
CACHE_NAME = ".coursegen-model.json"
# Files a target writes into the source folder: state, not input to the model.
_NOT_INPUT = {"anki-state.json"}


def source_shape(source: Path) -> str | None:
    """A hash of every path in ``source`` and whether it is a file or a folder; None when
    something else is there (a symbolic link, a pipe) or the folder cannot be read."""
    digest = hashlib.sha256()
    stack = [(Path(source), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                found = sorted((entry.name, entry) for entry in listing)
        except OSError:
            return None
        for name, entry in found:
            rel = prefix + name
            if rel in _NOT_INPUT:
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                return None
            if stat.S_ISDIR(mode):
                digest.update(f"d {rel}\0".encode())
                stack.append((Path(entry.path), rel + "/"))
            elif stat.S_ISREG(mode):
                digest.update(f"f {rel}\0".encode())
            else:
                return None
    return digest.hexdigest()


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a regular file, read in pieces; None for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def _base(source: Path) -> str:
    return hashlib.sha256(f"{FORMAT}\0{code_digest()}\0{Path(source).resolve()}".encode()).hexdigest()


def _cached(cache_file: Path, source: Path, base: str, shape: str) -> LoadResult | None:
    from ..diagnostics import Diagnostics
    from ..model import Course
    from ..plaindata import decode

    try:
        head, _, body = cache_file.read_bytes().partition(b"\n")
        data = json.loads(head)
        if not (isinstance(data, dict) and data.get("base") == base and data.get("shape") == shape
                and isinstance(data.get("files"), dict) and data.get("body") == hashlib.sha256(body).hexdigest()):
            return None
        for rel, recorded in data["files"].items():
            if not isinstance(rel, str) or file_hash(Path(source) / rel) != recorded:
                return None
        course, found = decode(body)
        diagnostics = Diagnostics()
        diagnostics.extend(found)
    except Exception:  # noqa: BLE001 (missing, damaged or not ours: a fresh load)
        return None
    if not isinstance(course, Course) or not all(type(d).__name__ == "Diagnostic" for d in found):
        return None
    return LoadResult(course, diagnostics)


def load_course_cached(source: Path, out_dir: Path) -> LoadResult:
    """``load_course``, answered from ``OUT/.coursegen-model.json`` when nothing it was made
    from changed (see the module docstring)."""
    from ..plaindata import encode

    source = Path(source)
    cache_file = Path(out_dir) / CACHE_NAME
    shape = source_shape(source)
    base = _base(source)
    if shape is not None:
        result = _cached(cache_file, source, base, shape)
        if result is not None:
            return result
    consulted: dict[str, str | None] = {}
    result = load_course(source, consulted=consulted)
    if shape is None or result.course is None or source_shape(source) != shape:
        return result
    # The hash of what the load read (taken as it read it); what it only looked at, as it is now.
    files = {rel: consulted[rel] or file_hash(source / rel) for rel in sorted(consulted)}
    try:
        body = json.dumps([encode(result.course), encode(tuple(result.diagnostics._items))], ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        head = json.dumps({"base": base, "shape": shape, "files": files, "body": hashlib.sha256(body).hexdigest()},
                          sort_keys=True)
        write_atomic(cache_file, head.encode() + b"\n" + body)
    except (OSError, TypeError):
        pass  # no cache, only a slower next build
    return result
