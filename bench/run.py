"""Benchmark of coursegen builds on this machine (a script, not a test).

    python3 -m pip install -e ".[bench]" && python3 bench/run.py [--runs 5] [--write]

Reports medians of several runs, each a fresh `coursegen` process as an instructor runs it:
full clean build per target and in total, no-op rebuild, rebuild after editing one lesson,
synthetic courses at 1x, 10x and 50x the shipped size (time and peak memory), and pandoc
writing the same slides from Markdown to .pptx side by side with our slides target.
``--write`` records the figures in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import make_synthetic  # noqa: E402

TARGETS = {"full build": 1.5, "no-op rebuild": 0.3, "one-lesson edit": 0.6}


# CPU seconds (user + system, worker processes included) of the runs timed by ``median_of``:
# on a machine shared with other work the wall time varies with their load, this much less.
CPU: list[float] = []


def run_build(source: Path, out: Path, *args: str) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB) of one `coursegen build` process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--quiet", "--source", str(source), "--out", str(out), *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {process.stderr.read().decode()}")
    CPU.append(usage.ru_utime + usage.ru_stime)
    return seconds, usage.ru_maxrss


def median_of(runs: int, action) -> float:
    return statistics.median(action() for _ in range(runs))


def cpu_of(runs: int, action) -> tuple[float, float]:
    """The median wall seconds of ``runs`` builds, and their median CPU seconds."""
    del CPU[:]
    wall = median_of(runs, action)
    return wall, statistics.median(CPU[-runs:])


def edit_lesson(source: Path, counter: list[int]) -> None:
    lesson = sorted((source / "modules").glob("*/lessons/*.md"))[0]
    text = lesson.read_text("utf-8")
    counter[0] += 1
    # Append a word to the first section's body: a real edit that changes one module's outputs.
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("## "):
            for j in range(index + 1, len(lines)):
                if lines[j].strip() and not lines[j].startswith(":::"):
                    lines[j] = lines[j].rstrip() + (" " if counter[0] % 2 else "")
                    break
            break
    lesson.write_text("\n".join(lines), "utf-8")


def slides_markdown(source: Path) -> tuple[str, int]:
    """The shipped slides' content as one pandoc Markdown document, and its slide count."""
    from generator.loader import load_course

    course = load_course(source).course
    parts, count = [f"% {course.title}\n"], 1
    for module in course.modules:
        parts.append(f"# {module.title}\n")
        count += 1
        for lesson in module.lessons:
            for section in lesson.sections:
                parts.append(f"## {section.title}\n\n{section.body.text}\n")
                if section.notes:
                    parts.append(f"::: notes\n{section.notes.script.text}\n:::\n")
                count += 1
    return "\n".join(parts), count


def pandoc_time(markdown: str, runs: int) -> float | None:
    try:
        import pypandoc
    except ImportError:
        return None
    work = Path(tempfile.mkdtemp())
    (work / "deck.md").write_text(markdown, "utf-8")

    def once() -> float:
        start = time.perf_counter()
        subprocess.run([pypandoc.get_pandoc_path(), str(work / "deck.md"), "-o", str(work / "deck.pptx")], check=True)
        return time.perf_counter() - start

    return median_of(runs, once)


