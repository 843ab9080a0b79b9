"""Variants of the small fixture course with other SCORM test settings, built into the test
web site once per name (for the test design and accessibility tests)."""

from __future__ import annotations

import shutil

from generator.loader import load_course

from .server import PROJECT

FIXTURE = PROJECT / "tests" / "fixtures" / "valid"


def course_variant(site, tmp_path_factory, name: str, settings: str = "", module02: str = "", check: bool = False) -> str:
    """Build (once per name) the fixture course with extra ``targets.scorm`` lines, extra
    module.yaml lines for m02-school, and optionally a knowledge check in m01's lesson."""
    if name not in site.courses:
        source = tmp_path_factory.mktemp(name) / "source"
        shutil.copytree(FIXTURE, source)
        course_yaml = source / "course.yaml"
        course_yaml.write_text(
            course_yaml.read_text("utf-8").replace("    passing_score: 70\n", "    passing_score: 70\n" + settings), "utf-8"
        )
        if module02:
            module_yaml = source / "modules/02-school/module.yaml"
            module_yaml.write_text(module_yaml.read_text("utf-8") + module02, "utf-8")
        if check:
            lesson = source / "modules/01-basis/lessons/01-epstein.md"
            lesson.write_text(
                lesson.read_text("utf-8").replace("- *ondersteunen*\n", "- *ondersteunen*\n\n```check q-epstein-waar\n```\n"),
                "utf-8",
            )
        result = load_course(source)
        assert result.course is not None, [str(d) for d in result.diagnostics.items]
        site.add(name, result.course)
    return name
