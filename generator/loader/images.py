"""Images checked as what they are: by their bytes, not their name.

PNG, JPEG and GIF are recognised by their signature and their size read from the header
(a 30000x30000 logo would exhaust the memory of whoever decodes it). SVG is parsed with
expat, refusing DTDs, entities and processing instructions (so nothing is expanded or
fetched), and accepted only when every element and attribute is on an allow-list, with
namespace prefixes resolved: an ``<h:script>`` with ``xmlns:h`` set to XHTML is XHTML
script whatever its prefix, and ``javascript:`` behind a character reference is still
``javascript:``. An SVG opened from a package runs on the LMS's domain.
"""

from __future__ import annotations

import re
import struct
from typing import Any
from xml.parsers import expat

MAX_PIXELS = 40_000_000  # 8000 x 5000; decoded, 160 MB
MAX_SVG_ELEMENTS = 50_000

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Editors' own data: never rendered, never run.
INERT_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/Graphs/1.0/",
    "http://ns.adobe.com/SaveForWeb/1.0/",
    "http://ns.adobe.com/Extensibility/1.0/",
    "http://ns.adobe.com/Flows/1.0/",
    "http://ns.adobe.com/ImageReplacement/1.0/",
    "http://ns.adobe.com/GenericCustomNamespace/1.0/",
    "http://ns.adobe.com/XPath/1.0/",
}
SVG_ELEMENTS = set(
    """
svg g defs desc title metadata symbol use switch style
path rect circle ellipse line polyline polygon text tspan textPath
linearGradient radialGradient stop pattern clipPath mask marker
filter feBlend feColorMatrix feComponentTransfer feComposite feFlood feGaussianBlur feMerge
feMergeNode feMorphology feOffset feFuncR feFuncG feFuncB feFuncA feDropShadow
""".split()
)
SVG_ATTRIBUTES = set(
    """
id class style transform d x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height viewBox
preserveAspectRatio points pathLength version baseProfile
fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit
stroke-dasharray stroke-dashoffset stroke-opacity opacity color display visibility overflow
font-family font-size font-weight font-style font-variant font-stretch text-anchor
dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing text-decoration
dx dy rotate textLength lengthAdjust startOffset method spacing side
offset stop-color stop-opacity gradientUnits gradientTransform spreadMethod
patternUnits patternContentUnits patternTransform clipPathUnits clip-path clip-rule
mask maskUnits maskContentUnits marker-start marker-mid marker-end markerWidth markerHeight
markerUnits refX refY orient filter filterUnits primitiveUnits in in2 result stdDeviation
mode operator k1 k2 k3 k4 values type tableValues slope intercept amplitude exponent
flood-color flood-opacity radius lang direction writing-mode unicode-bidi vector-effect
shape-rendering text-rendering image-rendering color-rendering color-interpolation
color-interpolation-filters enable-background paint-order mix-blend-mode isolation
requiredFeatures requiredExtensions systemLanguage media
""".split()
)
XLINK_ATTRIBUTES = {"href", "title", "type", "role", "arcrole", "show", "actuate"}
XML_ATTRIBUTES = {"space", "lang", "id", "base"}
# Anything that loads or runs something: only references inside the file ('#id') may remain.
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|javascript:|vbscript:|data:", re.IGNORECASE)