def count_slides(out: Path) -> int:
    from pptx import Presentation

    return sum(len(Presentation(str(p)).slides) for p in (out / "slides").glob("*.pptx"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", type=Path, default=ROOT / "course_source")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument(
        "--quick", action="store_true", help="only the shipped course's builds (no slides comparison, no synthetic courses)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coursegen-bench-"))
    source = work / "source"
    shutil.copytree(args.source, source)
    out = work / "out"
    results: list[tuple[str, str, str]] = []

    def record(name: str, value: str, verdict: str = "") -> None:
        results.append((name, value, verdict))
        print(f"{name:<42} {value:>22} {verdict}", flush=True)

    # Bytecode as an installed package has it: where PYTHONDONTWRITEBYTECODE is set (as on the
    # machine these figures come from) every run would otherwise compile the whole package anew.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=True, stdout=subprocess.DEVNULL)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; median of {args.runs} runs\n"
    )
    for target in ("slides", "scorm", "anki"):
        seconds, cpu = cpu_of(args.runs, lambda target=target: run_build(source, out, "--clean", "--target", target)[0])
        record(f"clean build, target {target}", f"{seconds:.2f} s (cpu {cpu:.2f} s)")
    full, cpu = cpu_of(args.runs, lambda: run_build(source, out, "--clean")[0])
    record(
        "clean build, all targets",
        f"{full:.2f} s (cpu {cpu:.2f} s)",
        "ok" if full <= TARGETS["full build"] else f"OVER {TARGETS['full build']} s",
    )
    noop, cpu = cpu_of(args.runs, lambda: run_build(source, out)[0])
    record(
        "no-op rebuild",
        f"{noop:.2f} s (cpu {cpu:.2f} s)",
        "ok" if noop <= TARGETS["no-op rebuild"] else f"OVER {TARGETS['no-op rebuild']} s",
    )
    counter = [0]

    def edit_and_build() -> float:
        edit_lesson(source, counter)
        return run_build(source, out)[0]

    edit, cpu = cpu_of(args.runs, edit_and_build)
    record(
        "rebuild after editing one lesson",
        f"{edit:.2f} s (cpu {cpu:.2f} s)",
        "ok" if edit <= TARGETS["one-lesson edit"] else f"OVER {TARGETS['one-lesson edit']} s",
    )

    if args.quick:
        shutil.rmtree(work, ignore_errors=True)
        return 0
    run_build(source, out, "--clean", "--target", "slides")
    slides = count_slides(out)
    ours = median_of(args.runs, lambda: run_build(source, out, "--clean", "--target", "slides")[0])
    markdown, pandoc_slides = slides_markdown(source)
    theirs = pandoc_time(markdown, args.runs)
    record("slides target, per slide", f"{1000 * ours / slides:.1f} ms ({slides} slides)")
    if theirs is None:
        record("pandoc, per slide", "not installed", "pip install pypandoc-binary")
    else:
        ok = ours / slides <= theirs / pandoc_slides
        record(
            "pandoc md->pptx, per slide",
            f"{1000 * theirs / pandoc_slides:.1f} ms ({pandoc_slides} slides)",
            "ok" if ok else "OURS SLOWER",
        )

    sizes = {}
    for factor in (1, 10, 50):
        synthetic = make_synthetic(args.source, work / f"x{factor}", factor)
        timings = [run_build(synthetic, work / f"out-x{factor}", "--clean") for _ in range(args.runs if factor == 1 else 1)]
        seconds = statistics.median(t for t, _ in timings)
        memory = max(m for _, m in timings) / 1024
        sizes[factor] = seconds
        verdict = ""
        if factor == 50:
            ratio = seconds / sizes[1]
            verdict = ("ok" if ratio <= 55 and memory < 1024 else "OVER") + f" ({ratio:.1f}x the 1x time)"
        record(f"synthetic {factor}x course, clean build", f"{seconds:.2f} s, {memory:.0f} MiB", verdict)

    if args.write:
        lines = [
            "# Benchmark results",
            "",
            f"Command: `python3 bench/run.py --runs {args.runs} --write`",
            "",
            f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.platform()}; {time.strftime('%Y-%m-%d')}.",
            "",
            "| measurement | median | target |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {name} | {value} | {verdict} |" for name, value, verdict in results]
        results_file = ROOT / "bench" / "RESULTS.md"
        # The hand-written reading of the figures below the table survives a new run.
        old = results_file.read_text("utf-8") if results_file.exists() else ""
        notes = old[old.index("\n## ") :] if "\n## " in old else ""
        results_file.write_text("\n".join(lines) + "\n" + notes, "utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
