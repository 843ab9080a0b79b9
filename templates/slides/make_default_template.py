"""Builds ``templates/slides/default.pptx``, the slide master of the ``slides`` target.

Run it from anywhere: ``python templates/slides/make_default_template.py``. It starts from
python-pptx's blank presentation and gives it

- a 16:9 page (13.333 x 7.5 in),
- a theme whose fonts are Calibri, the font PowerPoint has on Windows and macOS (the build
  measures text with its metric twin Carlito, shipped in ``generator/data/fonts/``, and
  LibreOffice renders Calibri with Carlito), and whose colours ``accent1`` (primary) and ``accent2``
  (accent) the build replaces with ``course.theme`` — every coloured shape and text below
  refers to those scheme colours, never to a fixed RGB value,
- eight named layouts: title, section, content, two-content, vignette, quiz question,
  quiz answer, references.

Placeholder roles are found by the build from the placeholder type (title, body, subTitle,
pic, ftr, sldNum) and, for the two extra text slots, from the placeholder name ("Kicker",
"Subtitle"). An institute template may use any names; see ``layouts.yaml``.

The output is byte-for-byte repeatable (fixed zip times and core properties).
"""

from __future__ import annotations

import datetime as _dt
import io
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # for generator.outputs when run as a script

from generator.outputs import normalise_zip  # noqa: E402

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
NSDECL = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())

EMU = 914400  # per inch
W, H = 13.333, 7.5
SLIDE_W, SLIDE_H = 12192000, 6858000
M = 0.6  # side margin, inches

FONT = "Calibri"
COLOURS = {  # default scheme; accent1/accent2/dk2/hlink are replaced by course.theme at build time
    "dk1": "1F2937",
    "lt1": "FFFFFF",
    "dk2": "1D4E89",
    "lt2": "F1F3F6",
    "accent1": "1D4E89",
    "accent2": "B5521B",
    "accent3": "4B5563",
    "accent4": "5B8DB8",
    "accent5": "E3A27A",
    "accent6": "2E7D5B",
    "hlink": "1D4E89",
    "folHlink": "6B3FA0",
}


def emu(inches: float) -> int:
    return int(round(inches * EMU))


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def xml(fragment: str) -> etree._Element:
    return etree.fromstring(f"<root {NSDECL}>{fragment}</root>")[0]


# -- text styles ---------------------------------------------------------------------------


def _fill(colour: str) -> str:
    """A solid fill of a scheme colour, optionally with a modifier: 'bg1', 'tx1:lumMod=65000'."""
    name, _, mods = colour.partition(":")
    children = ""
    for mod in filter(None, mods.split(",")):
        key, value = mod.split("=")
        children += f'<a:{key} val="{value}"/>'
    return f'<a:solidFill><a:schemeClr val="{name}">{children}</a:schemeClr></a:solidFill>'


def level(
    n: int,
    size: int,
    *,
    mar_l: float = 0.0,
    indent: float = 0.0,
    before: float = 0,
    line: int = 100,
    bullet: str | None = None,
    bullet_colour: str = "accent2",
    colour: str = "tx1",
    bold: bool = False,
    italic: bool = False,
    caps: bool = False,
    font: str = "+mn-lt",
    align: str = "l",
) -> str:
    """One ``a:lvlNpPr``; sizes in points, distances in inches."""
    bu = (
        f'<a:buClr><a:schemeClr val="{bullet_colour}"/></a:buClr><a:buFontTx/><a:buChar char="{bullet}"/>'
        if bullet
        else "<a:buNone/>"
    )
    attrs = (
        f'sz="{size * 100}"' + (' b="1"' if bold else ' b="0"') + (' i="1"' if italic else "") + (' cap="all"' if caps else "")
    )
    return (
        f'<a:lvl{n}pPr marL="{emu(mar_l)}" indent="{emu(indent)}" algn="{align}" defTabSz="457200" rtl="0" eaLnBrk="1" '
        f'latinLnBrk="0" hangingPunct="1">'
        f'<a:lnSpc><a:spcPct val="{line * 1000}"/></a:lnSpc><a:spcBef><a:spcPts val="{int(before * 100)}"/></a:spcBef>'
        f'<a:spcAft><a:spcPts val="0"/></a:spcAft>{bu}'
        f'<a:defRPr {attrs} kern="1200">{_fill(colour)}<a:latin typeface="{font}"/>'
        f'<a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr>'
        f"</a:lvl{n}pPr>"
    )


BODY_LEVELS = [  # (size pt, marL in, indent in, space before pt, bullet)
    (24, 0.34, -0.34, 10, "•"),
    (22, 0.74, -0.32, 5, "–"),
    (20, 1.10, -0.30, 4, "•"),
    (18, 1.44, -0.28, 3, "–"),
    (18, 1.78, -0.28, 3, "•"),
    (18, 2.12, -0.28, 3, "–"),
    (18, 2.46, -0.28, 3, "•"),
    (18, 2.80, -0.28, 3, "–"),
    (18, 3.14, -0.28, 3, "•"),
]


