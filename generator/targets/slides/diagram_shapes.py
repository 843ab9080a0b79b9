"""A diagram (``generator.diagrams``) → native, editable PowerPoint autoshapes, one group per slide.

Layout works in points inside the body's content area (its width, the height left on the
slide). Every box's text is measured with ``measure`` at the size tried, from ``SIZES[0]``
down to ``SIZES[-1]``; a kind that reads as a sequence of rows (steps, cards, compare)
continues on the next slide when its rows do not fit, choosing the size that needs the fewest
slides (and of those the largest). A cycle, hub or matrix is one picture: it takes a slide of
its own when the room left is too small, at the largest size at which it fits.

Colours are the theme's scheme colours (accent1 boxes, accent2 numbers and arrows, tints of
them for fills), text the theme's minor font (``+mn-lt``), so a template restyles diagrams.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ...diagrams import Diagram, DiagramItem
from ...markup import parser
from .blocks import Run
from .blocks import inline_tokens_runs as inline_runs_of
from .measure import TextStyle, lines_needed
from .package import escape, quoteattr

EMU_PER_PT = 12700
SIZES = (20.0, 18.0, 16.0, 14.0)
MIN_TEXT = 13.0
INSET = 6.0  # text inset inside a box, every side
GAP = 10.0  # between boxes
ROW_GAP = 6.0  # between the rows of a steps diagram
ARROW = 30.0  # room between two steps for the arrow
LINE = 1.25  # outline width, pt

TINT1 = "accent1:lumMod=20000,lumOff=80000"
TINT2 = "accent2:lumMod=20000,lumOff=80000"


@dataclass(frozen=True)
class BoxPara:
    runs: tuple[Run, ...]
    size: float
    bold: bool = False
    colour: str = "tx1"
    align: str = "ctr"
    bullet: bool = False
    before: float = 0.0


@dataclass(frozen=True)
class Box:
    name: str
    x: float
    y: float
    w: float
    h: float
    geometry: str = "roundRect"
    fill: str | None = TINT1
    line: str | None = "accent1"
    paras: tuple[BoxPara, ...] = ()
    anchor: str = "ctr"
    rot: float = 0.0


@dataclass(frozen=True)
class Connector:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = "accent1"
    arrow: bool = False
    width: float = 1.5


@dataclass
class DiagramSeg:
    """One slide's part of a diagram: what the paginator places and the writer draws."""

    kind: str
    width: float
    height: float
    shapes: list = field(default_factory=list)  # Box and Connector, back to front
    top: float = 0.0
    source: object = None  # the block it is part of (set by the paginator)


# -- measuring -------------------------------------------------------------------------------


def _pitch(para: BoxPara, family: str) -> float:
    return TextStyle(para.size, family, para.bold).pitch


def text_height(paras: tuple[BoxPara, ...], width: float, family: str) -> float:
    """Height of the paragraphs in a text area ``width`` wide (insets already taken off)."""
    total = 0.0
    for index, para in enumerate(paras):
        room = width - (0.9 * para.size if para.bullet else 0.0) - 1.0
        lines = lines_needed(para.runs, max(room, 1.0), TextStyle(para.size, family, para.bold)) if para.runs else 1
        total += (para.before if index else 0.0) + lines * _pitch(para, family)
    return total


def box_height(paras: tuple[BoxPara, ...], width: float, family: str, extra_top: float = 0.0) -> float:
    return math.ceil(text_height(paras, width - 2 * INSET, family) + 2 * INSET + extra_top + 2)


def _runs(markdown: str) -> tuple[Run, ...]:
    """One item's inline Markdown as runs; never read as a block ('1. Visie' is no list)."""
    if not markdown:
        return ()
    tokens = parser().parseInline(markdown)
    return inline_runs_of(tokens[0].children if tokens else ())


def item_paras(item: DiagramItem, size: float, label_colour: str = "tx1", align: str = "ctr") -> tuple[BoxPara, ...]:
    small = max(MIN_TEXT, size - 2)
    paras = [BoxPara(tuple(replace(r, bold=True) for r in _runs(item.label)), size, True, label_colour, align)]
    if item.text:
        paras.append(BoxPara(_runs(item.text), small, False, "tx1", align, before=0.3 * small))
    for child in item.children:
        paras.append(BoxPara(_runs(child.label), small, False, "tx1", "l", bullet=True, before=0.25 * small))
    return tuple(paras)