def sniff(data: bytes) -> str | None:
    """The media type the bytes are, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")) and b"<svg" in data[:65536].lower():
        return "image/svg+xml"
    return None


def pixel_size(data: bytes, media_type: str) -> tuple[int, int] | None:
    """(width, height) from the header of a PNG, GIF or JPEG; None when it cannot be read."""
    try:
        if media_type == "image/png":
            if data[12:16] != b"IHDR":
                return None
            return struct.unpack(">II", data[16:24])
        if media_type == "image/gif":
            return struct.unpack("<HH", data[6:10])
        if media_type == "image/jpeg":
            index = 2
            while index + 9 < len(data):
                if data[index] != 0xFF:
                    return None
                marker = data[index + 1]
                if marker == 0xFF:  # fill byte
                    index += 1
                    continue
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    index += 2
                    continue
                length = struct.unpack(">H", data[index + 2 : index + 4])[0]
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                    return width, height
                index += 2 + length
            return None
    except struct.error:
        return None
    return None


def image_problem(data: bytes, expected_type: str) -> str | None:
    """Why these bytes cannot be the image its name says (``expected_type``), or None."""
    actual = sniff(data)
    if actual is None:
        return "is not a PNG, JPEG, GIF or SVG image (its content is none of these)"
    if actual != expected_type:
        return f"is named as {_name(expected_type)} but its content is {_name(actual)}; save it with the right extension"
    if actual == "image/svg+xml":
        return svg_problem(data)
    size = pixel_size(data, actual)
    if size is None:
        return f"is {_name(actual)} whose size cannot be read (a damaged file?)"
    width, height = size
    if width == 0 or height == 0:
        return f"is {width}x{height} pixels: an image must have a size"
    if width * height > MAX_PIXELS:
        return f"is {width}x{height} pixels; at most {MAX_PIXELS // 1_000_000} million pixels (e.g. 8000x5000) are allowed"
    return None


def _name(media_type: str) -> str:
    return {"image/png": "a PNG", "image/jpeg": "a JPEG", "image/gif": "a GIF", "image/svg+xml": "an SVG"}[media_type]


class _Refused(Exception):
    pass


def svg_problem(data: bytes) -> str | None:
    """Why this SVG may not reach a package, or None."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state: dict[str, Any] = {"elements": 0, "style": 0, "root": None}

    def refuse(what):
        def handler(*_args):
            raise _Refused(what)

        return handler

    parser.StartDoctypeDeclHandler = refuse("has a DOCTYPE (entities could hide script or read files); export it without")
    parser.EntityDeclHandler = refuse("declares entities; export it without")
    parser.ExternalEntityRefHandler = refuse("refers to an external entity")
    parser.ProcessingInstructionHandler = refuse("has a processing instruction (e.g. a stylesheet link); export it without")

    def start(name: str, attributes: dict) -> None:
        namespace, _, local = name.rpartition("}")
        state["elements"] += 1
        if state["elements"] > MAX_SVG_ELEMENTS:
            raise _Refused(f"has more than {MAX_SVG_ELEMENTS:,} elements")
        if state["root"] is None:
            state["root"] = name
            if name != f"{SVG}}}svg":
                raise _Refused(f'does not start with <svg xmlns="{SVG}">')
        if namespace == SVG:
            if local not in SVG_ELEMENTS:
                raise _Refused(
                    f"has the element <{local}>, which is not allowed (allowed: shapes, text, "
                    f"gradients, patterns, masks, filters; no script, links, foreignObject, "
                    f"embedded images or animation)"
                )
        elif namespace not in INERT_NAMESPACES:
            raise _Refused(f"has an element <{local}> from the namespace '{namespace or 'none'}', which is not allowed")
        for attribute, value in attributes.items():
            _check_attribute(attribute, value, namespace == SVG)
        if name == f"{SVG}}}style":
            state["style"] += 1

    def end(name: str) -> None:
        if name == f"{SVG}}}style":
            state["style"] -= 1

    def text(content: str) -> None:
        if state["style"] and EXTERNAL_URL.search(content):
            raise _Refused("has a <style> that loads or runs something (url(), @import, javascript:)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return str(refused)
    except expat.ExpatError as error:
        return f"is not well-formed XML ({expat.ErrorString(error.code)}, line {error.lineno})"
    if state["root"] is None:
        return "has no <svg> element"
    return None


def _check_attribute(attribute: str, value: str, on_svg_element: bool) -> None:
    namespace, _, local = attribute.rpartition("}")
    if namespace in INERT_NAMESPACES:
        return
    if namespace == "" and on_svg_element:
        allowed = local in SVG_ATTRIBUTES or local == "href"
    elif namespace == "":
        allowed = not local.lower().startswith("on")
    elif namespace == XLINK:
        allowed = local in XLINK_ATTRIBUTES
    elif namespace == XML:
        allowed = local in XML_ATTRIBUTES
    else:
        allowed = False
    if not allowed:
        shown = local if not namespace else f"{{{namespace}}}{local}"
        raise _Refused(f"has an attribute '{shown}', which is not allowed (no event handlers or foreign attributes)")
    if local == "href" and not value.strip().startswith("#"):
        raise _Refused(f"links to '{value.strip()[:60]}'; only references inside the file ('#id') are allowed")
    if EXTERNAL_URL.search(value):
        raise _Refused(f"has an attribute '{local}' that loads or runs something ('{value.strip()[:60]}')")
