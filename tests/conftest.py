"""Shared fixtures: the fixture courses, the shipped course, and a place to build into."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from generator.loader import load_course

# Property tests run fixed examples (derandomised): a test run, in CI or here, gives the same
# verdict for the same code. COURSEGEN_EXPLORE=1 (or a number: examples for the rebuild test)
# explores new random examples instead, to look for bugs.
hypothesis_settings.register_profile("fixed", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile("explore" if os.environ.get("COURSEGEN_EXPLORE") else "fixed")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED_SOURCE = ROOT / "course_source"
# A place for tests that need an output folder but no fixture: never the project's own output/.
SCRATCH_OUT = Path(tempfile.mkdtemp(prefix="coursegen-tests-out-"))


def _tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session", autouse=True)
def tests_write_only_into_temporary_folders():
    """No test may write into the developer's output/ or the shipped course_source/ (its
    anki-state.json included): a test builds into a temporary folder, from a copy when the
    build writes beside the source."""
    watched = {name: _tree_state(ROOT / name) for name in ("output", "course_source")}
    yield
    shutil.rmtree(SCRATCH_OUT, ignore_errors=True)
    for name, before in watched.items():
        after = _tree_state(ROOT / name)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        assert not changed, f"tests changed {name}/: {changed[:10]}"


@pytest.fixture
def valid_source(tmp_path: Path) -> Path:
    """A private copy of the small valid fixture course, safe to edit."""
    target = tmp_path / "source"
    shutil.copytree(FIXTURES / "valid", target)
    return target


@pytest.fixture(scope="session")
def valid_course():
    result = load_course(FIXTURES / "valid")
    assert result.course is not None, [str(d) for d in result.diagnostics.items]
    return result.course


@pytest.fixture(scope="session")
def shipped_course():
    result = load_course(SHIPPED_SOURCE)
    assert result.course is not None, [str(d) for d in result.diagnostics.errors]
    return result.course