# -- layout ----------------------------------------------------------------------------------


def layout(diagram: Diagram, width: float, room: float, avail: float, family: str) -> tuple[bool, list[DiagramSeg]]:
    """The diagram's parts, one per slide. ``room``: the height left on the current slide;
    ``avail``: a whole slide's. Returns whether the first part starts on a new slide."""
    if diagram.kind in ("steps", "cards", "compare"):
        rows_of = {"steps": _steps_rows, "cards": _cards_rows, "compare": _compare_rows}[diagram.kind]
        gap = ROW_GAP if diagram.kind == "steps" else GAP
        best: tuple | None = None
        for size in SIZES:
            rows, overhead, draw = rows_of(diagram, width, size, family, avail)
            for fresh in (False, True) if room < avail else (True,):
                pages = _page_rows(rows, overhead, room if not fresh else avail, avail, gap)
                if pages is None:
                    continue
                score = (len(pages) + (1 if fresh and room < avail else 0), -size)
                if best is None or score < best[0]:
                    best = (score, fresh, pages, draw)
        if best is None:  # even one row is taller than a slide: one row a slide, at the smallest size
            rows, overhead, draw = rows_of(diagram, width, SIZES[-1], family, avail)
            best = ((0, 0), True, [[row] for row in range(len(rows))], draw)
        _, fresh, pages, draw = best
        return fresh and room < avail, [draw(page) for page in pages]
    drawer = {"cycle": _cycle, "hub": _hub, "matrix": _matrix}[diagram.kind]
    # on this slide when at least three quarters of one is left and it fits there; else on the next
    tries = ([False] if room >= avail else [False, True]) if room >= 0.75 * avail else [True]
    for fresh in tries:
        for size in SIZES:
            seg = drawer(diagram, width, avail if fresh else room, size, family)
            if seg is not None:
                return fresh and room < avail, [seg]
    return room < avail, [drawer(diagram, width, avail, SIZES[-1], family, force=True)]


def _page_rows(rows: list[float], overhead: float, first_room: float, avail: float, gap: float = GAP) -> list[list[int]] | None:
    """Rows (their heights) on pages: as many as fit, ``gap`` between them, ``overhead`` (repeated
    headings) on top of every page. None when a row does not fit on a page of its own."""
    pages: list[list[int]] = [[]]
    used, room = overhead, first_room
    for index, height in enumerate(rows):
        if overhead + height > avail:
            return None
        need = height + (gap if pages[-1] else 0.0)
        if used + need > room and pages[-1]:
            pages.append([])
            used, room, need = overhead, avail, height
        elif used + need > room:  # the first row does not fit in the room left
            return None
        pages[-1].append(index)
        used += need
    if len(pages) > 1 and len(pages[-1]) == 1 and len(pages[-2]) >= 3:
        moved = rows[pages[-2][-1]]
        if overhead + moved + gap + rows[pages[-1][0]] <= avail:
            pages[-1].insert(0, pages[-2].pop())  # no single row alone on a follow-up slide
    return pages


# steps: one row of boxes when they fit, else one step per row, numbered -----------------------


def _badge(number: int, x: float, y: float, size: float) -> Box:
    d = 1.7 * size
    return Box(f"Stap {number}", x, y, d, d, "ellipse", "accent2", None, (BoxPara((Run(str(number)),), size, True, "bg1"),))


