"""Output keys are derived (generator/fingerprint.py): shared code, libraries, templates and every
argument of a render are in them without anyone listing them."""

from __future__ import annotations

import dataclasses
import shutil
from functools import partial
from pathlib import Path

import pytest

from generator import build as build_module
from generator import fingerprint, registry
from generator.fingerprint import Unserialisable, digest, environment_digest
from generator.loader import load_course
from generator.paths import TEMPLATES_DIR
from tests.support import fake_target

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """The generator package as the digests see it, in a copy the test may edit."""
    copy = tmp_path / "generator"
    shutil.copytree(fingerprint.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE", copy)
    fingerprint.code_digest.cache_clear()
    yield copy
    fingerprint.code_digest.cache_clear()


@pytest.mark.parametrize("shared", ["markup.py", "outputs.py", "model.py", "loader/items.py", "targets/scorm/site.py"])
def test_any_code_of_the_package_is_in_every_key(package_copy, shared):
    before = environment_digest(TEMPLATES_DIR)
    with (package_copy / shared).open("a") as handle:
        handle.write("\n# changed\n")
    fingerprint.code_digest.cache_clear()
    assert environment_digest(TEMPLATES_DIR) != before


def test_an_upgraded_library_is_in_every_key(monkeypatch):
    before = environment_digest(TEMPLATES_DIR)
    stamps = fingerprint._library_stamps()
    assert {"nh3", "markdown_it", "pptx", "genanki", "jinja2", "yaml"} <= {stamp[0] for stamp in stamps}
    monkeypatch.setattr(fingerprint, "_library_stamps", lambda: tuple((*s[:2], 0, 0) for s in stamps))
    fingerprint.code_digest.cache_clear()
    try:
        assert environment_digest(TEMPLATES_DIR) != before
    finally:
        monkeypatch.undo()
        fingerprint.code_digest.cache_clear()


def test_a_template_of_any_target_is_in_every_key(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    before = environment_digest(templates)
    (templates / "anki" / "style.css").write_text("/* other */", "utf-8")
    assert environment_digest(templates) != before


def test_every_field_of_a_render_argument_is_in_its_key(valid_course):
    """A field the render receives changes the key, wherever it sits in the model."""
    module = valid_course.modules[0]
    base = digest(partial(fake_target.render, module), {})
    changed = dataclasses.replace(module, description=dataclasses.replace(module.description, text="Anders."))
    assert digest(partial(fake_target.render, changed), {}) != base
    lesson = dataclasses.replace(module.lessons[0], minutes=module.lessons[0].minutes + 1)
    assert digest(partial(fake_target.render, dataclasses.replace(module, lessons=(lesson,))), {}) != base
    assert digest(partial(fake_target.render, module), {}) == base


def test_a_render_that_is_not_plain_data_is_refused():
    with pytest.raises(Unserialisable):
        digest(partial(fake_target.render, object()), {})
    with pytest.raises(Unserialisable):
        digest(lambda: b"", {})


def test_a_changed_environment_renders_everything_again(valid_source, tmp_path, monkeypatch):
    monkeypatch.setitem(registry.TARGETS, "fake", "tests.support.fake_target")
    course = load_course(valid_source).course
    out = tmp_path / "out"
    build_module.build_course(course, valid_source, out, ["fake"], jobs=1)
    assert build_module.build_course(course, valid_source, out, ["fake"], jobs=1)[0].written == []
    monkeypatch.setattr(build_module, "environment_digest", lambda templates: "another environment")
    assert len(build_module.build_course(course, valid_source, out, ["fake"], jobs=1)[0].written) == 2
