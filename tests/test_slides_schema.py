"""Every XML part of every deck is valid against the ISO/IEC 29500 Transitional schemas (and the
OPC schemas for the package parts), kept offline in ../shared/ooxml-schemas: what PowerPoint,
stricter than LibreOffice, would otherwise offer to "repair"."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from slides_support import add_school_session
from slides_support.long_course import make_long_course
from slides_support.ooxml import SCHEMAS, validation_problems

from generator.build import build_course
from generator.loader import load_course

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED = ROOT / "course_source"

pytestmark = pytest.mark.skipif(
    not (SCHEMAS / "transitional" / "pml.xsd").is_file(),
    reason=f"the OOXML schemas are not at {SCHEMAS} (see ../shared/ooxml-schemas/README.md)",
)


def built_decks(source: Path, out: Path) -> list[Path]:
    course_yaml = source / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    text = re.sub(r"(\n  slides:\n)", r"\1    question_bank: appendix\n", text, count=1)
    course_yaml.write_text(text.replace("course_deck: false", "course_deck: true"), encoding="utf-8")
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.errors]
    build_course(result.course, source, out, ["slides"], clean=True)
    return sorted((out / "slides").glob("*.pptx"))


@pytest.mark.parametrize("name", ["valid", "long", "shipped"])
def test_every_part_of_every_deck_is_valid_ooxml(name, tmp_path):
    if name == "shipped" and not (SHIPPED / "course.yaml").is_file():
        pytest.skip("course_source/ is not there")
    if name == "long":
        source = make_long_course(tmp_path, FIXTURES)
    else:
        source = tmp_path / "source"
        shutil.copytree(FIXTURES / "valid" if name == "valid" else SHIPPED, source)
    if name != "shipped":
        add_school_session(source)
    decks = built_decks(source, tmp_path / "out")
    assert any(d.stem.endswith("-vragenbank") for d in decks) and len(decks) >= 3
    problems = [p for deck in decks for p in validation_problems(deck)]
    assert problems == []


def test_the_validator_finds_an_invalid_part(tmp_path):
    """A deck with an element in the wrong place fails: the check can fail."""
    import zipfile

    [deck, *_] = built_decks(shutil.copytree(FIXTURES / "valid", tmp_path / "source"), tmp_path / "out")
    broken = tmp_path / "broken.pptx"
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(broken, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "ppt/slides/slide2.xml":
                data = data.replace(b"<p:cSld>", b"<p:cSld><p:bogus/>", 1)
            copy.writestr(item, data)
    problems = validation_problems(broken)
    assert problems and all("slide2.xml" in p for p in problems), problems
