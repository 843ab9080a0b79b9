"""Target 'scorm': the course as SCORM 1.2 and SCORM 2004 4th Edition packages.

``OUT/scorm/<course id>-scorm12.zip`` and ``OUT/scorm/<course id>-scorm2004.zip`` (per the
``versions`` setting). Each package holds one SCO per module: a single HTML page with the
module's lessons, vignettes, quiz and result, and a small runtime script that talks to the
LMS (or, opened without one, keeps progress in localStorage). See docs/scorm.md.

Modules: ``pages`` (the learner's pages of a module), ``content`` (Markdown to sanitised
HTML), ``site`` (the templates), ``manifest``, ``package`` (the zip), ``schemas`` (the
official XSDs and an offline validator), ``colours`` (theme contrast).
"""

from __future__ import annotations

from functools import partial

from ...outputs import Output
from .settings import SETTINGS, module_settings  # noqa: F401  (the registry reads SETTINGS here)

FILE_SUFFIX = {"1.2": "scorm12", "2004": "scorm2004"}


def plan(course, context) -> list[Output]:
    """One Output per SCORM version in the course's ``targets.scorm.versions``."""
    from ...fingerprint import environment_digest
    from ...outputs import cache_folder
    from .cache import ScormCache, page_keys
    from .package import build_package

    settings = course.settings("scorm")
    versions = [v for v in ("1.2", "2004") if v in tuple(settings.get("versions", ("1.2", "2004")))]
    passing_score = max(0, min(100, int(settings.get("passing_score", 70))))
    # Pages are cached beside the outputs (see cache.py); --clean starts that cache afresh.
    folder = cache_folder(context.out_dir, "scorm")
    cache = ScormCache(folder) if folder is not None else None
    keys = page_keys(
        course, passing_score, context.templates_dir, context.environment or environment_digest(context.templates_dir)
    )
    if cache is not None:
        if not context.use_cache:
            cache.clear()
        cache.prune(set(keys.values()) if versions else set())
    # Per package: a start page, every section, vignette and question, and a result page per module.
    pages = sum(2 + sum(len(lesson.sections) for lesson in m.lessons) + len(m.vignettes) + len(m.quiz) for m in course.modules)
    questions = sum(len(m.quiz) for m in course.modules)
    return [
        Output(
            path=f"scorm/{course.id}-{FILE_SUFFIX[version]}.zip",
            # Every other package walks the modules backwards: rendered at the same time as the
            # one before, each renders about half the pages and takes the rest from the other.
            render=partial(
                build_package, course, version, passing_score, context.templates_dir, cache, keys, index % 2 == 1, tuple(versions)
            ),
            # The packages hold the same pages: count them once, with the first.
            counts={"packages": 1, "pages": pages, "quiz items": questions} if index == 0 else {"packages": 1},
        )
        for index, version in enumerate(versions)
    ]
