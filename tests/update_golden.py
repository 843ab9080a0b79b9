"""Rewrite the golden files after a deliberate change of wording or output, then review the diff.

    python tests/update_golden.py            # every golden file
    python tests/update_golden.py malformed  # only tests/malformed/expected/
    python tests/update_golden.py anki       # only tests/anki_support/golden/

The tests only ever compare; this script is the one place that writes golden files. Ids that
must never change are pinned in tests/anki_support/pinned-ids.yaml, which nothing rewrites.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def update_malformed() -> int:
    from generator.cli import main
    from tests.malformed.cases import CASES
    from tests.test_malformed import EXPECTED, apply_edits

    for name, edits in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "source"
            shutil.copytree(ROOT / "tests" / "fixtures" / "valid", source)
            apply_edits(source, edits)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                main(["build", "--source", str(source), "--out", str(Path(tmp) / "out")])
            errors = [line for line in err.getvalue().splitlines() if ": error: " in line]
            EXPECTED.mkdir(parents=True, exist_ok=True)
            (EXPECTED / f"{name}.txt").write_text("\n".join(errors) + "\n", "utf-8")
    return len(CASES) + update_malformed_warnings()


def update_malformed_warnings() -> int:
    from generator.cli import main
    from tests.malformed.cases import WARNING_CASES
    from tests.test_malformed import EXPECTED, apply_edits, source_warnings

    for name, edits in WARNING_CASES:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "source"
            shutil.copytree(ROOT / "tests" / "fixtures" / "valid", source)
            apply_edits(source, edits)
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                main(["check", "--source", str(source)])
            (EXPECTED / "warnings").mkdir(parents=True, exist_ok=True)
            (EXPECTED / "warnings" / f"{name}.txt").write_text(
                "".join(line + "\n" for line in source_warnings(err.getvalue())), "utf-8"
            )
    return len(WARNING_CASES)


def update_anki() -> int:
    from generator.targets.anki import state as anki_state
    from tests.test_anki_build import GOLDEN, golden_text

    anki_state.clock = lambda: 1_800_000_000  # the tests' fixed clock
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        shutil.copytree(ROOT / "tests" / "fixtures" / "valid", source)
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(golden_text(source, Path(tmp) / "out"), "utf-8")
    return 1


if __name__ == "__main__":
    wanted = set(sys.argv[1:]) or {"malformed", "anki"}
    for name, update in (("malformed", update_malformed), ("anki", update_anki)):
        if name in wanted:
            print(f"{name}: wrote {update()} golden file(s); review them with git diff")
