"""A Word document on a template, written through python-docx: headings, paragraphs of styled
runs, lists, tables with a header row, ruled writing space, pictures, the footer; then the
package with the proofing language on every run and style, fixed core properties and a
repeatable zip.

Only style *names* are used (``Heading 1``, ``Course Table``, ...): an institute's template
supplies its own definitions; the styles it lacks are copied from the default template
(``template.fill_missing_styles``), so every name below exists in every document.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, cast

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from ...markup import StyledText
from ...outputs import build_timestamp, normalise_zip
from .template import add_num, fill_missing_numbering, fill_missing_styles

if TYPE_CHECKING:
    from docx.oxml.text.paragraph import CT_P

# the run properties that come after w:lang in CT_RPr (w:lang must be inserted before them)
_AFTER_LANG = tuple(qn(f"w:{name}") for name in ("eastAsianLayout", "specVanish", "oMath", "rPrChange"))


# A piece of text with one style; ``text == "\\n"`` is a line break.
Span = StyledText


class DocWriter:
    def __init__(self, template: bytes, default_template: bytes, proofing_language: str) -> None:
        self.doc = Document(io.BytesIO(template))
        self.language = proofing_language
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        fill_missing_styles(self.doc, default_template)
        self.bullets, self.numbers = fill_missing_numbering(self.doc, default_template)
        self._style_ids: dict[str, str] = {}
        self._sect_pr = body.find(qn("w:sectPr"))
        if self._sect_pr is None:
            self._sect_pr = etree.SubElement(body, qn("w:sectPr"))
        section = self.doc.sections[-1]
        # A4 with 2 cm margins when the template does not say (Word's own defaults differ)
        page = section.page_width or 11906 * 635
        self.text_width = int(page - (section.left_margin or 1134 * 635) - (section.right_margin or 1134 * 635))

    # -- paragraphs -------------------------------------------------------------------------
    def paragraph(
        self, spans: tuple[Span, ...] | str = (), style: str | None = None, *, keep_with_next: bool = False
    ) -> Paragraph:
        # written as elements directly: python-docx's add_paragraph/add_run cost most of a render
        p = OxmlElement("w:p")
        self._sect_pr.addprevious(p)
        if style is not None or keep_with_next:
            ppr = etree.SubElement(p, qn("w:pPr"))
            if style is not None:
                etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), self.style_id(style))
            if keep_with_next:
                etree.SubElement(ppr, qn("w:keepNext"))
        self._spans(p, (Span(spans),) if isinstance(spans, str) else spans)
        return Paragraph(cast("CT_P", p), self.doc._body)

    def style_id(self, name: str) -> str:
        """The styleId of the style named ``name`` (looked up once: python-docx scans every style)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def mark(self) -> int:
        """A place in the body, for ``keep_together``."""
        return len(self.doc.element.body) - 1  # the last child is the section's w:sectPr

    def keep_together(self, mark: int) -> None:
        """Keep everything written since ``mark`` on one page (each paragraph kept with the next)."""
        body = self.doc.element.body
        paragraphs = [p for element in list(body)[mark : len(body) - 1] for p in element.iter(qn("w:p"))]
        for p in paragraphs[:-1]:
            Paragraph(cast("CT_P", p), self.doc._body).paragraph_format.keep_with_next = True

    def heading(self, text: str, level: int) -> Paragraph:
        return self.paragraph(text, f"Heading {level}")

    def add_spans(self, para: Paragraph, spans) -> None:
        self._spans(para._p, spans)

    def _spans(self, p, spans) -> None:
        for span in spans:
            if not span.text:
                continue
            if span.href:
                rid = self.doc.part.relate_to(span.href, RT.HYPERLINK, is_external=True)
                link = etree.SubElement(p, qn("w:hyperlink"))
                link.set(qn("r:id"), rid)
                self._run(link, span, self.style_id("Hyperlink"))
            else:
                self._run(p, span)

    def _run(self, parent, span: Span, style_id: str | None = None) -> None:
        """One w:r with its properties in schema order, the proofing language included."""
        r = etree.SubElement(parent, qn("w:r"))
        rpr = etree.SubElement(r, qn("w:rPr"))
        if style_id:
            etree.SubElement(rpr, qn("w:rStyle")).set(qn("w:val"), style_id)
        if span.code:
            fonts = etree.SubElement(rpr, qn("w:rFonts"))
            fonts.set(qn("w:ascii"), "Courier New")
            fonts.set(qn("w:hAnsi"), "Courier New")
        if span.bold:
            etree.SubElement(rpr, qn("w:b"))
        if span.italic:
            etree.SubElement(rpr, qn("w:i"))
        if span.strike:
            etree.SubElement(rpr, qn("w:strike"))
        etree.SubElement(rpr, qn("w:lang")).set(qn("w:val"), self.language)
        if span.text == "\n":
            etree.SubElement(r, qn("w:br"))
            return
        for index, piece in enumerate(span.text.split("\t")):
            if index:
                etree.SubElement(r, qn("w:tab"))
            if piece:
                t = etree.SubElement(r, qn("w:t"))
                t.text = piece
                if piece != piece.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def list_item(self, spans, depth: int, num_id: int, style: str | None = None) -> Paragraph:
        """A list paragraph at ``depth`` (0-based) of numbering ``num_id``, in ``style`` (a list
        inside a model answer keeps the answer's look) or List Paragraph."""
        para = self.paragraph(spans, style or "List Paragraph")
        # w:numPr follows w:pStyle (and w:keepNext) in w:pPr: appended now, before anything else
        num_pr = etree.SubElement(para._p.get_or_add_pPr(), qn("w:numPr"))
        etree.SubElement(num_pr, qn("w:ilvl")).set(qn("w:val"), str(min(depth, 3)))
        etree.SubElement(num_pr, qn("w:numId")).set(qn("w:val"), str(num_id))
        return para

    def list_continuation(self, spans, depth: int, style: str | None = None) -> Paragraph:
        """A further paragraph of a list item: indented like its text, without a bullet."""
        para = self.paragraph(spans, style or "List Paragraph")
        para.paragraph_format.left_indent = Twips(360 + 360 * min(depth, 3))
        return para

    def new_numbering(self, start: int = 1, depth: int = 0) -> int:
        """A fresh numbered list (restarting at ``start``); returns its numId."""
        numbering = self.doc.part.numbering_part.element
        num_id = max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        abstract = OxmlElement("w:abstractNumId")
        abstract.set(qn("w:val"), str(self.numbers))
        num.append(abstract)
        for level in range(4):
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(level))
            start_override = OxmlElement("w:startOverride")
            start_override.set(qn("w:val"), str(start if level == depth else 1))
            override.append(start_override)
            num.append(override)
        add_num(numbering, num)
        return num_id

    # -- tables -----------------------------------------------------------------------------
    def table(
        self,
        header: list[str] | None,
        rows: list[list],
        widths: list[int],
        style: str = "Course Table",
        *,
        bold_last: bool = False,
    ):
        """A table in ``style`` (first row the repeated header row when ``header`` is given);
        each cell is a str or a tuple of spans; ``widths`` are relative column widths."""
        cells = ([header] if header else []) + rows
        table = self.doc.add_table(rows=len(cells), cols=len(widths))
        table._tbl.tblPr.style = self.style_id(style)
        twips = self._column_twips(widths)
        _set_layout(table, twips, header=bool(header))
        for r, values in enumerate(cells):
            row = table.rows[r]
            _cant_split(row)
            if r == 0 and header:
                _header_row(row)
            for c, value in enumerate(values):
                cell = row.cells[c]
                cell.width = Twips(twips[c])
                para = cell.paragraphs[0]
                para._p.style = self.style_id("Table Text")
                spans = (Span(value),) if isinstance(value, str) else value
                if bold_last and r == len(cells) - 1:
                    spans = tuple(Span(s.text, True, s.italic, s.strike, s.code, s.href) for s in spans)
                self.add_spans(para, spans)
        self.paragraph("", style=None).paragraph_format.space_after = 0
        return table

    def _column_twips(self, widths: list[int]) -> list[int]:
        total_twips = self.text_width // 635  # EMU per twip
        weights = sum(widths)
        result = [total_twips * w // weights for w in widths]
        result[-1] += total_twips - sum(result)
        return result

    def writing_lines(self, count: int) -> None:
        """``count`` ruled lines to write on (a one-column table with horizontal lines)."""
        table = self.doc.add_table(rows=count, cols=1)
        table._tbl.tblPr.style = self.style_id("Writing Lines")
        _set_layout(table, [self.text_width // 635], header=False)
        for index, row in enumerate(table.rows):
            row.height = Twips(482)  # 0.85 cm: room for handwriting
            row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
            _cant_split(row)
            row.cells[0].width = Twips(self.text_width // 635)
            if index < count - 1:  # the lines stay together on one page (Word and LibreOffice)
                row.cells[0].paragraphs[0].paragraph_format.keep_with_next = True
        spacer = self.paragraph("")
        spacer.paragraph_format.space_after = Twips(120)

    # -- pictures ---------------------------------------------------------------------------
    def picture(self, data: bytes, max_width_fraction: float = 1.0, max_height: int | None = None, description: str = "") -> None:
        """A picture in its own paragraph, at most ``max_width_fraction`` of the text width;
        ``description`` is its alt text (what a screen reader says, what Word shows as "Alt Text")."""
        para = self.doc.add_paragraph()
        para.paragraph_format.keep_together = True
        run = para.add_run()
        shape = run.add_picture(io.BytesIO(_word_readable(data)))
        if description:
            doc_pr = shape._inline.docPr
            doc_pr.set("descr", description)
        width_limit = int(self.text_width * max_width_fraction)
        scale = min(1.0, width_limit / shape.width if shape.width else 1.0)
        if max_height and shape.height * scale > max_height:
            scale = max_height / shape.height
        if scale < 1.0:
            shape.width, shape.height = Emu(int(shape.width * scale)), Emu(int(shape.height * scale))

    # -- page -------------------------------------------------------------------------------
    def footer(self, text: str, page_word: str) -> None:
        """``text`` and the page number in every footer of every section (the template's
        header stays: an institute's logo lives there)."""
        for section in self.doc.sections:
            footers = [section.footer]
            if section.different_first_page_header_footer:
                footers.append(section.first_page_footer)
            if self.doc.settings.odd_and_even_pages_header_footer:
                footers.append(section.even_page_footer)
            for footer in footers:
                footer.is_linked_to_previous = False
                for para in list(footer.paragraphs)[1:]:
                    para._p.getparent().remove(para._p)
                for table in footer.tables:
                    table._tbl.getparent().remove(table._tbl)
                para = footer.paragraphs[0]
                for child in list(para._p):
                    if child.tag != qn("w:pPr"):
                        para._p.remove(child)
                para._p.style = self.style_id("Footer")
                para.add_run(text)
                para.add_run("\t" + page_word + " ")
                _page_field(para)

    # -- package ----------------------------------------------------------------------------
    def finish(self, title: str, author: str, subject: str) -> bytes:
        self._languages()
        self._repair_settings()
        props = self.doc.core_properties
        stamp = dt.datetime.fromtimestamp(build_timestamp(), dt.UTC).replace(tzinfo=None)
        props.title = title
        props.subject = subject
        props.author = author
        props.last_modified_by = author
        props.language = self.language
        props.created = stamp
        props.modified = stamp
        props.revision = 1
        props.keywords = ""
        props.comments = ""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return normalise_zip(buffer.getvalue())

    def _repair_settings(self) -> None:
        """Templates saved by python-docx have ``<w:zoom w:val="bestFit"/>`` without the
        percentage the schema requires (Word writes both); complete it."""
        zoom = self.doc.settings.element.find(qn("w:zoom"))
        if zoom is not None and zoom.get(qn("w:percent")) is None:
            zoom.set(qn("w:percent"), "100")

    def _languages(self) -> None:
        """The proofing language on every run (body, footers, headers) and every style."""
        roots = [self.doc.element]
        for section in self.doc.sections:
            for part in (
                section.footer,
                section.first_page_footer,
                section.even_page_footer,
                section.header,
                section.first_page_header,
                section.even_page_header,
            ):
                if not part.is_linked_to_previous:
                    roots.append(part._element)
        for root in roots:
            for run in root.iter(qn("w:r")):
                _set_lang(run.get_or_add_rPr(), self.language)
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = defaults.find(qn("w:rPrDefault"))
            if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
                _set_lang(rpr_default.find(qn("w:rPr")), self.language)
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:type")) in ("paragraph", "character", "table"):
                _set_lang(style.get_or_add_rPr(), self.language)


def _set_lang(rpr, language: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        after = next((child for child in rpr if child.tag in _AFTER_LANG), None)
        if after is not None:
            after.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:val"), language)


def _page_field(para: Paragraph) -> None:
    def fld(kind: str):
        run = para.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    fld("begin")
    instr = para.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instr._r.append(text)
    fld("separate")
    para.add_run("1")
    fld("end")


def _set_layout(table, twips: list[int], header: bool) -> None:
    """Fixed column widths (Word and LibreOffice agree on them) and the table look."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(sum(twips)))
    width.set(qn("w:type"), "dxa")
    table.autofit = False
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    for key in list(look.attrib):
        del look.attrib[key]
    flags = {"firstRow": header, "lastRow": False, "firstColumn": False, "lastColumn": False, "noHBand": True, "noVBand": True}
    look.set(qn("w:val"), "%04X" % ((0x20 if header else 0) | 0x200 | 0x400))
    for key, value in flags.items():
        look.set(qn(f"w:{key}"), "1" if value else "0")
    _order_tbl_pr(tbl_pr)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(width))


_TBL_PR_ORDER = [
    qn(f"w:{n}")
    for n in (
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    )
]


def _order_tbl_pr(tbl_pr) -> None:
    children = sorted(tbl_pr, key=lambda c: _TBL_PR_ORDER.index(c.tag) if c.tag in _TBL_PR_ORDER else len(_TBL_PR_ORDER))
    for child in children:
        tbl_pr.append(child)


_TR_PR_ORDER = [
    qn(f"w:{n}")
    for n in (
        "cnfStyle",
        "divId",
        "gridBefore",
        "gridAfter",
        "wBefore",
        "wAfter",
        "cantSplit",
        "trHeight",
        "tblHeader",
        "tblCellSpacing",
        "jc",
        "hidden",
        "ins",
        "del",
        "trPrChange",
    )
]


def _tr_pr_flag(row, name: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(f"w:{name}")) is None:
        tr_pr.append(OxmlElement(f"w:{name}"))
    for child in sorted(tr_pr, key=lambda c: _TR_PR_ORDER.index(c.tag) if c.tag in _TR_PR_ORDER else len(_TR_PR_ORDER)):
        tr_pr.append(child)


def _cant_split(row) -> None:
    _tr_pr_flag(row, "cantSplit")


def _header_row(row) -> None:
    _tr_pr_flag(row, "tblHeader")


def _word_readable(data: bytes) -> bytes:
    """``data``, or when python-docx's own header parser refuses it (it fails on some valid
    PNGs the loader and every viewer accept), the same picture saved again as a plain PNG."""
    from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
    from docx.image.image import Image as DocxImage

    try:
        DocxImage.from_blob(data)
        return data
    except (InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError):
        from PIL import Image

        buffer = io.BytesIO()
        with Image.open(io.BytesIO(data)) as picture:
            picture.save(buffer, format="PNG")
        return buffer.getvalue()