def _steps_rows(diagram: Diagram, width: float, size: float, family: str, avail: float):
    items = diagram.items
    n = len(items)
    badge = 1.7 * size
    if n <= 5:
        box_w = (width - (n - 1) * ARROW) / n
        paras = [item_paras(item, size) for item in items]
        if box_w >= 110 and all(text_height(p, box_w - 2 * INSET, family) > 0 for p in paras):
            height = max(box_height(p, box_w, family, extra_top=badge / 2) for p in paras) + badge / 2
            tallest_word_ok = all(_fits_words(p, box_w - 2 * INSET, family) for p in paras)
            if tallest_word_ok and height <= 0.85 * avail:

                def draw_row(page: list[int]) -> DiagramSeg:
                    seg = DiagramSeg("steps", width, height)
                    for column, index in enumerate(page):
                        x = column * (box_w + ARROW)
                        seg.shapes.append(
                            Box(
                                f"Stap {index + 1}: tekst",
                                x,
                                badge / 2,
                                box_w,
                                height - badge / 2,
                                paras=paras[index],
                                anchor="t",
                                line="accent1",
                            )
                        )
                        seg.shapes.append(_badge(index + 1, x + (box_w - badge) / 2, 0.0, size))
                        if column < len(page) - 1:
                            aw, ah = ARROW - 8, 0.9 * size
                            seg.shapes.append(
                                Box(
                                    "Pijl",
                                    x + box_w + 4,
                                    badge / 2 + (height - badge / 2 - ah) / 2,
                                    aw,
                                    ah,
                                    "rightArrow",
                                    "accent2",
                                    None,
                                )
                            )
                    return seg

                return [height], 0.0, lambda page: draw_row(list(range(n)))
    # one step per row: the number on the left, the box beside it, the text after the label
    box_x = badge + GAP
    box_w = width - box_x
    paras = [_row_paras(item, size) for item in items]
    heights = [max(box_height(p, box_w, family), badge) for p in paras]

    def draw_rows(page: list[int]) -> DiagramSeg:
        total = sum(heights[i] for i in page) + ROW_GAP * (len(page) - 1)
        seg = DiagramSeg("steps", width, total)
        y = 0.0
        centres = []
        for index in page:
            centres.append(y + badge / 2)
            y += heights[index] + ROW_GAP
        if len(page) > 1:  # the line that joins the numbers, behind them
            seg.shapes.append(Connector(badge / 2, centres[0], badge / 2, centres[-1], "accent2", width=2.0))
        y = 0.0
        for index in page:
            seg.shapes.append(Box(f"Stap {index + 1}: tekst", box_x, y, box_w, heights[index], paras=paras[index], anchor="ctr"))
            seg.shapes.append(_badge(index + 1, 0.0, y, size))
            y += heights[index] + ROW_GAP
        return seg

    return heights, 0.0, draw_rows


def _row_paras(item: DiagramItem, size: float) -> tuple[BoxPara, ...]:
    """A step as one row: its label in bold with its text after it, its sub-steps below."""
    small = max(MIN_TEXT, size - 2)
    runs = tuple(replace(r, bold=True) for r in _runs(item.label))
    if item.text:
        runs += (Run(" – "),) + _runs(item.text)
    paras = [BoxPara(runs, size, False, "tx1", "l")]
    for child in item.children:
        paras.append(BoxPara(_runs(child.label), small, False, "tx1", "l", bullet=True, before=0.25 * small))
    return tuple(paras)


def _fits_words(paras: tuple[BoxPara, ...], width: float, family: str) -> bool:
    """No word is broken: every word fits on a line of the box (a narrow box would split words)."""
    from .measure import text_width

    for para in paras:
        text = "".join(r.text for r in para.runs)
        for word in text.split():
            if text_width(word, para.size, family, para.bold) > width - (0.9 * para.size if para.bullet else 0) - 1:
                return False
    return True


# cards: a grid, rows continue on the next slide -------------------------------------------


def _card_columns(n: int, width: float) -> int:
    columns = {1: 1, 2: 2, 3: 3, 4: 2, 5: 3, 6: 3}.get(n, 4)
    while columns > 1 and (width - GAP * (columns - 1)) / columns < 150:
        columns -= 1
    return columns


def _cards_rows(diagram: Diagram, width: float, size: float, family: str, avail: float):
    items = diagram.items
    columns = _card_columns(len(items), width)
    card_w = (width - GAP * (columns - 1)) / columns
    paras = [item_paras(item, size, label_colour="accent1") for item in items]
    grid = [list(range(start, min(start + columns, len(items)))) for start in range(0, len(items), columns)]
    heights = [max(box_height(paras[i], card_w, family) for i in row) for row in grid]

    def draw(page: list[int]) -> DiagramSeg:
        total = sum(heights[r] for r in page) + GAP * (len(page) - 1)
        seg = DiagramSeg("cards", width, total)
        y = 0.0
        for r in page:
            row = grid[r]
            offset = (width - (len(row) * card_w + GAP * (len(row) - 1))) / 2  # a short last row is centred
            for column, index in enumerate(row):
                seg.shapes.append(
                    Box(
                        f"Kaart {index + 1}",
                        offset + column * (card_w + GAP),
                        y,
                        card_w,
                        heights[r],
                        paras=paras[index],
                        anchor="t" if items[index].text else "ctr",
                    )
                )
            y += heights[r] + GAP
        return seg

    return heights, 0.0, draw


