"""Incremental, atomic builds: unchanged inputs write nothing, an edit rebuilds only its outputs,
a failure leaves earlier outputs whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import fake_target


@pytest.fixture(autouse=True)
def fake_registry(monkeypatch):
    fake_target.install(monkeypatch)


def _build(source: Path, out: Path, clean: bool = False):
    return fake_target.build(source, out, clean)


def _state(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / "fake").iterdir()}


def test_first_build_writes_everything(valid_source, tmp_path):
    report = _build(valid_source, tmp_path / "out")
    assert sorted(report.written) == ["fake/m01-basis.txt", "fake/m02-school.txt"]
    assert report.counts == {"modules": 2}


def test_noop_rebuild_writes_nothing(valid_source, tmp_path):
    out = tmp_path / "out"
    _build(valid_source, out)
    before = _state(out)
    fake_target.RENDERED.clear()
    report = _build(valid_source, out)
    assert report.written == [] and len(report.cached) == 2
    assert fake_target.RENDERED == []
    assert _state(out) == before


def test_editing_one_lesson_rebuilds_only_its_module(valid_source, tmp_path):
    out = tmp_path / "out"
    _build(valid_source, out)
    lesson = valid_source / "modules/02-school/lessons/01-knof-swick.md"
    lesson.write_text(lesson.read_text("utf-8").replace("## Een goede relatie", "## Een sterke relatie"), "utf-8")
    fake_target.RENDERED.clear()
    report = _build(valid_source, out)
    assert report.written == ["fake/m02-school.txt"]
    assert fake_target.RENDERED == ["m02-school"]
    assert "Een sterke relatie" in (out / "fake/m02-school.txt").read_text("utf-8")


def test_clean_rebuilds_everything(valid_source, tmp_path):
    out = tmp_path / "out"
    _build(valid_source, out)
    assert len(_build(valid_source, out, clean=True).written) == 2


def test_a_tampered_output_is_rewritten(valid_source, tmp_path):
    out = tmp_path / "out"
    _build(valid_source, out)
    (out / "fake/m01-basis.txt").write_text("kapot")
    assert _build(valid_source, out).written == ["fake/m01-basis.txt"]


def test_failing_build_leaves_previous_outputs(valid_source, tmp_path):
    out = tmp_path / "out"
    _build(valid_source, out)
    before = {p.name: p.read_bytes() for p in (out / "fake").iterdir()}
    # A module dropped too: its output is no longer planned, and must outlive the failure.
    course_yaml = valid_source / "course.yaml"
    course_yaml.write_text(course_yaml.read_text("utf-8").replace("  - modules/02-school\n", ""), "utf-8")
    lesson = valid_source / "modules/01-basis/lessons/01-epstein.md"
    lesson.write_text(lesson.read_text("utf-8").replace("## Ouderschap", "## Ouderrol"), "utf-8")
    fake_target.FAIL_ON.add("m01-basis")
    with pytest.raises(RuntimeError):
        _build(valid_source, out)
    assert {p.name: p.read_bytes() for p in (out / "fake").iterdir()} == before
    assert not [p for p in out.rglob("*") if p.name.startswith(".coursegen-tmp-")], "no temporary files left behind"


def test_removed_module_output_is_removed(valid_source, tmp_path):
    out = tmp_path / "out"
    _build(valid_source, out)
    course_yaml = valid_source / "course.yaml"
    course_yaml.write_text(course_yaml.read_text("utf-8").replace("  - modules/02-school\n", ""), "utf-8")
    # the removed module's concepts and references are then unused: only warnings
    report = _build(valid_source, out)
    assert report.removed == ["fake/m02-school.txt"]
    assert not (out / "fake/m02-school.txt").exists()


# -- the real targets, through the command line ---------------------------------------------


def _files(out: Path) -> dict[str, tuple[int, int]]:
    """Every file in the output folder, caches included, with its inode and modification time."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}


def test_real_targets_noop_writes_nothing_and_an_edit_rewrites_only_its_outputs(valid_source, tmp_path):
    from generator.cli import main

    out = tmp_path / "out"
    build = ["build", "--quiet", "--source", str(valid_source), "--out", str(out)]
    assert main(build) == 0
    before = _files(out)
    assert main(build) == 0
    assert _files(out) == before  # not an output, not a cache, not the state file touched

    lesson = valid_source / "modules/02-school/lessons/01-knof-swick.md"
    lesson.write_text(lesson.read_text("utf-8").replace("## Een goede relatie", "## Een sterke relatie"), "utf-8")
    assert main(build) == 0
    after = _files(out)
    outputs = {name for name in after if not name.startswith((".coursegen", "fake/"))}  # fake: this file's test target
    changed = {name for name in outputs if after[name] != before.get(name)}
    assert changed == {
        "slides/m02-school.pptx",
        "slides/mini-partnerschap.pptx",
        "scorm/mini-partnerschap-scorm12.zip",
        "scorm/mini-partnerschap-scorm2004.zip",
        "docx/m02-school-draaiboek.docx",
        "docx/m02-school-werkboek.docx",
    }
    assert {
        "slides/m01-basis.pptx",
        "anki/mini-partnerschap.apkg",
        "docx/m01-basis-draaiboek.docx",
        "docx/m01-basis-werkboek.docx",
    } <= outputs - changed
