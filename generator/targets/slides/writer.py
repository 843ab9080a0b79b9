"""Fitted pages → PowerPoint slides: native, editable text with the proofing language on every
run, tables, pictures, footer, slide number and speaker notes; then repeatable bytes.

Slides and notes pages are written as XML text next to the template's finished parts
(``package.BasePackage``): the same markup python-pptx would produce, without building its
object model for every shape, which was most of the time a deck took."""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import re

from ...outputs import build_timestamp, zip_bytes
from . import diagram_shapes
from .blocks import NO_BULLET, Para, Run
from .measure import CODE_FONT, TextStyle, lines_needed, text_width
from .package import (
    XML_HEADER,
    BasePackage,
    LayoutParts,
    Rel,
    content_types_xml,
    core_xml,
    escape,
    free_media_name,
    quoteattr,
    rels_member,
    rels_xml,
    slide_target,
)
from .paginate import TABLE_MARGINS, Formatted, Page, PicSeg, TableSeg, TextSeg
from .template import EMU_PER_PT, Frame

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:a="{A}" xmlns:p="{P}" xmlns:r="{R}"'
FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # PowerPoint's "Medium Style 2 - Accent 1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NSDECLS = re.compile(r'\sxmlns:\w+="[^"]*"')

RT_SLIDE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"
RT_LAYOUT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout"
RT_NOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"
RT_NOTES_MASTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
RT_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
CT_SLIDE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
CT_NOTES = "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
IMAGE_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/bmp": "bmp", "image/tiff": "tiff"}


def _text(value: str) -> str:
    return escape(_CONTROL.sub("", value))


def _emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def _colour(name: str) -> str:
    """'accent1' or 'tx1:lumMod=50000,lumOff=50000' → the a:schemeClr element."""
    scheme, _, mods = name.partition(":")
    children = "".join(f'<a:{k} val="{v}"/>' for k, v in (m.split("=") for m in mods.split(",") if m))
    return f'<a:schemeClr val="{scheme}">{children}</a:schemeClr>'


def _xfrm(x: int, y: int, w: int, h: int, tag: str = "a:xfrm") -> str:
    return f'<{tag}><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></{tag}>'


class _Slide:
    """One slide being written: its shapes (XML text), shape ids and relationships."""

    def __init__(self, layout: LayoutParts) -> None:
        self.shapes: list[str] = []
        self.next_id = 2 + len(layout.placeholders)  # ids 2, 3, ... are the layout's placeholders
        self.rels: list[Rel] = [Rel("rId1", RT_LAYOUT, slide_target(layout.partname))]
        self._known: dict[tuple[str, str], str] = {}

    def shape_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def relate(self, reltype: str, target: str, external: bool = False) -> str:
        rid = self._known.get((reltype, target))
        if rid is None:
            rid = self._known[(reltype, target)] = f"rId{len(self.rels) + 1}"
            self.rels.append(Rel(rid, reltype, target, external))
        return rid

    def xml(self) -> bytes:
        return (
            f'{XML_HEADER}<p:sld {NSDECL}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
            f"</p:nvGrpSpPr><p:grpSpPr/>{''.join(self.shapes)}</p:spTree></p:cSld>"
            "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
        ).encode()


