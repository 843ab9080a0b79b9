"""Fitting slide specs into the template's placeholders, by measurement.

Every paragraph gets its effective format from the placeholder's level style
(``Formatted``); the writer writes exactly these values (size, spacing, indents, bullets), so
what is measured here is what the renderer lays out. A body is a flow of segments stacked top
to bottom — text (in the placeholder, or in a text box below a table), tables, pictures —
whose height is the sum of the wrapped lines (``measure``) and the spacing between
paragraphs, compared with the placeholder's height less its insets. When the flow is taller:

- a spec may first shrink its body text in 2 pt steps down to its ``shrink_to`` (a quiz
  question or a case is better read whole; a section shrinks at most to 20 pt);
- a flow with soft breaks (a matching question's two columns) is split there first;
- otherwise it continues on follow-up slides titled "<title> (vervolg)": a paragraph that
  does not fit moves on whole, one taller than a whole slide is split between lines (two at
  least on each side); a heading or a line ending in ':' stays with what follows, a list or a
  table; a table is split between rows with its header row repeated and never leaves one row
  alone; ``---`` in a section always starts a new slide.

Titles and kickers shrink (2 pt steps, down to ``MIN_TITLE``) until they fit; a subtitle that
does not fit at ``MIN_SUBTITLE`` opens the body instead.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field, replace

from .blocks import Break, Bullet, Para, Picture, Run, Table
from .measure import TextStyle, lines_needed, split_runs, text_width, wrap
from .outline import SlideSpec
from .template import EMU_PER_PT, Frame, LayoutChoice, LevelStyle

SAFETY_PT = 2.0  # kept free at the bottom of every text area
SEGMENT_GAP_PT = 10.0
MIN_TITLE = 20.0
MIN_SUBTITLE = 18.0
MIN_BODY = 18.0
TABLE_MARGINS = (7.2, 3.6, 7.2, 3.6)  # cell insets in points: left, top, right, bottom


# -- formats ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Formatted:
    """A paragraph with every property that decides its height, resolved for one frame."""

    para: Para
    lvl: int
    size: float
    family: str
    bold: bool
    italic: bool
    mar_l: float
    indent: float
    before: float
    after: float
    line: float
    line_pts: float | None
    bullet: Bullet
    bullet_colour_xml: bytes | None
    align: str | None

    @property
    def style(self) -> TextStyle:
        return TextStyle(self.size, self.family, self.bold, self.italic, self.line, self.line_pts, self.before, self.after)

    def label(self) -> str:
        if self.bullet.kind == "char":
            return self.bullet.char
        if self.bullet.kind == "auto":
            n = self.bullet.start
            if self.bullet.scheme.startswith("alphaUc"):
                return _alpha(n).upper() + "."
            if self.bullet.scheme.startswith("alphaLc"):
                return _alpha(n) + "."
            return f"{n}."
        return ""


def _alpha(n: int) -> str:
    text = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def small_size(size: float) -> float:
    return size - 4 if size - 4 >= MIN_BODY else min(size, MIN_BODY)


def format_para(para: Para, frame: Frame, size_override: float | None = None, shrink: float = 0.0) -> Formatted:
    """``size_override`` replaces the level's size; ``shrink`` takes points off it (never below
    ``MIN_BODY``, or the level's own size if that is smaller)."""
    lvl = max(0, min(8, para.depth - 1))
    style: LevelStyle = frame.levels[lvl]
    size = size_override or max(style.size - shrink, min(style.size, MIN_BODY))
    bold, italic = style.bold, style.italic
    if para.role == "heading":
        bold = True
    elif para.role in ("code", "small"):
        size = small_size(size)
    before = style.before
    if para.role == "gap":
        before += size
    bullet = para.bullet
    colour = None
    if bullet is None:
        bullet = Bullet("none")
        if para.depth == 0:
            mar_l, indent = (style.mar_l, style.indent) if style.bullet is None else (0.0, 0.0)
        else:
            mar_l, indent = style.mar_l, 0.0
    else:
        mar_l, indent = style.mar_l, style.indent
        if mar_l <= 0:  # a level without indents (e.g. a subtitle style) still needs room for the bullet
            mar_l, indent = 0.45 * size * 1.2, -0.45 * size * 1.2
        if bullet.kind == "level":
            colour = style.bullet_colour
            bullet = Bullet("char", char=style.bullet or "•", font=style.bullet_font)
        elif bullet.kind == "auto":
            # "10." or "B." may be wider than the template's hanging indent: widen it
            widest = max(text_width(label, size, style.typeface) for label in ("10.", "M."))
            hang = widest + 0.3 * size
            if -indent < hang:
                mar_l, indent = mar_l + hang + indent, -hang
    return Formatted(para, lvl, size, style.typeface, bold, italic, mar_l, indent, before, style.after,
                     style.line, style.line_pts, bullet, colour, style.align)


