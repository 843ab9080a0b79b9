"""Slides: fonts are looked up in libfontconfig as fc-match and fc-query find them."""

from __future__ import annotations

import bisect
import shutil
import subprocess

import pytest

from generator.targets.slides import measure
from generator.targets.slides.fontconfig import fontconfig

pytestmark = pytest.mark.skipif(not shutil.which("fc-match") or fontconfig() is None, reason="needs fontconfig")

PATTERNS = ["Carlito", "Carlito:bold", "Carlito:italic", "Carlito:bold:italic", "Calibri", "Courier New", "DejaVu Sans",
            "Open Sans:bold", "Een lettertype dat niet bestaat", "Carlito:charset=2192", "Carlito:charset=6f22"]


def fc_match(pattern: str) -> str:
    return subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("pattern", PATTERNS)
def test_match_gives_the_file_fc_match_gives(pattern):
    assert fontconfig().match(pattern) == fc_match(pattern)


@pytest.mark.parametrize("char", "aé€→✓😀漢\u00a0")
def test_character_sets_agree_with_fc_query(char):
    path = measure.font_file("Carlito")
    ranges = measure._charset(path)  # fc-query, the slow way
    index = bisect.bisect_right(ranges, (ord(char), 0x10FFFF)) - 1
    assert fontconfig().has_char(path, ord(char)) == (index >= 0 and ranges[index][0] <= ord(char) <= ranges[index][1])
