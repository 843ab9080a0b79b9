"""Diagnostics that lead to the cause (issue 19, point 3) and the last-resort handler
(point 4), on the shipped course: one typo in a definitions file is at most three error
lines, the closing line counts errors and warnings, and a bug is 'internal error', exit 3."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cli
from tests.conftest import SHIPPED_SOURCE


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("shipped") / "source"
    shutil.copytree(SHIPPED_SOURCE, target)
    return target


def _check(source: Path, capsys) -> tuple[int, list[str], list[str]]:
    code = cli.main(["check", "--source", str(source)])
    lines = capsys.readouterr().err.splitlines()
    return code, [line for line in lines if ": error: " in line], lines


@pytest.mark.parametrize(
    "path,old,new",
    [
        ("references.yaml", '  cite: "Ainsworth"', "  cite: Ainsworth: 1978"),  # a colon: YAML syntax error
        ("references.yaml", '  cite: "Alpert"', "  cite: [Alpert"),
        ("concepts/04-epstein.yaml", "    label: Ouderschap", "    label: Ouderschap: thuis"),
    ],
)
def test_one_typo_in_a_definitions_file_is_at_most_three_error_lines(path, old, new, shipped_copy, capsys):
    file = shipped_copy / path
    original = file.read_text("utf-8")
    assert old in original
    file.write_text(original.replace(old, new, 1), "utf-8")
    try:
        code, errors, lines = _check(shipped_copy, capsys)
    finally:
        file.write_text(original, "utf-8")
    assert code == 1
    assert 1 <= len(errors) <= 3, errors[:10]
    assert all(line.startswith(path + ":") for line in errors), errors
    assert lines[-1].endswith(" warnings") and lines[-1].startswith(f"{len(errors)} error")


def test_closing_line_counts_errors_and_warnings(valid_source, capsys):
    (valid_source / "modules/01-basis/quiz.yml").write_text("[]\n", "utf-8")
    code, errors, lines = _check(valid_source, capsys)
    warnings = [line for line in lines if ": warning: " in line]
    assert code == 0 and not errors
    assert lines[-1] == f"0 errors, {len(warnings)} warning{'' if len(warnings) == 1 else 's'}"


def test_unexpected_exception_is_an_internal_error_exit_3(valid_source, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    (out / "slides").mkdir(parents=True)
    (out / "slides" / "earlier.pptx").write_bytes(b"an earlier deck")

    def broken(*args, **kwargs):
        raise ValueError("something nobody foresaw")

    import generator.build

    monkeypatch.setattr(generator.build, "build_course", broken)
    code = cli.main(["build", "--source", str(valid_source), "--out", str(out), "--clean"])
    err = capsys.readouterr().err
    assert code == 3
    assert "coursegen: internal error: ValueError: something nobody foresaw" in err
    assert "Traceback" not in err
    assert [p.name for p in out.rglob("*") if p.is_file()] == ["earlier.pptx"]


@pytest.mark.parametrize(
    "state", ['{"format": 1, "edition": 1e400, "notes": {}, "note_types": {}}', "[" * 100_000], ids=["1e400", "deep-nesting"]
)
def test_a_damaged_anki_state_is_an_error_not_a_crash(state, valid_source, tmp_path, capsys):
    (valid_source / "anki-state.json").write_text(state, "utf-8")
    code = cli.main(["build", "--source", str(valid_source), "--out", str(tmp_path / "out"), "--target", "anki"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "cannot read the Anki state file" in err and "internal error" not in err


def test_watch_survives_a_target_error(valid_source, tmp_path, capsys):
    from generator.progress import BuildProgress
    from generator.watch import _rebuild

    course_yaml = valid_source / "course.yaml"
    course_yaml.write_text(course_yaml.read_text("utf-8").replace("template: default", "template: ../../huis.pptx"), "utf-8")
    assert _rebuild(valid_source, tmp_path / "out", ["slides"], BuildProgress(quiet=True)) is False
    assert "targets.slides.template: '../../huis.pptx' lies outside" in capsys.readouterr().err
