"""The writing rules' warnings of the last build, kept in ``OUT/.coursegen-lint.pickle``.

Checking every quiz item and card takes a few tenths of a second, more than a whole no-op
rebuild, so ``coursegen build`` answers an unchanged course from this file. The key is a
digest of the rules' code and of every part of the model the rules read (``_read_by_rules``;
their ``repr``: plain frozen data, so equal parts give equal keys). A rule that starts to
read another part of the model must add it there. A missing, old or damaged file only costs
checking again; deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from .diagnostics import Diagnostic
from .model import Course
from .outputs import write_atomic

CACHE_NAME = ".coursegen-lint.pickle"
_RULES_CODE = Path(__file__).resolve().parent / "lint"


def _key(course: Course) -> bytes:
    digest = hashlib.sha256(b"coursegen-lint 1\n")
    for path in sorted(_RULES_CODE.glob("*.py")):
        digest.update(path.read_bytes())
    digest.update(repr(_read_by_rules(course)).encode())
    return digest.hexdigest().encode() + b"\n"


def _read_by_rules(course: Course) -> tuple:
    """What generator/lint reads: per module its id, place, quiz items, cards, the items its
    lessons use as knowledge checks and its settings; the references; the course's settings."""
    modules = tuple((m.id, m.loc, m.quiz, m.flashcards,
                     tuple(getattr(section, "checks", ()) for lesson in m.lessons for section in lesson.sections),
                     getattr(m, "targets", None)) for m in course.modules)
    return modules, tuple(course.references.values()), course.targets


def lint_cached(course: Course, cache_dir: Path | None, keep: bool = True) -> list[Diagnostic]:
    """``lint_course(course)``, from ``cache_dir``'s file when the course has not changed.
    A new result is written only when ``keep`` (a build that goes on), so a build stopped by
    ``--strict`` leaves the output folder as it was."""
    from .lint import lint_course

    if cache_dir is None:
        return lint_course(course)
    cache_file = Path(cache_dir) / CACHE_NAME
    header = _key(course)
    try:
        data = cache_file.read_bytes()
        if data.startswith(header):
            found = pickle.loads(memoryview(data)[len(header):])
            if isinstance(found, list) and all(isinstance(d, Diagnostic) for d in found):
                return found
    except Exception:  # a missing, old or damaged cache only costs checking again
        pass
    found = lint_course(course)
    if keep or not found:
        try:
            write_atomic(cache_file, header + pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError):
            pass  # no cache, only a slower next build
    return found
