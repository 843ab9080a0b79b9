"""Loading: the whole course source into one validated ``Course``, or diagnostics.

Nothing is built until everything has loaded and passed the cross-checks; see
``load_course``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics
from ..model import Course

if TYPE_CHECKING:
    from .cache import ModuleCache


@dataclass(frozen=True)
class LoadResult:
    course: Course | None
    diagnostics: Diagnostics

    def ok(self, strict: bool = False) -> bool:
        return self.course is not None and not self.diagnostics.has_errors(strict)


def load_course(source: Path, module_cache: ModuleCache | None = None) -> LoadResult:
    """Read, check and cross-check the course in ``source``. ``course`` is None on any error.

    With ``module_cache``, module folders unchanged since an earlier load are not read again."""
    from .course import CourseLoader  # here, so a cached load never imports the parsers

    diag = Diagnostics()
    course = CourseLoader(Path(source), diag, module_cache).load()
    if diag.errors:
        course = None
    return LoadResult(course, diag)
