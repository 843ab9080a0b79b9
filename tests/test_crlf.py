"""A Windows editor saves `\r\n` line endings: the same course must give the same bytes, and
every diagnostic the same line and column, whatever line endings its files have."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from tests.malformed.cases import CASES
from tests.test_malformed import EXPECTED, apply_edits

ROOT = Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".json"}


def to_crlf(folder: Path) -> int:
    """Rewrite every text source file with CRLF line endings; how many were rewritten."""
    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.suffix in TEXT_SUFFIXES:
            data = path.read_bytes()
            path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
            count += b"\n" in data
    return count


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(".coursegen")
    }


def test_crlf_course_builds_the_same_bytes(tmp_path):
    lf, crlf = tmp_path / "lf", tmp_path / "crlf"
    shutil.copytree(ROOT / "course_source", lf)
    # settle the anki state first (an edited source gets new note times), so both copies share it
    assert main(["build", "--source", str(lf), "--out", str(tmp_path / "settle"), "--target", "anki", "--quiet"]) == 0
    shutil.copytree(lf, crlf)
    kinds = {p.suffix for p in crlf.rglob("*") if p.suffix in TEXT_SUFFIXES}
    assert to_crlf(crlf) > 50 and kinds >= {".md", ".yaml", ".json"}  # lessons, YAML, the anki state
    assert main(["build", "--source", str(lf), "--out", str(tmp_path / "out-lf"), "--clean", "--quiet"]) == 0
    assert main(["build", "--source", str(crlf), "--out", str(tmp_path / "out-crlf"), "--clean", "--quiet"]) == 0
    built_lf, built_crlf = snapshot(tmp_path / "out-lf"), snapshot(tmp_path / "out-crlf")
    assert built_lf.keys() == built_crlf.keys()
    assert [name for name in built_lf if built_lf[name] != built_crlf[name]] == []


TEXT_CASES = [(name, edits) for name, edits in CASES if all(op[0] != "bytes" for op in edits)]


@pytest.mark.parametrize("name,edits", TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_diagnostics_keep_line_and_column_with_crlf(name, edits, valid_source: Path, capsys):
    apply_edits(valid_source, edits)
    to_crlf(valid_source)
    code = main(["check", "--source", str(valid_source)])
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert code == 1
    assert errors == (EXPECTED / f"{name}.txt").read_text("utf-8").splitlines()
