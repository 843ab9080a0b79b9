"""Reading source files safely: inside the source root, UTF-8, not empty, not huge."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from ..diagnostics import Diagnostics
from ..model import SourceLoc
from ..portable import read_flags

MAX_TEXT_BYTES = 1_000_000
MAX_IMAGE_BYTES = 5_000_000
# Characters no output can hold (XML 1.0 forbids C0 controls and U+FFFE/U+FFFF; an Anki note
# splits its fields on U+001F) or that YAML and editors count as a line break while the
# file's lines do not (U+0085, U+2028, U+2029), which would shift every later line number.
FORBIDDEN_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
LINE_SEPARATORS = {"\x85": "next line (U+0085)", "\u2028": "line separator (U+2028)", "\u2029": "paragraph separator (U+2029)"}
MAX_REPORTED_CHARACTERS = 5
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml"}


class SourceTree:
    """The course source folder. Every path handed out is relative to it, in POSIX form.

    ``consulted`` collects every path checked with ``inside``, which every read of a file
    (text or image) starts with, and ``digests`` the SHA-256 of the bytes of every file read:
    the model cache's record of what the load depended on (cache.py)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.consulted: set[str] = set()
        self.digests: dict[str, str] = {}

    def read_bytes(self, path: Path, limit: int) -> bytes | None:
        """The file's bytes, or None when it is larger than ``limit`` (then it is not read).
        Only a regular file is read: a pipe or a device raises ``OSError`` instead of hanging."""
        fd = os.open(path, read_flags())
        with open(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise (
                    IsADirectoryError(21, "not a regular file")
                    if stat.S_ISDIR(info.st_mode)
                    else OSError(0, "not a regular file")
                )
            if info.st_size > limit:
                return None
            data = handle.read(limit + 1)
        if len(data) > limit:
            return None
        self.digests[self.rel(path)] = hashlib.sha256(data).hexdigest()
        return data

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def inside(self, path: Path) -> bool:
        """True when ``path``, with every symbolic link followed, stays inside the source root."""
        self.consulted.add(self.rel(path))
        try:
            path.resolve().relative_to(self.real_root)
            return True
        except (ValueError, OSError, RuntimeError):
            return False

    def read_text(self, path: Path, diag: Diagnostics, loc: SourceLoc | None = None) -> str | None:
        rel = self.rel(path)
        here = loc or SourceLoc(rel, 1, 1)
        if not self.inside(path):
            diag.error(here, f"'{rel}' points outside the course source folder (a symbolic link?)")
            return None
        kind = special_file_kind(path)
        if kind:
            diag.error(here, f"'{rel}' is {kind}, not a file; remove it from the course source")
            return None
        try:
            data = self.read_bytes(path, MAX_TEXT_BYTES)
        except FileNotFoundError:
            diag.error(here, f"file '{rel}' does not exist")
            return None
        except OSError as exc:
            diag.error(here, f"cannot read '{rel}': {exc.strerror or exc}")
            return None
        if data is None:
            size = path.stat().st_size
            diag.error(SourceLoc(rel, 1, 1), f"file is too large ({size / 1_000_000:.1f} MB; a source file may be at most 1 MB)")
            return None
        if data.startswith(b"\xef\xbb\xbf"):
            diag.error(SourceLoc(rel, 1, 1), "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            diag.error(SourceLoc(rel, line, col), "file is not valid UTF-8; save it with UTF-8 encoding")
            return None
        if not text.strip():
            diag.error(SourceLoc(rel, 1, 1), "file is empty")
            return None
        if "\x00" in text:
            diag.error(SourceLoc(rel, 1, 1), "file contains a NUL character; is it a text file?")
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _without_forbidden_characters(text, rel, diag)


def special_file_kind(path: Path) -> str:
    """'a FIFO', 'a socket', 'a device' for such a path (found without opening it), else ''."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return ""


def _without_forbidden_characters(text: str, rel: str, diag: Diagnostics) -> str:
    """Report every control character and line separator at its place; go on reading with a
    space in its stead, so later positions and problems are still right."""
    found = list(FORBIDDEN_CHARACTERS.finditer(text))
    if not found:
        return text
    for number, match in enumerate(found[:MAX_REPORTED_CHARACTERS], start=1):
        index = match.start()
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        char = match.group()
        if char in LINE_SEPARATORS:
            message = f"a {LINE_SEPARATORS[char]} is not allowed; use a normal line break or a space"
        else:
            message = f"control character U+{ord(char):04X} is not allowed (no slide, page or card can hold it); remove it"
        if number == MAX_REPORTED_CHARACTERS and len(found) > number:
            message += f" (and {len(found) - MAX_REPORTED_CHARACTERS} more in this file)"
        diag.error(SourceLoc(rel, line, col), message)
    return FORBIDDEN_CHARACTERS.sub(" ", text)
