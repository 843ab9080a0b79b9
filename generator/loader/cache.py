"""The loaded course kept between builds, so that an unchanged source is not parsed again.

``OUT/.coursegen-model.json`` holds one load result (model and diagnostics, as plain JSON:
``generator.plaindata``), and each module folder's parse, with what they were made from:

- the code: the whole ``generator`` package and the libraries it imports (``fingerprint``);
- the shape of the source folder: every name in it, file or folder (never their bytes);
- the bytes (SHA-256) of every file the load read or looked at;

and the SHA-256 of the stored result, so that a damaged file is noticed.

The whole result answers a load only when all three are unchanged, so it gives what a fresh
load gives: an added, removed or renamed file anywhere changes the shape, an edited file that
the load read changes its hash, and a file nothing refers to is listed but never read.
Otherwise the course-wide steps run again and a module folder's parse is reused when the call
that made it (``items.read_module``'s arguments: folder, number, ``ModuleInputs``), the shape
of its folder and the bytes of every file it looked at are unchanged (``ModuleReuse``). A source folder with
a symbolic link, a pipe or another special file in it is always loaded afresh. Only a load
without errors is kept; a missing, damaged or hostile cache file costs a fresh load.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..fingerprint import code_digest
from ..outputs import write_atomic
from ..portable import regular_file_hash as file_hash
from . import LoadResult, load_course

FORMAT = 1
CACHE_NAME = ".coursegen-model.json"
# Files a target writes into the source folder: state, not input to the model.
_NOT_INPUT = {"anki-state.json"}


def listing(source: Path) -> dict[str, str] | None:
    """Every path in ``source`` (relative, POSIX): "d" for a folder, "f" for a file; None when
    something else is there (a symbolic link, a pipe) or a folder cannot be read."""
    found: dict[str, str] = {}
    stack = [(Path(source), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as entries:
                items = sorted((entry.name, entry) for entry in entries)
        except OSError:
            return None
        for name, entry in items:
            rel = prefix + name
            if rel in _NOT_INPUT:
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError:
                return None
            if stat.S_ISDIR(mode):
                found[rel] = "d"
                stack.append((Path(entry.path), rel + "/"))
            elif stat.S_ISREG(mode):
                found[rel] = "f"
            else:
                return None
    return found


def shape_of(paths: dict[str, str], prefix: str = "") -> str:
    """A hash of the paths (and kinds) under ``prefix``: the folder's shape, never its bytes."""
    digest = hashlib.sha256()
    for rel in sorted(paths):
        if rel.startswith(prefix):
            digest.update(f"{paths[rel]} {rel}\0".encode())
    return digest.hexdigest()


def source_shape(source: Path) -> str | None:
    paths = listing(source)
    return None if paths is None else shape_of(paths)


def _base(source: Path) -> str:
    return hashlib.sha256(f"{FORMAT}\0{code_digest()}\0{Path(source).resolve()}".encode()).hexdigest()


def _read(cache_file: Path, base: str) -> tuple[dict, list] | None:
    """The cache's head and its decoded body, when it is whole and made by this code."""
    from ..plaindata import decode

    try:
        head, _, body = cache_file.read_bytes().partition(b"\n")
        data = json.loads(head)
        if not (
            isinstance(data, dict)
            and data.get("base") == base
            and isinstance(data.get("files"), dict)
            and data.get("body") == hashlib.sha256(body).hexdigest()
        ):
            return None
        values = decode(body)
    except Exception:  # noqa: BLE001 (missing, damaged or not ours: a fresh load)
        return None
    if not (isinstance(values, list) and len(values) == 3 and isinstance(values[2], dict)):
        return None
    return data, values


def _unchanged(source: Path, files) -> bool:
    return isinstance(files, dict) and all(
        isinstance(rel, str) and file_hash(source / rel) == recorded for rel, recorded in files.items()
    )


