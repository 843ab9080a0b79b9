"""Diagrams on slides: a course with one diagram of each kind.

python-pptx finds each diagram as a group of native autoshapes (no picture) holding the
items' texts, in theme colours and theme fonts; every slide part validates against the
Office Open XML schemas; LibreOffice renders every word inside its own shape and on the slide.
A diagram with more rows than fit continues on the next slide.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from diagrams_support import KINDS, make_course
from slides_support import TOOLS_MISSING, convert_to_pdf, overflow_problems

from generator.build import build_course
from generator.diagrams import diagram_of, find, plain
from generator.loader import load_course

SCHEMAS = Path(__file__).parents[2] / "shared" / "ooxml-schemas"
NAMES = {
    "steps": "Stappen",
    "cycle": "Kringloop",
    "cards": "Kaarten",
    "matrix": "Matrix",
    "hub": "Spin",
    "compare": "Vergelijking",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("diagram-slides")
    source = make_course(root / "source")
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.items]
    build_course(result.course, source, root / "out", ["slides"])
    return result.course, root / "out" / "slides" / "m01-basis.pptx"


def _diagrams(course) -> dict[str, object]:
    found = {}
    for lesson in course.modules[0].lessons:
        for section in lesson.sections:
            for _, info, content in find(section.body.text):
                diagram = diagram_of(info, content)
                found[diagram.kind] = diagram
    return found


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w]+", " ", text).split()


def test_each_kind_is_a_group_of_autoshapes_with_its_texts(built):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    course, deck = built
    groups: dict[str, list] = {}
    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP and shape.name.startswith("Diagram: "):
                groups.setdefault(shape.name[len("Diagram: ") :], []).append(shape)
    assert set(_diagrams(course)) == set(KINDS)
    for kind, diagram in _diagrams(course).items():
        assert NAMES[kind] in groups, f"no group for the {kind} diagram"
        shapes = [s for group in groups[NAMES[kind]] for s in group.shapes]
        assert not any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in shapes)
        assert all(s.shape_type in (MSO_SHAPE_TYPE.AUTO_SHAPE, MSO_SHAPE_TYPE.LINE) for s in shapes), {
            s.shape_type for s in shapes
        }
        text = _words(" ".join(s.text_frame.text for s in shapes if s.has_text_frame))
        for item in diagram.items:
            for part in [item.label, item.text, *(c.label for c in item.children)]:
                if kind in ("cycle",) and part == diagram.title:
                    continue
                assert " ".join(_words(plain(part))) in " ".join(text), f"{kind}: '{part}' is not in the shapes"
    with zipfile.ZipFile(deck) as archive:
        parts = [archive.read(n).decode() for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    xml = next(x for x in parts if "<p:grpSp>" in x)
    group = xml[xml.index("<p:grpSp>") :]
    assert "<a:srgbClr" not in group, "diagram colours must be the theme's scheme colours"
    assert '<a:latin typeface="+mn-lt"/>' in group and "accent1" in group and "accent2" in group


def test_long_diagram_continues_on_the_next_slide(tmp_path):
    from pptx import Presentation

    source = make_course(tmp_path / "source")
    items = "\n".join(
        f"- **Indicator {n}** Een professional die ouders als gelijkwaardige partner ziet en dat laat "
        f"merken in elk gesprek over hun kind."
        for n in range(1, 17)
    )
    lesson = source / "modules" / "01-basis" / "lessons" / "03-lang.md"
    lesson.write_text(
        "---\nid: les-lang\ntitle: Lang\nminutes: 5\nobjectives: [Je kent ze.]\nconcepts: [epstein-ouderschap]\n"
        f"---\n\n## Zestien kaarten {{#zestien}}\n\n```diagram cards\n{items}\n```\n",
        "utf-8",
    )
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.items]
    build_course(result.course, source, tmp_path / "out", ["slides"])
    seen = []
    for slide in Presentation(str(tmp_path / "out" / "slides" / "m01-basis.pptx")).slides:
        for shape in slide.shapes:
            if shape.name == "Diagram: Kaarten" and any("Indicator" in s.text_frame.text for s in shape.shapes):
                seen.append((slide.shapes.title.text, [s.text_frame.text.split("\n")[0] for s in shape.shapes]))
    assert len(seen) >= 2, seen
    assert seen[1][0].startswith("Zestien kaarten") and seen[1][0] != seen[0][0]  # "(vervolg)"
    labels = [label for _, page in seen for label in page]
    assert labels == [f"Indicator {n}" for n in range(1, 17)]


def _schema(name: str):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason=f"the Office Open XML schemas are not at {SCHEMAS}")
def test_slide_parts_validate_against_the_schemas(built):
    from lxml import etree

    _, deck = built
    pml = _schema("transitional/pml.xsd")
    problems = []
    with zipfile.ZipFile(deck) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"ppt/(slides|notesSlides)/\w+\.xml", name):
                document = etree.parse(io.BytesIO(archive.read(name)))
                if not pml.validate(document):
                    problems += [f"{name}: {error.message}" for error in pml.error_log][:3]
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(bool(TOOLS_MISSING), reason=f"missing: {', '.join(TOOLS_MISSING)}")
def test_libreoffice_renders_every_diagram_word_inside_its_shape(built, tmp_path):
    _, deck = built
    pdf = convert_to_pdf([deck], tmp_path / "pdf", processes=1)[deck]
    problems = overflow_problems(deck, pdf)
    assert not problems, "\n".join(problems)


def test_a_diagram_that_moves_on_takes_its_lead_in_line_along(tmp_path):
    from pptx import Presentation

    source = make_course(tmp_path / "source")
    filler = "\n\n".join(f"Alinea {n}: ouders en professionals spreken samen af wat ze willen bereiken." for n in range(1, 6))
    cycle = "\n".join(f"- **Fase {n}** Een korte uitleg van deze fase." for n in range(1, 7))
    lesson = source / "modules" / "01-basis" / "lessons" / "03-lead.md"
    lesson.write_text(
        "---\nid: les-lead\ntitle: Lead\nminutes: 5\nobjectives: [Je kent ze.]\nconcepts: [epstein-ouderschap]\n"
        f"---\n\n## Met aanloop {{#aanloop}}\n\n{filler}\n\nZo gaat het rond:\n\n```diagram cycle\n{cycle}\n```\n",
        "utf-8",
    )
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.items]
    build_course(result.course, source, tmp_path / "out", ["slides"])
    slides = [
        s
        for s in Presentation(str(tmp_path / "out" / "slides" / "m01-basis.pptx")).slides
        if s.shapes.title is not None and s.shapes.title.text.startswith("Met aanloop")
    ]
    texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in slides]
    with_diagram = [i for i, s in enumerate(slides) if any(sh.name == "Diagram: Kringloop" for sh in s.shapes)]
    assert with_diagram == [1], texts
    assert "Zo gaat het rond:" in texts[1] and "Zo gaat het rond:" not in texts[0]
