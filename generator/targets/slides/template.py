"""The slide template: finding it, its layouts (with fallbacks), and each placeholder's geometry
and effective text style, read through the same inheritance PowerPoint uses
(layout placeholder → master placeholder → master text styles → presentation defaults).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Course
from ...outputs import TargetError
from ...template_file import template_path
from ...yamlfile import read_yaml
from .fonts import FontFile, FontLibrary, template_fonts

if TYPE_CHECKING:
    from pptx.slide import SlideLayout

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
EMU_PER_PT = 12700

LOGICAL_LAYOUTS = ("title", "section", "content", "two-content", "vignette", "quiz question", "quiz answer", "references")
TITLE_TYPES = ("title", "ctrTitle")
BODY_TYPES = ("body", "obj", None)


class TemplateError(TargetError):
    """The configured template cannot be used (missing file, not a .pptx, no usable layout)."""


@dataclass(frozen=True)
class TemplateSource:
    """Which template a build uses: its name as written in course.yaml, its bytes, and the
    font files it brings (a ``fonts/`` folder beside it)."""

    name: str
    data: bytes
    is_default: bool
    fonts: tuple[FontFile, ...] = ()

    @property
    def digest(self) -> str:
        digest = hashlib.sha256(self.data)
        for font in self.fonts:
            digest.update(f"\0{font.name}\0{len(font.data)}\0".encode())
            digest.update(font.data)
        return digest.hexdigest()


def template_source(setting: object, source_dir: Path, templates_dir: Path) -> TemplateSource:
    name = str(setting or "default")
    if name == "default":
        return TemplateSource(name, (templates_dir / "slides" / "default.pptx").read_bytes(), True)
    path = template_path(name, source_dir, "targets.slides.template", ".pptx", "save a .potx as .pptx", TemplateError)
    return TemplateSource(name, path.read_bytes(), False, template_fonts(path))


def layout_table(templates_dir: str) -> dict[str, dict[str, list[str]]]:
    return read_yaml(Path(templates_dir) / "slides" / "layouts.yaml")


# -- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelStyle:
    """The effective paragraph and character properties of one outline level (sizes in pt)."""

    size: float
    bold: bool
    italic: bool
    typeface: str
    mar_l: float
    indent: float
    before: float
    after: float
    line: float
    line_pts: float | None
    bullet: str | None  # the bullet character, or None for no bullet
    bullet_font: str | None
    bullet_colour: bytes | None  # the a:buClr element, serialised
    align: str | None
    colour: bytes | None = None  # the text's a:solidFill element, serialised
    caps: bool = False  # shown in capitals (cap="all"), which is wider: measured so


@dataclass(frozen=True)
class Frame:
    """One placeholder of a layout: its role, idx, box (EMU), insets (EMU), anchor and levels."""

    role: str
    idx: int
    ph_type: str | None
    left: int
    top: int
    width: int
    height: int
    insets: tuple[int, int, int, int]
    anchor: str
    levels: tuple[LevelStyle, ...]

    @property
    def inner_width(self) -> float:
        """Width for text in points."""
        return (self.width - self.insets[0] - self.insets[2]) / EMU_PER_PT

    @property
    def inner_height(self) -> float:
        return (self.height - self.insets[1] - self.insets[3]) / EMU_PER_PT

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass
class LayoutChoice:
    logical: str
    layout: SlideLayout | str  # the pptx layout; once prepared (prepared.py), its partname
    name: str
    frames: dict[str, Frame]
    fallback_from: str | None = None  # set when the template lacked ``logical``


def _ph(sp):
    return sp.find("p:nvSpPr/p:nvPr/p:ph", NS)


def _ph_type(sp) -> str | None:
    ph = _ph(sp)
    return None if ph is None else ph.get("type")


class Template:
    """An opened template: a fresh python-pptx Presentation plus layout and style lookups."""

    def __init__(self, source: TemplateSource, templates_dir: Path) -> None:
        from pptx import Presentation

        self.source = source
        try:
            self.prs = Presentation(io.BytesIO(source.data))
        except Exception as error:  # a damaged or foreign file is a user mistake
            raise TemplateError(f"targets.slides.template: '{source.name}' cannot be read as a .pptx file ({error})") from None
        self.master = self.prs.slide_master
        self.table = layout_table(str(templates_dir))
        theme = self._theme()
        self.fonts = {"+mn-lt": "Calibri", "+mj-lt": "Calibri"}
        if theme is not None:
            for key, tag in (("+mj-lt", "a:majorFont"), ("+mn-lt", "a:minorFont")):
                latin = theme.find(f".//a:fontScheme/{tag}/a:latin", NS)
                if latin is not None and latin.get("typeface"):
                    self.fonts[key] = latin.get("typeface")
        self.choices: dict[str, LayoutChoice] = {}
        for logical in LOGICAL_LAYOUTS:
            self.choices[logical] = self._choose(logical)

    # -- theme -------------------------------------------------------------------
    def _theme_part(self):
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        return self.master.part.part_related_by(RT.THEME)

    def _theme(self):
        from lxml import etree

        try:
            return etree.fromstring(self._theme_part().blob)
        except Exception:
            return None

    def apply_colours(self, primary: str, accent: str) -> None:
        """Put the course colours into the theme: accent1/dk2/hlink = primary, accent2 = accent."""
        from lxml import etree

        root = self._theme()
        if root is None:
            return
        scheme = root.find(".//a:clrScheme", NS)
        for key, value in (("accent1", primary), ("dk2", primary), ("hlink", primary), ("accent2", accent)):
            slot = scheme.find(f"a:{key}", NS)
            if slot is None:
                continue
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{{{A}}}srgbClr", val=value.lstrip("#").upper())
        self._theme_part()._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def remove_slides(self) -> None:
        """An institute template may carry example slides; a deck starts empty."""
        ids = self.prs.slides._sldIdLst
        for sld_id in list(ids):
            self.prs.part.drop_rel(sld_id.rId)
            ids.remove(sld_id)

    # -- layouts -----------------------------------------------------------------
    def _by_name(self, names: list[str]):
        wanted = [n.casefold() for n in names]
        layouts = list(self.master.slide_layouts)
        for name in wanted:
            for layout in layouts:
                if layout.name.strip().casefold() == name:
                    return layout
        return None

    def _usable(self, logical: str, frames: dict[str, Frame]) -> bool:
        if logical in ("title", "section"):
            return "title" in frames
        return "title" in frames and "body" in frames

    def _choose(self, logical: str, seen: tuple[str, ...] = ()) -> LayoutChoice:
        entry = self.table.get(logical, {"names": [logical], "fallback": ["content"]})
        layout = self._by_name(entry.get("names", [logical]))
        if layout is not None:
            frames = self.frames(layout)
            if self._usable(logical, frames):
                return LayoutChoice(logical, layout, layout.name, frames)
        for other in entry.get("fallback", []):
            if other in seen or other == logical:
                continue
            choice = self._choose(other, seen + (logical,))
            return LayoutChoice(logical, choice.layout, choice.name, choice.frames, logical)
        # last resort: the first layout with a title and a body placeholder
        for layout in self.master.slide_layouts:
            frames = self.frames(layout)
            if self._usable(logical, frames):
                return LayoutChoice(logical, layout, layout.name, frames, logical)
        raise TemplateError(f"targets.slides.template: '{self.source.name}' has no layout with a title and a text placeholder")

    def missing(self) -> list[tuple[str, str]]:
        """(missing logical layout, name of the layout used instead), in a fixed order."""
        return [(c.logical, c.name) for c in self.choices.values() if c.fallback_from]

    # -- placeholders ------------------------------------------------------------
    def frames(self, layout) -> dict[str, Frame]:
        """The roles of a layout's placeholders: title, subtitle, kicker, body, body2, logo, footer, number."""
        found: dict[str, Frame] = {}
        bodies = []
        for shape in layout.placeholders:
            sp = shape._element
            kind = _ph_type(sp)
            name = (shape.name or "").casefold()
            role = None
            if kind in TITLE_TYPES:
                role = "title"
            elif kind == "subTitle" or name.startswith(("subtitle", "ondertitel")):
                role = "subtitle"
            elif name.startswith("kicker"):
                role = "kicker"
            elif kind == "pic":
                role = "logo"
            elif kind == "ftr":
                role = "footer"
            elif kind == "sldNum":
                role = "number"
            elif kind in BODY_TYPES:
                bodies.append(shape)
                continue
            if role and role not in found:
                found[role] = self._frame(role, shape)
        bodies.sort(key=lambda s: (s.left or 0, s.top or 0))
        for role, shape in zip(("body", "body2"), bodies, strict=False):  # a third body, if any, stays unused
            found[role] = self._frame(role, shape)
        return found

    def _master_ph(self, kind: str | None):
        wanted = "title" if kind in TITLE_TYPES else (kind if kind in ("dt", "ftr", "sldNum") else "body")
        for shape in self.master.placeholders:
            master_kind = _ph_type(shape._element) or "obj"
            if master_kind == wanted or (wanted == "body" and master_kind in ("body", "obj")):
                return shape._element
        return None

    def _style_sources(self, sp, kind: str | None) -> list:
        sources = []
        own = sp.find("p:txBody/a:lstStyle", NS)
        if own is not None:
            sources.append(own)
        master_sp = self._master_ph(kind)
        if master_sp is not None:
            lst = master_sp.find("p:txBody/a:lstStyle", NS)
            if lst is not None:
                sources.append(lst)
        styles = self.master._element.find("p:txStyles", NS)
        if styles is not None:
            tag = (
                "p:titleStyle" if kind in TITLE_TYPES else ("p:otherStyle" if kind in ("dt", "ftr", "sldNum") else "p:bodyStyle")
            )
            node = styles.find(tag, NS)
            if node is not None:
                sources.append(node)
        default = self.prs.part._element.find("p:defaultTextStyle", NS)
        if default is not None:
            sources.append(default)
        return sources

    def _frame(self, role: str, shape) -> Frame:
        sp = shape._element
        kind = _ph_type(sp)
        master_sp = self._master_ph(kind)
        body_prs = [
            n
            for n in (sp.find("p:txBody/a:bodyPr", NS), None if master_sp is None else master_sp.find("p:txBody/a:bodyPr", NS))
            if n is not None
        ]

        def body_attr(name: str, default):
            for node in body_prs:
                if node.get(name) is not None:
                    return node.get(name)
            return default

        insets = (
            int(body_attr("lIns", 91440)),
            int(body_attr("tIns", 45720)),
            int(body_attr("rIns", 91440)),
            int(body_attr("bIns", 45720)),
        )
        sources = self._style_sources(sp, kind)
        levels = tuple(self._level(sources, n) for n in range(1, 10))
        ph = _ph(sp)
        return Frame(
            role,
            int(ph.get("idx", "0")),
            kind,
            int(shape.left or 0),
            int(shape.top or 0),
            int(shape.width or 0),
            int(shape.height or 0),
            insets,
            body_attr("anchor", "t"),
            levels,
        )

    def _level(self, sources: list, n: int) -> LevelStyle:
        from lxml import etree

        nodes = [node for node in (src.find(f"a:lvl{n}pPr", NS) for src in sources) if node is not None]

        def attr(name: str, default=None):
            for node in nodes:
                if node.get(name) is not None:
                    return node.get(name)
            return default

        def rpr_attr(name: str, default=None):
            for node in nodes:
                rpr = node.find("a:defRPr", NS)
                if rpr is not None and rpr.get(name) is not None:
                    return rpr.get(name)
            return default

        def child(path: str):
            for node in nodes:
                found = node.find(path, NS)
                if found is not None:
                    return found
            return None

        size = int(rpr_attr("sz", 1800)) / 100
        typeface = "+mn-lt"
        for node in nodes:
            latin = node.find("a:defRPr/a:latin", NS)
            if latin is not None and latin.get("typeface"):
                typeface = latin.get("typeface")
                break
        typeface = self.fonts.get(typeface, typeface if not typeface.startswith("+") else self.fonts["+mn-lt"])

        def spacing(tag: str) -> float:
            node = child(f"a:{tag}")
            if node is None:
                return 0.0
            pts = node.find("a:spcPts", NS)
            if pts is not None:
                return int(pts.get("val", "0")) / 100
            pct = node.find("a:spcPct", NS)
            if pct is not None:  # a share of the line: 1.2 x size x percentage
                return 1.2 * size * int(pct.get("val", "0")) / 100000
            return 0.0

        line, line_pts = 1.0, None
        node = child("a:lnSpc")
        if node is not None:
            pct = node.find("a:spcPct", NS)
            pts = node.find("a:spcPts", NS)
            if pct is not None:
                line = int(pct.get("val", "100000")) / 100000
            elif pts is not None:
                line_pts = int(pts.get("val", "0")) / 100
        bullet = None
        bullet_font = None
        for node in nodes:
            if node.find("a:buNone", NS) is not None:
                break
            char = node.find("a:buChar", NS)
            if char is not None:
                bullet = char.get("char", "•")
                break
            if node.find("a:buAutoNum", NS) is not None or node.find("a:buBlip", NS) is not None:
                bullet = "•"
                break
        font_node = child("a:buFont")
        if font_node is not None and font_node.get("typeface"):
            bullet_font = font_node.get("typeface")
        colour = child("a:buClr")
        fill = child("a:defRPr/a:solidFill")
        return LevelStyle(
            size=size,
            bold=rpr_attr("b", "0") in ("1", "true"),
            italic=rpr_attr("i", "0") in ("1", "true"),
            typeface=typeface,
            mar_l=int(attr("marL", 0)) / EMU_PER_PT,
            indent=int(attr("indent", 0)) / EMU_PER_PT,
            before=spacing("spcBef"),
            after=spacing("spcAft"),
            line=line,
            line_pts=line_pts,
            bullet=bullet,
            bullet_font=bullet_font,
            bullet_colour=etree.tostring(colour) if colour is not None else None,
            align=attr("algn"),
            colour=etree.tostring(fill) if fill is not None else None,
            caps=rpr_attr("cap", "none") == "all",
        )


