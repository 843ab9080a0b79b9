"""A disk cache of the SCORM module pages, the expensive part of a package.

Rendering a module's page (Markdown to HTML, the templates) is almost all the work of a
package, and a module's page is the same in both packages but for the version fields of its
runtime config (``site.ModulePage``). So each page is kept once, in
``OUT/.coursegen-cache/scorm/<key>.entry``, with its deflated bytes for each package. The key
is derived like an output's (generator/fingerprint.py): the environment digest and the page's
render call fully serialised — ``site.render_module`` with the course as the page sees it
(``page_course``), the module and the pass mark. After a one-lesson edit only that module's
key changes, and only its page is rendered again.

An entry is plain data — a JSON line and named byte strings — written atomically with a
checksum: a missing, corrupt or unreadable entry is made again, and a cache that cannot be
written is simply not used. Entries the current plan does not use are removed when it is
planned; ``coursegen build --clean`` (``BuildContext.use_cache`` False) empties the folder
first, so nothing an earlier build cached is reused.

The two packages are usually rendered at the same time, in two processes: one walks the
modules first to last, the other last to first, and a process claims an entry (a ``.lock``
file) before making it. What the other process is making is waited for instead of being made
twice; a claim whose process has died, or that is older than ``LOCK_STALE_SECONDS``, is
ignored. (On Windows, where a process cannot be looked at without ending it, only the age
counts: ``portable.process_alive``.)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ...fingerprint import digest
from ...model import FrozenDict
from ...outputs import TEMP_PREFIX, write_atomic
from ...portable import process_alive

FORMAT = 2  # bump when the entry layout changes
CACHE_FOLDER = Path(".coursegen-cache") / "scorm"
SUFFIX = ".entry"
LOCK_SUFFIX = ".lock"
LOCK_STALE_SECONDS = 10.0
_MAGIC = b"coursegen-scorm-cache\n"


def page_course(course, module):
    """The course as one module's page sees it: no other modules, of the references only those
    the module cites, no image bytes (the page names an image by its path; the package carries
    its bytes), no description, of the concepts those the module names, of the target settings
    only SCORM's (its test design). A test
    renders every page from it and from the whole course, byte for byte the same."""
    cited = set(module.citations)
    scorm = FrozenDict({"scorm": course.targets["scorm"]}) if "scorm" in course.targets else FrozenDict()
    named = {c for part in (*module.lessons, *module.quiz) for c in part.concepts}  # the result page's review list
    groups = tuple(dataclasses.replace(g, concepts=tuple(c for c in g.concepts if c.id in named)) for g in course.concept_groups)
    return dataclasses.replace(
        course,
        modules=(),
        concept_groups=tuple(g for g in groups if g.concepts),
        images=FrozenDict(),
        targets=scorm,
        references=FrozenDict({k: r for k, r in course.references.items() if k in cited}),
        description=dataclasses.replace(course.description, text=""),
    )


def page_render(course, module, passing_score: int, templates_dir: Path) -> partial:
    """The call that renders ``module``'s page: what its key is made of, and what is run."""
    from .site import render_module

    return partial(render_module, page_course(course, module), module, passing_score, Path(templates_dir))


def page_keys(course, passing_score: int, templates_dir: Path, environment: str) -> dict[str, str]:
    """The cache key of each module's page, by module id."""
    return {
        module.id: hashlib.sha256(
            f"{FORMAT}:{environment}:".encode() + digest(page_render(course, module, passing_score, templates_dir))
        ).hexdigest()
        for module in course.modules
    }


@dataclass(frozen=True)
class Entry:
    """What the cache keeps under a key: a little JSON (``meta``) and named byte strings."""

    meta: dict
    parts: dict[str, bytes]


def encode(entry: Entry) -> bytes:
    """A magic line, the SHA-256 of the rest, a JSON line (meta and the parts' lengths), the parts."""
    names = sorted(entry.parts)
    head = json.dumps(
        {"meta": entry.meta, "parts": [[name, len(entry.parts[name])] for name in names]},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    payload = b"".join([head.encode("utf-8"), b"\n", *(entry.parts[name] for name in names)])
    return _MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def decode(data: bytes) -> Entry | None:
    """The entry in ``data``, or ``None`` if it is not a whole, valid entry."""
    if not data.startswith(_MAGIC):
        return None
    checksum, _, payload = data[len(_MAGIC) :].partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    head, _, body = payload.partition(b"\n")
    try:
        values = json.loads(head)
        meta, parts, offset = values["meta"], {}, 0
        for name, length in values["parts"]:
            parts[name] = body[offset : offset + length]
            offset += length
    except (ValueError, KeyError, TypeError):
        return None
    if offset != len(body) or not isinstance(meta, dict):
        return None
    return Entry(meta, parts)


@dataclass(frozen=True)
class ScormCache:
    """The cached pages of one output folder (see the module docstring)."""

    folder: Path

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
                try:
                    lock.unlink(missing_ok=True)
                except OSError:  # Windows: another process has it open to read; try once more, then render
                    pass
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
        # A claim whose process is known to be dead is stale at once; where that cannot be
        # told (Windows), only its age makes it stale.
        return text.isdigit() and process_alive(int(text)) is False

    def prune(self, keep: set[str]) -> None:
        """Remove the entries not in ``keep``, and the claims and temporary files left by killed builds."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            path = self.folder / name
            unused = name.endswith(SUFFIX) and name[: -len(SUFFIX)] not in keep
            try:
                if unused or name.startswith(TEMP_PREFIX) or (name.endswith(LOCK_SUFFIX) and self._stale(path)):
                    path.unlink()
            except OSError:
                pass

    def clear(self) -> None:
        """Forget everything (``coursegen build --clean``)."""
        shutil.rmtree(self.folder, ignore_errors=True)
