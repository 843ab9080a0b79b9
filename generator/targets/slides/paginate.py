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

from . import diagram_shapes
from .blocks import Break, Bullet, DiagramBlock, Para, Picture, Run, Table
from .measure import TextStyle, lines_needed, split_runs, text_width, wrap
from .outline import SlideSpec
from .template import EMU_PER_PT, Frame, LayoutChoice, LevelStyle

SAFETY_PT = 2.0  # kept free at the bottom of every text area
SEGMENT_GAP_PT = 10.0
MIN_TITLE = 20.0
MIN_SUBTITLE = 18.0
MIN_BODY = 18.0
TABLE_MARGINS = (7.2, 3.6, 7.2, 3.6)  # cell insets in points: left, top, right, bottom
MAX_REPEATED_WORDS = 30  # a list's lead-in repeated on its follow-up slide; a longer one is not repeated


# -- formats ---------------------------------------------------------------------------------


def _single_para(page: list) -> bool:
    """A slide's body that is one paragraph and nothing else."""
    return len(page) == 1 and isinstance(page[0], TextSeg) and len(page[0].paras) == 1


def _starts_below_parent(body: list, page: list) -> bool:
    """A follow-up slide that opens with a sub-item whose item is on the slide before."""
    start = _first_block(body, page)
    if start is None or start == 0 or not isinstance(body[start], Para) or body[start].depth < 2:
        return False
    previous = body[start - 1]
    return (
        isinstance(previous, Para)
        and 0 < previous.depth < body[start].depth
        or isinstance(previous, Para)
        and previous.depth == body[start].depth
    )


