"""Images are checked as what they are (issue 19, point 6): by their bytes, with the SVG
allow-list applied after namespace prefixes and character references are resolved."""

from __future__ import annotations

import struct

import pytest

from generator.loader.images import image_problem, pixel_size, sniff, svg_problem

INKSCAPE = b"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape -->
<svg xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://creativecommons.org/ns#"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:svg="http://www.w3.org/2000/svg"
   xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   width="210mm" height="297mm" viewBox="0 0 210 297" version="1.1" id="svg8" inkscape:version="1.0">
  <defs id="defs2"><linearGradient id="g"><stop offset="0" style="stop-color:#1d4e89"/></linearGradient></defs>
  <sodipodi:namedview id="base" pagecolor="#ffffff" inkscape:zoom="0.35"/>
  <metadata id="metadata5"><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format></cc:Work></rdf:RDF></metadata>
  <g inkscape:label="Laag 1" inkscape:groupmode="layer" id="layer1">
    <rect style="fill:url(#g);stroke:#000" id="r" width="50" height="20" x="10" y="10"/>
    <use xlink:href="#r" x="60"/>
    <text x="10" y="50" style="font-size:10px"><tspan>Ouders</tspan></text>
  </g>
</svg>
"""
OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def test_an_inkscape_drawing_passes():
    assert svg_problem(INKSCAPE) is None
    assert image_problem(INKSCAPE, "image/svg+xml") is None


@pytest.mark.parametrize(
    "body,reason",
    [
        (b'<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>', "<script>"),
        (b'<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>', "xhtml"),
        (b'<use xlink:href="&#x6A;avascript:alert(1)"/>', "javascript"),
        (b'<use href=" data:image/svg+xml;base64,AAAA"/>', "data:"),
        (b"<style>@import url(https://example.org/a.css);</style>", "<style>"),
        (b'<rect fill="url(https://example.org/#x)"/>', "fill"),
        (b'<image href="#x"/>', "<image>"),
        (b"<foreignObject/>", "<foreignObject>"),
        (b'<set attributeName="href" to="javascript:alert(1)"/>', "<set>"),
        (b'<rect onload="alert(1)"/>', "onload"),
        (b'<rect xmlns:e="http://example.org/e" e:onload="x"/>', "example.org"),
        (b"<rect>&unknown;</rect>", "well-formed"),
    ],
)
def test_unsafe_svg_is_refused(body, reason):
    problem = svg_problem(OPEN + body + b"</svg>")
    assert problem is not None and reason.lower() in problem.lower(), problem


def test_dtd_and_entities_are_refused_before_anything_is_expanded():
    laughs = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    assert "DOCTYPE" in svg_problem(laughs + OPEN + b"<text>&b;</text></svg>")
    assert "processing instruction" in svg_problem(b'<?xml-stylesheet href="https://example.org/a.css"?>' + OPEN + b"</svg>")
    assert "does not start with <svg" in svg_problem(b"<html xmlns='http://www.w3.org/1999/xhtml'/>")


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def test_content_decides_the_type_and_the_header_the_size():
    assert sniff(_jpeg(10, 20)) == "image/jpeg" and pixel_size(_jpeg(10, 20), "image/jpeg") == (10, 20)
    gif = b"GIF89a" + struct.pack("<HH", 30, 40) + b"\x00" * 10
    assert pixel_size(gif, "image/gif") == (30, 40)
    assert image_problem(_jpeg(10, 20), "image/jpeg") is None
    assert "content is a JPEG" in image_problem(_jpeg(10, 20), "image/png")
    assert "million pixels" in image_problem(_jpeg(30000, 30000), "image/jpeg")
    assert "million pixels" in image_problem(gif[:6] + struct.pack("<HH", 65535, 65535) + b"\x00" * 10, "image/gif")
    assert "none of these" in image_problem(b"<html>", "image/png")
