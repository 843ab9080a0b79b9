"""Loading: the whole course source into one validated ``Course``, or diagnostics.

Nothing is built until everything has loaded and passed the cross-checks; see
``load_course``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostics
from ..model import Course


@dataclass(frozen=True)
class LoadResult:
    course: Course | None
    diagnostics: Diagnostics

    def ok(self, strict: bool = False) -> bool:
        return self.course is not None and not self.diagnostics.has_errors(strict)


def load_course(source: Path, consulted: dict[str, str | None] | None = None, read_module=None) -> LoadResult:
    """Read, check and cross-check the course in ``source``. ``course`` is None on any error.

    ``consulted``, when given, receives every source path the load looked at, with the SHA-256
    of the bytes it read there (None where it read nothing): what the model cache checks.
    ``read_module`` replaces ``items.read_module`` (the cache's, which reuses earlier parses)."""
    from .course import CourseLoader  # here, so a cached load never imports the parsers

    diag = Diagnostics()
    loader = CourseLoader(Path(source), diag, **({"read_module": read_module} if read_module else {}))
    course = loader.load()
    if consulted is not None:
        consulted.update({rel: loader.tree.digests.get(rel) for rel in loader.tree.consulted})
    if diag.errors:
        course = None
    return LoadResult(course, diag)
