"""The malformed-source corpus (tests/malformed/cases.py): every case prints exactly its
expected diagnostics (golden files in tests/malformed/expected/), exits 1, raises nothing,
and leaves earlier outputs untouched.

Regenerate the golden files after a deliberate message change with
``python tests/update_golden.py malformed`` (the test itself never writes them).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from tests.malformed.cases import CASES, WARNING_CASES

ROOT = Path(__file__).resolve().parent
EXPECTED = ROOT / "malformed" / "expected"


def apply_edits(root: Path, edits) -> None:
    for op in edits:
        kind, path = op[0], root / op[1]
        if kind == "replace":
            text = path.read_text("utf-8")
            assert op[2] in text, f"case edit does not apply: {op[2]!r} not in {op[1]}"
            path.write_text(text.replace(op[2], op[3], 1), "utf-8")
        elif kind == "write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(op[2], "utf-8")
        elif kind == "bytes":
            path.write_bytes(op[2])
        elif kind == "remove":
            path.unlink()
        elif kind == "symlink":
            os.symlink(op[2], path)
        elif kind == "copy":
            shutil.copytree(path, root / op[2])
        elif kind == "files":  # ("files", folder, count): that many small files
            path.mkdir(parents=True, exist_ok=True)
            for number in range(op[2]):
                (path / f"{number}.txt").write_bytes(b"x")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "rename":
            path.rename(root / op[2])
        else:
            raise AssertionError(f"unknown edit {kind}")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_is_large_and_names_are_unique():
    names = [name for name, _ in CASES]
    assert len(names) >= 40
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("name,edits", CASES, ids=[c[0] for c in CASES])
def test_malformed_source(name, edits, valid_source: Path, tmp_path: Path, capsys):
    apply_edits(valid_source, edits)
    out = tmp_path / "out"
    (out / "slides").mkdir(parents=True)
    (out / "slides" / "earlier.pptx").write_bytes(b"an earlier good deck")
    before = _snapshot(out)

    code = main(["build", "--source", str(valid_source), "--out", str(out)])

    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if ": error: " in line]
    golden = EXPECTED / f"{name}.txt"
    assert code == 1
    assert errors == golden.read_text("utf-8").splitlines()
    assert "Traceback" not in captured.err
    assert _snapshot(out) == before, "a failed build must not touch earlier outputs"


def source_warnings(stderr: str) -> list[str]:
    """The warning lines of ``stderr`` without the item-writing rules' (Q1-Q9, C1-C8)."""
    return [line for line in stderr.splitlines() if ": warning: " in line and not re.search(r": warning: [QC]\d+: ", line)]


@pytest.mark.parametrize("name,edits", WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_accounted_for(name, edits, valid_source: Path, capsys):
    """Sources that load, but with something the author should hear about: exactly the
    expected warnings (golden files in tests/malformed/expected/warnings/; the item-writing
    rules' warnings, Q1-Q9 and C1-C8, are left out), and an error under --strict."""
    apply_edits(valid_source, edits)
    code = main(["check", "--source", str(valid_source)])
    captured = capsys.readouterr()
    warnings = source_warnings(captured.err)
    golden = EXPECTED / "warnings" / f"{name}.txt"
    assert "Traceback" not in captured.err
    assert code == 0
    assert warnings == golden.read_text("utf-8").splitlines()
    if warnings:
        assert main(["check", "--strict", "--source", str(valid_source)]) == 1


def test_ten_mistakes_fixture(capsys):
    """The fixture with ten different mistakes yields ten diagnostics, each at its place."""
    code = main(["check", "--source", str(ROOT / "fixtures" / "ten-mistakes")])
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert code == 1
    assert errors == (ROOT / "fixtures" / "ten-mistakes.expected").read_text("utf-8").splitlines()
    assert len(errors) == 10
