"""Validates every XML part of a .docx against the ISO/IEC 29500 Transitional schemas in
``../shared/ooxml-schemas`` (see its README), the offline stand-in for opening it in Word.

Markup Compatibility is applied first, as Word and the Open XML SDK do: ``mc:AlternateContent``
becomes its ``mc:Fallback`` children, and elements and attributes of the namespaces an
``mc:Ignorable`` lists are dropped. ``docProps/core.xml``: the OPC core-properties schema imports
the Dublin Core schemas from the network; here those two namespaces are stubbed (every element
any content, ``dcterms:W3CDTF`` a string), so the core-properties structure itself is checked.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "ooxml-schemas"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_DC_STUB = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://purl.org/dc/elements/1.1/"
  elementFormDefault="qualified">{elements}</xs:schema>"""
_DCTERMS_STUB = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://purl.org/dc/terms/"
  elementFormDefault="qualified"><xs:simpleType name="W3CDTF"><xs:restriction base="xs:string"/></xs:simpleType>
  {elements}</xs:schema>"""
_DC_NAMES = (
    "title",
    "creator",
    "subject",
    "description",
    "language",
    "identifier",
    "publisher",
    "contributor",
    "type",
    "format",
    "source",
    "relation",
    "coverage",
    "rights",
    "date",
    "any",
)
_DCTERMS_NAMES = ("created", "modified")


def _core_properties_schema() -> etree.XMLSchema:
    """The OPC core-properties schema with its Dublin Core imports pointed at local stubs."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="dc-stubs-"))
    (folder / "dc.xsd").write_text(_DC_STUB.format(elements="".join(f'<xs:element name="{n}"/>' for n in _DC_NAMES)))
    (folder / "dcterms.xsd").write_text(
        _DCTERMS_STUB.format(elements="".join(f'<xs:element name="{n}"/>' for n in _DCTERMS_NAMES))
    )
    tree = etree.parse(str(SCHEMAS / "opc" / "opc-coreProperties.xsd"))
    locations = {
        "http://purl.org/dc/elements/1.1/": folder / "dc.xsd",
        "http://purl.org/dc/terms/": folder / "dcterms.xsd",
        "http://www.w3.org/XML/1998/namespace": SCHEMAS / "transitional" / "xml.xsd",
    }
    for element in tree.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        element.set("schemaLocation", locations[element.get("namespace")].as_uri())
    return etree.XMLSchema(tree)


@cache
def schema(name: str) -> etree.XMLSchema:
    if name == "opc/opc-coreProperties.xsd":
        return _core_properties_schema()
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def schema_for(part: str) -> str | None:
    if part.endswith(".rels"):
        return "opc/opc-relationships.xsd"
    if part == "[Content_Types].xml":
        return "opc/opc-contentTypes.xsd"
    if part == "docProps/core.xml":
        return "opc/opc-coreProperties.xsd"
    if part == "docProps/app.xml":
        return "transitional/shared-documentPropertiesExtended.xsd"
    if part == "docProps/custom.xml":
        return "transitional/shared-documentPropertiesCustom.xsd"
    if part.startswith("customXml/itemProps"):
        return "transitional/shared-customXmlDataProperties.xsd"
    if part.startswith("customXml/item"):
        return ""  # custom XML data: any XML the template's author stored
    if part.startswith("word/theme/"):
        return "transitional/dml-main.xsd"
    if part.startswith("word/") and part.endswith(".xml"):
        return "transitional/wml.xsd"
    return None


def apply_markup_compatibility(root: etree._Element) -> etree._Element:
    ignorable: set[str] = set()
    for element in root.iter():
        value = element.get(f"{{{MC}}}Ignorable")
        if value:
            ignorable.update(element.nsmap.get(prefix) or "" for prefix in value.split())
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        index = parent.index(alternate)
        parent.remove(alternate)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(index + offset, child)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        namespace = etree.QName(element).namespace
        if namespace in ignorable and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for attribute in list(element.attrib):
            if attribute.startswith("{") and (attribute[1:].split("}")[0] in ignorable or attribute.startswith(f"{{{MC}}}")):
                del element.attrib[attribute]
    return root


def validate_docx(data: bytes) -> list[str]:
    """Every schema problem of the package, as 'part: line: message'; [] when all parts are valid."""
    problems: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            name = schema_for(part)
            if name == "":
                continue
            if name is None:
                if part.endswith(".xml"):
                    problems.append(f"{part}: no schema known for this part")
                continue
            root = apply_markup_compatibility(etree.fromstring(archive.read(part)))
            checker = schema(name)
            if not checker.validate(etree.ElementTree(root)):
                problems.extend(f"{part}: {error.line}: {error.message}" for error in checker.error_log)
    return problems
