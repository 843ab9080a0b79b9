"""Validating the XML parts of a .pptx against the ISO/IEC 29500 Transitional schemas and the
OPC schemas kept offline in ``../shared/ooxml-schemas`` (see its README): the closest offline
stand-in for opening a deck in PowerPoint, which refuses (or "repairs") what LibreOffice shows.

As a validator does, Markup Compatibility is processed first: each ``mc:AlternateContent``
is replaced by its ``mc:Fallback`` children, and the namespaces an ``mc:Ignorable`` lists are
dropped. ``docProps/core.xml`` is checked for its root element only: its schema imports the
Dublin Core schemas from the network."""

from __future__ import annotations

import re
import zipfile
from functools import cache
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "ooxml-schemas"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}coreProperties"

RULES = (  # (part name pattern, schema file relative to SCHEMAS)
    (r"\[Content_Types\]\.xml", "opc/opc-contentTypes.xsd"),
    (r"(.*/)?_rels/.*\.rels", "opc/opc-relationships.xsd"),
    (r"docProps/app\.xml", "transitional/shared-documentPropertiesExtended.xsd"),
    (r"ppt/theme/.*\.xml", "transitional/dml-main.xsd"),
    (r"ppt/.*\.xml", "transitional/pml.xsd"),
)


@cache
def schema(relative: str):
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / relative)))


def schema_for(part: str) -> str | None:
    for pattern, relative in RULES:
        if re.fullmatch(pattern, part):
            return relative
    return None


def _without_markup_compatibility(root):
    ignorable = set()
    for element in root.iter():
        value = element.get(f"{{{MC}}}Ignorable")
        if value:
            prefixes = value.split()
            ignorable |= {element.nsmap.get(p) for p in prefixes if element.nsmap.get(p)}
            del element.attrib[f"{{{MC}}}Ignorable"]
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        parent = alternate.getparent()
        index = parent.index(alternate)
        fallback = alternate.find(f"{{{MC}}}Fallback")
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(index + offset, child)
        parent.remove(alternate)
    if ignorable:
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            if element.tag.startswith("{") and element.tag[1:].split("}")[0] in ignorable and element.getparent() is not None:
                element.getparent().remove(element)
                continue
            for name in list(element.attrib):
                if name.startswith("{") and name[1:].split("}")[0] in ignorable:
                    del element.attrib[name]
    return root


def validation_problems(pptx: Path) -> list[str]:
    """Every XML part that is not valid against its schema (or has no schema), with the reasons."""
    from lxml import etree

    problems = []
    with zipfile.ZipFile(pptx) as archive:
        for part in archive.namelist():
            if not (part.endswith(".xml") or part.endswith(".rels")):
                continue
            root = etree.fromstring(archive.read(part))
            if part == "docProps/core.xml":
                if root.tag != CORE:
                    problems.append(f"{pptx.name}:{part}: root is {root.tag}")
                continue
            relative = schema_for(part)
            if relative is None:
                problems.append(f"{pptx.name}:{part}: no schema for this part")
                continue
            checker = schema(relative)
            if not checker.validate(_without_markup_compatibility(root)):
                for error in list(checker.error_log)[:5]:
                    problems.append(f"{pptx.name}:{part}:{error.line}: {error.message}")
    return problems
