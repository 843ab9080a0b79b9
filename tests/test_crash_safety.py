"""A build killed with SIGKILL at any moment leaves every earlier output valid and complete."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in (".pptx", ".zip", ".apkg") and not p.name.startswith(".")
    }  # not a build's temporary file


def _build(source: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--quiet", "--source", str(source), "--out", str(out), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_sigkill_never_leaves_a_broken_output(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    out = tmp_path / "out"
    first = _build(source, out)
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()
    versions: dict[str, set[bytes]] = {path: {data} for path, data in _outputs(out).items()}
    assert len(versions) >= 4, sorted(versions)
    lesson = source / "modules/01-basis/lessons/01-epstein.md"
    rng = random.Random(20261129)
    for round_ in range(20):
        lesson.write_text(
            lesson.read_text("utf-8").replace("opvoeden", f"opvoeden ({round_})", 1)
            if round_ == 0
            else lesson.read_text("utf-8").replace(f"({round_ - 1})", f"({round_})"),
            "utf-8",
        )
        process = _build(source, out, "--clean")
        time.sleep(rng.uniform(0.05, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        for path, data in _outputs(out).items():
            with zipfile.ZipFile(out / path) as archive:
                assert archive.testzip() is None, f"round {round_}: {path} is corrupt"
            versions.setdefault(path, set()).add(data)
        assert set(_outputs(out)) >= set(versions), f"round {round_}: an output disappeared"
    time.sleep(1)
    orphans = subprocess.run(
        ["pgrep", "-f", f"generator build --quiet --source {source}"], capture_output=True, text=True
    ).stdout.split()
    assert orphans == [], "a killed build's render workers die with it"
    final = _build(source, out)
    assert final.wait(timeout=300) == 0, final.stderr.read().decode()
    assert not [p for p in out.rglob("*") if p.name.startswith(".coursegen-tmp-")], (
        "a later build cleans up what a killed one left"
    )