def _line_widths(f: Formatted, inner: float) -> tuple[float, float]:
    """Width of the first line and of the other lines, in points."""
    rest = inner - f.mar_l
    first_start = f.mar_l + f.indent
    if f.bullet.kind != "none":
        family = f.bullet.font or f.family
        label_w = text_width(f.label(), f.size, family) + 0.25 * f.size
        first_start = max(f.mar_l, f.mar_l + f.indent + label_w)
    return inner - first_start, rest


def para_lines(f: Formatted, inner: float) -> tuple[int, ...]:
    first, rest = _line_widths(f, inner)
    return wrap(f.para.runs, rest, f.style, first_width=first)


def para_height(f: Formatted, inner: float, first_in_box: bool) -> float:
    lines = len(para_lines(f, inner)) if f.para.runs else 1
    return (0.0 if first_in_box else f.before) + lines * f.style.pitch + f.after


# -- pages -----------------------------------------------------------------------------------

@dataclass
class TextSeg:
    paras: list[Formatted]
    top: float = 0.0  # points below the frame's inner top
    height: float = 0.0


@dataclass
class TableSeg:
    table: Table
    rows: list[int]  # row indices, header first when repeated
    col_widths: list[float]
    row_heights: list[float]
    size: float
    family: str
    top: float = 0.0
    height: float = 0.0


@dataclass
class PicSeg:
    picture: Picture
    width: float
    height: float
    top: float = 0.0


@dataclass
class Page:
    spec: SlideSpec
    choice: LayoutChoice
    title: str
    title_size: float | None = None
    kicker: str = ""
    kicker_size: float | None = None
    subtitle: list[Formatted] = field(default_factory=list)
    segments: list = field(default_factory=list)
    side: list[PicSeg] = field(default_factory=list)
    notes: tuple[Para, ...] = ()
    continued: bool = False


