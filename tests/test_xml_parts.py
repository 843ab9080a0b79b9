"""Every XML part of a zip the build writes is checked to be well-formed (issue 19, point 5)."""

from __future__ import annotations

import io
import zipfile

import pytest

from generator.outputs import TargetError, zip_bytes


def test_ill_formed_xml_part_stops_the_zip():
    with pytest.raises(TargetError, match=r"docProps/core\.xml: not well-formed XML .*line 1"):
        zip_bytes({"docProps/core.xml": b"<cp:title>a\x07b</cp:title>", "a.txt": b"x"})
    with pytest.raises(TargetError, match=r"_rels/\.rels"):
        zip_bytes({"_rels/.rels": b"<Relationships><Relationship></Relationships>"})


def test_well_formed_parts_pass():
    data = zip_bytes({"imsmanifest.xml": b'<?xml version="1.0"?><manifest identifier="x"/>', "index.html": b"<p>not xml"})
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["imsmanifest.xml", "index.html"]
