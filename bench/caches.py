"""What each cache between builds buys (a script, not a test).

    python3 bench/caches.py [--runs 5]

Times no-op rebuilds and one-lesson edits of the shipped course with every cache, and with
each cache removed before every run. Reports medians of wall time and of CPU time (user +
system, workers included): on a shared machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import edit_lesson  # noqa: E402

CACHES = {
    "model (.coursegen-model.json)": ".coursegen-model.json",
    "SCORM pages (.coursegen-cache/scorm)": ".coursegen-cache/scorm",
    "slides template (.coursegen-cache/slides)": ".coursegen-cache/slides",
    "Word diagram pictures (.coursegen-cache/docx)": ".coursegen-cache/docx",
}


def run_build(source: Path, out: Path) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--quiet", "--source", str(source), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {process.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(runs: int, source: Path, out: Path, edit: bool, without: str | None) -> tuple[float, float]:
    counter = [0]
    walls, cpus = [], []
    for _ in range(runs):
        if without:
            path = out / without
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        if edit:
            edit_lesson(source, counter)
        wall, cpu = run_build(source, out)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coursegen-caches-"))
    source, out = work / "source", work / "out"
    shutil.copytree(ROOT / "course_source", source)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=True, stdout=subprocess.DEVNULL)
    run_build(source, out)
    print(f"{'rebuild':<18} {'without':<38} {'wall':>8} {'cpu':>8}")
    for edit in (False, True):
        for label, without in [("(all caches)", None), *CACHES.items()]:
            wall, cpu = measure(args.runs, source, out, edit, without)
            print(f"{'one-lesson edit' if edit else 'no-op':<18} {label:<38} {wall:>6.2f} s {cpu:>6.2f} s", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
