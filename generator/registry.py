"""The targets the compiler can build. Adding a target: one module in ``generator/targets/``
and one line here. Target modules keep heavy imports inside ``build`` so that listing
targets (and reading their settings schema) stays cheap."""

from __future__ import annotations

import importlib
from types import ModuleType

TARGETS: dict[str, str] = {
    "slides": "generator.targets.slides",
    "scorm": "generator.targets.scorm",
    "anki": "generator.targets.anki",
    "docx": "generator.targets.docx",
}


def target_module(name: str) -> ModuleType:
    return importlib.import_module(TARGETS[name])


def settings_schemas() -> dict[str, dict]:
    """Each target's ``SETTINGS`` schema (name -> Field), for validating course.yaml."""
    return {name: getattr(target_module(name), "SETTINGS", {}) for name in TARGETS}
