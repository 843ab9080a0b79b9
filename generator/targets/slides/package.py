"""The template as finished package parts, and the package bookkeeping a deck adds to them.

python-pptx opens the template once per process (``BasePackage.of``): the master, layouts,
themes and notes master become bytes, and what a slide needs from its layout (the partname and
the ``p:ph`` of each placeholder a new slide gets) becomes strings. A deck is then its slides'
XML plus these parts, written without python-pptx's object model, which cost most of the build.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

XML_HEADER = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"a": A, "p": P, "r": R}
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_MARKER = "COURSEGEN-INSERT"
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    """Text for an XML element (xml.sax.saxutils' escape, which costs a render process
    urllib's import)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value, quoted."""
    return f'"{text.translate(_ATTRIBUTE)}"'


@dataclass(frozen=True)
class Rel:
    rid: str
    type: str
    target: str
    external: bool = False


def rels_member(partname: str) -> str:
    """'/ppt/slides/slide1.xml' → 'ppt/slides/_rels/slide1.xml.rels'; '/' → '_rels/.rels'."""
    folder, name = posixpath.split(partname)
    return posixpath.join(folder, "_rels", f"{name}.rels").lstrip("/")


def slide_target(partname: str) -> str:
    """How a slide or notes page refers to another part of the deck: '/ppt/media/image1.png' →
    '../media/image1.png'."""
    return "../" + partname.split("/ppt/", 1)[1]


def rels_xml(rels) -> bytes:
    items = "".join(
        f'<Relationship Id="{rel.rid}" Type="{rel.type}" Target={quoteattr(rel.target)}'
        + (' TargetMode="External"/>' if rel.external else "/>")
        for rel in sorted(rels, key=lambda r: (int(r.rid[3:]) if r.rid[3:].isdigit() else 0, r.rid))
    )
    return f'{XML_HEADER}<Relationships xmlns="{RELS_NS}">{items}</Relationships>'.encode()


# Extensions [Content_Types].xml gives a Default for, with their type (python-pptx's table,
# pptx.opc.spec.default_content_types, kept here so a deck is written without importing it).
DEFAULT_CONTENT_TYPES = {
    ("bin", "application/vnd.openxmlformats-officedocument.presentationml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
    ("bmp", "image/bmp"),
    ("emf", "image/x-emf"),
    ("fntdata", "application/x-fontdata"),
    ("gif", "image/gif"),
    ("jpe", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("mov", "video/quicktime"),
    ("mp4", "video/mp4"),
    ("mpg", "video/mpeg"),
    ("png", "image/png"),
    ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("vid", "video/unknown"),
    ("wdp", "image/vnd.ms-photo"),
    ("wmf", "image/x-wmf"),
    ("wmv", "video/x-ms-wmv"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("xml", "application/xml"),
}


def content_types_xml(parts: dict[str, str]) -> bytes:
    """[Content_Types].xml for ``{partname: content type}``, as python-pptx writes it."""
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
    overrides = {}
    for partname, content_type in parts.items():
        ext = partname.rsplit(".", 1)[-1]
        if (ext.lower(), content_type) in DEFAULT_CONTENT_TYPES:
            defaults[ext.lower()] = content_type
        else:
            overrides[partname] = content_type
    items = [f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in sorted(defaults.items())]
    items += [f'<Override PartName="{name}" ContentType="{ct}"/>' for name, ct in sorted(overrides.items())]
    return f'{XML_HEADER}<Types xmlns="{TYPES_NS}">{"".join(items)}</Types>'.encode()


def core_xml(title: str, authors: str, subject: str, language: str, stamp: str) -> bytes:
    """docProps/core.xml; ``stamp`` is a W3CDTF time ('1980-01-01T00:00:00Z')."""
    return (
        f'{XML_HEADER}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:subject>{escape(subject)}</dc:subject><dc:creator>{escape(authors)}</dc:creator>"
        "<cp:keywords></cp:keywords><dc:description></dc:description><cp:lastModifiedBy>coursegen</cp:lastModifiedBy>"
        f'<cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified><cp:lastPrinted>{stamp}</cp:lastPrinted>'
        f"<dc:language>{escape(language)}</dc:language></cp:coreProperties>"
    ).encode()


@dataclass(frozen=True)
class LayoutParts:
    partname: str
    placeholders: tuple[tuple[int, str], ...]  # (idx, '<p:ph .../>') of each placeholder a new slide gets, in order


class BasePackage:
    """Everything of a deck that does not depend on its slides; plain data, so it pickles."""

    def __init__(self, prs) -> None:
        from lxml import etree
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        presentation = prs.part
        package = presentation.package
        notes_master = presentation.notes_master  # python-pptx adds a default one if missing
        package.core_properties  # likewise  # noqa: B018 (read for its effect)
        self.slide_width, self.slide_height = (
            int(prs.slide_width),
            int(prs.slide_height),
        )  # plain ints: unpickling needs no python-pptx
        self.parts: dict[str, tuple[str, bytes]] = {}
        self.rels: dict[str, tuple[Rel, ...]] = {"/": tuple(_rels(package._rels))}
        self.core_partname = "/docProps/core.xml"
        for part in package.iter_parts():
            name = str(part.partname)
            if part is presentation:
                continue
            if part.content_type.endswith("core-properties+xml"):
                self.core_partname = name
                continue
            self.parts[name] = (part.content_type, part.blob)
            rels = tuple(_rels(part.rels))
            if rels:
                self.rels[name] = rels
        self.presentation_partname = str(presentation.partname)
        self.presentation_content_type = presentation.content_type
        self.presentation_rels = tuple(_rels(presentation.rels))
        self.notes_master_partname = str(notes_master.part.partname)
        self.media_names = {name for name in self.parts if name.startswith("/ppt/media/")}

        root = etree.fromstring(presentation.blob)
        # PowerPoint lists its notes master; python-pptx doesn't when it adds one
        notes_rid = next(r.rid for r in self.presentation_rels if r.type == RT.NOTES_MASTER)
        if root.find("p:notesMasterIdLst", NS) is None:
            after = root.find("p:sldMasterIdLst", NS)
            lst = etree.Element(f"{{{P}}}notesMasterIdLst")
            etree.SubElement(lst, f"{{{P}}}notesMasterId").set(f"{{{R}}}id", notes_rid)
            if after is not None:
                after.addnext(lst)
            else:
                root.insert(0, lst)
        root_list = root.find("p:sldIdLst", NS)
        if root_list is None:
            anchor = root.find("p:notesMasterIdLst", NS)
            assert anchor is not None  # added above when missing
            root_list = etree.Element(f"{{{P}}}sldIdLst")
            anchor.addnext(root_list)
        for child in list(root_list):
            root_list.remove(child)
        root_list.append(etree.Comment(_MARKER))
        text = etree.tostring(root, encoding="unicode")
        self.presentation_head, self.presentation_tail = text.split(f"<!--{_MARKER}-->")

        self.notes_head, self.notes_tail = _notes_prototype(notes_master)
        self.layouts: dict[str, LayoutParts] = {}
        for layout in prs.slide_layouts:
            name = str(layout.part.partname)
            self.layouts[name] = LayoutParts(name, tuple(_placeholders(layout)))


def _rels(rels):
    for rel in rels.values():
        yield Rel(rel.rId, rel.reltype, rel.target_ref, rel.is_external)


def _placeholders(layout):
    """What python-pptx's ``clone_layout_placeholders`` gives a new slide, as (idx, p:ph)."""
    from pptx.oxml.shapes.autoshape import CT_Shape

    for placeholder in layout.iter_cloneable_placeholders():
        sp = placeholder.element
        clone = CT_Shape.new_placeholder_sp(2, "x", sp.ph_type, sp.ph_orient, sp.ph_sz, sp.ph_idx)
        ph = clone.find("p:nvSpPr/p:nvPr/p:ph", NS)
        assert ph is not None  # new_placeholder_sp always writes one
        # lxml gives str names and values on Python 3; lxml-stubs says str | bytes.
        attrs = "".join(f" {key}={quoteattr(value)}" for key, value in ph.attrib.items())  # type: ignore[str-bytes-safe, arg-type]
        yield sp.ph_idx, f"<p:ph{attrs}/>"


def _notes_prototype(notes_master) -> tuple[str, str]:
    """A notes page as python-pptx makes it, split where the notes paragraphs go."""
    from lxml import etree
    from pptx.oxml.slide import CT_NotesSlide
    from pptx.slide import NotesSlide

    element = CT_NotesSlide.new()
    # A page without a part of its own: it only borrows the master's placeholders.
    NotesSlide(element, None).clone_master_placeholders(notes_master)  # type: ignore[arg-type]
    body = None
    for sp in element.iter(f"{{{P}}}sp"):
        ph = sp.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is not None and ph.get("type") == "body":
            body = sp
            break
    if body is None:  # a notes master without a notes area: give the page one
        tree = element.find("p:cSld/p:spTree", NS)
        assert tree is not None  # CT_NotesSlide.new() has one
        body = etree.fromstring(
            f'<p:sp xmlns:a="{A}" xmlns:p="{P}"><p:nvSpPr><p:cNvPr id="90" name="Notes Placeholder"/><p:cNvSpPr>'
            '<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
        )
        tree.append(body)
    tx = body.find("p:txBody", NS)
    if tx is None:
        tx = etree.SubElement(body, f"{{{P}}}txBody")
        etree.SubElement(tx, f"{{{A}}}bodyPr")
        etree.SubElement(tx, f"{{{A}}}lstStyle")
    for p in tx.findall("a:p", NS):
        tx.remove(p)
    tx.append(etree.Comment(_MARKER))
    text = etree.tostring(element, encoding="unicode")
    head, tail = text.split(f"<!--{_MARKER}-->")
    return head, tail


_NUMBER = re.compile(r"(\d+)\.\w+$")


def free_media_name(taken: set[str], ext: str) -> str:
    """'/ppt/media/imageN.ext' with N one past the highest in use."""
    numbers = [int(m.group(1)) for name in taken if (m := _NUMBER.search(name))]
    return f"/ppt/media/image{max(numbers, default=0) + 1}.{ext}"