# compare: columns with a heading, rows side by side ----------------------------------------


def _compare_rows(diagram: Diagram, width: float, size: float, family: str, avail: float):
    columns = diagram.items
    k = len(columns)
    col_w = (width - GAP * (k - 1)) / k
    small = max(MIN_TEXT, size - 2)
    heads = [(BoxPara(tuple(replace(r, bold=True) for r in _runs(c.label)), size, True, "bg1"),) for c in columns]
    head_h = max(box_height(h, col_w, family) for h in heads)
    depth = max(len(c.children) for c in columns)
    cells = [
        [(BoxPara(_runs(c.children[r].label), small, False, "tx1", "l"),) if r < len(c.children) else None for c in columns]
        for r in range(depth)
    ]
    heights = [max(box_height(cell, col_w, family) for cell in row if cell) for row in cells]

    def draw(page: list[int]) -> DiagramSeg:
        total = head_h + GAP + sum(heights[r] for r in page) + GAP * (len(page) - 1)
        seg = DiagramSeg("compare", width, total)
        for c in range(k):  # every slide repeats the headings
            fill = "accent1" if c % 2 == 0 else "accent2"
            seg.shapes.append(Box(f"Kolom {c + 1}", c * (col_w + GAP), 0.0, col_w, head_h, "roundRect", fill, None, heads[c]))
        y = head_h + GAP
        for r in page:
            for c in range(k):
                cell = cells[r][c]
                if cell is not None:
                    seg.shapes.append(
                        Box(
                            f"Kolom {c + 1}, rij {r + 1}",
                            c * (col_w + GAP),
                            y,
                            col_w,
                            heights[r],
                            "rect",
                            TINT1 if c % 2 == 0 else TINT2,
                            None,
                            cell,
                            anchor="t",
                        )
                    )
            y += heights[r] + GAP
        return seg

    return heights, head_h + GAP, draw


# one-picture kinds ---------------------------------------------------------------------------


def _ring_frame(n: int, width: float, height: float, box_w: float, box_h: float) -> tuple[float, float, float, float]:
    """Centre and radii (cx, cy, rx, ry) of the ellipse whose ``n`` boxes just fill the area: three
    boxes (top, lower right, lower left) reach lower than the middle, so the ring moves down."""
    sines = [math.sin(-math.pi / 2 + 2 * math.pi * i / n) for i in range(n)]
    cosines = [math.cos(-math.pi / 2 + 2 * math.pi * i / n) for i in range(n)]
    ry = (height - box_h) / max(max(sines) - min(sines), 1e-9)
    rx = (width - box_w) / max(max(cosines) - min(cosines), 1e-9)
    return width / 2, box_h / 2 - ry * min(sines), rx, ry


def _ring_positions(n: int, cx: float, cy: float, rx: float, ry: float) -> list[tuple[float, float, float]]:
    """(x, y, angle) of ``n`` points on an ellipse, the first at the top, clockwise."""
    result = []
    for i in range(n):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        result.append((cx + rx * math.cos(angle), cy + ry * math.sin(angle), angle))
    return result


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw + 4 and bx < ax + aw + 4 and ay < by + bh + 4 and by < ay + ah + 4


def _ring_boxes(
    items, width: float, height: float, size: float, family: str, box_w: float, centre_box: tuple[float, float] | None
):
    """Boxes of equal size around the middle; None when they do not fit or overlap."""
    paras = [item_paras(item, size) for item in items]
    if not all(_fits_words(p, box_w - 2 * INSET, family) for p in paras):
        return None
    box_h = max(box_height(p, box_w, family) for p in paras)
    if box_h * 2 + GAP > height:
        return None
    cx, cy, rx, ry = _ring_frame(len(items), width, height, box_w, box_h)
    points = _ring_positions(len(items), cx, cy, rx, ry)
    rects = [(x - box_w / 2, y - box_h / 2, box_w, box_h) for x, y, _ in points]
    for i in range(len(rects)):
        for j in range(i + 1, len(rects)):
            if _overlap(rects[i], rects[j]):
                return None
    if centre_box is not None:
        cw, ch = centre_box
        middle = (cx - cw / 2, cy - ch / 2, cw, ch)
        if any(_overlap(middle, r) for r in rects) or cy - ch / 2 < 0 or cy + ch / 2 > height:
            return None
    return paras, rects, points, (cx, cy, rx, ry)