def check_template(course: Course, source_dir: Path, templates_dir: Path) -> tuple[TemplateSource, list[tuple[str, str]]]:
    """The template and its missing layouts; raises TemplateError when it cannot be used."""
    source = template_source(course.settings("slides").get("template", "default"), source_dir, templates_dir)
    if source.is_default:
        # Our own master has every layout (tests/test_slides.py checks it); skipping the
        # check keeps python-pptx out of a no-op rebuild.
        return source, []
    return source, _missing(source, str(templates_dir))


@lru_cache(maxsize=8)
def _missing(source: TemplateSource, templates_dir: str) -> list[tuple[str, str]]:
    return Template(source, Path(templates_dir)).missing()


def font_substitutions(source: TemplateSource, templates_dir: Path) -> list[tuple[str, str]]:
    """(font the template names, font its text is measured with instead) for every theme font
    that neither the package nor the template's ``fonts/`` folder has."""
    if source.is_default:
        return []
    return _substitutions(source, str(templates_dir))


@lru_cache(maxsize=8)
def _substitutions(source: TemplateSource, templates_dir: str) -> list[tuple[str, str]]:
    library = FontLibrary(source.fonts)
    typefaces = sorted(set(Template(source, Path(templates_dir)).fonts.values()))
    return [(typeface, used) for typeface in typefaces if (used := library.substitute(typeface))]
