"""An institute's template file, named by a target setting in course.yaml: where it is, or why
it cannot be used. Shared by the targets that take one (slides: .pptx, docx: .docx)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from .outputs import TargetError
from .portable import spelled_on_disk


def template_path(name: str, source_dir: Path, setting: str, suffix: str, save_as: str, error: type[TargetError]) -> Path:
    """The file ``name`` (as written in ``setting``) names inside the course source; raises
    ``error`` when it is a Windows or absolute path, outside the source, not a ``suffix`` file
    (``save_as`` says how to make one), or not there (also: there with other capitals)."""
    if "\\" in name:
        raise error(
            f"{setting}: '{name}' uses backslashes; write the path with forward slashes "
            f"('{name.replace(chr(92), '/')}'), which work on Windows, macOS and Linux"
        )
    if name.startswith("/") or re.match(r"^[a-zA-Z]:", name):
        raise error(
            f"{setting}: '{name}' is an absolute path; put the template in the course source and write "
            f"its path relative to course.yaml"
        )
    path = Path(source_dir) / name
    if not path.resolve().is_relative_to(Path(source_dir).resolve()):
        raise error(f"{setting}: '{name}' lies outside the course source folder; the build reads only the course source")
    if path.suffix.lower() != suffix:
        raise error(f"{setting}: '{name}' must be a {suffix} file ({save_as})")
    spelled = spelled_on_disk(Path(source_dir), posixpath.normpath(name))
    if spelled:
        raise error(
            f"{setting}: '{name}' not found: the file is '{spelled}'; write its capitals exactly so (Linux tells them apart)"
        )
    if not path.is_file():
        raise error(f"{setting}: '{name}' not found (the path is relative to course.yaml)")
    return path