def _ring_width(n: int, width: float) -> list[float]:
    share = width / (3.4 if n <= 4 else 3.9 if n <= 6 else 4.6)
    return [share * f for f in (1.0, 0.9, 0.8)]


def _cycle(diagram: Diagram, width: float, height: float, size: float, family: str, force: bool = False):
    items = diagram.items
    title = (BoxPara(tuple(replace(r, bold=True) for r in _runs(diagram.title)), size, True, "accent1"),) if diagram.title else ()
    for box_w in _ring_width(len(items), width):
        centre = None
        if title:
            cw = min(width * 0.28, 260)
            centre = (cw, box_height(title, cw, family))
        found = _ring_boxes(items, width, height, size, family, box_w, centre)
        if found is None and force and box_w == _ring_width(len(items), width)[-1]:
            found = _ring_boxes(items, width, height, SIZES[-1], family, box_w, None) or _forced_ring(
                items, width, height, box_w, family
            )
        if found is None:
            continue
        paras, rects, points, (cx, cy, rx, ry) = found
        seg = DiagramSeg("cycle", width, height)
        seg.shapes.append(Box("Kringloop", cx - rx, cy - ry, 2 * rx, 2 * ry, "ellipse", None, "accent1", ()))
        n = len(items)
        for i in range(n):  # an arrow half-way between two boxes, along the ring
            angle = -math.pi / 2 + 2 * math.pi * (i + 0.5) / n
            ax, ay = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
            tangent = math.degrees(math.atan2(ry * math.cos(angle), -rx * math.sin(angle)))
            aw, ah = 0.9 * size + 6, 0.9 * size
            seg.shapes.append(Box("Pijl", ax - aw / 2, ay - ah / 2, aw, ah, "rightArrow", "accent2", None, rot=tangent % 360))
        for i, ((x, y, w, h), p) in enumerate(zip(rects, paras, strict=True)):
            seg.shapes.append(Box(f"Fase {i + 1}", x, y, w, h, paras=p))
        if centre is not None:
            cw, ch = centre
            seg.shapes.append(Box("Titel", cx - cw / 2, cy - ch / 2, cw, ch, "rect", None, None, title))
        return seg
    return None


def _forced_ring(items, width, height, box_w, family):
    paras = [item_paras(item, SIZES[-1]) for item in items]
    box_h = min(max(box_height(p, box_w, family) for p in paras), height / 2 - GAP)
    cx, cy, rx, ry = _ring_frame(len(items), width, height, box_w, box_h)
    points = _ring_positions(len(items), cx, cy, rx, ry)
    return paras, [(x - box_w / 2, y - box_h / 2, box_w, box_h) for x, y, _ in points], points, (cx, cy, rx, ry)


def _hub(diagram: Diagram, width: float, height: float, size: float, family: str, force: bool = False):
    items = diagram.items
    centre_paras = (BoxPara(tuple(replace(r, bold=True) for r in _runs(diagram.centre)), size + 2, True, "bg1"),)
    cw = min(width * 0.26, 240)
    ch = max(box_height(centre_paras, cw * 0.8, family) / 0.75, height * 0.28)
    for box_w in _ring_width(len(items), width):
        found = _ring_boxes(items, width, height, size, family, box_w, (cw, ch))
        if found is None and force and box_w == _ring_width(len(items), width)[-1]:
            found = _forced_ring(items, width, height, box_w, family)
        if found is None:
            continue
        paras, rects, points, (cx, cy, _, _) = found
        seg = DiagramSeg("hub", width, height)
        for x, y, _ in points:  # spokes first, under the boxes
            seg.shapes.append(Connector(cx, cy, x, y, "accent1", width=2.0))
        seg.shapes.append(Box("Midden", cx - cw / 2, cy - ch / 2, cw, ch, "ellipse", "accent1", None, centre_paras))
        for i, ((x, y, w, h), p) in enumerate(zip(rects, paras, strict=True)):
            seg.shapes.append(Box(f"Spaak {i + 1}", x, y, w, h, paras=p))
        return seg
    return None


