"""A card that shows a diagram: an SVG in the package's media, kept by the real Anki import,
shown by an ``img`` whose alt text holds the diagram's texts; the SVG holds nothing that runs."""

from __future__ import annotations

import re

import pytest
from anki_support import build, import_package, open_collection
from diagrams_support import make_course

pytest.importorskip("anki")


def test_diagram_card_keeps_its_svg_through_the_anki_import(tmp_path):
    source = make_course(tmp_path / "source")
    course, _, apkg = build(source, tmp_path / "out")
    (tmp_path / "student").mkdir()
    col = open_collection(tmp_path / "student" / "collection.anki2")
    try:
        import_package(col, apkg)
        [note_id] = col.find_notes('"Id:card-diagram-epstein"')
        back = col.get_note(note_id)["Back"]
        name = re.search(r'<img src="([^"]+\.svg)"', back)
        assert name, back
        alt = re.search(r'alt="([^"]*)"', back)[1]
        assert alt.split("; ") == ["Epstein", "Ouderschap", "Communiceren", "Thuis leren"]
        media = tmp_path / "student" / "collection.media" / name[1]
        assert media.is_file(), "the import did not keep the diagram"
        svg = media.read_text("utf-8")
        assert svg.startswith("<svg") and "Thuis leren" in svg
        assert not re.search(r"<script|\son\w+=|href=|foreignObject", svg, re.IGNORECASE)
        assert name[1] not in col.media.check().missing
    finally:
        col.close()


@pytest.mark.parametrize("kind", ["steps", "cycle", "cards", "matrix", "hub", "compare"])
def test_every_kind_at_its_largest_makes_a_well_formed_svg(kind):
    from lxml import etree

    from generator.diagrams import KINDS, parse
    from generator.targets.anki.diagram_media import render_svg

    rule = KINDS[kind]
    label, text, child = "Woord " * 20, "tekst met woorden " * 20, "regel met woorden " * 20
    keys = {
        "centre": f"centre: {label[:40]}\n",
        "x": f"x: {label[:50]}\n",
        "y": f"y: {label[:50]}\n",
        "title": f"title: {label[:90]}\n",
    }
    lines = [keys[k] for k in rule.keys]
    for _ in range(rule.max_items):
        head = f"**{label[: rule.max_label].strip()}**"
        lines.append(f"- {head} {text[: rule.max_text].strip()}\n" if rule.max_text else f"- {head}\n")
        lines += [f"  - {child[: rule.max_child].strip()}\n"] * (rule.max_children if kind != "compare" else 8)
    diagram, problems = parse(f"diagram {kind}", "".join(lines))
    assert problems == []
    svg = etree.fromstring(render_svg(diagram, "#1d4e89", "#b5521b"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and float(svg.get("height")) > 0
    assert not svg.xpath("//*[local-name()='script' or local-name()='foreignObject' or @href]")
