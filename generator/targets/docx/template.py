"""The Word template: ``templates/docx/default.docx`` or the institute's own .docx named in
course.yaml (``targets.docx.template``), and the styles and list numbering the documents need
when an institute's template lacks them.

A template's own styles win: the documents use style names only (``Heading 1``, ``Title``,
``Course Table``, ...), so an institute's headings, fonts, colours, page size, margins and
header (a logo) are what the documents show. A style it lacks is copied from the default
template, and ``check`` says which.
"""

from __future__ import annotations

import copy
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ...outputs import TargetError
from ...template_file import template_path

# The styles the documents use, by name as python-docx knows them (Word stores the built-in
# ones in lower case, e.g. 'heading 1', whatever the language of the Word that saved it).
NEEDED_STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Paragraph",
    "Instruction",
    "Answer",
    "Reference",
    "Table Text",
    "Footer",
    "Hyperlink",
    "Course Table",
    "Writing Lines",
)
BUILT_IN = {
    "heading 1": "Heading 1",
    "heading 2": "Heading 2",
    "heading 3": "Heading 3",
    "footer": "Footer",
    "title": "Title",
    "subtitle": "Subtitle",
    "normal": "Normal",
    "list paragraph": "List Paragraph",
    "hyperlink": "Hyperlink",
}
DEFAULT_PRIMARY = "1D4E89"
DEFAULT_ACCENT = "B5521B"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class TemplateError(TargetError):
    """The configured template cannot be used (wrong path, missing file, not a .docx)."""


@dataclass(frozen=True)
class TemplateSource:
    """Which template a build uses: its name as written in course.yaml and its bytes."""

    name: str
    data: bytes
    is_default: bool

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def default_template(templates_dir: Path) -> bytes:
    return (Path(templates_dir) / "docx" / "default.docx").read_bytes()


def template_source(setting: object, source_dir: Path, templates_dir: Path) -> TemplateSource:
    """The template ``setting`` names: 'default', or a .docx inside the course source, written
    relative to course.yaml with forward slashes."""
    name = str(setting or "default")
    if name == "default":
        return TemplateSource(name, default_template(templates_dir), True)
    key = "targets.docx.template"
    path = template_path(name, source_dir, key, ".docx", "save a .dotx template as .docx", TemplateError)
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.getinfo("word/document.xml")
            archive.getinfo("word/styles.xml")
    except (zipfile.BadZipFile, KeyError):
        raise TemplateError(
            f"{key}: '{name}' is not a Word document with styles (open it in Word and save it as .docx)"
        ) from None
    return TemplateSource(name, data, False)


def themed(data: bytes, primary: str, accent: str) -> bytes:
    """The default template with its two colours replaced by the course theme's."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    styles = entries["word/styles.xml"].decode("utf-8")
    styles = styles.replace(f'"{DEFAULT_PRIMARY}"', f'"{primary.lstrip("#").upper()}"')
    styles = styles.replace(f'"{DEFAULT_ACCENT}"', f'"{accent.lstrip("#").upper()}"')
    entries["word/styles.xml"] = styles.encode("utf-8")
    from ...outputs import zip_bytes

    return zip_bytes(entries, first=("[Content_Types].xml",))


def missing_styles(data: bytes) -> list[str]:
    """The needed styles a template does not define (they are taken from the default template)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/styles.xml"))
    names = set()
    for name in root.iter(f"{{{W}}}name"):
        value = name.get(f"{{{W}}}val") or ""
        names.add(BUILT_IN.get(value.lower(), value))
    return [style for style in NEEDED_STYLES if style not in names]


def _style_names(doc) -> set[str]:
    return {style.name for style in doc.styles}


def fill_missing_styles(doc, default: bytes) -> list[str]:
    """Copy the needed styles ``doc`` lacks from the default template; returns their names."""
    from docx import Document
    from docx.oxml.ns import qn

    present = _style_names(doc)
    missing = [name for name in NEEDED_STYLES if name not in present]
    if not missing:
        return []
    source = Document(io.BytesIO(default))
    styles = doc.styles.element
    ids = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    defaults = {
        s.get(qn("w:type")): s.get(qn("w:styleId"))
        for s in styles.findall(qn("w:style"))
        if s.get(qn("w:default")) in ("1", "true", "on")
    }
    for name in missing:
        element = copy.deepcopy(source.styles[name].element)
        style_id = element.get(qn("w:styleId"))
        while style_id in ids:
            style_id += "Course"
        element.set(qn("w:styleId"), style_id)
        ids.add(style_id)
        based = element.find(qn("w:basedOn"))
        if based is not None and based.get(qn("w:val")) not in ids:
            kind = element.get(qn("w:type"))
            if defaults.get(kind):
                based.set(qn("w:val"), defaults[kind])
            else:
                element.remove(based)
        for tag in ("w:next", "w:link"):
            ref = element.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in ids:
                element.remove(ref)
        element.attrib.pop(qn("w:default"), None)
        styles.append(element)
    return missing


def fill_missing_numbering(doc, default: bytes) -> tuple[int, int]:
    """The numIds of the documents' bullet list and the abstractNumId of their numbered lists,
    copied into ``doc``'s numbering part from the default template when it lacks them."""
    from docx import Document
    from docx.oxml.ns import qn

    numbering = doc.part.numbering_part.element
    found = {}
    for abstract in numbering.findall(qn("w:abstractNum")):
        name = abstract.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in ("Course Bullets", "Course Numbers"):
            found[name.get(qn("w:val"))] = int(abstract.get(qn("w:abstractNumId")))
    if len(found) < 2:
        source = Document(io.BytesIO(default)).part.numbering_part.element
        next_id = max((int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))), default=0) + 1
        for abstract in source.findall(qn("w:abstractNum")):
            name = abstract.find(qn("w:name")).get(qn("w:val"))
            if name in found:
                continue
            element = copy.deepcopy(abstract)
            element.set(qn("w:abstractNumId"), str(next_id))
            found[name] = next_id
            next_id += 1
            existing = numbering.findall(qn("w:abstractNum")) or numbering.findall(qn("w:numPicBullet"))
            if existing:
                existing[-1].addnext(element)
            else:
                numbering.insert(0, element)
    bullets = None
    for num in numbering.findall(qn("w:num")):
        abstract_id = num.find(qn("w:abstractNumId"))
        if (
            abstract_id is not None
            and int(abstract_id.get(qn("w:val"))) == found["Course Bullets"]
            and num.find(qn("w:lvlOverride")) is None
        ):
            bullets = int(num.get(qn("w:numId")))
            break
    if bullets is None:
        from docx.oxml import OxmlElement

        bullets = max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(bullets))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(found["Course Bullets"]))
        num.append(ref)
        add_num(numbering, num)
    return bullets, found["Course Numbers"]


def add_num(numbering, num) -> None:
    """Add a ``w:num`` to the numbering part where the schema wants it: before
    ``w:numIdMacAtCleanup`` when the part has one, else last."""
    from docx.oxml.ns import qn

    anchor = numbering.find(qn("w:numIdMacAtCleanup"))
    if anchor is not None:
        anchor.addprevious(num)
    else:
        numbering.append(num)
