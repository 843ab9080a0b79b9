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

import hashlib
from functools import partial

from ...loader.fields import Field
from ...outputs import Output

MAX_POOL = 99       # a pool, the tries and the retakes fit suspend_data's budget (pages.py)
MAX_TRIES = 9
MAX_RETAKES = 99

SETTINGS = {
    "versions": Field("strlist", False, "SCORM versions to package: '1.2' and/or '2004'.", ("1.2", "2004"), default=("1.2", "2004")),
    "passing_score": Field("int", False, "Percentage of quiz points needed to pass (0-100).", default=70, minimum=0, maximum=100),
    # The test design (docs/scorm.md, "Test settings"); each may differ per module (module.yaml
    # targets.scorm).
    "pool": Field("int", False, "Questions drawn per attempt from the module's graded items, or 'all'.",
                  default="all", minimum=1, maximum=MAX_POOL, per_module=True, words=("all",)),
    "tries": Field("int", False, "Tries per graded question, with feedback between tries.", default=1,
                   minimum=1, maximum=MAX_TRIES, per_module=True),
    "retakes": Field("int", False, "Retakes of the whole test after the first attempt, or 'unlimited'.",
                     default="unlimited", minimum=0, maximum=MAX_RETAKES, per_module=True, words=("unlimited",)),
    "retake_score": Field("str", False, "Which attempt's score counts: 'best' or 'last'.", ("best", "last"),
                          default="best", per_module=True),
    "unlock_after_lessons": Field("bool", False, "The test opens once every lesson page was visited.", default=True,
                                  per_module=True),
    "partial_credit": Field("bool", False, "Multiple-response and matching items score the share right.", default=True,
                            per_module=True),
}

FILE_SUFFIX = {"1.2": "scorm12", "2004": "scorm2004"}


def module_settings(course, module) -> dict:
    """The SCORM settings of one module: the course's, with what its module.yaml overrides."""
    settings = {key: field.default for key, field in SETTINGS.items()}
    settings.update(course.settings("scorm"))
    settings.update(module.targets.get("scorm", {}))
    return settings


def _course_fingerprint(course, module_digests: dict[str, str]) -> tuple:
    """Everything of the course the packages show (modules and images by hash)."""
    return (
        course.id, course.title, course.subtitle, course.language, course.version, course.authors,
        course.licence, course.description, course.theme,
        tuple(module_digests[m.id] for m in course.modules),
        tuple(sorted(course.references.items())),
        tuple((path, hashlib.sha256(image.data).hexdigest()) for path, image in sorted(course.images.items())),
    )


def plan(course, context) -> list[Output]:
    """One Output per SCORM version in the course's ``targets.scorm.versions``."""
    from . import schemas
    from .cache import ScormCache, environment_digest, module_digest, plan_keys
    from .package import build_package

    settings = course.settings("scorm")
    versions = [v for v in ("1.2", "2004") if v in tuple(settings.get("versions", ("1.2", "2004")))]
    passing_score = max(0, min(100, int(settings.get("passing_score", 70))))
    digests = {m.id: module_digest(m) for m in course.modules}
    # The outputs' fingerprint is a hash: the build compares it twice per package, and the
    # repr of a whole course is a megabyte.
    tests = tuple(tuple(sorted(module_settings(course, m).items())) for m in course.modules)
    base = hashlib.sha256(repr((_course_fingerprint(course, digests), passing_score, tests, schemas.fingerprint())).encode()).hexdigest()
    # Pages and files are cached beside the outputs (see cache.py); --clean starts that cache afresh.
    cache = ScormCache.of(context.out_dir)
    if not context.use_cache:
        cache.clear()
    keys = plan_keys(course, versions, passing_score, environment_digest(context.templates_dir), digests, base)
    cache.prune(keys.all() if versions else set(), keys.templates if versions else "")
    # Per package: a start page, every section, vignette and question, and a result page per module.
    pages = sum(2 + sum(len(lesson.sections) for lesson in m.lessons) + len(m.vignettes) + len(m.quiz) for m in course.modules)
    questions = sum(len(m.quiz) for m in course.modules)
    return [
        Output(
            path=f"scorm/{course.id}-{FILE_SUFFIX[version]}.zip",
            fingerprint=(version, base),
            # Every other package walks the modules backwards: rendered at the same time as the
            # one before, each renders about half the pages and takes the rest from the other.
            render=partial(build_package, course, version, passing_score, context.templates_dir, cache, keys,
                           index % 2 == 1, tuple(versions)),
            # The packages hold the same pages: count them once, with the first.
            counts={"packages": 1, "pages": pages, "quiz items": questions} if index == 0 else {"packages": 1},
        )
        for index, version in enumerate(versions)
    ]
