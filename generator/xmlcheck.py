"""Every XML part a build writes is well-formed, or the build stops before writing it.

The source refuses the characters XML cannot hold, so this should never fire; it is the
last guard between a template or renderer bug and an LMS or PowerPoint refusing a package.
Called by ``outputs.zip_bytes`` for every ``.xml`` and ``.rels`` member."""

from __future__ import annotations

from xml.parsers import expat

XML_SUFFIXES = (".xml", ".rels")


class NotWellFormed(ValueError):
    pass


def check_well_formed(name: str, data: bytes) -> None:
    """Raise ``NotWellFormed`` naming the part, line and column when ``data`` is not well-formed XML."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise NotWellFormed(
            f"{name}: not well-formed XML ({expat.ErrorString(error.code)}, line {error.lineno}, column {error.offset + 1})"
        ) from None


def is_xml_part(name: str) -> bool:
    return name.lower().endswith(XML_SUFFIXES)
