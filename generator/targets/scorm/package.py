"""One SCORM package (.zip): the manifest, the schema files, the pages, the scripts, the media."""

from __future__ import annotations

from pathlib import Path

from ...model import Course
from ...outputs import zip_bytes
from . import schemas
from .content import ImageCollector
from .manifest import render_manifest
from .site import ASSETS, asset, render_module, render_overview, render_theme


def build_package(course: Course, version: str, passing_score: int, templates_dir: Path) -> bytes:
    """The bytes of the ``version`` ('1.2' or '2004') package of ``course``."""
    entries: dict[str, bytes] = {}
    module_images = ImageCollector("../")
    for module in course.modules:
        entries[f"{module.id}/index.html"] = render_module(course, module, version, passing_score, templates_dir, module_images)
    root_images = ImageCollector("")
    entries["index.html"] = render_overview(course, templates_dir, root_images)
    entries["shared/theme.css"] = render_theme(course, templates_dir)
    for name in ASSETS:
        entries[f"shared/{name}"] = asset(templates_dir, name)
    used = module_images.used | root_images.used | ({course.theme.logo} if course.theme.logo else set())
    for path in sorted(used):
        image = course.images.get(path)
        if image is not None:
            # The zip holds the plain name; pages and the manifest refer to it URL-quoted.
            entries["media/" + path] = image.data
    common = [name for name in entries if not (name.endswith("/index.html") and name.count("/") == 1)]
    entries["imsmanifest.xml"] = render_manifest(course, version, passing_score, sorted(common), templates_dir)
    for name, data in schemas.package_files(version):
        entries[name] = data
    return zip_bytes(entries, first=("imsmanifest.xml",))
