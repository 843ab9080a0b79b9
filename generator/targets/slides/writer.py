"""Fitted pages → PowerPoint slides: native, editable text with the proofing language on every
run, tables, pictures, footer, slide number and speaker notes; then repeatable bytes."""

from __future__ import annotations

import copy
import datetime as _dt
import io
import re
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

from ...outputs import build_timestamp, zip_bytes
from .blocks import NO_BULLET, Para, Run
from .measure import CODE_FONT, TextStyle, lines_needed, text_width
from .paginate import TABLE_MARGINS, Formatted, Page, PicSeg, TableSeg, TextSeg
from .template import EMU_PER_PT, Frame, Template

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:a="{A}" xmlns:p="{P}" xmlns:r="{R}"'
FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: str) -> str:
    return escape(_CONTROL.sub("", value))


def _emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def _colour(name: str) -> str:
    """'accent1' or 'tx1:lumMod=50000,lumOff=50000' → the a:schemeClr element."""
    scheme, _, mods = name.partition(":")
    children = "".join(f'<a:{k} val="{v}"/>' for k, v in (m.split("=") for m in mods.split(",") if m))
    return f'<a:schemeClr val="{scheme}">{children}</a:schemeClr>'


def _parse(fragment: str):
    return etree.fromstring(f"<root {NSDECL}>{fragment}</root>")[0]


def _speed_up(prs) -> None:
    """python-pptx finds a new part's name by walking every part of the package, and relates a
    new slide after searching all the presentation's relationships — for every slide and notes
    page: quadratic, minutes for a 1000-slide course deck. Same names and ids, without the walks."""
    from pptx.opc.packuri import PackURI

    package = prs.part.package
    presentation = prs.part
    relate = presentation.relate_to

    def relate_to(target, reltype: str, is_external: bool = False) -> str:
        if reltype == RT.SLIDE and not is_external:  # always a new slide part: nothing to find
            return presentation._rels._add_relationship(reltype, target)
        return relate(target, reltype, is_external)

    presentation.relate_to = relate_to

    known: dict[str, set[str]] = {}

    def next_partname(tmpl: str) -> PackURI:
        prefix = tmpl[: (tmpl % 42).find("42")]
        names = known.get(prefix)
        if names is None:
            names = known[prefix] = {str(p.partname) for p in package.iter_parts() if p.partname.startswith(prefix)}
        for n in range(len(names) + 1, 0, -1):
            candidate = tmpl % n
            if candidate not in names:
                names.add(candidate)
                return PackURI(candidate)
        raise RuntimeError("no free part name")  # pragma: no cover

    package.next_partname = next_partname


