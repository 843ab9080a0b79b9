"""A disk cache of what the SCORM packages are made of: module pages, overview, theme, manifest.

Rendering a module's page (Markdown to HTML, the templates) is almost all the work of a
package, and a module's page is the same in both packages but for the version fields of its
runtime config (``site.ModulePage``). So each page is kept once, in
``OUT/.coursegen-cache/scorm/<key>.entry``, with its deflated bytes for each package; the
key is a hash of everything the page depends on (``plan_keys``): the module, the course fields
a page may show, the references it cites, the pass mark, and ``environment_digest`` — the
templates folder, this target's code and ``generator/markup.py``, the Markdown, HTML and
template libraries, ``FORMAT``. After a one-lesson edit only that module's key changes, and
only its page is rendered again. The overview (keyed by the whole course), the theme CSS (by
the theme colours), each version's manifest (by what it shows; checked against its list of
shared files) and the compiled templates (``jinja-<environment>-…``) are kept the same way.

An entry is written atomically and carries a checksum: a missing, corrupt or unreadable entry
is made again, and a cache that cannot be written is simply not used. Entries the current
plan does not use are removed when it is planned. ``coursegen build --clean``
(``BuildContext.use_cache`` False) empties the folder first, so nothing an earlier build
cached is reused; what the build itself renders is cached, and shared by its two packages.

The two packages are usually rendered at the same time, in two processes: one walks the
modules first to last, the other last to first, and a process claims an entry (a ``.lock``
file) before making it. What the other process is making is waited for instead of being made
twice; a claim whose process has died, or that is older than ``LOCK_STALE_SECONDS``, is
ignored.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ...outputs import write_atomic

FORMAT = 1  # bump when the entry layout, or what a page depends on, changes
CACHE_FOLDER = Path(".coursegen-cache") / "scorm"
SUFFIX = ".entry"
LOCK_SUFFIX = ".lock"
LOCK_STALE_SECONDS = 10.0
_MAGIC = b"coursegen-scorm-cache\n"
# Libraries whose version changes the HTML of a page (found without importing them).
_LIBRARIES = ("markdown_it", "nh3", "jinja2", "markupsafe")


def environment_digest(templates_dir: Path) -> str:
    """A hash of what every page depends on beyond the course: the cache format, this target's
    code and ``generator/markup.py``, ``templates/scorm/`` and the libraries' installed files."""
    from ... import markup

    digest = hashlib.sha256(f"coursegen scorm page cache {FORMAT}\n".encode())
    code = sorted(Path(__file__).parent.glob("*.py")) + [Path(markup.__file__)]
    for path in code:
        digest.update(f"code {path.name}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    folder = Path(templates_dir) / "scorm"
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"template {path.relative_to(folder).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in _LIBRARIES:
        digest.update(f"library {name} {_library_stamp(name)}\n".encode())
    return digest.hexdigest()


def _library_stamp(name: str) -> str:
    try:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        if not origin:
            return "missing"
        stat = os.stat(origin)
        return f"{origin} {stat.st_size} {stat.st_mtime_ns}"
    except (ImportError, ValueError, OSError):
        return "missing"


def module_digest(module) -> str:
    """A hash of a module as the model holds it (its ``repr``: frozen dataclasses)."""
    return hashlib.sha256(repr(module).encode()).hexdigest()


def page_fields(course) -> tuple:
    """The course-level fields a module page may show (not the other modules, not the images:
    the page names an image by its path, the package carries its bytes)."""
    return (course.id, course.title, course.subtitle, course.language, course.version, course.authors,
            course.licence, course.description.text, course.theme)


@dataclass(frozen=True)
class Keys:
    """The cache keys of what the packages of one plan share or repeat."""

    pages: dict[str, str]       # module id -> its page
    overview: str               # index.html (the same in both packages)
    theme: str                  # shared/theme.css
    manifests: dict[str, str]   # version -> imsmanifest.xml
    templates: str              # the prefix of the compiled templates' keys

    def all(self) -> set[str]:
        return {*self.pages.values(), self.overview, self.theme, *self.manifests.values()}


def _key(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def plan_keys(course, versions: list[str], passing_score: int, environment: str, digests: dict[str, str],
              course_digest: str) -> Keys:
    """The keys of a plan. ``digests`` are the modules' ``module_digest``; ``course_digest``
    covers the whole course (the overview gets the whole course to show)."""
    from . import module_settings
    from .manifest import manifest_inputs

    fields = page_fields(course)
    pages = {}
    for module in course.modules:
        cited = tuple((key, course.references[key]) for key in module.citations if key in course.references)
        test = tuple(sorted(module_settings(course, module).items()))  # the test settings shape the page too
        pages[module.id] = _key("page", environment, passing_score, fields, cited, digests[module.id], test)
    return Keys(
        pages=pages,
        overview=_key("overview", environment, course_digest),
        theme=_key("theme", environment, course.theme.primary, course.theme.accent),
        manifests={version: _key("manifest", environment, version, manifest_inputs(course, version, passing_score))
                   for version in versions},
        templates=f"jinja-{environment[:32]}-",
    )


@dataclass(frozen=True)
class Entry:
    """What the cache keeps under a key: a little JSON (``meta``) and named byte strings."""

    meta: dict
    parts: dict[str, bytes]


def encode(entry: Entry) -> bytes:
    """A magic line, the SHA-256 of the rest, a JSON line (meta and the parts' lengths), the parts."""
    names = sorted(entry.parts)
    head = json.dumps({"meta": entry.meta, "parts": [[name, len(entry.parts[name])] for name in names]},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload = b"".join([head.encode("utf-8"), b"\n", *(entry.parts[name] for name in names)])
    return _MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def decode(data: bytes) -> Entry | None:
    """The entry in ``data``, or ``None`` if it is not a whole, valid entry."""
    if not data.startswith(_MAGIC):
        return None
    checksum, _, payload = data[len(_MAGIC):].partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    head, _, body = payload.partition(b"\n")
    try:
        values = json.loads(head)
        meta, parts, offset = values["meta"], {}, 0
        for name, length in values["parts"]:
            parts[name] = body[offset:offset + length]
            offset += length
    except (ValueError, KeyError, TypeError):
        return None
    if offset != len(body) or not isinstance(meta, dict):
        return None
    return Entry(meta, parts)


class ScormCache:
    """The cached pages and files of one output folder (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @classmethod
    def of(cls, out_dir: Path) -> ScormCache:
        return cls(Path(out_dir) / CACHE_FOLDER)

    def _entry(self, key: str) -> Path:
        return self.folder / (key + SUFFIX)

    def _lock(self, key: str) -> Path:
        return self.folder / (key + LOCK_SUFFIX)

    def load(self, key: str) -> Entry | None:
        try:
            data = self._entry(key).read_bytes()
        except OSError:
            return None
        return decode(data)

    def store(self, key: str, entry: Entry) -> None:
        try:
            write_atomic(self._entry(key), encode(entry))
        except OSError:
            pass  # a cache that cannot be written is not used

    def get(self, key: str, make: Callable[[], Entry], valid: Callable[[Entry], bool] = lambda entry: True) -> Entry:
        """The entry under ``key``: cached, or made by ``make`` (and cached). If the other
        process is making it, wait for it. ``valid`` rejects an entry that no longer fits."""
        entry = self.load(key)
        if entry is not None and valid(entry):
            return entry
        if not self.claim(key):
            entry = self.wait(key)
            if entry is not None and valid(entry):
                return entry
            return self.make(key, make)
        try:
            entry = self.load(key)  # finished by the other process between the look and the claim?
            if entry is not None and valid(entry):
                return entry
            return self.make(key, make)
        finally:
            self.release(key)

    def make(self, key: str, make: Callable[[], Entry]) -> Entry:
        entry = make()
        self.store(key, entry)
        return entry

    def claim(self, key: str) -> bool:
        """True if this process should render the page: it holds the claim now (or claims are
        not possible here). False if another living process is rendering it."""
        lock = self._lock(key)
        for _ in range(2):
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if not self._stale(lock):
                    return False
                lock.unlink(missing_ok=True)
                continue
            except OSError:
                return True
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
            return True
        return True

    def release(self, key: str) -> None:
        try:
            self._lock(key).unlink(missing_ok=True)
        except OSError:
            pass

    def wait(self, key: str) -> Entry | None:
        """The entry another process claimed, once it is written; ``None`` if the claim goes away
        without an entry or goes stale (the caller then renders the page itself)."""
        lock = self._lock(key)
        delay = 0.001
        while lock.exists() and not self._stale(lock):
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        return self.load(key)

    @staticmethod
    def _stale(lock: Path) -> bool:
        try:
            age = time.time() - lock.stat().st_mtime
            text = lock.read_text()
        except (OSError, ValueError):
            return False  # gone already (the caller looks again) or being written
        if age > LOCK_STALE_SECONDS:
            return True
        if text.isdigit() and os.name == "posix":  # (on Windows, os.kill would end the process)
            try:
                os.kill(int(text), 0)
            except ProcessLookupError:
                return True
            except OSError:
                pass
        return False

    def prune(self, keep: set[str], keep_prefix: str = "") -> None:
        """Remove the entries not in ``keep`` (nor starting with ``keep_prefix``) and the
        claims left by killed builds."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            path = self.folder / name
            try:
                unused = name.endswith(SUFFIX) and name[: -len(SUFFIX)] not in keep and not (keep_prefix and name.startswith(keep_prefix))
                if unused or (name.endswith(LOCK_SUFFIX) and self._stale(path)):
                    path.unlink()
            except OSError:
                pass

    def clear(self) -> None:
        """Forget everything (``coursegen build --clean``)."""
        shutil.rmtree(self.folder, ignore_errors=True)
