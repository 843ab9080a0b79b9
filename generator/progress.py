"""What a build tells the user: a line per target as it finishes, then a summary.

On a terminal this is a rich table; otherwise (CI, pipes, tests) plain lines."""

from __future__ import annotations

import sys
from pathlib import Path


class BuildProgress:
    def __init__(self, quiet: bool = False, stream=None) -> None:
        import time

        self.started = time.perf_counter()
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.fancy = hasattr(self.stream, "isatty") and self.stream.isatty()

    def _line(self, report) -> str:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(report.counts.items()))
        note = f"{len(report.written)} written, {len(report.cached)} from cache"
        if report.removed:
            note += f", {len(report.removed)} removed"
        return f"{report.name:<7} {note}; {counts} ({report.seconds:.2f} s)"

    def target_done(self, report) -> None:
        for warning in report.warnings:
            print(warning, file=sys.stderr)
        if not self.quiet and not self.fancy:
            print(self._line(report), file=self.stream, flush=True)

    def summary(self, reports, out_dir: Path) -> None:
        if self.quiet:
            return
        import time

        total = time.perf_counter() - self.started  # wall time: targets render in parallel
        written = sum(len(r.written) for r in reports)
        if self.fancy:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=f"Built into {out_dir}/", title_justify="left")
            for column in ("target", "written", "from cache", "contents", "time"):
                table.add_column(column, justify="right" if column in ("written", "from cache", "time") else "left")
            for r in reports:
                contents = ", ".join(f"{n} {k}" for k, n in sorted(r.counts.items()))
                table.add_row(r.name, str(len(r.written)), str(len(r.cached)), contents, f"{r.seconds:.2f} s")
            Console(file=self.stream).print(table)
        print(f"built {written} file(s) into {out_dir}/ in {total:.2f} s", file=self.stream)