class DeckWriter:
    def __init__(self, base: BasePackage, images, lang: str, footer: str) -> None:
        self.base = base
        self.images = images
        self.lang = lang
        self.footer = footer
        self.count = 0
        self.entries: dict[str, bytes] = {}
        self.content_types: dict[str, str] = {}
        self.media: dict[str, str] = {}  # sha1 of the bytes → partname
        self.slide_targets: list[str] = []

    # -- runs and paragraphs -------------------------------------------------------------
    def _rpr(
        self,
        tag: str,
        size: float | None,
        run: Run | None = None,
        bold: bool = False,
        italic: bool = False,
        colour: str | None = None,
        slide: _Slide | None = None,
    ) -> str:
        attrs = f'lang="{self.lang}"'
        if size:
            attrs += f' sz="{int(round(size * 100))}"'
        b = bold or (run is not None and run.bold)
        i = italic or (run is not None and run.italic)
        attrs += ' b="1"' if b else ' b="0"'
        if i:
            attrs += ' i="1"'
        if run is not None and run.strike:
            attrs += ' strike="sngStrike"'
        attrs += ' dirty="0"'
        children = ""
        colour = colour or (run.colour if run is not None else None)
        if colour:
            children += f"<a:solidFill>{_colour(colour)}</a:solidFill>"
        if run is not None and run.code:
            children += f'<a:latin typeface="{CODE_FONT}"/><a:cs typeface="{CODE_FONT}"/>'
        if run is not None and run.href and slide is not None:
            rid = slide.relate(RT_HYPERLINK, run.href, external=True)
            children += f'<a:hlinkClick r:id="{rid}"/>'
        if not children:
            return f"<a:{tag} {attrs}/>"
        return f"<a:{tag} {attrs}>{children}</a:{tag}>"

    def _runs(self, runs, size: float | None, bold: bool, italic: bool, colour: str | None, slide: _Slide | None) -> str:
        out = []
        for run in runs:
            if run.text == "\n":
                out.append(f"<a:br>{self._rpr('rPr', size, None, bold, italic, colour)}</a:br>")
            elif run.text:
                out.append(f"<a:r>{self._rpr('rPr', size, run, bold, italic, colour, slide)}<a:t>{_text(run.text)}</a:t></a:r>")
        return "".join(out)

    def _para(self, f: Formatted, first: bool, slide: _Slide, colour: str | None = None) -> str:
        attrs = f'lvl="{f.lvl}" marL="{_emu(f.mar_l)}" indent="{_emu(f.indent)}"'
        if f.align:
            attrs += f' algn="{f.align}"'
        line = (
            f'<a:lnSpc><a:spcPts val="{int(round(f.line_pts * 100))}"/></a:lnSpc>'
            if f.line_pts
            else f'<a:lnSpc><a:spcPct val="{int(round(f.line * 100000))}"/></a:lnSpc>'
        )
        spacing = (
            f'<a:spcBef><a:spcPts val="{0 if first else int(round(f.before * 100))}"/></a:spcBef>'
            f'<a:spcAft><a:spcPts val="{int(round(f.after * 100))}"/></a:spcAft>'
        )
        bullet = f.bullet
        if bullet.kind == "none":
            bu = "<a:buNone/>"
        else:
            if bullet.colour:
                bu = f"<a:buClr>{_colour(bullet.colour)}</a:buClr>"
            elif f.bullet_colour_xml:
                bu = _NSDECLS.sub("", f.bullet_colour_xml.decode())
            else:
                bu = ""
            if bullet.kind == "char":
                bu += f"<a:buFont typeface={quoteattr(bullet.font)}/>" if bullet.font else "<a:buFontTx/>"
                bu += f"<a:buChar char={quoteattr(bullet.char)}/>"
            else:
                bu += f'<a:buFontTx/><a:buAutoNum type="{bullet.scheme}" startAt="{bullet.start}"/>'
        runs = self._runs(f.para.runs, f.size, f.bold, f.italic, colour, slide)
        end = self._rpr("endParaRPr", f.size, None, f.bold, f.italic)
        return f"<a:p><a:pPr {attrs}>{line}{spacing}{bu}</a:pPr>{runs}{end}</a:p>"

    def _paras(self, paras, slide: _Slide) -> str:
        return "".join(self._para(f, i == 0, slide) for i, f in enumerate(paras))

    def _text_body(self, frame: Frame, paras_xml: str) -> str:
        left, top, right, bottom = frame.insets
        return (
            f'<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" bIns="{bottom}" rtlCol="0" '
            f'anchor="{frame.anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>{paras_xml}</p:txBody>'
        )

    def _line_para(self, text: str, frame: Frame, size: float | None, slide: _Slide) -> str:
        style = frame.levels[0]
        f = Formatted(
            Para((Run(text),)),
            0,
            size or style.size,
            style.typeface,
            style.bold,
            style.italic,
            0.0,
            0.0,
            0.0,
            0.0,
            style.line,
            style.line_pts,
            NO_BULLET,
            None,
            style.align,
        )
        return self._para(f, True, slide)

    # -- slides -----------------------------------------------------------------------
    def add(self, page: Page) -> None:
        self.count += 1
        choice = page.choice
        frames = choice.frames
        assert isinstance(choice.layout, str)  # a prepared template names layouts by partname
        layout = self.base.layouts[choice.layout]
        slide = _Slide(layout)
        positions = {idx: n for n, (idx, _) in enumerate(layout.placeholders)}
        filled: dict[int, str] = {}  # position in the layout → the filled placeholder

        def fill(role: str, xml: str) -> None:
            frame = frames[role]
            position = positions.get(frame.idx)
            if position is None:
                return
            ph = layout.placeholders[position][1]
            filled[position] = (
                f'<p:sp><p:nvSpPr><p:cNvPr id="{2 + position}" name="{role.capitalize()}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
                f"</p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr/>{self._text_body(frame, xml)}</p:sp>"
            )

        if "title" in frames:
            fill("title", self._line_para(page.title, frames["title"], page.title_size, slide))
        if page.kicker and "kicker" in frames:
            fill("kicker", self._line_para(page.kicker, frames["kicker"], page.kicker_size, slide))
        if page.subtitle and "subtitle" in frames:
            fill("subtitle", self._paras(page.subtitle, slide))
        added: list[str] = []
        body = frames.get("body")
        if body is not None:
            first = page.segments[0] if page.segments else None
            if isinstance(first, TextSeg) and first.top == 0:
                fill("body", self._paras(first.paras, slide))
                rest = page.segments[1:]
            else:
                rest = page.segments
            for segment in rest:
                added.append(self._segment(slide, body, segment))
        if page.side_text and "body2" in frames:
            texts = [seg for seg in page.side_text if isinstance(seg, TextSeg)]
            fill("body2", "".join(self._paras(seg.paras, slide) for seg in texts[:1]))
        if page.side and "body2" in frames:
            frame = frames["body2"]
            for pic in page.side:
                x = frame.left + (frame.width - _emu(pic.width)) // 2
                added.append(
                    self._picture(
                        slide, pic.picture.path, pic.picture.alt, x, frame.top + _emu(pic.top), _emu(pic.width), _emu(pic.height)
                    )
                )
        if page.spec.logo and page.continued is False and page.spec.layout == "title":
            added.append(self._logo(slide, page.spec.logo, frames.get("logo")))
        slide.shapes = [xml for _, xml in sorted(filled.items())] + [xml for xml in added if xml]
        if page.spec.layout not in ("title", "section"):
            slide.shapes += self._footer(slide, frames)
        number = self.count
        slide_name = f"/ppt/slides/slide{number}.xml"
        notes_name = f"/ppt/notesSlides/notesSlide{number}.xml"
        slide.relate(RT_NOTES, f"../notesSlides/notesSlide{number}.xml")
        self._put(slide_name, CT_SLIDE, slide.xml(), slide.rels)
        self._put(
            notes_name,
            CT_NOTES,
            self._notes(page.notes),
            (
                Rel("rId1", RT_NOTES_MASTER, slide_target(self.base.notes_master_partname)),
                Rel("rId2", RT_SLIDE, f"../slides/slide{number}.xml"),
            ),
        )
        self.slide_targets.append(f"slides/slide{number}.xml")

    def _put(self, partname: str, content_type: str, data: bytes, rels=()) -> None:
        self.entries[partname.lstrip("/")] = data
        self.content_types[partname] = content_type
        if rels:
            self.entries[rels_member(partname)] = rels_xml(rels)

    def _segment(self, slide: _Slide, frame: Frame, segment) -> str:
        top = frame.top + frame.insets[1] + _emu(segment.top)
        if isinstance(segment, TextSeg):
            y = top - frame.insets[1]
            return (
                f'<p:sp><p:nvSpPr><p:cNvPr id="{slide.shape_id()}" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
                f'<p:spPr>{_xfrm(frame.left, y, frame.width, frame.bottom - y)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                f"<a:noFill/></p:spPr>{self._text_body(frame, self._paras(segment.paras, slide))}</p:sp>"
            )
        if isinstance(segment, TableSeg):
            return self._table(slide, frame, segment, top)
        if isinstance(segment, diagram_shapes.DiagramSeg):
            return diagram_shapes.group_xml(segment, frame.left + frame.insets[0], top, slide.shape_id, self.lang)
        if isinstance(segment, PicSeg):
            inner = frame.width - frame.insets[0] - frame.insets[2]
            x = frame.left + frame.insets[0] + (inner - _emu(segment.width)) // 2
            return self._picture(
                slide, segment.picture.path, segment.picture.alt, x, top, _emu(segment.width), _emu(segment.height)
            )
        return ""

    def _media(self, data: bytes, media_type: str) -> str | None:
        """The partname of the image in the package, added once however often it is shown."""
        ext = IMAGE_EXTENSIONS.get(media_type)
        if ext is None:
            return None
        digest = hashlib.sha1(data).hexdigest()
        name = self.media.get(digest)
        if name is None:
            name = self.media[digest] = free_media_name(self.base.media_names | set(self.media.values()), ext)
            self._put(name, media_type, data)
        return name

    def _picture(self, slide: _Slide, path: str, alt: str, x: int, y: int, w: int, h: int) -> str:
        image = self.images.get(path)
        if image is None or w <= 0 or h <= 0:
            return ""
        partname = self._media(image.data, image.media_type)
        if partname is None:
            return ""
        rid = slide.relate(RT_IMAGE, slide_target(partname))
        name = f"Picture {path.rsplit('/', 1)[-1]}"
        return (
            f'<p:pic><p:nvPicPr><p:cNvPr id="{slide.shape_id()}" name={quoteattr(name)} descr={quoteattr(alt or "")}/>'
            '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{_xfrm(x, y, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
        )

    def _logo(self, slide: _Slide, path: str, frame: Frame | None) -> str:
        image = self.images.get(path)
        if image is None or image.media_type == "image/svg+xml":
            return ""
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(image.data)) as im:
            ratio = im.width / im.height
        if frame is not None:
            bx, by, bw, bh = frame.left, frame.top, frame.width, frame.height
        else:  # no logo placeholder: top right corner
            sw, sh = self.base.slide_width, self.base.slide_height
            bw, bh = int(sw * 0.16), int(sh * 0.1)
            bx, by = sw - bw - int(sw * 0.03), int(sh * 0.04)
        w = min(bw, int(bh * ratio))
        h = int(w / ratio)
        return self._picture(slide, path, "Logo", bx + bw - w, by + (bh - h) // 2, w, h)

    def _table(self, slide: _Slide, frame: Frame, seg: TableSeg, top: int) -> str:
        rows, cols = len(seg.rows), len(seg.col_widths)
        if rows == 0 or cols == 0:
            return ""
        x = frame.left + frame.insets[0]
        width = sum(_emu(w) for w in seg.col_widths)
        height = sum(_emu(h) for h in seg.row_heights)
        ml, mt, mr, mb = (_emu(m) for m in TABLE_MARGINS)
        header_rows = 1 if seg.table.header and seg.rows and seg.rows[0] == 0 else 0
        grid = "".join(f'<a:gridCol w="{_emu(w)}"/>' for w in seg.col_widths)
        body = []
        for r, (index, row_height) in enumerate(zip(seg.rows, seg.row_heights, strict=True)):
            source = seg.table.rows[index]
            header = r < header_rows
            fill = "accent1" if header else ("bg2" if (r - header_rows) % 2 else "bg1")
            cells = []
            for c in range(cols):
                runs = source[c] if c < len(source) else ()
                align = seg.table.aligns[c] if c < len(seg.table.aligns) else "l"
                runs_xml = self._runs(runs, seg.size, header, False, "bg1" if header else "tx1", slide)
                end = self._rpr("endParaRPr", seg.size, None, header)
                cells.append(
                    f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:pPr marL="0" indent="0" algn="{align}"><a:lnSpc>'
                    '<a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/></a:pPr>'
                    f'{runs_xml}{end}</a:p></a:txBody><a:tcPr marL="{ml}" marR="{mr}" marT="{mt}" marB="{mb}">'
                    f"<a:solidFill>{_colour(fill)}</a:solidFill></a:tcPr></a:tc>"
                )
            body.append(f'<a:tr h="{_emu(row_height)}">{"".join(cells)}</a:tr>')
        return (
            f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{slide.shape_id()}" name="Table"/><p:cNvGraphicFramePr>'
            '<a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            f'{_xfrm(x, top, width, height, "p:xfrm")}<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f'<a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{TABLE_STYLE}</a:tableStyleId></a:tblPr>'
            f"<a:tblGrid>{grid}</a:tblGrid>{''.join(body)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
        )

    def _footer(self, slide: _Slide, frames: dict[str, Frame]) -> list[str]:
        """Footer text and slide number, as the layout's placeholders, fully formatted (LibreOffice
        does not pass the layout's footer style on to a slide's footer)."""
        shapes = []
        for role, kind in (("footer", "ftr"), ("number", "sldNum")):
            frame = frames.get(role)
            if frame is None:
                continue
            style = frame.levels[0]
            rpr = f'lang="{self.lang}" sz="{int(round(style.size * 100))}" dirty="0"'
            fill = _NSDECLS.sub("", style.colour.decode()) if style.colour else ""
            rpr_xml = f"<a:rPr {rpr}>{fill}<a:latin typeface={quoteattr(style.typeface)}/></a:rPr>"
            if role == "footer":
                text = self._fit_footer(self.footer, frame)
                if not text:
                    continue
                content = f"<a:r>{rpr_xml}<a:t>{_text(text)}</a:t></a:r>"
            else:
                content = f'<a:fld id="{FIELD_ID}" type="slidenum">{rpr_xml}<a:t>{self.count}</a:t></a:fld>'
            align = f' algn="{style.align}"' if style.align else ""
            name = "Footer" if role == "footer" else "Slide Number"
            para = f'<a:p><a:pPr marL="0" indent="0"{align}><a:buNone/></a:pPr>{content}<a:endParaRPr {rpr}/></a:p>'
            shapes.append(
                f'<p:sp><p:nvSpPr><p:cNvPr id="{slide.shape_id()}" name="{name}"/>'
                f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
                f'<p:nvPr><p:ph type="{kind}" sz="quarter" idx="{frame.idx}"/></p:nvPr></p:nvSpPr>'
                f"<p:spPr/>{self._text_body(frame, para)}</p:sp>"
            )
        return shapes

    def _fit_footer(self, text: str, frame: Frame) -> str:
        style = frame.levels[0]
        ts = TextStyle(style.size, style.typeface, style.bold, style.italic)
        room = frame.inner_width - 2
        if lines_needed((Run(text),), room, ts) == 1 and text_width(text, ts.size, ts.family, ts.bold) <= room:
            return text
        while text and text_width(text + "…", ts.size, ts.family, ts.bold) > room:
            text = text[:-1]
        return text.rstrip() + "…" if text else ""

    def _notes(self, paras: tuple[Para, ...]) -> bytes:
        out = []
        for para in paras or (Para((Run(" "),)),):
            prefix = ""
            if para.depth:
                indent = "    " * (para.depth - 1)
                if para.bullet is not None and para.bullet.kind == "auto":
                    prefix = f"{indent}{para.bullet.start}. "
                else:
                    prefix = f"{indent}• " if para.depth == 1 else f"{indent}– "
            runs = ((Run(prefix),) if prefix else ()) + para.runs
            out.append(
                f"<a:p>{self._runs(runs, None, para.role == 'heading', False, None, None)}"
                f'<a:endParaRPr lang="{self.lang}" dirty="0"/></a:p>'
            )
        return f"{XML_HEADER}{self.base.notes_head}{''.join(out)}{self.base.notes_tail}".encode()

    # -- the file ----------------------------------------------------------------------
    def finish(self, title: str, authors: str, subject: str) -> bytes:
        base = self.base
        stamp = _dt.datetime.fromtimestamp(build_timestamp(), _dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        entries = dict(self.entries)
        types = dict(self.content_types)
        for name, (content_type, blob) in base.parts.items():
            entries[name.lstrip("/")] = blob
            types[name] = content_type
        for name, rels in base.rels.items():
            if name != "/":
                entries[rels_member(name)] = rels_xml(rels)
        entries["_rels/.rels"] = rels_xml(base.rels["/"])
        entries[base.core_partname.lstrip("/")] = core_xml(title, authors, subject, self.lang, stamp)
        types[base.core_partname] = CT_CORE
        taken = {int(r.rid[3:]) for r in base.presentation_rels if r.rid[3:].isdigit()}
        first = max(taken, default=0) + 1
        slide_rels = [Rel(f"rId{first + n}", RT_SLIDE, target) for n, target in enumerate(self.slide_targets)]
        ids = "".join(f'<p:sldId id="{256 + n}" r:id="{rel.rid}"/>' for n, rel in enumerate(slide_rels))
        entries[base.presentation_partname.lstrip("/")] = (
            f"{XML_HEADER}{base.presentation_head}{ids}{base.presentation_tail}".encode()
        )
        types[base.presentation_partname] = base.presentation_content_type
        entries[rels_member(base.presentation_partname)] = rels_xml(base.presentation_rels + tuple(slide_rels))
        entries["[Content_Types].xml"] = content_types_xml(types)
        return zip_bytes(entries, first=("[Content_Types].xml",))