class Paginator:
    def __init__(self, template, words, images) -> None:
        """``template``: anything with the ``choices`` of a ``template.Template``."""
        self.template = template
        self.words = words
        self.images = images  # course.images

    # -- single-box texts ----------------------------------------------------------------
    def fit_paras(self, paras: list[Para], frame: Frame) -> list[Formatted] | None:
        """A short text (a subtitle) at the largest size that fits, down to ``MIN_SUBTITLE``; None
        when it does not fit even then."""
        size = frame.levels[0].size
        while size >= min(MIN_SUBTITLE, frame.levels[0].size):
            formatted = [format_para(p, frame, size) for p in paras]
            height = sum(para_height(f, frame.inner_width, i == 0) for i, f in enumerate(formatted))
            if height <= frame.inner_height - SAFETY_PT:
                return formatted
            size -= 2
        return None

    def fit_line(self, text: str, frame: Frame, minimum: float = MIN_TITLE) -> float:
        """The largest size (from the template's, down in 2 pt steps) at which ``text`` fits."""
        style = frame.levels[0]
        size = style.size
        runs = (Run(text),)
        while size > minimum:
            ts = TextStyle(size, style.typeface, style.bold, style.italic, style.line, style.line_pts)
            lines = lines_needed(runs, frame.inner_width - 1, ts)
            if lines * ts.pitch <= frame.inner_height - SAFETY_PT:
                break
            size -= 2
        return max(size, minimum)

    # -- slides --------------------------------------------------------------------------
    def pages(self, spec: SlideSpec) -> list[Page]:
        choice = self.template.choices[spec.layout]
        frames = choice.frames
        title, kicker = spec.title, spec.kicker
        body = list(spec.body)
        side = list(spec.side)
        subtitle = list(spec.subtitle)
        if kicker and "kicker" not in frames:
            title = self.words("label_joiner").join([kicker, title])
            kicker = ""
        fitted_subtitle = None
        if subtitle and "subtitle" in frames:
            fitted_subtitle = self.fit_paras([p for p in subtitle if p.runs], frames["subtitle"])
        if subtitle and fitted_subtitle is None:  # no place for it, or too long: it opens the body
            if "body" in frames and not body:
                body = list(subtitle)  # a section header keeps its subtitle in its text placeholder
            else:
                body = [Para(tuple(replace(r, italic=True) for r in p.runs), keep_with_next=True) for p in subtitle if p.runs] + body
            subtitle = []
        if side and "body2" not in frames:
            body = [*body, *side]
            side = []

        flows = self._fit_flow(body, frames["body"], spec.shrink_to) if "body" in frames else [[]]
        pages: list[Page] = []
        for number, segments in enumerate(flows):
            page_title = title if number == 0 else self.words("continued", title=title)
            page = Page(spec, choice, page_title, kicker=kicker, segments=segments,
                        notes=spec.notes if number == 0 or not spec.continued_notes else spec.continued_notes,
                        continued=number > 0)
            if "title" in frames:
                page.title_size = self.fit_line(page_title, frames["title"])
            if kicker and "kicker" in frames:
                page.kicker_size = self.fit_line(kicker, frames["kicker"], minimum=12)
            if fitted_subtitle:
                page.subtitle = fitted_subtitle
            if number == 0 and side:
                page.side = self._side(side, frames["body2"])
            pages.append(page)
        return pages

    def _fit_flow(self, body: list, frame: Frame, shrink_to: float | None) -> list[list]:
        """The body's pages: on one slide if it fits there, if need be a little smaller (down to
        ``shrink_to``); else split at its soft breaks, each part on one slide if it can be;
        else split where the slide is full."""
        base = frame.levels[0].size
        steps = [0.0]
        while shrink_to and base - (steps[-1] + 2.0) >= shrink_to:
            steps.append(steps[-1] + 2.0)
        for shrink in steps:
            flows = self._flow(body, frame, shrink)
            if len(flows) == 1:
                return flows
        parts = 1 + sum(1 for b in body if isinstance(b, Break))
        if any(isinstance(b, Break) and b.soft for b in body):
            best = None
            for shrink in steps:  # the fewest slides; of those, the largest text
                flows = self._flow(body, frame, shrink, soft_breaks=True)
                if best is None or len(flows) < len(best):
                    best = flows
                if len(flows) == parts:
                    break
            assert best is not None  # steps holds at least 0.0
            return best
        return self._flow(body, frame, 0.0)

    def _side(self, pictures: list[Picture], frame: Frame) -> list[PicSeg]:
        gap = SEGMENT_GAP_PT
        width = frame.width / EMU_PER_PT
        share = (frame.height / EMU_PER_PT - gap * (len(pictures) - 1)) / len(pictures)
        result = []
        top = 0.0
        for picture in pictures:
            w, h = self._fit_picture(picture, width, share)
            result.append(PicSeg(picture, w, h, top))
            top += h + gap
        return result

    def picture_size(self, picture: Picture) -> tuple[float, float] | None:
        """Natural size in points (96 dpi unless the file says otherwise), or None for no bitmap."""
        image = self.images.get(picture.path)
        if image is None or image.media_type == "image/svg+xml":
            return None
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(image.data)) as im:
            dpi = im.info.get("dpi", (96, 96))
            dx = float(dpi[0] or 96) or 96.0
            dy = float(dpi[1] or 96) or 96.0
            return im.width * 72 / dx, im.height * 72 / dy

    def _fit_picture(self, picture: Picture, max_w: float, max_h: float) -> tuple[float, float]:
        natural = self.picture_size(picture)
        if natural is None:
            return 0.0, 0.0
        w, h = natural
        scale = min(max_w / w, max_h / h)
        return w * scale, h * scale

    # -- the flow ------------------------------------------------------------------------
    def _flow(self, blocks: list, frame: Frame, shrink: float = 0.0, soft_breaks: bool = False) -> list[list]:
        inner_w = frame.inner_width
        avail = frame.inner_height - SAFETY_PT
        pages: list[list] = [[]]
        used = 0.0

        def current_text() -> TextSeg | None:
            segs = pages[-1]
            return segs[-1] if segs and isinstance(segs[-1], TextSeg) else None

        def new_page() -> None:
            nonlocal used
            if pages[-1]:
                pages.append([])
            used = 0.0

        def para_h(f: Formatted) -> float:
            text = current_text()
            first = text is None or not text.paras
            gap = SEGMENT_GAP_PT if (text is None and pages[-1]) else 0.0
            return gap + para_height(f, inner_w, first)

        def place_para(f: Formatted, height: float) -> None:
            nonlocal used
            text = current_text()
            if text is None:
                gap = SEGMENT_GAP_PT if pages[-1] else 0.0
                text = TextSeg([], top=used + gap)
                pages[-1].append(text)
            text.paras.append(f)
            text.height = used + height - text.top
            used += height

        def add_para(f: Formatted) -> None:
            height = para_h(f)
            if used + height <= avail:
                place_para(f, height)
                return
            alone = para_height(f, inner_w, True)
            if used > 0 and alone <= avail:
                new_page()
                place_para(f, para_h(f))
                return
            # split between lines
            lines = para_lines(f, inner_w)
            pitch = f.style.pitch
            head_room = avail - used - (height - para_height(f, inner_w, True)) - f.after
            fit = int(max(0.0, head_room) // pitch)
            if fit < 2 or len(lines) - fit < 1:
                if used > 0:
                    new_page()
                    add_para(f)
                    return
                fit = max(1, fit)
            cut = lines[fit]
            head, tail = split_runs(f.para.runs, cut)
            first = replace(f, para=replace(f.para, runs=head, keep_with_next=False))
            place_para(first, para_h(first))
            new_page()
            # the rest continues the same paragraph: no bullet, every line at the left margin
            rest = replace(f, para=replace(f.para, runs=tail, bullet=None, keep_with_next=False),
                           bullet=Bullet("none"), bullet_colour_xml=None, indent=0.0)
            add_para(rest)

        def add_table(table: Table, after_lead_in: bool = False) -> None:
            nonlocal used
            seg_base = self._table_layout(table, frame, shrink)
            widths, heights, size, family = seg_base
            header = [0] if table.header else []
            body_rows = [i for i in range(len(table.rows)) if i not in header]
            gap = SEGMENT_GAP_PT if pages[-1] else 0.0
            total = sum(heights)
            if used + gap + total > avail and used > 0 and total <= avail and not after_lead_in:
                new_page()
                gap = 0.0
            if not body_rows:  # a header and nothing else
                body_rows, header = header, []
            if not body_rows:
                return
            while True:
                gap = SEGMENT_GAP_PT if pages[-1] else 0.0
                rows = list(header)
                height = sum(heights[i] for i in rows)
                taken = 0
                for index in body_rows:
                    if used + gap + height + heights[index] > avail and taken > 0:
                        break
                    if used + gap + height + heights[index] > avail and used > 0:
                        break
                    rows.append(index)
                    height += heights[index]
                    taken += 1
                if taken == 0 and used > 0:
                    new_page()
                    continue
                if taken == 0:  # nothing fits even on an empty slide: one row per slide
                    rows.append(body_rows[0])
                    height += heights[body_rows[0]]
                    taken = 1
                if len(body_rows) - taken == 1 and taken >= 3:
                    # no single row alone on the follow-up slide: take one more along
                    last = rows.pop()
                    height -= heights[last]
                    taken -= 1
                seg = TableSeg(table, rows, widths, [heights[i] for i in rows], size, family, top=used + gap, height=height)
                pages[-1].append(seg)
                used += gap + height
                body_rows = body_rows[taken:]
                if not body_rows:
                    return
                new_page()

        def add_picture(picture: Picture) -> None:
            nonlocal used
            natural = self.picture_size(picture)
            if natural is None:
                alt = picture.alt or picture.path
                add_para(format_para(Para((Run(self.words("image_missing", alt=alt), italic=True),)), frame, shrink=shrink))
                return
            gap = SEGMENT_GAP_PT if pages[-1] else 0.0
            room = avail - used - gap
            if room < 0.4 * avail and used > 0:
                new_page()
                gap, room = 0.0, avail
            w, h = self._fit_picture(picture, frame.inner_width, room)
            pages[-1].append(PicSeg(picture, w, h, top=used + gap))
            used += gap + h

        # group "keep with next" runs of paragraphs
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Break):
                if soft_breaks or not block.soft:
                    new_page()
                index += 1
                continue
            if isinstance(block, Para):
                group = [block]
                while group[-1].keep_with_next and index + len(group) < len(blocks) and isinstance(blocks[index + len(group)], Para):
                    group.append(blocks[index + len(group)])
                formatted = [format_para(p, frame, shrink=shrink) for p in group]
                following = blocks[index + len(group)] if index + len(group) < len(blocks) else None
                lead_in = group[-1].keep_with_next and isinstance(following, Table)
                if used > 0 and (len(group) > 1 or lead_in):
                    first_h = para_h(formatted[0])
                    rest_h = sum(para_height(f, inner_w, False) for f in formatted[1:])
                    alone = para_height(formatted[0], inner_w, True) + rest_h
                    if lead_in:
                        assert isinstance(following, Table)
                        # a line ending in ':' stays with the table it introduces: with all of it
                        # when the table then fits, else with its header and first row
                        heights = self._table_layout(following, frame, shrink)[1]
                        first_rows = sum(heights[:2]) if following.header else heights[0]
                        table_h = sum(heights) if alone + SEGMENT_GAP_PT + sum(heights) <= avail else first_rows
                        first_h += SEGMENT_GAP_PT + table_h
                        alone += SEGMENT_GAP_PT + table_h
                    if used + first_h + rest_h > avail and alone <= avail:
                        new_page()
                    elif used + first_h + rest_h > avail and len(formatted) > 1:
                        # too long to keep together: at least keep the lead-in with the first item
                        pair = para_height(formatted[0], inner_w, True) + para_height(formatted[1], inner_w, False)
                        if used + first_h + para_height(formatted[1], inner_w, False) > avail and pair <= avail:
                            new_page()
                for f in formatted:
                    add_para(f)
                index += len(group)
                continue
            elif isinstance(block, Table):
                previous = blocks[index - 1] if index else None
                add_table(block, after_lead_in=isinstance(previous, Para) and previous.keep_with_next)
            elif isinstance(block, Picture):
                add_picture(block)
            index += 1
        while len(pages) > 1 and not pages[-1]:
            pages.pop()
        return pages

    # -- tables --------------------------------------------------------------------------
    def _table_layout(self, table: Table, frame: Frame, shrink: float = 0.0):
        style = frame.levels[0]
        size = max(MIN_BODY, style.size - 6 - shrink)
        family = style.typeface
        total = frame.inner_width
        cols = max((len(r) for r in table.rows), default=0)
        ml, mt, mr, mb = TABLE_MARGINS
        natural = [0.0] * cols
        minimum = [0.0] * cols
        for r, row in enumerate(table.rows):
            bold = table.header and r == 0
            for c, cell in enumerate(row):
                text_w = sum(text_width(run.text, size, "Courier New" if run.code else family, bold or run.bold, run.italic)
                             for run in cell if run.text != "\n")
                natural[c] = max(natural[c], text_w + ml + mr + 1)
                words = " ".join(run.text for run in cell).split()
                longest = max((text_width(wd, size, family, True) for wd in words), default=0.0)
                minimum[c] = max(minimum[c], min(longest, total / max(cols, 1)) + ml + mr + 1)
        if sum(natural) <= total:
            extra = total - sum(natural)
            widths = [n + extra * n / sum(natural) for n in natural] if sum(natural) else [total / cols] * cols
        elif sum(minimum) <= total:
            spare = total - sum(minimum)
            want = [max(0.0, n - m) for n, m in zip(natural, minimum, strict=True)]
            widths = [m + (spare * w / sum(want) if sum(want) else 0) for m, w in zip(minimum, want, strict=True)]
        else:
            widths = [total * m / sum(minimum) for m in minimum]
        heights = []
        for r, row in enumerate(table.rows):
            bold = table.header and r == 0
            ts = TextStyle(size, family, bold)
            tallest = 1
            for c, cell in enumerate(row):
                if cell:
                    tallest = max(tallest, lines_needed(cell, widths[c] - ml - mr - 1, ts))
            heights.append(math.ceil((tallest * ts.pitch + mt + mb) * 10) / 10)
        return widths, heights, size, family
