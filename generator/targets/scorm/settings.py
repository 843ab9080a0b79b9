"""The SCORM target's settings (course.yaml ``targets.scorm``; the test design may differ per
module, in module.yaml), and the settings one module's test runs with."""

from __future__ import annotations

from ...loader.fields import Field

MAX_POOL = 99  # a pool, the tries and the retakes fit suspend_data's budget (pages.py)
MAX_TRIES = 9
MAX_RETAKES = 99

SETTINGS = {
    "versions": Field(
        "strlist", False, "SCORM versions to package: '1.2' and/or '2004'.", ("1.2", "2004"), default=("1.2", "2004")
    ),
    "passing_score": Field("int", False, "Percentage of quiz points needed to pass (0-100).", default=70, minimum=0, maximum=100),
    # The test design (docs/scorm.md, "Test settings"); each may differ per module (module.yaml
    # targets.scorm).
    "pool": Field(
        "int",
        False,
        "Questions drawn per attempt from the module's graded items, or 'all'.",
        default="all",
        minimum=1,
        maximum=MAX_POOL,
        per_module=True,
        words=("all",),
    ),
    "tries": Field(
        "int",
        False,
        "Tries per graded question, with feedback between tries.",
        default=1,
        minimum=1,
        maximum=MAX_TRIES,
        per_module=True,
    ),
    "retakes": Field(
        "int",
        False,
        "Retakes of the whole test after the first attempt, or 'unlimited'.",
        default="unlimited",
        minimum=0,
        maximum=MAX_RETAKES,
        per_module=True,
        words=("unlimited",),
    ),
    "retake_score": Field(
        "str", False, "Which attempt's score counts: 'best' or 'last'.", ("best", "last"), default="best", per_module=True
    ),
    "unlock_after_lessons": Field(
        "bool", False, "The test opens once every lesson page was visited.", default=True, per_module=True
    ),
    "partial_credit": Field(
        "bool", False, "Multiple-response and matching items score the share right.", default=True, per_module=True
    ),
}


def module_settings(course, module) -> dict:
    """The SCORM settings of one module: the course's, with what its module.yaml overrides."""
    settings = {key: field.default for key, field in SETTINGS.items()}
    settings.update(course.settings("scorm"))
    settings.update(module.targets.get("scorm", {}))
    return settings
