"""``imsmanifest.xml`` for SCORM 1.2 and SCORM 2004 4th Edition.

One SCO per module (see docs/scorm.md for why). Every identifier comes from the course and
module ids — never from a random number or the clock — so that a course uploaded again keeps
its learners' records in the LMS:

* manifest ``course-<course id>``, organization ``org-<course id>``
* per module: item ``item-<module id>``, resource ``res-<module id>``, objective ``obj-<module id>``
* the shared files: resource ``res-shared``
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ...model import Course
from .content import plain
from .schemas import schema_locations
from .site import environment


@dataclass(frozen=True)
class Sco:
    item: str
    resource: str
    objective: str
    href: str
    title: str
    has_quiz: bool


def identifiers(course: Course) -> dict[str, str]:
    return {
        "manifest": f"course-{course.id}",
        "organization": f"org-{course.id}",
        "common": "res-shared",
    }


def scos(course: Course) -> list[Sco]:
    return [
        Sco(f"item-{m.id}", f"res-{m.id}", f"obj-{m.id}", f"{m.id}/index.html", f"{m.number}. {m.title}", bool(m.quiz))
        for m in course.modules
    ]


@dataclass(frozen=True)
class ManifestCourse:
    """What the manifest templates see of the course: its own fields (the modules come as
    ``scos``). Kept this small so that the cached manifest (cache.py) follows what it shows."""

    id: str
    title: str
    subtitle: str
    language: str
    version: str
    authors: tuple[str, ...]
    licence: str


def manifest_inputs(course: Course, version: str, passing_score: int) -> tuple:
    """Everything a manifest depends on but the list of shared files (for its cache key)."""
    return (
        ManifestCourse(
            course.id, course.title, course.subtitle, course.language, course.version, tuple(course.authors), course.licence
        ),
        course.description.text,
        tuple(scos(course)),
        version,
        passing_score,
        schema_locations(version),
    )


def render_manifest(course: Course, version: str, passing_score: int, common_files: list[str], templates_dir: Path) -> bytes:
    """The manifest of the ``version`` package; ``common_files`` are the shared files' paths."""
    template = environment(templates_dir).get_template(f"imsmanifest-{version}.xml")
    return template.render(
        course=manifest_inputs(course, version, passing_score)[0],
        ids=identifiers(course),
        scos=scos(course),
        common_files=[quote(name, safe="/") for name in sorted(common_files)],
        passing_score=passing_score,
        scaled_passing_score=f"{passing_score / 100:.2f}".rstrip("0").rstrip(".")
        if passing_score % 100
        else str(passing_score // 100),
        description=plain(course.description, 1000),
        schema_locations=schema_locations(version),
    ).encode("utf-8")