def _first_block(body: list, page: list) -> int | None:
    """The index in ``body`` of the block a page starts with (None: it starts mid-paragraph)."""
    if not page:
        return None
    first = page[0]
    target = (
        first.paras[0].para
        if isinstance(first, TextSeg)
        else first.table
        if isinstance(first, TableSeg)
        else first.source
        if isinstance(first, diagram_shapes.DiagramSeg)
        else first.picture
    )
    for index, block in enumerate(body):
        if block is target:
            return index
    return None


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
    return Formatted(
        para,
        lvl,
        size,
        style.typeface,
        bold,
        italic,
        mar_l,
        indent,
        before,
        style.after,
        style.line,
        style.line_pts,
        bullet,
        colour,
        style.align,
    )


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
    side_text: list = field(default_factory=list)  # the second column's segments (two-content)
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
        runs = (Run(text.upper() if style.caps else text),)
        while size > minimum:
            ts = TextStyle(size, style.typeface, style.bold, style.italic, style.line, style.line_pts)
            lines = lines_needed(runs, frame.inner_width - 1, ts)
            if lines * ts.pitch <= frame.inner_height - SAFETY_PT:
                break
            size -= 2
        return max(size, minimum)

    # -- slides --------------------------------------------------------------------------
    def pages(self, spec: SlideSpec) -> list[Page]:
        """The spec's slides: its texts fitted into the layout's placeholders, the body going on
        on follow-up slides when it does not fit on one."""
        choice = self.template.choices[spec.layout]
        frames = choice.frames
        title, kicker = spec.title, spec.kicker
        if kicker and "kicker" not in frames:
            title = self.words("label_joiner").join([kicker, title])
            kicker = ""
        subtitle, body = self._subtitle_and_body(spec, frames)
        side = list(spec.side)
        if side and "body2" not in frames:
            body = [*body, *side]
            side = []
        body2 = list(spec.body2)
        if body2 and "body2" not in frames:  # no second column: the second half follows the first
            body = body + [Break(soft=True)] + body2
            body2 = []
        side_text: list = []
        flows: list[list]
        if "body" not in frames:
            flows = [[]]
        elif body2:
            columns = self._fit_columns(body, body2, frames["body"], frames["body2"], spec.shrink_to)
            stacked = self._stacked(spec, body2, columns)
            if stacked is not None:
                return self.pages(stacked)
            if columns is None:
                flows = self._fit_flow(body + [Break(soft=True)] + body2, frames["body"], spec.shrink_to)
            else:
                flows, side_text = columns[0], columns[1]
        else:
            flows = self._fit_with_fallbacks(spec, body, frames["body"])
        pages: list[Page] = []
        for number, segments in enumerate(flows):
            page_title = title if number == 0 else self.words("continued", title=title)
            page = Page(
                spec,
                choice,
                page_title,
                kicker=kicker,
                segments=segments,
                notes=spec.notes if number == 0 or not spec.continued_notes else spec.continued_notes,
                continued=number > 0,
            )
            if "title" in frames:
                page.title_size = self.fit_line(page_title, frames["title"])
            if kicker and "kicker" in frames:
                page.kicker_size = self.fit_line(kicker, frames["kicker"], minimum=12)
            if subtitle:
                page.subtitle = subtitle
            if number == 0 and side:
                page.side = self._side(side, frames["body2"])
            if number == 0 and side_text:
                page.side_text = side_text
            pages.append(page)
        return pages

    def _subtitle_and_body(self, spec: SlideSpec, frames: dict[str, Frame]) -> tuple[list[Formatted] | None, list]:
        """The subtitle fitted into its placeholder, and the body. A subtitle without a place,
        or too long for it, opens the body instead (in italics, kept with what follows)."""
        body = list(spec.body)
        subtitle = list(spec.subtitle)
        if not subtitle:
            return None, body
        if "subtitle" in frames:
            fitted = self.fit_paras([p for p in subtitle if p.runs], frames["subtitle"])
            if fitted is not None:
                return fitted, body
        if "body" in frames and not body:
            return None, subtitle  # a section header keeps its subtitle in its text placeholder
        return None, [
            Para(tuple(replace(r, italic=True) for r in p.runs), keep_with_next=True) for p in subtitle if p.runs
        ] + body

    def _stacked(self, spec: SlideSpec, body2: list, columns: tuple | None) -> SlideSpec | None:
        """The spec on its full-width layout with the second column under the first, when the
        two ``columns`` do not fit side by side (None), or only in smaller type than stacked."""
        wide = self.template.choices.get(spec.wide_layout) if spec.wide_layout else None
        if wide is None or not spec.wide_layout or "body" not in wide.frames:
            return None
        gap = [replace(body2[0], role="gap")] if isinstance(body2[0], Para) else body2[:1]
        stacked = list(spec.body) + gap + list(body2[1:])
        shrink = self._one_slide_shrink(stacked, wide.frames["body"], spec.shrink_to)
        if columns is None or (shrink is not None and shrink < columns[2]):
            return replace(spec, layout=spec.wide_layout, body=tuple(stacked), body2=(), wide_layout=None)
        return None

    def _fit_with_fallbacks(self, spec: SlideSpec, body: list, frame: Frame) -> list[list]:
        """The body's pages; when it needs more than one slide, the spec's shorter texts are
        tried in turn: a shorter text that fits on one slide beats a follow-up slide."""
        flows = self._fit_flow(body, frame, spec.shrink_to)
        for shorter in spec.fallbacks:
            if len(flows) == 1:
                break
            flows = self._fit_flow(list(shorter), frame, spec.shrink_to)
        return flows

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
            return self._no_orphans(body, frame, steps[-1], best, soft_breaks=True)
        body, flows = self._with_context(body, frame, 0.0, self._no_orphans(body, frame, 0.0, self._flow(body, frame, 0.0)))
        return flows

    def _with_context(self, body: list, frame: Frame, shrink: float, flows: list[list]) -> tuple[list, list[list]]:
        """A follow-up slide that goes on with a list opens with the list's lead-in again (in
        italics), so that it stands on its own; only where that costs no extra slide."""
        for number in range(1, len(flows)):
            start = _first_block(body, flows[number])
            if start is None or not isinstance(body[start], Para) or body[start].depth < 1:
                continue
            lead = start - 1
            while lead >= 0 and isinstance(body[lead], Para) and body[lead].depth >= 1:
                lead -= 1
            if (
                lead < 0
                or not isinstance(body[lead], Para)
                or not body[lead].text.rstrip().endswith(":")
                or len(body[lead].text.split()) > MAX_REPEATED_WORDS
            ):
                continue
            again = Para(tuple(replace(r, italic=True) for r in body[lead].runs), keep_with_next=True)
            candidate = body[:start] + [Break(), again] + body[start:]
            reflowed = self._flow(candidate, frame, shrink)
            if len(reflowed) == len(flows):
                body, flows = candidate, reflowed
        return body, flows

    def _no_orphans(self, body: list, frame: Frame, shrink: float, flows: list[list], soft_breaks: bool = False) -> list[list]:
        """No follow-up slide with a single paragraph (one list item, one sentence): the slide
        before it gives up its last paragraph (with the heading or lead-in it belongs to)
        until the follow-up holds two, as long as that costs no extra slide."""
        for _ in range(len(body)):
            orphan = next(
                (n for n, page in enumerate(flows) if n > 0 and (_single_para(page) or _starts_below_parent(body, page))), None
            )
            if orphan is None:
                return flows
            start = _first_block(body, flows[orphan])
            before = _first_block(body, flows[orphan - 1])
            if start is None or before is None:
                return flows  # the tail of a paragraph split between lines: nothing to move
            move = start - 1
            # a sub-item goes with the item it belongs to, a heading or lead-in with what follows
            while (
                move > before
                and isinstance(body[move], Para)
                and isinstance(body[start], Para)
                and body[move].depth > 1
                and body[move].depth >= body[start].depth
            ):
                move -= 1
            while move > 0 and isinstance(body[move - 1], Para) and body[move - 1].keep_with_next:
                move -= 1
            if move <= before or isinstance(body[move], Break):
                return flows
            candidate = body[:move] + [Break()] + body[move:]
            again = self._flow(candidate, frame, shrink, soft_breaks)
            if len(again) > len(flows):
                return flows
            body, flows = candidate, again
        return flows

    def _fit_columns(self, left: list, right: list, frame: Frame, frame2: Frame, shrink_to: float | None):
        """Two columns side by side (a matching question), both at the largest size at which
        both fit on one slide; the left continues on a follow-up slide only when even the
        smallest size does not fit."""
        base = frame.levels[0].size
        steps = [0.0]
        while shrink_to and base - (steps[-1] + 2.0) >= shrink_to:
            steps.append(steps[-1] + 2.0)
        for shrink in steps:
            flows, flows2 = self._flow(left, frame, shrink), self._flow(right, frame2, shrink)
            if len(flows) == 1 and len(flows2) == 1:
                return flows, flows2[0], shrink
        return None

    def _one_slide_shrink(self, body: list, frame: Frame, shrink_to: float | None) -> float | None:
        """The fewest points a body must shrink to fit on one slide (None: it does not fit)."""
        base = frame.levels[0].size
        shrink = 0.0
        while True:
            if len(self._flow(body, frame, shrink)) == 1:
                return shrink
            if not shrink_to or base - (shrink + 2.0) < shrink_to:
                return None
            shrink += 2.0

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
        """The pages ``blocks`` take in ``frame`` with ``shrink`` points off the body size (see ``_Flow``)."""
        return _Flow(self, frame, shrink).lay_out(blocks, soft_breaks)

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
                text_w = sum(
                    text_width(run.text, size, "Courier New" if run.code else family, bold or run.bold, run.italic)
                    for run in cell
                    if run.text != "\n"
                )
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


