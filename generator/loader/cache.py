"""Caches of the loaded course, so a rebuild reads only what changed in the source.

Two levels, both keyed on bytes (never times) and on the loader's own code:

- The whole load (model and diagnostics) in ``cache_file``, keyed on every file in the
  source folder. An unchanged source is answered from it without parsing anything.
- Each module folder's parse (``items.ModuleParse``) in a file beside it, used when
  something changed: only modules whose inputs changed are read again, the course-wide
  steps (course.yaml, concepts, references, cross-checks) run as always. A module entry
  holds when nothing it depends on changed: every file in its folder, every file it read
  or looked for elsewhere (images), the course-level values it consults
  (``ModuleInputs``: language, references, concept ids), the source root, and the
  versions of the loader code, Python, markdown-it and PyYAML.

A missing, old or damaged cache only costs a fresh parse.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..outputs import write_atomic
from . import LoadResult, load_course

if TYPE_CHECKING:
    from .items import ModuleInputs, ModuleParse

CACHE_VERSION = 1
MODULE_CACHE_VERSION = 1
_MODULE_MAGIC = b"coursegen-modules\n"
_CODE = Path(__file__).resolve().parent.parent
# Files a target writes into the source folder: state, not input to the model.
_NOT_INPUT = {"anki-state.json"}


def _code_digest() -> bytes:
    digest = hashlib.sha256()
    for path in sorted((_CODE / "loader").glob("*.py")) + [_CODE / "model.py", _CODE / "markup.py", _CODE / "diagnostics.py"]:
        digest.update(path.read_bytes())
    return digest.digest()


def _file_digests(source: Path) -> dict[str, bytes] | None:
    """The sha256 of every input file in ``source``, by POSIX path relative to it."""
    try:
        paths = sorted(p for p in source.rglob("*") if p.name not in _NOT_INPUT and not p.is_dir())
        # A FIFO, socket or device is never opened, but is part of the key: the loader refuses it.
        return {path.relative_to(source).as_posix(): hashlib.sha256(path.read_bytes()).digest() if path.is_file()
                else b"not a regular file" for path in paths}
    except OSError:
        return None


def _source_key(code: bytes, files: dict[str, bytes]) -> str:
    digest = hashlib.sha256(f"{CACHE_VERSION}".encode())
    digest.update(code)
    for rel, file_digest in files.items():
        digest.update(rel.encode() + b"\0")
        digest.update(file_digest)
    return digest.hexdigest()


def module_cache_file(cache_file: Path) -> Path:
    return cache_file.with_name(f"{cache_file.stem}-modules{cache_file.suffix}")


@lru_cache(maxsize=1)
def _dispatch_table() -> dict:
    """Picklers for the model's frozen, slotted dataclasses: ``cls(*fields)``. The default
    (dataclasses' ``__getstate__``/``__setstate__``, which look up the fields on every call)
    takes most of the time of writing and reading a cache."""
    from .. import diagnostics, model

    table = {}
    for cls in [*vars(model).values(), diagnostics.Diagnostic]:
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and "__slots__" in vars(cls):
            names = [f.name for f in dataclasses.fields(cls)]
            if any(not f.init for f in dataclasses.fields(cls)):
                continue
            get = operator.attrgetter(*names)
            table[cls] = (lambda obj, cls=cls, get=get: (cls, (get(obj),))) if len(names) == 1 else (lambda obj, cls=cls, get=get: (cls, get(obj)))
    return table


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    pickler.dump(value)
    return buffer.getvalue()


def load_course_cached(source: Path, cache_file: Path, keep: Callable[[LoadResult], bool] | None = None) -> LoadResult:
    """``load_course``, answered from ``cache_file`` when the source has not changed, and
    reading again only the module folders whose inputs changed when it has.

    ``keep`` decides, after a fresh load, whether the caches are written (a build that
    stops on a target's check leaves the output folder as it was)."""
    source = Path(source)
    code = _code_digest()
    files = _file_digests(source)
    key = _source_key(code, files) if files is not None else None
    if key is not None:
        header = f"{key}\n".encode()
        try:
            data = cache_file.read_bytes()
            if data.startswith(header):  # the key first: a changed source costs no unpickling
                result = pickle.loads(memoryview(data)[len(header):])
                if isinstance(result, LoadResult):
                    return result
        except Exception:  # a missing, old or damaged cache only costs a fresh load
            pass
    modules = ModuleCache(module_cache_file(cache_file), source, files, code) if files is not None else None
    result = load_course(source, modules)
    # Like the whole load, module entries are kept only from a load without errors: a failed
    # build leaves the output folder as it was.
    if key is not None and modules is not None and result.course is not None and (keep is None or keep(result)):
        modules.save()
        try:
            write_atomic(cache_file, header + _dumps(result))
        except (OSError, TypeError, pickle.PicklingError):
            pass  # no cache, only a slower next build
    return result


class ModuleCache:
    """The parse of each module folder from an earlier load (see the module docstring).

    ``read(rel, inputs, parse)`` answers from an entry whose key still holds, or calls
    ``parse()`` and keeps its result. ``save()`` writes the entries of this load's modules.
    """

    def __init__(self, path: Path, source: Path, files: dict[str, bytes], code: bytes) -> None:
        import markdown_it
        import yaml

        self.path = path
        self.source = source
        self.files = files
        base = hashlib.sha256(_MODULE_MAGIC + f"{MODULE_CACHE_VERSION}\0".encode() + code)
        for part in (sys.version, markdown_it.__version__, yaml.__version__, hasattr(yaml, "CSafeLoader"), str(source.resolve())):
            base.update(repr(part).encode() + b"\0")
        self.base = base.digest()
        self.entries = self._load()
        self.kept: dict[str, tuple] = {}
        self.parsed = 0

    def _load(self) -> dict[str, tuple]:
        try:
            data = memoryview(self.path.read_bytes())
            head = len(_MODULE_MAGIC) + 64
            if data[:len(_MODULE_MAGIC)] != _MODULE_MAGIC or data[len(_MODULE_MAGIC):head] != self.base + hashlib.sha256(data[head:]).digest():
                return {}  # another format, other code or versions, or damaged
            entries = pickle.loads(data[head:])
            if not isinstance(entries, dict):
                return {}
            return {rel: entry for rel, entry in entries.items()
                    if isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], bytes)
                    and isinstance(entry[1], tuple) and isinstance(entry[2], bytes)}
        except Exception:  # missing, damaged, or written by other code: start empty
            return {}

    def _key(self, rel: str, inputs: ModuleInputs) -> bytes:
        """Everything the module in ``rel`` depends on that is known before reading it."""
        digest = hashlib.sha256(self.base)
        digest.update(repr(rel).encode() + b"\0" + inputs.fingerprint.encode() + b"\0")
        prefix = rel + "/"
        for name, file_digest in self.files.items():
            if name.startswith(prefix):
                digest.update(name.encode() + b"\0" + file_digest)
        return digest.digest()

    def _dependencies(self, parsed: ModuleParse, rel: str) -> tuple | None:
        """(path, sha256 or None when absent) of every file the parse read or looked for;
        None when the parse depends on files the digests don't cover (symbolic links to folders)."""
        if (self.source / rel / "lessons").is_symlink():
            return None
        deps = []
        for name in sorted(parsed.consulted):
            file_digest = self.files.get(name)
            if file_digest is None and (self.source / name).exists():
                return None
            deps.append((name, file_digest))
        return tuple(deps)

    def _unchanged(self, deps: tuple) -> bool:
        for name, file_digest in deps:
            if self.files.get(name) != file_digest:
                return False
            if file_digest is None and (self.source / name).exists():
                return False
        return True

    def read(self, rel: str, inputs: ModuleInputs, parse: Callable[[], ModuleParse]) -> ModuleParse:
        from .items import ModuleParse

        key = self._key(rel, inputs)
        entry = self.entries.get(rel)
        if entry is not None and entry[0] == key and self._unchanged(entry[1]):
            try:
                parsed = pickle.loads(entry[2])
                if isinstance(parsed, ModuleParse):
                    self.kept[rel] = entry
                    return parsed
            except Exception:  # damaged: read the module again
                pass
        parsed = parse()
        self.parsed += 1
        deps = self._dependencies(parsed, rel)
        if deps is not None:
            try:
                self.kept[rel] = (key, deps, _dumps(parsed))
            except (TypeError, pickle.PicklingError):
                pass
        return parsed

    def save(self) -> None:
        """Write the entries of this load's modules, when they differ from the stored ones."""
        if not self.parsed and self.kept.keys() == self.entries.keys():
            return
        try:
            # Each entry's parse is pickled on its own, so a load unpickles (and a save
            # pickles) only the modules it uses (parses).
            payload = pickle.dumps(self.kept, protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self.path, _MODULE_MAGIC + self.base + hashlib.sha256(payload).digest() + payload)
        except (OSError, TypeError, pickle.PicklingError):
            pass  # no cache, only a slower next build