class DeckWriter:
    def __init__(self, template: Template, images, lang: str, footer: str) -> None:
        self.template = template
        self.prs = template.prs
        self.images = images
        self.lang = lang
        self.footer = footer
        self.count = 0
        self._notes_prototype = None
        self._slide_prototypes: dict[int, object] = {}
        _speed_up(self.prs)

    # -- runs and paragraphs -------------------------------------------------------------
    def _rpr(self, tag: str, size: float | None, run: Run | None = None, bold: bool = False, italic: bool = False,
             colour: str | None = None, slide=None) -> str:
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
            rid = slide.part.relate_to(run.href, RT.HYPERLINK, is_external=True)
            children += f'<a:hlinkClick r:id="{rid}"/>'
        return f"<a:{tag} {attrs}>{children}</a:{tag}>"

    def _runs(self, runs, size: float | None, bold: bool, italic: bool, colour: str | None, slide) -> str:
        out = []
        for run in runs:
            if run.text == "\n":
                out.append(f"<a:br>{self._rpr('rPr', size, None, bold, italic, colour)}</a:br>")
            elif run.text:
                out.append(f"<a:r>{self._rpr('rPr', size, run, bold, italic, colour, slide)}<a:t>{_text(run.text)}</a:t></a:r>")
        return "".join(out)

    def _para(self, f: Formatted, first: bool, slide, colour: str | None = None) -> str:
        attrs = f'lvl="{f.lvl}" marL="{_emu(f.mar_l)}" indent="{_emu(f.indent)}"'
        if f.align:
            attrs += f' algn="{f.align}"'
        line = (f'<a:lnSpc><a:spcPts val="{int(round(f.line_pts * 100))}"/></a:lnSpc>' if f.line_pts
                else f'<a:lnSpc><a:spcPct val="{int(round(f.line * 100000))}"/></a:lnSpc>')
        spacing = (f'<a:spcBef><a:spcPts val="{0 if first else int(round(f.before * 100))}"/></a:spcBef>'
                   f'<a:spcAft><a:spcPts val="{int(round(f.after * 100))}"/></a:spcAft>')
        bullet = f.bullet
        if bullet.kind == "none":
            bu = "<a:buNone/>"
        else:
            if bullet.colour:
                bu = f"<a:buClr>{_colour(bullet.colour)}</a:buClr>"
            elif f.bullet_colour_xml:
                bu = f.bullet_colour_xml.decode()
                bu = re.sub(r'\sxmlns:\w+="[^"]*"', "", bu)
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

    def _body_pr(self, frame: Frame) -> str:
        l, t, r, b = frame.insets
        return (f'<a:bodyPr vert="horz" wrap="square" lIns="{l}" tIns="{t}" rIns="{r}" bIns="{b}" rtlCol="0" '
                f'anchor="{frame.anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>')

    def _fill(self, sp, frame: Frame, paras_xml: str) -> None:
        """Replace the text of a shape (placeholder or text box) with the given paragraphs."""
        tx = sp.find(f"{{{P}}}txBody")
        if tx is None:
            tx = etree.SubElement(sp, f"{{{P}}}txBody")
        for child in list(tx):
            tx.remove(child)
        holder = _parse(f"<p:txBody>{self._body_pr(frame)}{paras_xml}</p:txBody>")
        for child in holder:
            tx.append(child)

    def _line_para(self, text: str, frame: Frame, size: float | None, slide) -> str:
        style = frame.levels[0]
        f = Formatted(Para((Run(text),)), 0, size or style.size, style.typeface, style.bold, style.italic, 0.0, 0.0, 0.0, 0.0,
                      style.line, style.line_pts, NO_BULLET, None, style.align)
        return self._para(f, True, slide)

    # -- slides -----------------------------------------------------------------------
    def add(self, page: Page) -> None:
        self.count += 1
        choice = page.choice
        frames = choice.frames
        slide = self._new_slide(choice.layout)
        filled: set[int] = set()
        shapes = {ph.placeholder_format.idx: ph for ph in slide.placeholders}

        def fill(role: str, xml: str) -> None:
            frame = frames[role]
            shape = shapes.get(frame.idx)
            if shape is None:
                return
            self._fill(shape._element, frame, xml)
            shape.name = role.capitalize()
            filled.add(frame.idx)

        if "title" in frames:
            fill("title", self._line_para(page.title, frames["title"], page.title_size, slide))
        if page.kicker and "kicker" in frames:
            fill("kicker", self._line_para(page.kicker, frames["kicker"], page.kicker_size, slide))
        if page.subtitle and "subtitle" in frames:
            fill("subtitle", "".join(self._para(f, i == 0, slide) for i, f in enumerate(page.subtitle)))
        body = frames.get("body")
        if body is not None:
            first = page.segments[0] if page.segments else None
            if isinstance(first, TextSeg) and first.top == 0:
                fill("body", "".join(self._para(f, i == 0, slide) for i, f in enumerate(first.paras)))
                rest = page.segments[1:]
            else:
                rest = page.segments
            for segment in rest:
                self._segment(slide, body, segment)
        if page.side and "body2" in frames:
            frame = frames["body2"]
            for pic in page.side:
                x = frame.left + (frame.width - _emu(pic.width)) // 2
                self._picture(slide, pic.picture.path, pic.picture.alt, x, frame.top + _emu(pic.top), _emu(pic.width), _emu(pic.height))
        if page.spec.logo and page.continued is False and page.spec.layout == "title":
            self._logo(slide, page.spec.logo, frames.get("logo"))
        for idx, shape in shapes.items():
            if idx not in filled:
                element = shape._element
                element.getparent().remove(element)
        if page.spec.layout not in ("title", "section"):
            self._footer(slide, frames)
        self._notes(slide, page.notes)

    def _segment(self, slide, frame: Frame, segment) -> None:
        top = frame.top + frame.insets[1] + _emu(segment.top)
        if isinstance(segment, TextSeg):
            y = top - frame.insets[1]
            box = slide.shapes.add_textbox(Emu(frame.left), Emu(y), Emu(frame.width), Emu(frame.bottom - y))
            box.name = "Text"
            self._fill(box._element, frame, "".join(self._para(f, i == 0, slide) for i, f in enumerate(segment.paras)))
        elif isinstance(segment, TableSeg):
            self._table(slide, frame, segment, top)
        elif isinstance(segment, PicSeg):
            inner = frame.width - frame.insets[0] - frame.insets[2]
            x = frame.left + frame.insets[0] + (inner - _emu(segment.width)) // 2
            self._picture(slide, segment.picture.path, segment.picture.alt, x, top, _emu(segment.width), _emu(segment.height))

    def _picture(self, slide, path: str, alt: str, x: int, y: int, w: int, h: int) -> None:
        image = self.images.get(path)
        if image is None or w <= 0 or h <= 0:
            return
        pic = slide.shapes.add_picture(io.BytesIO(image.data), Emu(x), Emu(y), Emu(w), Emu(h))
        pic._element.nvPicPr.cNvPr.set("descr", alt or "")
        pic.name = f"Picture {path.rsplit('/', 1)[-1]}"

    def _logo(self, slide, path: str, frame: Frame | None) -> None:
        image = self.images.get(path)
        if image is None or image.media_type == "image/svg+xml":
            return
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(image.data)) as im:
            ratio = im.width / im.height
        if frame is not None:
            bx, by, bw, bh = frame.left, frame.top, frame.width, frame.height
        else:  # no logo placeholder: top right corner
            sw, sh = self.prs.slide_width, self.prs.slide_height
            bw, bh = int(sw * 0.16), int(sh * 0.1)
            bx, by = sw - bw - int(sw * 0.03), int(sh * 0.04)
        w = min(bw, int(bh * ratio))
        h = int(w / ratio)
        self._picture(slide, path, "Logo", bx + bw - w, by + (bh - h) // 2, w, h)

    def _table(self, slide, frame: Frame, seg: TableSeg, top: int) -> None:
        rows, cols = len(seg.rows), len(seg.col_widths)
        if rows == 0 or cols == 0:
            return
        x = frame.left + frame.insets[0]
        width = sum(_emu(w) for w in seg.col_widths)
        shape = slide.shapes.add_table(rows, cols, Emu(x), Emu(top), Emu(width), Emu(sum(_emu(h) for h in seg.row_heights)))
        shape.name = "Table"
        table = shape.table
        for c, w in enumerate(seg.col_widths):
            table.columns[c].width = Emu(_emu(w))
        ml, mt, mr, mb = TABLE_MARGINS
        header_rows = 1 if seg.table.header and seg.rows and seg.rows[0] == 0 else 0
        for r, (index, height) in enumerate(zip(seg.rows, seg.row_heights)):
            table.rows[r].height = Emu(_emu(height))
            source = seg.table.rows[index]
            header = r < header_rows
            for c in range(cols):
                cell = table.cell(r, c)
                cell.margin_left, cell.margin_right = Emu(_emu(ml)), Emu(_emu(mr))
                cell.margin_top, cell.margin_bottom = Emu(_emu(mt)), Emu(_emu(mb))
                runs = source[c] if c < len(source) else ()
                align = seg.table.aligns[c] if c < len(seg.table.aligns) else "l"
                colour = "bg1" if header else "tx1"
                runs_xml = self._runs(runs, seg.size, header, False, colour, slide)
                end = self._rpr("endParaRPr", seg.size, None, header)
                para = (f'<a:p><a:pPr marL="0" indent="0" algn="{align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
                        f'<a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/></a:pPr>{runs_xml}{end}</a:p>')
                tc = cell._tc
                tx = tc.find(f"{{{A}}}txBody")
                for child in list(tx):
                    tx.remove(child)
                for child in _parse(f'<a:txBody><a:bodyPr/><a:lstStyle/>{para}</a:txBody>'):
                    tx.append(child)
                fill = "accent1" if header else ("bg2" if (r - header_rows) % 2 else "bg1")
                tc_pr = tc.get_or_add_tcPr()
                for old in tc_pr.findall(f"{{{A}}}solidFill"):
                    tc_pr.remove(old)
                tc_pr.append(_parse(f"<a:solidFill>{_colour(fill)}</a:solidFill>"))

    def _footer(self, slide, frames: dict[str, Frame]) -> None:
        """Footer text and slide number, as the layout's placeholders, fully formatted (LibreOffice
        does not pass the layout's footer style on to a slide's footer)."""
        tree = slide.shapes._spTree
        for role, kind in (("footer", "ftr"), ("number", "sldNum")):
            frame = frames.get(role)
            if frame is None:
                continue
            style = frame.levels[0]
            rpr = f'lang="{self.lang}" sz="{int(round(style.size * 100))}" dirty="0"'
            fill = re.sub(r'\sxmlns:\w+="[^"]*"', "", style.colour.decode()) if style.colour else ""
            rpr_xml = f'<a:rPr {rpr}>{fill}<a:latin typeface={quoteattr(style.typeface)}/></a:rPr>'
            if role == "footer":
                text = self._fit_footer(self.footer, frame)
                if not text:
                    continue
                content = f"<a:r>{rpr_xml}<a:t>{_text(text)}</a:t></a:r>"
            else:
                content = f'<a:fld id="{FIELD_ID}" type="slidenum">{rpr_xml}<a:t>{self.count}</a:t></a:fld>'
            align = f' algn="{style.align}"' if style.align else ""
            sp = _parse(
                f'<p:sp><p:nvSpPr><p:cNvPr id="{slide.shapes._next_shape_id}" name="{"Footer" if role == "footer" else "Slide Number"}"/>'
                f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="{kind}" sz="quarter" idx="{frame.idx}"/></p:nvPr></p:nvSpPr>'
                f'<p:spPr/><p:txBody>{self._body_pr(frame)}<a:p><a:pPr marL="0" indent="0"{align}><a:buNone/></a:pPr>{content}'
                f'<a:endParaRPr {rpr}/></a:p></p:txBody></p:sp>'
            )
            tree.append(sp)

    def _fit_footer(self, text: str, frame: Frame) -> str:
        style = frame.levels[0]
        ts = TextStyle(style.size, style.typeface, style.bold, style.italic)
        room = frame.inner_width - 2
        if lines_needed((Run(text),), room, ts) == 1 and text_width(text, ts.size, ts.family, ts.bold) <= room:
            return text
        while text and text_width(text + "…", ts.size, ts.family, ts.bold) > room:
            text = text[:-1]
        return text.rstrip() + "…" if text else ""

    def _new_slide(self, layout):
        """``prs.slides.add_slide(layout)``, faster: the placeholders python-pptx clones from a
        layout are the same every time, so copy the first slide's shape tree of that layout."""
        slides = self.prs.slides
        rId, slide = slides.part.add_slide(layout)
        prototype = self._slide_prototypes.get(id(layout))
        if prototype is None:
            slide.shapes.clone_layout_placeholders(layout)
            self._slide_prototypes[id(layout)] = copy.deepcopy(slide.shapes._spTree)
        else:
            tree = slide.shapes._spTree  # python-pptx keeps this element: refill it, don't replace it
            for child in list(tree):
                tree.remove(child)
            for child in prototype:
                tree.append(copy.deepcopy(child))
        slides._sldIdLst.add_sldId(rId)
        return slide

    def _new_notes_slide(self, slide):
        """``slide.notes_slide``, faster: python-pptx clones the notes master's placeholders
        for every slide; the clones are the same each time, so copy the first one."""
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.parts.slide import NotesSlidePart

        slide_part = slide.part
        package = slide_part.package
        if self._notes_prototype is None:
            part = NotesSlidePart.new(package, slide_part)
            self._notes_prototype = copy.deepcopy(part._element)
        else:
            part = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE,
                                  package, copy.deepcopy(self._notes_prototype))
            part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
            part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(part, RT.NOTES_SLIDE)
        return part.notes_slide

    def _notes(self, slide, paras: tuple[Para, ...]) -> None:
        frame = self._new_notes_slide(slide).notes_text_frame
        body = frame._txBody
        for p in body.findall(f"{{{A}}}p"):
            body.remove(p)
        counters: dict[int, int] = {}
        for para in paras or (Para((Run(" "),)),):
            prefix = ""
            if para.depth:
                indent = "    " * (para.depth - 1)
                if para.bullet is not None and para.bullet.kind == "auto":
                    counters[para.depth] = para.bullet.start
                    prefix = f"{indent}{para.bullet.start}. "
                else:
                    prefix = f"{indent}• " if para.depth == 1 else f"{indent}– "
            runs = ((Run(prefix),) if prefix else ()) + para.runs
            xml = f"<a:p>{self._runs(runs, None, para.role == 'heading', False, None, None)}<a:endParaRPr lang=\"{self.lang}\" dirty=\"0\"/></a:p>"
            body.append(_parse(xml))

    # -- the file ----------------------------------------------------------------------
    def finish(self, title: str, authors: str, subject: str) -> bytes:
        props = self.prs.core_properties
        stamp = _dt.datetime.fromtimestamp(build_timestamp(), _dt.timezone.utc).replace(tzinfo=None)
        props.title = title
        props.author = authors
        props.subject = subject
        props.last_modified_by = "coursegen"
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp
        props.revision = 1
        props.language = self.lang
        props.keywords = ""
        props.comments = ""
        # What prs.save() writes, collected as entries and zipped once with fixed times and
        # order (saving, then re-zipping, compressed everything twice).
        from pptx.opc.serialized import PackageWriter

        class Entries:
            def __init__(self) -> None:
                self.data: dict[str, bytes] = {}

            def write(self, pack_uri, blob: bytes) -> None:
                self.data[pack_uri.membername] = blob

        package = self.prs.part.package
        writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
        entries = Entries()
        writer._write_content_types_stream(entries)
        writer._write_pkg_rels(entries)
        writer._write_parts(entries)
        return zip_bytes(entries.data, first=("[Content_Types].xml",))