# -- the flow --------------------------------------------------------------------------------


def _keep_with_next_run(blocks: list, index: int) -> list[Para]:
    """The paragraph at ``index`` and those that stay with it: while a paragraph keeps with
    the next (a heading, a line ending in ':') and a paragraph follows, that one joins."""
    group = [blocks[index]]
    while group[-1].keep_with_next and index + len(group) < len(blocks) and isinstance(blocks[index + len(group)], Para):
        group.append(blocks[index + len(group)])
    return group


class _Flow:
    """One body laid out top to bottom in one frame at one shrink, on a new page wherever the
    frame is full. The pages' segments and the height used on the last page are the state
    every placing step reads and moves on."""

    def __init__(self, paginator: Paginator, frame: Frame, shrink: float) -> None:
        self.paginator = paginator
        self.frame = frame
        self.shrink = shrink
        self.inner_w = frame.inner_width
        self.avail = frame.inner_height - SAFETY_PT
        self.pages: list[list] = [[]]
        self.used = 0.0  # points taken on the last page

    def lay_out(self, blocks: list, soft_breaks: bool) -> list[list]:
        """The pages of ``blocks``. A break starts a new page; a soft one only with ``soft_breaks``."""
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Para):
                group = _keep_with_next_run(blocks, index)
                following = blocks[index + len(group)] if index + len(group) < len(blocks) else None
                self._add_paras(group, following)
                index += len(group)
                continue
            if isinstance(block, Break):
                if soft_breaks or not block.soft:
                    self._new_page()
            elif isinstance(block, Table):
                previous = blocks[index - 1] if index else None
                self._add_table(block, after_lead_in=isinstance(previous, Para) and previous.keep_with_next)
            elif isinstance(block, Picture):
                self._add_picture(block)
            elif isinstance(block, DiagramBlock):
                self._add_diagram(block)
            index += 1
        while len(self.pages) > 1 and not self.pages[-1]:
            self.pages.pop()
        return self.pages

    # -- the last page ---------------------------------------------------------------------
    def _new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])
        self.used = 0.0

    def _segment_gap(self) -> float:
        """The space above a new segment: none at the top of a page."""
        return SEGMENT_GAP_PT if self.pages[-1] else 0.0

    def _open_text(self) -> TextSeg | None:
        """The text segment the last page ends with, which the next paragraph joins."""
        segs = self.pages[-1]
        return segs[-1] if segs and isinstance(segs[-1], TextSeg) else None

    # -- paragraphs --------------------------------------------------------------------------
    def _height_here(self, f: Formatted) -> float:
        """The height ``f`` takes as the next thing on the last page, with the gap above it
        when it opens a new text segment."""
        text = self._open_text()
        first = text is None or not text.paras
        gap = SEGMENT_GAP_PT if (text is None and self.pages[-1]) else 0.0
        return gap + para_height(f, self.inner_w, first)

    def _place_para(self, f: Formatted, height: float) -> None:
        text = self._open_text()
        if text is None:
            text = TextSeg([], top=self.used + self._segment_gap())
            self.pages[-1].append(text)
        text.paras.append(f)
        text.height = self.used + height - text.top
        self.used += height

    def _add_paras(self, group: list[Para], following: object) -> None:
        """A run of paragraphs that keep together (see ``_keep_together``), then each where it fits."""
        formatted = [format_para(p, self.frame, shrink=self.shrink) for p in group]
        introduced = following if group[-1].keep_with_next and isinstance(following, Table) else None
        if self.used > 0 and (len(group) > 1 or introduced is not None):
            self._keep_together(formatted, introduced)
        for f in formatted:
            self._add_para(f)

    def _keep_together(self, formatted: list[Formatted], table: Table | None) -> None:
        """A new page when the run does not fit in the room left but does on a page of its own
        (with the ``table`` it introduces, or that table's first rows); when it is too long for
        any page, at least its first paragraph stays with the second."""
        first_h = self._height_here(formatted[0])
        rest_h = sum(para_height(f, self.inner_w, False) for f in formatted[1:])
        alone = para_height(formatted[0], self.inner_w, True) + rest_h
        if table is not None:
            table_h = self._introduced_table_height(table, alone)
            first_h += SEGMENT_GAP_PT + table_h
            alone += SEGMENT_GAP_PT + table_h
        if self.used + first_h + rest_h > self.avail and alone <= self.avail:
            self._new_page()
        elif self.used + first_h + rest_h > self.avail and len(formatted) > 1:
            # too long to keep together: at least keep the lead-in with the first item
            pair = para_height(formatted[0], self.inner_w, True) + para_height(formatted[1], self.inner_w, False)
            if self.used + first_h + para_height(formatted[1], self.inner_w, False) > self.avail and pair <= self.avail:
                self._new_page()

    def _introduced_table_height(self, table: Table, lead_in_height: float) -> float:
        """A line ending in ':' stays with the table it introduces: with all of it when the
        table then fits on one page, else with its header and first row."""
        heights = self.paginator._table_layout(table, self.frame, self.shrink)[1]
        first_rows = sum(heights[:2]) if table.header else heights[0]
        return sum(heights) if lead_in_height + SEGMENT_GAP_PT + sum(heights) <= self.avail else first_rows

    def _add_para(self, f: Formatted) -> None:
        """``f`` in the room left, else whole on a new page, else split between lines."""
        height = self._height_here(f)
        if self.used + height <= self.avail:
            self._place_para(f, height)
            return
        alone = para_height(f, self.inner_w, True)
        if self.used > 0 and alone <= self.avail:
            self._new_page()
            self._place_para(f, self._height_here(f))
            return
        self._split_para(f, height)

    def _split_para(self, f: Formatted, height: float) -> None:
        """A paragraph taller than the room left: the lines that fit here, the rest from the
        next page on. Fewer than two lines here, or none left over: it starts on a new page
        instead (on an empty page, at least one line stays)."""
        lines = para_lines(f, self.inner_w)
        pitch = f.style.pitch
        head_room = self.avail - self.used - (height - para_height(f, self.inner_w, True)) - f.after
        fit = int(max(0.0, head_room) // pitch)
        if fit < 2 or len(lines) - fit < 1:
            if self.used > 0:
                self._new_page()
                self._add_para(f)
                return
            fit = max(1, fit)
        head, tail = split_runs(f.para.runs, lines[fit])
        first = replace(f, para=replace(f.para, runs=head, keep_with_next=False))
        self._place_para(first, self._height_here(first))
        self._new_page()
        # the rest continues the same paragraph: no bullet, every line at the left margin
        rest = replace(
            f,
            para=replace(f.para, runs=tail, bullet=None, keep_with_next=False),
            bullet=Bullet("none"),
            bullet_colour_xml=None,
            indent=0.0,
        )
        self._add_para(rest)

    # -- tables, pictures, diagrams --------------------------------------------------------
    def _add_table(self, table: Table, after_lead_in: bool = False) -> None:
        """A table that fits on a page but not in the room left starts a new page (unless a
        lead-in holds it here); a longer one is split between rows, its header row repeated on
        every page, and never leaves one row alone on the last."""
        widths, heights, size, family = self.paginator._table_layout(table, self.frame, self.shrink)
        header = [0] if table.header else []
        body_rows = [i for i in range(len(table.rows)) if i not in header]
        total = sum(heights)
        if self.used + self._segment_gap() + total > self.avail and self.used > 0 and total <= self.avail and not after_lead_in:
            self._new_page()
        if not body_rows:  # a header and nothing else
            body_rows, header = header, []
        while body_rows:
            gap = self._segment_gap()
            rows, height = self._rows_that_fit(header, body_rows, heights, gap)
            taken = len(rows) - len(header)
            if taken == 0:
                self._new_page()
                continue
            if len(body_rows) - taken == 1 and taken >= 3:
                # no single row alone on the follow-up slide: take one more along
                last = rows.pop()
                height -= heights[last]
                taken -= 1
            seg = TableSeg(table, rows, widths, [heights[i] for i in rows], size, family, top=self.used + gap, height=height)
            self.pages[-1].append(seg)
            self.used += gap + height
            body_rows = body_rows[taken:]
            if body_rows:
                self._new_page()

    def _rows_that_fit(
        self, header: list[int], body_rows: list[int], heights: list[float], gap: float
    ) -> tuple[list[int], float]:
        """The header and as many of ``body_rows`` as fit in the room left, with their height.
        On an empty page the first row is taken even when it does not fit (one row per slide)."""
        rows = list(header)
        height = sum(heights[i] for i in rows)
        for index in body_rows:
            if self.used + gap + height + heights[index] > self.avail and (len(rows) > len(header) or self.used > 0):
                break
            rows.append(index)
            height += heights[index]
        return rows, height

    def _add_picture(self, picture: Picture) -> None:
        """A picture scaled into the room left, or onto a new page when less than 0.4 of a page
        is left; a missing picture is a line of text saying so."""
        natural = self.paginator.picture_size(picture)
        if natural is None:
            alt = picture.alt or picture.path
            missing = Para((Run(self.paginator.words("image_missing", alt=alt), italic=True),))
            self._add_para(format_para(missing, self.frame, shrink=self.shrink))
            return
        gap = self._segment_gap()
        room = self.avail - self.used - gap
        if room < 0.4 * self.avail and self.used > 0:
            self._new_page()
            gap, room = 0.0, self.avail
        w, h = self.paginator._fit_picture(picture, self.frame.inner_width, room)
        self.pages[-1].append(PicSeg(picture, w, h, top=self.used + gap))
        self.used += gap + h

    def _add_diagram(self, block: DiagramBlock) -> None:
        """A diagram in as many parts as ``diagram_shapes.layout`` makes of it, the first in the
        room left or on a new page (then with the line that introduces it), each next part on
        a page of its own."""
        family = self.frame.levels[0].typeface
        room = self.avail - self.used - self._segment_gap()
        fresh, parts = diagram_shapes.layout(block.diagram, self.inner_w, room, self.avail, family)
        text = self._open_text()
        if fresh and text is not None and len(text.paras) > 1 and text.paras[-1].para.keep_with_next:
            # the line that introduces the diagram (ending in ':') goes along to the next slide
            self._move_last_para_to_new_page(text)
            fresh, parts = diagram_shapes.layout(
                block.diagram, self.inner_w, self.avail - self.used - SEGMENT_GAP_PT, self.avail, family
            )
        for number, part in enumerate(parts):
            if (number or fresh) and self.pages[-1]:
                self._new_page()
            gap = self._segment_gap()
            part.top = self.used + gap
            part.source = block
            self.pages[-1].append(part)
            self.used += gap + part.height

    def _move_last_para_to_new_page(self, text: TextSeg) -> None:
        lead = text.paras.pop()
        self.used -= para_height(lead, self.inner_w, False)
        text.height = self.used - text.top
        self._new_page()
        self._place_para(lead, self._height_here(lead))