def _matrix(diagram: Diagram, width: float, height: float, size: float, family: str, force: bool = False):
    """Two by two; the vertical axis's label (horizontal text, which every renderer and reader
    handles) above the grid at the arrow's tip, the horizontal one below it."""
    axis = max(MIN_TEXT, size - 2)
    grid_x = 12.0
    grid_w = width - grid_x
    y_para = (BoxPara(_runs(diagram.y_axis), axis, True, "accent2", "l"),)
    x_para = (BoxPara(_runs(diagram.x_axis), axis, True, "accent2"),)
    y_h = box_height(y_para, grid_w, family)
    x_h = box_height(x_para, grid_w, family)
    grid_top = y_h + 4
    cell_w = (grid_w - GAP) / 2
    cell_h = (height - grid_top - x_h - 8 - GAP) / 2
    paras = [item_paras(item, size, label_colour="accent1") for item in diagram.items]
    needed = max(box_height(p, cell_w, family) for p in paras)
    fits = needed <= cell_h and all(_fits_words(p, cell_w - 2 * INSET, family) for p in paras)
    if not fits and not force:
        return None
    seg = DiagramSeg("matrix", width, height)
    grid_h = 2 * cell_h + GAP
    bottom = grid_top + grid_h
    seg.shapes.append(Box("As verticaal", grid_x, 0.0, grid_w, y_h, "rect", None, None, y_para))
    fills = (TINT1, TINT2, TINT2, TINT1)
    for i, p in enumerate(paras):
        row, column = divmod(i, 2)
        seg.shapes.append(
            Box(
                f"Kwadrant {i + 1}",
                grid_x + column * (cell_w + GAP),
                grid_top + row * (cell_h + GAP),
                cell_w,
                cell_h,
                "rect",
                fills[i],
                None,
                p,
            )
        )
    seg.shapes.append(Connector(grid_x - 5, bottom + 4, grid_x - 5, 2.0, "accent2", arrow=True, width=2.0))
    seg.shapes.append(Connector(grid_x - 5, bottom + 4, width, bottom + 4, "accent2", arrow=True, width=2.0))
    seg.shapes.append(Box("As horizontaal", grid_x, bottom + 8, grid_w, x_h, "rect", None, None, x_para))
    return seg


# -- DrawingML -------------------------------------------------------------------------------


def _emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def _scheme(name: str) -> str:
    scheme, _, mods = name.partition(":")
    children = "".join(f'<a:{k} val="{v}"/>' for k, v in (m.split("=") for m in mods.split(",") if m))
    return f'<a:schemeClr val="{scheme}">{children}</a:schemeClr>'


def _para_xml(para: BoxPara, lang: str) -> str:
    size = int(round(para.size * 100))
    if para.bullet:
        mar = _emu(0.9 * para.size)
        ppr = (
            f'<a:pPr marL="{mar}" indent="-{mar}" algn="l"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(round(para.before * 100))}"/></a:spcBef>'
            f'<a:buClr>{_scheme("accent2")}</a:buClr><a:buFontTx/><a:buChar char="•"/></a:pPr>'
        )
    else:
        ppr = (
            f'<a:pPr marL="0" indent="0" algn="{para.align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(round(para.before * 100))}"/></a:spcBef><a:buNone/></a:pPr>'
        )
    runs = []
    for run in para.runs:
        if run.text == "\n":
            continue
        attrs = f'lang="{lang}" sz="{size}" b="{1 if para.bold or run.bold else 0}"'
        if run.italic:
            attrs += ' i="1"'
        runs.append(
            f'<a:r><a:rPr {attrs} dirty="0"><a:solidFill>{_scheme(para.colour)}</a:solidFill>'
            f'<a:latin typeface="+mn-lt"/><a:cs typeface="+mn-cs"/></a:rPr><a:t>{escape(run.text)}</a:t></a:r>'
        )
    end = f'<a:endParaRPr lang="{lang}" sz="{size}" dirty="0"/>'
    return f"<a:p>{ppr}{''.join(runs)}{end}</a:p>"


