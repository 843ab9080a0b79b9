"""The few things the build does that operating systems do differently, each with a path for
Linux, for other POSIX systems (macOS) and for Windows.

Nothing else in ``generator/`` calls a POSIX- or Linux-only function or flag directly (a test,
tests/test_portable.py, reads the source to keep it so)."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
import time
from pathlib import Path

# How often a render worker outside Linux looks whether its build is still there.
PARENT_POLL_SECONDS = 0.5


def read_flags(follow_links: bool = True) -> int:
    """``os.open`` flags to read a file's bytes as they are: binary (Windows would otherwise
    turn ``\\r\\n`` into ``\\n`` and stop at the first Ctrl-Z), not blocking on a pipe (POSIX),
    and, with ``follow_links`` False, refusing a symbolic link (POSIX). Looked up on each call:
    a flag this system lacks is simply left out."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    return flags


def regular_file_hash(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes, read in pieces; None for anything else (a
    symbolic link, a pipe, a device, a folder, a missing file)."""
    try:
        fd = os.open(path, read_flags(follow_links=False))
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


def process_alive(pid: int) -> bool | None:
    """True if process ``pid`` runs, False if it does not, None if this cannot be told.

    On Windows ``os.kill(pid, 0)`` does not test a process: it ends it (TerminateProcess), so
    there the answer is always None and the caller decides by other means (a claim's age)."""
    if os.name != "posix" or sys.platform == "win32" or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # (no process has a number that large)
        return False
    except OSError:  # it exists, but belongs to someone else
        return True
    return True


def _parent_death_signal() -> bool:
    """Linux: ask the kernel to SIGKILL this process when its parent dies. True if it did."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import signal

        return ctypes.CDLL(None).prctl(1, signal.SIGKILL) == 0  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):
        return False


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_POLL_SECONDS)
        if os.getppid() != parent:  # the build died; this process was handed to another parent
            os._exit(1)


def die_with_parent(parent: int) -> None:
    """Start-up of a forked render worker: when the build (``parent``) dies, even by SIGKILL,
    the worker ends too instead of rendering on for nobody.

    Linux: the kernel's parent-death signal. Other POSIX systems (macOS), or when that fails:
    a daemon thread that looks every ``PARENT_POLL_SECONDS`` whether the parent changed. A
    worker whose parent is already gone stops at once. Windows has no ``fork``; the build
    renders in its own process there (``build._render_all``) and never calls this."""
    if os.getppid() != parent:
        os._exit(1)
    if _parent_death_signal():
        if os.getppid() != parent:  # died between the look above and the request
            os._exit(1)
        return
    threading.Thread(target=_watch_parent, args=(parent,), name="coursegen-watch-parent", daemon=True).start()


def spelled_on_disk(root: Path, rel: str) -> str | None:
    """``rel`` (a POSIX path inside ``root``) as the folder listings spell it, when it exists
    only in other capitals ("Figuren/Model.png" for "figuren/model.png"); None when it exists
    as written or not at all.

    Windows and macOS find a file whatever its capitals; Linux and web servers do not. The
    loader reports such a path on every system, so a source that builds on one builds on all."""
    folder, spelled = root, []
    for part in rel.split("/"):
        try:
            names = os.listdir(folder)
        except OSError:
            return None
        if part not in names:
            same = [name for name in names if name.casefold() == part.casefold()]
            if len(same) != 1:
                return None
            part = same[0]
        spelled.append(part)
        folder = folder / part
    found = "/".join(spelled)
    return None if found == rel else found


def files_named(folder: Path, suffix: str) -> list[Path]:
    """The entries of ``folder`` whose names end in ``suffix`` exactly, hidden names left out,
    in the order of their names' code points.

    ``folder.glob("*.md")`` on Windows also matches "Intro.MD", and Windows paths sort
    ignoring capitals ("a.md" before "B.md"; Linux puts "B.md" first): the same source would
    give other lessons, in another order."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [folder / name for name in sorted(names) if name.endswith(suffix) and not name.startswith(".")]
