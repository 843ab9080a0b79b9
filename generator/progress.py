"""What a build tells the user: a line per target, then a summary. Plain text off a terminal."""

from __future__ import annotations

import sys
from pathlib import Path


class BuildProgress:
    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def target_done(self, report) -> None:
        if self.quiet:
            return
        counts = ", ".join(f"{n} {k}" for k, n in sorted(report.counts.items()))
        note = f"{len(report.written)} written, {len(report.cached)} unchanged"
        if report.removed:
            note += f", {len(report.removed)} removed"
        print(f"{report.name:<7} {note}; {counts} ({report.seconds:.2f} s)")

    def summary(self, reports, out_dir: Path) -> None:
        if self.quiet:
            return
        total = sum(r.seconds for r in reports)
        written = sum(len(r.written) for r in reports)
        print(f"built {written} file(s) into {out_dir}/ in {total:.2f} s")