def _result(course, found) -> LoadResult | None:
    from ..diagnostics import Diagnostic, Diagnostics
    from ..model import Course

    if not isinstance(course, Course) or not isinstance(found, tuple) or not all(type(d) is Diagnostic for d in found):
        return None
    diagnostics = Diagnostics()
    diagnostics.extend(found)
    return LoadResult(course, diagnostics)


class ModuleReuse:
    """Reads module folders for ``load_course``, reusing an earlier parse of a folder when its
    call (``read_module``'s arguments) and what it read are unchanged: the shape of the module's
    folder and the bytes of every file the parse looked at (images elsewhere included)."""

    def __init__(self, source: Path, paths: dict[str, str], base: str, entries: dict) -> None:
        self.source, self.paths, self.base = source, paths, base
        self.entries = entries
        self.kept: dict[str, list] = {}

    def _key(self, rel: str, number: int, inputs) -> str:
        from ..fingerprint import digest

        return hashlib.sha256(f"{self.base}\0{rel}\0{number}\0".encode() + digest(inputs, {})).hexdigest()

    def __call__(self, root: Path, folder: Path, number: int, inputs):
        from ..plaindata import encode
        from .items import ModuleParse, read_module

        rel = folder.relative_to(root).as_posix()
        key, shape = self._key(rel, number, inputs), shape_of(self.paths, rel + "/")
        entry = self.entries.get(rel)
        if (
            isinstance(entry, list)
            and len(entry) == 4
            and entry[0] == key
            and entry[1] == shape
            and _unchanged(self.source, entry[2])
        ):
            try:
                parsed = ModuleParse(*entry[3])
                if type(parsed.module).__name__ == "Module":
                    self.kept[rel] = entry
                    return parsed
            except TypeError:
                pass
        parsed = read_module(root, folder, number, inputs)
        digests = dict(parsed.digests)
        files = {name: digests.get(name) or file_hash(self.source / name) for name in sorted(parsed.consulted)}
        try:
            fields = [
                parsed.module,
                parsed.diagnostics,
                parsed.images,
                parsed.cited,
                tuple(sorted(parsed.consulted)),
                parsed.digests,
            ]
            encode(fields)  # plain model data only
            self.kept[rel] = [key, shape, files, fields]
        except TypeError:
            pass
        return parsed


def load_course_cached(source: Path, out_dir: Path, keep: Callable[[LoadResult], bool] | None = None) -> LoadResult:
    """``load_course``, answered from ``OUT/.coursegen-model.json`` when nothing it was made
    from changed, and reading again only the module folders whose inputs changed when
    something did (see the module docstring).

    ``keep`` decides, after a fresh load, whether the cache is written (a build that stops
    on a target's check leaves the output folder as it was)."""
    from ..plaindata import encode

    source = Path(source)
    cache_file = Path(out_dir) / CACHE_NAME
    paths = listing(source)
    if paths is None:
        return load_course(source)
    shape, base = shape_of(paths), _base(source)
    stored = _read(cache_file, base)
    if stored is not None and stored[0].get("shape") == shape and _unchanged(source, stored[0]["files"]):
        result = _result(*stored[1][:2])
        if result is not None:
            return result
    modules = ModuleReuse(source, paths, base, stored[1][2] if stored is not None else {})
    consulted: dict[str, str | None] = {}
    result = load_course(source, consulted=consulted, read_module=modules)
    if result.course is None or source_shape(source) != shape or (keep is not None and not keep(result)):
        return result
    # The hash of what the load read (taken as it read it); what it only looked at, as it is now.
    files = {rel: consulted[rel] or file_hash(source / rel) for rel in sorted(consulted)}
    try:
        body = json.dumps(
            [
                encode(result.course),
                encode(tuple(result.diagnostics._items)),
                {"d": [[rel, encode(entry)] for rel, entry in sorted(modules.kept.items())]},
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        head = json.dumps(
            {"base": base, "shape": shape, "files": files, "body": hashlib.sha256(body).hexdigest()}, sort_keys=True
        )
        write_atomic(cache_file, head.encode() + b"\n" + body)
    except (OSError, TypeError):
        pass  # no cache, only a slower next build
    return result