def body_style(tag: str = "p:bodyStyle") -> str:
    levels = "".join(
        level(i + 1, s, mar_l=m, indent=ind, before=b, bullet=bu) for i, (s, m, ind, b, bu) in enumerate(BODY_LEVELS)
    )
    return f"<{tag}>{levels}</{tag}>"


def lst(*levels: str) -> str:
    return f"<a:lstStyle>{''.join(levels)}</a:lstStyle>"


def plain(size: int, colour: str = "tx1", **kw) -> str:
    """Level 1 without bullet or indent."""
    return level(1, size, colour=colour, **kw)


# -- shapes ---------------------------------------------------------------------------------


class Shapes:
    """Builds the ``p:sp`` children of one spTree with unique ids."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.next_id = 2

    def _id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def rect(self, name: str, x: float, y: float, w: float, h: float, colour: str, geom: str = "rect") -> None:
        self.items.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{self._id()}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
            f'<p:spPr><a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'
            f'<a:prstGeom prst="{geom}"><a:avLst/></a:prstGeom>{_fill(colour)}<a:ln><a:noFill/></a:ln></p:spPr>'
            f'<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="nl-NL"/></a:p></p:txBody></p:sp>'
        )

    def ph(
        self,
        name: str,
        ph: str,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        anchor: str = "t",
        styles: str = "",
        prompt: str = "",
        ins: tuple[float, float, float, float] = (0.1, 0.05, 0.1, 0.05),
        field: str | None = None,
    ) -> None:
        body = ""
        if ph.startswith('type="pic"'):
            body = ""
        else:
            left, top, right, bottom = (emu(v) for v in ins)
            if field:
                para = (
                    f'<a:p><a:fld id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}" type="{field}"><a:rPr lang="nl-NL"/>'
                    f'<a:t>‹#›</a:t></a:fld><a:endParaRPr lang="nl-NL"/></a:p>'
                )
            else:
                para = (
                    f'<a:p><a:r><a:rPr lang="nl-NL"/><a:t>{prompt}</a:t></a:r><a:endParaRPr lang="nl-NL"/></a:p>'
                    if prompt
                    else '<a:p><a:endParaRPr lang="nl-NL"/></a:p>'
                )
            body = (
                f'<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" bIns="{bottom}" '
                f'rtlCol="0" anchor="{anchor}">'
                f"<a:noAutofit/></a:bodyPr>{lst(styles)}{para}</p:txBody>"
            )
        self.items.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{self._id()}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f"<p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>"
            f'<p:spPr><a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>{body}</p:sp>'
        )

    def footer(self, x: float = M, w: float = 8.0) -> None:
        y = 6.88
        self.ph(
            "Footer",
            'type="ftr" sz="quarter" idx="11"',
            x,
            y,
            w,
            0.4,
            anchor="ctr",
            styles=plain(12, "tx1:lumMod=50000,lumOff=50000"),
        )
        self.ph(
            "Slide Number",
            'type="sldNum" sz="quarter" idx="12"',
            W - M - 1.4,
            y,
            1.4,
            0.4,
            anchor="ctr",
            styles=plain(12, "tx1:lumMod=50000,lumOff=50000", align="r"),
            field="slidenum",
        )


# -- layouts --------------------------------------------------------------------------------

TITLE_STYLE = plain(34, "accent1", bold=True, line=90, font="+mj-lt")


def content_chrome(s: Shapes, title_h: float = 1.0) -> None:
    s.rect("Top band", 0, 0, W, 0.12, "accent1")
    s.ph("Title", 'type="title"', M, 0.3, W - 2 * M, title_h, anchor="b", styles=TITLE_STYLE, prompt="Titel")
    s.rect("Accent bar", M + 0.1, 0.3 + title_h + 0.08, 0.9, 0.07, "accent2")


def layout_title(s: Shapes) -> str:
    s.rect("Panel", 0, 0, W, 4.85, "accent1")
    s.rect("Accent strip", 0, 4.85, W, 0.14, "accent2")
    s.rect("Circle", 9.2, -2.2, 6.4, 6.4, "bg1:alpha=7000", geom="ellipse")
    s.ph(
        "Title",
        'type="ctrTitle"',
        0.8,
        0.9,
        11.2,
        3.55,
        anchor="b",
        styles=plain(44, "bg1", bold=True, line=90, font="+mj-lt"),
        prompt="Titel van de module",
    )
    s.ph(
        "Subtitle",
        'type="subTitle" idx="1"',
        0.8,
        5.3,
        8.6,
        1.75,
        styles=plain(24, "tx1:lumMod=75000,lumOff=25000", before=4),
        prompt="Ondertitel",
    )
    s.ph("Logo", 'type="pic" idx="15"', 9.9, 5.3, 2.83, 1.5)
    return ""


def layout_section(s: Shapes) -> str:
    s.rect("Circle", 9.0, -1.8, 6.8, 6.8, "bg1:alpha=7000", geom="ellipse")
    s.rect("Circle 2", 10.6, 4.4, 4.2, 4.2, "bg1:alpha=5000", geom="ellipse")
    s.ph(
        "Title",
        'type="title"',
        0.8,
        1.4,
        10.8,
        2.75,
        anchor="b",
        styles=plain(40, "bg1", bold=True, line=90, font="+mj-lt"),
        prompt="Titel van het deel",
    )
    s.rect("Accent bar", 0.9, 4.32, 1.4, 0.09, "accent2")
    s.ph(
        "Subtitle", 'type="body" idx="1"', 0.8, 4.6, 10.8, 1.9, styles=plain(24, "bg1:alpha=85000", before=4), prompt="Ondertitel"
    )
    return '<p:bg><p:bgPr><a:solidFill><a:schemeClr val="accent1"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'


def layout_content(s: Shapes) -> str:
    content_chrome(s)
    s.ph("Body", 'idx="1"', M, 1.65, W - 2 * M, 5.05, prompt="Tekst")
    s.rect("Rule", M, 6.84, W - 2 * M, 0.012, "tx1:lumMod=15000,lumOff=85000")
    s.footer()
    return ""


def layout_two_content(s: Shapes) -> str:
    content_chrome(s)
    half = (W - 2 * M - 0.3) / 2
    s.ph("Body", 'idx="1"', M, 1.65, half, 5.05, prompt="Tekst")
    s.ph("Body 2", 'idx="2"', M + half + 0.3, 1.65, half, 5.05, prompt="Tekst of afbeelding")
    s.rect("Rule", M, 6.84, W - 2 * M, 0.012, "tx1:lumMod=15000,lumOff=85000")
    s.footer()
    return ""


def layout_vignette(s: Shapes) -> str:
    s.rect("Side strip", 0, 0, 0.22, H, "accent2")
    s.ph(
        "Kicker",
        'type="body" idx="13"',
        M,
        0.28,
        W - 2 * M,
        0.45,
        anchor="b",
        styles=plain(18, "accent2", bold=True, caps=True),
        prompt="Casus",
    )
    s.ph(
        "Title",
        'type="title"',
        M,
        0.73,
        W - 2 * M,
        1.07,
        anchor="t",
        styles=plain(30, "accent1", bold=True, line=90, font="+mj-lt"),
        prompt="Titel van de casus",
    )
    s.ph(
        "Subtitle",
        'type="body" idx="14"',
        M,
        1.8,
        W - 2 * M,
        0.8,
        styles=plain(18, "tx1:lumMod=65000,lumOff=35000", italic=True),
        prompt="Setting en rol",
    )
    s.rect("Panel", M, 2.68, W - 2 * M, 4.07, "bg2")
    s.rect("Panel edge", M, 2.68, 0.08, 4.07, "accent2")
    s.ph("Body", 'idx="1"', M + 0.3, 2.78, W - 2 * M - 0.5, 3.87, prompt="Situatie")
    s.footer()
    return ""


def layout_quiz(s: Shapes, colour: str, kicker: str, title: str) -> str:
    panel = 4.1
    s.rect("Panel", 0, 0, panel, H, colour)
    s.rect("Circle", -1.4, 4.9, 4.0, 4.0, "bg1:alpha=8000", geom="ellipse")
    s.ph(
        "Kicker",
        'type="body" idx="13"',
        0.55,
        0.7,
        panel - 1.0,
        0.55,
        anchor="b",
        styles=plain(18, "bg1:alpha=85000", bold=True, caps=True),
        prompt=kicker,
    )
    s.ph(
        "Title",
        'type="title"',
        0.55,
        1.3,
        panel - 1.0,
        3.6,
        anchor="t",
        styles=plain(34, "bg1", bold=True, line=90, font="+mj-lt"),
        prompt=title,
    )
    s.ph("Body", 'idx="1"', panel + 0.5, 0.7, W - panel - 0.5 - M, 5.98, prompt="Vraag en antwoorden")
    s.footer(x=panel + 0.5, w=6.0)
    return ""


def layout_references(s: Shapes) -> str:
    content_chrome(s)
    refs = level(1, 18, mar_l=0.45, indent=-0.45, before=8)
    s.ph("Body", 'idx="1"', M, 1.65, W - 2 * M, 5.05, styles=refs, prompt="Bronnen")
    s.rect("Rule", M, 6.84, W - 2 * M, 0.012, "tx1:lumMod=15000,lumOff=85000")
    s.footer()
    return ""


LAYOUTS = [  # (name, OOXML layout type or None, builder)
    ("title", "title", layout_title),
    ("section", "secHead", layout_section),
    ("content", "obj", layout_content),
    ("two-content", "twoObj", layout_two_content),
    ("vignette", None, layout_vignette),
    ("quiz question", None, lambda s: layout_quiz(s, "accent1", "Quiz", "Vraag")),
    ("quiz answer", None, lambda s: layout_quiz(s, "accent2", "Quiz", "Antwoord")),
    ("references", None, layout_references),
]


# -- assembly -------------------------------------------------------------------------------


def _set_theme(prs) -> None:
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    root.set("name", "Coursegen")
    scheme = root.find(".//a:clrScheme", NS)
    scheme.set("name", "Coursegen")
    for child in list(scheme):
        scheme.remove(child)
    for key, value in COLOURS.items():
        scheme.append(xml(f'<a:{key}><a:srgbClr val="{value}"/></a:{key}>'))
    fonts = root.find(".//a:fontScheme", NS)
    fonts.set("name", "Coursegen")
    for which in ("a:majorFont", "a:minorFont"):
        fonts.find(which, NS).find("a:latin", NS).set("typeface", FONT)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_master(prs) -> None:
    master = prs.slide_master._element
    tree = master.find("p:cSld/p:spTree", NS)
    for sp in tree.findall("p:sp", NS):
        tree.remove(sp)
    s = Shapes()
    s.ph("Title", 'type="title"', M, 0.3, W - 2 * M, 1.0, anchor="b", prompt="Klik om de titelstijl te bewerken")
    s.ph("Body", 'type="body" idx="1"', M, 1.65, W - 2 * M, 5.05, prompt="Klik om de tekststijl te bewerken")
    s.ph(
        "Footer",
        'type="ftr" sz="quarter" idx="3"',
        M,
        6.88,
        8.0,
        0.4,
        anchor="ctr",
        styles=plain(12, "tx1:lumMod=50000,lumOff=50000"),
    )
    s.ph(
        "Slide Number",
        'type="sldNum" sz="quarter" idx="4"',
        W - M - 1.4,
        6.88,
        1.4,
        0.4,
        anchor="ctr",
        styles=plain(12, "tx1:lumMod=50000,lumOff=50000", align="r"),
        field="slidenum",
    )
    for item in s.items:
        tree.append(xml(item))
    styles = master.find("p:txStyles", NS)
    for child in list(styles):
        styles.remove(child)
    styles.append(xml(f"<p:titleStyle>{TITLE_STYLE}</p:titleStyle>"))
    styles.append(xml(body_style()))
    styles.append(xml(f"<p:otherStyle>{level(1, 18)}</p:otherStyle>"))
    ext = master.find("p:cSld/p:extLst", NS)
    if ext is not None:
        ext.getparent().remove(ext)


def _set_layouts(prs) -> None:
    layouts = prs.slide_layouts
    while len(layouts) > len(LAYOUTS):
        layouts.remove(layouts[len(layouts) - 1])
    for layout, (name, kind, build) in zip(layouts, LAYOUTS, strict=True):  # python-pptx's base has 11: at least enough
        root = layout._element
        if kind:
            root.set("type", kind)
        elif "type" in root.attrib:
            del root.attrib["type"]
        root.set("preserve", "1")
        csld = root.find("p:cSld", NS)
        csld.set("name", name)
        for child in list(csld):
            if child.tag in (q("p:bg"), q("p:extLst")):
                csld.remove(child)
        tree = csld.find("p:spTree", NS)
        for child in list(tree):
            if child.tag not in (q("p:nvGrpSpPr"), q("p:grpSpPr")):
                tree.remove(child)
        s = Shapes()
        background = build(s)
        if background:
            csld.insert(0, xml(background))
        for item in s.items:
            tree.append(xml(item))


def build_default_template() -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    size = prs.part._element.find("p:sldSz", NS)
    size.attrib.pop("type", None)
    for node in prs.part._element.iter(q("a:defRPr")):
        if node.get("lang"):
            node.set("lang", "nl-NL")
    _set_theme(prs)
    _set_master(prs)
    _set_layouts(prs)
    # The blank presentation carries an Office thumbnail of a 4:3 slide; drop it.
    for rel_id, rel in list(prs.part.package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            prs.part.package._rels.pop(rel_id)
    stamp = _dt.datetime(1980, 1, 1)
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = "Coursegen standaard", "coursegen", "coursegen"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.language = "nl-NL"
    buffer = io.BytesIO()
    prs.save(buffer)
    return normalise_zip(buffer.getvalue())


def main() -> None:
    target = HERE / "default.pptx"
    target.write_bytes(build_default_template())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