def _box_xml(box: Box, ox: float, oy: float, shape_id: int, lang: str) -> str:
    rot = f' rot="{int(round(box.rot * 60000)) % 21600000}"' if box.rot else ""
    xfrm = (
        f'<a:xfrm{rot}><a:off x="{_emu(ox + box.x)}" y="{_emu(oy + box.y)}"/>'
        f'<a:ext cx="{max(_emu(box.w), 1)}" cy="{max(_emu(box.h), 1)}"/></a:xfrm>'
    )
    fill = f"<a:solidFill>{_scheme(box.fill)}</a:solidFill>" if box.fill else "<a:noFill/>"
    line = (
        f'<a:ln w="{_emu(LINE)}"><a:solidFill>{_scheme(box.line)}</a:solidFill></a:ln>'
        if box.line
        else "<a:ln><a:noFill/></a:ln>"
    )
    adjust = '<a:gd name="adj" fmla="val 8000"/>' if box.geometry == "roundRect" else ""
    sp_pr = f'<p:spPr>{xfrm}<a:prstGeom prst="{box.geometry}"><a:avLst>{adjust}</a:avLst></a:prstGeom>{fill}{line}</p:spPr>'
    inset = _emu(INSET)
    paras = "".join(_para_xml(p, lang) for p in box.paras) or f'<a:p><a:endParaRPr lang="{lang}" dirty="0"/></a:p>'
    body = (
        f'<p:txBody><a:bodyPr wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}" bIns="{inset}" '
        f'rtlCol="0" anchor="{box.anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>{paras}</p:txBody>'
    )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name={quoteattr(box.name)}/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
        f"{sp_pr}{body}</p:sp>"
    )


def _connector_xml(line: Connector, ox: float, oy: float, shape_id: int) -> str:
    x1, y1, x2, y2 = ox + line.x1, oy + line.y1, ox + line.x2, oy + line.y2
    flip = (' flipH="1"' if x2 < x1 else "") + (' flipV="1"' if y2 < y1 else "")
    xfrm = (
        f'<a:xfrm{flip}><a:off x="{_emu(min(x1, x2))}" y="{_emu(min(y1, y2))}"/>'
        f'<a:ext cx="{_emu(abs(x2 - x1))}" cy="{_emu(abs(y2 - y1))}"/></a:xfrm>'
    )
    tail = '<a:tailEnd type="triangle" w="med" len="med"/>' if line.arrow else ""
    return (
        f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="Verbinding"/><p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr>'
        f'<p:spPr>{xfrm}<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
        f'<a:ln w="{_emu(line.width)}"><a:solidFill>{_scheme(line.colour)}</a:solidFill>{tail}</a:ln></p:spPr></p:cxnSp>'
    )


def group_xml(seg: DiagramSeg, x: int, y: int, shape_id, lang: str) -> str:
    """The part as one group (``p:grpSp``) at (``x``, ``y``) EMU; ``shape_id()`` hands out ids."""
    ox, oy = x / EMU_PER_PT, y / EMU_PER_PT
    group_id = shape_id()
    children = []
    for shape in seg.shapes:
        if isinstance(shape, Connector):
            children.append(_connector_xml(shape, ox, oy, shape_id()))
        else:
            children.append(_box_xml(shape, ox, oy, shape_id(), lang))
    off, ext = f'<a:off x="{x}" y="{y}"/>', f'<a:ext cx="{_emu(seg.width)}" cy="{_emu(seg.height)}"/>'
    names = {
        "steps": "Stappen",
        "cycle": "Kringloop",
        "cards": "Kaarten",
        "matrix": "Matrix",
        "hub": "Spin",
        "compare": "Vergelijking",
    }
    return (
        f'<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{group_id}" name="Diagram: {names.get(seg.kind, seg.kind)}"/>'
        f"<p:cNvGrpSpPr/><p:nvPr/>"
        f'</p:nvGrpSpPr><p:grpSpPr><a:xfrm>{off}{ext}<a:chOff x="{x}" y="{y}"/><a:chExt cx="{_emu(seg.width)}" '
        f'cy="{_emu(seg.height)}"/></a:xfrm></p:grpSpPr>{"".join(children)}</p:grpSp>'
    )
