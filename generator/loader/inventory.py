"""Every file in the course source is accounted for.

A file the loader does not read is a warning with a hint (``quiz.yml``: did you mean
``quiz.yaml``?; a lesson saved as ``.MD``; a folder ``lesson/``), so no content is dropped
in silence. Editor and system litter is ignored; FIFOs, sockets and devices are refused
without being opened (reading one would hang or read forever).
"""

from __future__ import annotations

import os
import posixpath
import stat
from pathlib import Path

from ..diagnostics import Diagnostics
from ..model import SourceLoc
from ..suggest import did_you_mean
from .files import IMAGE_TYPES

COURSE_FILES = ("course.yaml", "references.yaml")
MODULE_FILES = ("module.yaml", "vignettes.yaml", "quiz.yaml", "cards.yaml")
STATE_FILES = ("anki-state.json",)  # written by a build into the source, on purpose
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
MAX_FILES = 5000
IGNORED_NAMES = {"Thumbs.db", "desktop.ini", "ehthumbs.db", "Icon\r"}
IGNORED_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".orig")


def is_editor_or_system_file(name: str) -> bool:
    """Lock files, backups and folder caches an editor or a file manager leaves behind."""
    return (
        name.startswith(".")
        or name in IGNORED_NAMES
        or name.endswith(IGNORED_SUFFIXES)
        or (name.startswith("#") and name.endswith("#"))
    )


def _walk(root: Path, diag: Diagnostics) -> list[str]:
    """Every file below ``root`` (relative POSIX paths), hidden and litter names skipped,
    symbolic links not followed into folders. Refuses special files; stops at MAX_FILES."""
    files: list[str] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(root / folder) if folder else os.scandir(root), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if is_editor_or_system_file(entry.name):
                continue
            rel = posixpath.join(folder, entry.name) if folder else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(rel)
                    continue
                mode = os.stat(entry.path).st_mode if entry.is_symlink() else entry.stat(follow_symlinks=False).st_mode
            except OSError:
                continue  # a dangling link: reported where it is used, if it is used
            if stat.S_ISDIR(mode):
                continue  # a link to a folder: only what the course names is read through it
            if not stat.S_ISREG(mode):
                kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
                diag.error(SourceLoc(rel, 1, 1), f"'{rel}' is {kind}, not a file; remove it from the course source")
                continue
            files.append(rel)
            if len(files) > MAX_FILES:
                diag.error(
                    SourceLoc(rel, 1, 1),
                    f"the course source holds more than {MAX_FILES:,} files (this is one "
                    f"too many); move what is not part of the course elsewhere",
                )
                return files
    return sorted(files)


def account_for_files(root: Path, module_folders: list[str], setting_paths: set[str], diag: Diagnostics) -> None:
    """Warn about every file in ``root`` that the course does not read (see the module docstring).

    ``module_folders`` are the folders course.yaml lists (normalised, relative);
    ``setting_paths`` are files known to be read: named by target settings (a slide
    template) or read by the loader (``SourceTree.consulted``)."""
    modules = set(module_folders)
    warned_folders: set[str] = set()
    for rel in _walk(root, diag):
        folder, name = posixpath.split(rel)
        if _is_read(rel, folder, name, modules, setting_paths):
            continue
        hint = _hint(rel, folder, name, modules, root)
        if hint is None:
            continue
        if hint[0] == "folder":
            _, where, message = hint
            if where not in warned_folders:
                warned_folders.add(where)
                diag.warning(SourceLoc(where, 1, 1), message)
            continue
        diag.warning(SourceLoc(rel, 1, 1), hint[1])


def _is_read(rel: str, folder: str, name: str, modules: set[str], setting_paths: set[str]) -> bool:
    if rel in COURSE_FILES or rel in STATE_FILES or rel in setting_paths:
        return True
    if folder == "concepts" and name.endswith(".yaml"):
        return True
    suffix = posixpath.splitext(name)[1]
    if suffix in IMAGE_TYPES:  # images are read where they are used
        return True
    if suffix.lower() in FONT_SUFFIXES and posixpath.basename(folder) == "fonts":  # a slide template's fonts
        return True
    if folder in modules and name in MODULE_FILES:
        return True
    parent, last = posixpath.split(folder)
    return last == "lessons" and parent in modules and name.endswith(".md")


def _module_of(folder: str, modules: set[str]) -> str | None:
    while folder:
        if folder in modules:
            return folder
        folder = posixpath.dirname(folder)
    return None


def _hint(rel: str, folder: str, name: str, modules: set[str], root: Path) -> tuple | None:
    stem, suffix = posixpath.splitext(name)
    not_read = f"'{rel}' is not part of the course and is not read"
    if folder == "" or folder == "concepts":
        expected = COURSE_FILES if folder == "" else ()
        guess = did_you_mean(stem + ".yaml", expected) or (
            f" (did you mean '{stem}.yaml'?)" if suffix.lower() in (".yml", ".yaml") and suffix != ".yaml" else ""
        )
        return ("file", f"{not_read}{guess}")
    module = _module_of(folder, modules)
    if module is None:
        top = rel.split("/")
        # A module folder that course.yaml does not list: one warning for the folder.
        for depth in range(1, len(top)):
            candidate = "/".join(top[:depth])
            if (root / candidate / "module.yaml").is_file():
                return (
                    "folder",
                    candidate,
                    f"folder '{candidate}' has a module.yaml but is not listed under 'modules' in course.yaml; it is not read",
                )
        return ("file", not_read)
    inside = folder[len(module) :].lstrip("/")
    if inside == "":
        if suffix.lower() in (".yml", ".yaml") or stem.lower() + ".yaml" in MODULE_FILES:
            guess = did_you_mean(stem.lower() + ".yaml", MODULE_FILES) or did_you_mean(name, MODULE_FILES)
            return ("file", f"{not_read}{guess or ' (a module folder holds ' + ', '.join(MODULE_FILES) + ' and lessons/)'}")
        if suffix.lower() in (".md", ".markdown"):
            return ("file", f"{not_read} (lessons belong in '{module}/lessons/')")
        return ("file", f"{not_read}{did_you_mean(name, MODULE_FILES)}")
    first = inside.split("/")[0]
    if first == "lessons":
        if inside == "lessons" and suffix.lower() in (".md", ".markdown", ".mdown", ".txt"):
            return ("file", f"{not_read}: a lesson file must end in '.md' (did you mean '{stem}.md'?)")
        return ("file", f"{not_read} (only the .md files directly in lessons/ are lessons)")
    if suffix.lower() in (".md", ".markdown") and first.lower() != "lessons":
        folder_rel = posixpath.join(module, first)
        guess = did_you_mean(first, ["lessons"]) or " (lessons belong in 'lessons/')"
        return ("folder", folder_rel, f"folder '{folder_rel}' is not read{guess}")
    return ("file", not_read)
