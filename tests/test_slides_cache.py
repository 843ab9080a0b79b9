"""Slides: the prepared template kept between builds gives the same decks, and only helps."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.loader import load_course
from generator.outputs import BuildContext
from generator.paths import TEMPLATES_DIR
from generator.targets import slides
from generator.targets.slides import prepared


def render_all(source: Path, out: Path, use_cache: bool = True) -> dict[str, bytes]:
    prepared._PREPARED.clear()  # as in a new build process
    course = load_course(source).course
    outputs = slides.plan(course, BuildContext(source, out, TEMPLATES_DIR, use_cache=use_cache))
    return {output.path: output.render()[0] for output in outputs}


def cache_files(out: Path) -> list[Path]:
    return sorted((out / ".coursegen-cache" / "slides").glob("template-*.pickle"))


def test_a_warm_build_does_not_open_the_template_and_gives_the_same_bytes(valid_source, tmp_path, monkeypatch):
    cold = render_all(valid_source, tmp_path)
    assert len(cache_files(tmp_path)) == 1
    monkeypatch.setattr(prepared, "_open", lambda *args: pytest.fail("the template was opened again"))
    assert render_all(valid_source, tmp_path) == cold


def test_a_damaged_cache_is_ignored_and_replaced(valid_source, tmp_path):
    cold = render_all(valid_source, tmp_path)
    [path] = cache_files(tmp_path)
    path.write_bytes(b"not a pickle")
    assert render_all(valid_source, tmp_path) == cold
    assert cache_files(tmp_path) == [path] and path.read_bytes() != b"not a pickle"


def test_other_course_colours_get_their_own_entry(valid_source, tmp_path):
    render_all(valid_source, tmp_path)
    [first] = cache_files(tmp_path)
    course_yaml = valid_source / "course.yaml"
    course_yaml.write_text(course_yaml.read_text("utf-8").replace('primary: "#1d4e89"', 'primary: "#2e7d32"'), "utf-8")
    green = render_all(valid_source, tmp_path)
    [second] = cache_files(tmp_path)
    assert second != first  # the old entry is dropped, the new one made
    assert green == render_all(valid_source, tmp_path / "cold", use_cache=False)


def test_clean_builds_neither_read_nor_write_it(valid_source, tmp_path):
    render_all(valid_source, tmp_path, use_cache=False)
    assert cache_files(tmp_path) == []


def test_the_content_type_table_is_python_pptx_s():
    from pptx.opc.spec import default_content_types

    from generator.targets.slides.package import DEFAULT_CONTENT_TYPES

    assert set(default_content_types) == DEFAULT_CONTENT_TYPES


def test_an_edited_layout_table_is_seen_by_the_same_process(valid_source, tmp_path):
    """``coursegen watch`` builds in one process: what it keeps must follow the templates."""
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    source = slides.template_source("default", valid_source, templates)
    first = prepared.prepared_template(source, templates, "#112233", "#445566")
    table = templates / "slides" / "layouts.yaml"
    table.write_text(table.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert prepared.prepared_template(source, templates, "#112233", "#445566") is not first
