"""Shared fixtures: the fixture courses, the shipped course, and a place to build into."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.loader import load_course

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED_SOURCE = ROOT / "course_source"


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
