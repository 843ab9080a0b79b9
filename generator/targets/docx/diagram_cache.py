"""Diagram pictures kept, so that each is drawn once rather than on every render.

Drawing a diagram and encoding its PNG (``diagram_image.render_png``) is about half of a
document's render time, and the same picture is drawn for a module's guide and for its
handout, and again for every unchanged diagram on every edit of the module. So a picture is
kept under a key derived like an output's (generator/fingerprint.py): the environment digest
and the ``render_png`` call written out (the diagram, the colour). Same key, same bytes.

- Within one process, per key (a worker often renders a module's guide and its handout).
- Between builds, in ``OUT/.coursegen-cache/docx/diagram-<key>-<sha256>.png``: the PNG bytes
  and nothing else; ``<sha256>`` is that of the bytes. A file is used only when it starts with
  the PNG signature and its bytes have the hash its name gives, so a damaged or foreign file
  only costs drawing the picture again. It is only ever read as a picture, never run.

The plan removes the pictures no diagram of the modules has the key of, once there are more
pictures than diagram blocks (only regular files named like these, and temporary files a
killed build left, inside that folder); on ``build --clean`` it removes them all first, so
that nothing an earlier build left is used.
Written with ``write_atomic``: a reader sees a whole file or none.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from ...diagrams import Diagram
from ...outputs import TEMP_PREFIX, write_atomic
from .diagram_image import render_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BLOCK = re.compile(r"(?:`{3,}|~{3,})[ \t]*diagram")  # a diagram block's opening fence, or more
NAME = re.compile(r"^diagram-(?P<key>[0-9a-f]{40})-(?P<sha>[0-9a-f]{64})\.png$")
KEPT_IN_PROCESS = 64  # pictures; a course's documents have a few dozen, at about 0.1 MB each

_DRAWN: dict[str, bytes] = {}


def picture_key(diagram: Diagram, primary: str, environment: str) -> str:
    """The key of ``render_png(diagram, primary)``: ``environment`` (the environment digest)
    and the call written out."""
    from ...fingerprint import digest
    from . import diagram_image

    call = partial(diagram_image.render_png, diagram, primary)
    return hashlib.sha256(environment.encode() + digest(call, {})).hexdigest()[:40]


class DiagramPictures:
    """The pictures one render uses: kept ones, or drawn (and kept)."""

    def __init__(self, templates_dir: Path, cache_dir: Path | None) -> None:
        self.templates_dir = Path(templates_dir)
        self.cache_dir = cache_dir
        self._environment: str | None = None
        self._names: dict[str, list[str]] | None = None

    def png(self, diagram: Diagram, primary: str) -> bytes:
        """``render_png(diagram, primary)``, byte for byte."""
        key = picture_key(diagram, primary, self.environment())
        data = _DRAWN.get(key)
        if data is None:
            data = self._read(key)
        if data is None:
            data = render_png(diagram, primary)
            self._write(key, data)
        _DRAWN[key] = data
        while len(_DRAWN) > KEPT_IN_PROCESS:
            del _DRAWN[next(iter(_DRAWN))]
        return data

    def environment(self) -> str:
        if self._environment is None:
            from ...fingerprint import environment_digest

            self._environment = environment_digest(self.templates_dir)
        return self._environment

    def _kept(self) -> dict[str, list[str]]:
        """The folder's pictures by key (listed once per render)."""
        if self._names is None:
            self._names = {}
            for name, key, _ in _own_files(self.cache_dir) if self.cache_dir is not None else ():
                self._names.setdefault(key, []).append(name)
        return self._names

    def _read(self, key: str) -> bytes | None:
        if self.cache_dir is None:
            return None
        for name in self._kept().get(key, ()):
            path = self.cache_dir / name
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            if data.startswith(PNG_SIGNATURE) and hashlib.sha256(data).hexdigest() == NAME.match(name)["sha"]:  # type: ignore[index]
                return data
            with contextlib.suppress(OSError):  # damaged: drawn and written again
                path.unlink()
        return None

    def _write(self, key: str, data: bytes) -> None:
        if self.cache_dir is None:
            return
        name = f"diagram-{key}-{hashlib.sha256(data).hexdigest()}.png"
        with contextlib.suppress(OSError):  # a picture that cannot be kept is drawn again next time
            write_atomic(self.cache_dir / name, data)


def forget_drawn() -> None:
    """Forget the pictures this process holds (``build --clean`` in a process that built before)."""
    _DRAWN.clear()


def _own_files(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(name, key, sha256) of every file in ``folder`` named like a kept picture."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        match = NAME.match(name)
        if match is not None:
            yield name, match["key"], match["sha"]


def prune(folder: Path, modules: object | None, primary: str = "", environment: str = "") -> None:
    """Remove the pictures no diagram in ``modules`` has the key of (``modules`` None: all of
    them), and temporary files of killed builds: only regular files, only in ``folder``.

    Finding the keys parses every text with a diagram (and a build that reads its model from
    the cache has not made the Markdown parser yet: 20 ms on a no-op). So that is done only
    when there are more pictures than diagram blocks in the texts; until then the kept
    pictures are at most as many as the course has diagrams."""
    try:
        names = [name for name in os.listdir(folder) if NAME.match(name) or name.startswith(TEMP_PREFIX)]
    except OSError:
        return
    pictures = [name for name in names if NAME.match(name)]
    used: set[str] | None = set()
    if modules is not None and pictures:
        texts = texts_in(modules)
        blocks = sum(len(BLOCK.findall(text)) for text in texts)
        used = picture_keys(texts, primary, environment) if len(pictures) > blocks else None
    for name in names:
        match = NAME.match(name)
        if match is None or (used is not None and match["key"] not in used):
            path = folder / name
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(path).st_mode):
                    path.unlink()


_FIELDS: dict[type, tuple[str, ...]] = {}
_LEAVES = (str, bytes, int, float, bool, type(None))


def texts_in(value: object) -> list[str]:
    """The text of every ``Markdown`` in ``value`` (model dataclasses, tuples, dicts) that may
    hold a diagram: where the documents find the diagrams they draw."""
    from ...model import Markdown, SourceLoc

    found: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is Markdown:
            if "diagram" in item.text:
                found.append(item.text)
        elif kind in _LEAVES or kind is SourceLoc:
            continue
        elif kind is tuple or kind is list:
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        else:
            names = _FIELDS.get(kind)
            if names is None:
                names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()
            stack.extend(getattr(item, name) for name in names)
    return found


def picture_keys(texts: Iterable[str], primary: str, environment: str) -> set[str]:
    """The keys of every diagram written in ``texts`` (those of the modules as the documents
    see them: more than the documents draw, never less)."""
    from ...diagrams import diagram_of, find

    keys = set()
    for text in texts:
        for _, info, content in find(text):
            diagram = diagram_of(info, content)
            if diagram is not None:
                keys.add(picture_key(diagram, primary, environment))
    return keys
