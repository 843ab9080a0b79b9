"""A diagram (``generator.diagrams``) → a PNG picture for the guide and the handout.

A picture, not drawing shapes: Word and LibreOffice place and print a PNG the same way, while
their support for grouped DrawingML shapes in a text flow differs. It is drawn at 200 dpi with
the fonts that travel with the package (Carlito, the metric twin of Calibri, the documents'
font), in the course's theme colours on white, so it prints sharply and looks the same from
every machine. The picture's description (alt text) holds every text in reading order.

Layouts: ``steps`` a column of numbered boxes joined by arrows; ``cards`` a grid of two
columns; ``matrix`` two by two between a vertical and a horizontal axis; ``hub`` the centre
in the middle of a three-by-three grid with its items around it; ``cycle`` the items round a
ring with arrows; ``compare`` the items side by side as columns.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...diagrams import Diagram, DiagramItem, plain

DPI = 200
WIDTH = 1240  # px: 15.7 cm, within the text width of an A4 page with 2 cm margins
SIZE = 30  # px: 10.8 pt at 200 dpi
TITLE_SIZE = 34
PAD = 18
GAP = 34
LINE = int(SIZE * 1.25)
INK = (31, 35, 40)
FONTS = Path(__file__).resolve().parents[2] / "data" / "fonts"

HUB_CELLS = {
    3: [(0, 1), (2, 0), (2, 2)],
    4: [(0, 1), (1, 2), (2, 1), (1, 0)],
    5: [(0, 0), (0, 2), (1, 2), (2, 1), (1, 0)],
    6: [(0, 0), (0, 1), (0, 2), (2, 2), (2, 1), (2, 0)],
    7: [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0)],
    8: [(0, 0), (0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0)],
}


@lru_cache(maxsize=8)
def _font(bold: bool, size: int):
    from PIL import ImageFont

    name = "Carlito-Bold.ttf" if bold else "Carlito-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _mix(colour: tuple[int, int, int], white: float) -> tuple[int, int, int]:
    return tuple(round(c + (255 - c) * white) for c in colour)  # type: ignore[return-value]


def wrap(text: str, width: float, bold: bool = False, size: int = SIZE) -> list[str]:
    """``text`` in lines no wider than ``width`` px (a word longer than that gets its own line)."""
    font = _font(bold, size)
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


@dataclass
class Box:
    """A box's text, wrapped: (text, bold) per line."""

    lines: list[tuple[str, bool]]
    width: int

    @property
    def height(self) -> int:
        return 2 * PAD + LINE * max(1, len(self.lines))


def _box(item: Any, width: int, number: int | None = None) -> Box:
    inner = width - 2 * PAD
    label = plain(item.label)
    if number is not None:
        label = f"{number}. {label}"
    lines = [(line, True) for line in wrap(label, inner, True)]
    lines += [(line, False) for line in wrap(plain(item.text), inner)]
    for child in item.children:
        child_text = plain(child.label) + (f": {plain(child.text)}" if child.text else "")
        for index, line in enumerate(wrap(child_text, inner - 30)):
            lines.append((("– " if index == 0 else "   ") + line, False))
    return Box(lines, width)


def _plain_box(text: str, width: int, bold: bool = True) -> Box:
    return Box([(line, bold) for line in wrap(plain(text), width - 2 * PAD, bold)], width)


class Canvas:
    def __init__(self, height: int, primary: tuple[int, int, int]) -> None:
        from PIL import Image, ImageDraw

        self.image = Image.new("RGB", (WIDTH, height), (255, 255, 255))
        self.draw = ImageDraw.Draw(self.image)
        self.primary = primary
        self.fill = _mix(primary, 0.88)

    def box(self, box: Box, x: int, y: int, height: int | None = None, fill=None) -> None:
        height = height or box.height
        self.draw.rounded_rectangle(
            (x, y, x + box.width, y + height), radius=14, fill=fill or self.fill, outline=self.primary, width=3
        )
        for index, (line, bold) in enumerate(box.lines):
            colour = self.primary if bold else INK
            self.draw.text((x + PAD, y + PAD + index * LINE), line, font=_font(bold, SIZE), fill=colour)

    def text(self, x: int, y: int, line: str, bold: bool = True, size: int = SIZE, colour=None) -> None:
        self.draw.text((x, y), line, font=_font(bold, size), fill=colour or INK)

    def arrow(self, x0: float, y0: float, x1: float, y1: float, width: int = 4) -> None:
        self.draw.line((x0, y0, x1, y1), fill=self.primary, width=width)
        angle = math.atan2(y1 - y0, x1 - x0)
        size = 16
        left = (x1 - size * math.cos(angle - 0.45), y1 - size * math.sin(angle - 0.45))
        right = (x1 - size * math.cos(angle + 0.45), y1 - size * math.sin(angle + 0.45))
        self.draw.polygon([(x1, y1), left, right], fill=self.primary)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        # Level 3: a third of level 9's time for 15 % more bytes (measured on the course's diagrams).
        self.image.save(buffer, format="PNG", dpi=(DPI, DPI), compress_level=3)
        return buffer.getvalue()


def _title_lines(diagram: Diagram) -> list[str]:
    return wrap(plain(diagram.title), WIDTH, True, TITLE_SIZE) if diagram.title else []


def render_png(diagram: Diagram, primary: str) -> bytes:
    """The diagram as a PNG (200 dpi, ``WIDTH`` px wide)."""
    colour = _rgb(primary)
    titles = _title_lines(diagram)
    top = len(titles) * int(TITLE_SIZE * 1.3) + (GAP // 2 if titles else 0)
    layout = {"steps": _steps, "cards": _cards, "matrix": _matrix, "hub": _hub, "cycle": _cycle, "compare": _compare}[
        diagram.kind
    ]
    height, paint = layout(diagram)
    canvas = Canvas(top + height + 8, colour)
    for index, line in enumerate(titles):
        canvas.text(0, index * int(TITLE_SIZE * 1.3), line, True, TITLE_SIZE, colour)
    paint(canvas, top)
    return canvas.png()


def alt_text(diagram: Diagram) -> str:
    """Every text of the diagram in reading order, for the picture's description."""
    return " · ".join(plain(text) for text in diagram.reading_order())


# -- layouts: each returns (height, paint(canvas, top)) ------------------------------------------


def _steps(diagram: Diagram):
    boxes = [_box(item, WIDTH - 8, number) for number, item in enumerate(diagram.items, start=1)]
    height = sum(b.height for b in boxes) + GAP * (len(boxes) - 1)

    def paint(canvas: Canvas, top: int) -> None:
        y = top
        for index, box in enumerate(boxes):
            canvas.box(box, 4, y)
            y += box.height
            if index < len(boxes) - 1:
                canvas.arrow(WIDTH / 2, y + 4, WIDTH / 2, y + GAP - 4)
                y += GAP

    return height, paint


def _grid(boxes: list[Box], columns: int):
    rows = [boxes[i : i + columns] for i in range(0, len(boxes), columns)]
    heights = [max(b.height for b in row) for row in rows]
    return rows, heights


def _cards(diagram: Diagram):
    columns = 2 if len(diagram.items) > 1 else 1
    width = (WIDTH - 8 - GAP * (columns - 1)) // columns
    boxes = [_box(item, width) for item in diagram.items]
    rows, heights = _grid(boxes, columns)
    height = sum(heights) + GAP * (len(rows) - 1)

    def paint(canvas: Canvas, top: int) -> None:
        y = top
        for row, row_height in zip(rows, heights, strict=True):
            for column, box in enumerate(row):
                canvas.box(box, 4 + column * (width + GAP), y, row_height)
            y += row_height + GAP

    return height, paint


def _matrix(diagram: Diagram):
    axis = 60
    width = (WIDTH - axis - GAP - 8) // 2
    boxes = [_box(item, width) for item in diagram.items]
    rows, heights = _grid(boxes, 2)
    x_label = wrap(plain(diagram.x_axis), WIDTH - axis)
    y_label = wrap(plain(diagram.y_axis), WIDTH - axis)
    grid_top = LINE * len(y_label) + 10
    height = grid_top + sum(heights) + GAP * (len(rows) - 1) + 20 + LINE * len(x_label)

    def paint(canvas: Canvas, top: int) -> None:
        for index, line in enumerate(y_label):
            canvas.text(axis, top + index * LINE, line)
        y = top + grid_top
        bottom = y + sum(heights) + GAP * (len(rows) - 1)
        canvas.arrow(axis / 2, bottom, axis / 2, top + grid_top - 6)
        canvas.arrow(axis / 2, bottom, WIDTH - 6, bottom)
        for row, row_height in zip(rows, heights, strict=True):
            for column, box in enumerate(row):
                canvas.box(box, axis + column * (width + GAP), y, row_height - 10)
            y += row_height + GAP
        for index, line in enumerate(x_label):
            canvas.text(axis, bottom + 14 + index * LINE, line)

    return height, paint


def _ring(diagram: Diagram, centre: Box | None):
    cells = (HUB_CELLS.get(len(diagram.items)) or HUB_CELLS[8])[: len(diagram.items)]
    width = (WIDTH - 8 - 2 * GAP) // 3
    boxes = [_box(item, width) for item in diagram.items[: len(cells)]]
    heights = [0, 0, 0]
    for (row, _), box in zip(cells, boxes, strict=True):
        heights[row] = max(heights[row], box.height)
    if centre is not None:
        heights[1] = max(heights[1], centre.height)
    heights = [h or LINE for h in heights]
    height = sum(heights) + 2 * GAP * 2

    def place(row: int, column: int) -> tuple[int, int]:
        return 4 + column * (width + GAP), sum(heights[:row]) + row * 2 * GAP

    return cells, boxes, heights, width, height, place


def _hub(diagram: Diagram):
    centre = _plain_box(diagram.centre, (WIDTH - 8 - 2 * GAP) // 3)
    cells, boxes, heights, width, height, place = _ring(diagram, centre)

    def paint(canvas: Canvas, top: int) -> None:
        cx, cy = place(1, 1)
        centre_mid = (cx + width / 2, top + cy + heights[1] / 2)
        for row, column in cells[: len(boxes)]:
            x, y = place(row, column)
            canvas.draw.line(
                (centre_mid[0], centre_mid[1], x + width / 2, top + y + heights[row] / 2), fill=canvas.primary, width=4
            )
        for (row, column), box in zip(cells, boxes, strict=True):
            x, y = place(row, column)
            canvas.box(box, x, top + y, heights[row])
        canvas.box(centre, cx, top + cy, heights[1], fill=_mix(canvas.primary, 0.7))

    return height, paint


def _cycle(diagram: Diagram):
    cells, boxes, heights, width, height, place = _ring(diagram, None)

    def paint(canvas: Canvas, top: int) -> None:
        middles = []
        for row, column in cells[: len(boxes)]:
            x, y = place(row, column)
            middles.append((x + width / 2, top + y + heights[row] / 2))
        x0, y0 = place(0, 0)
        x2, y2 = place(2, 2)
        ring = (x0 + width / 2, top + y0 + heights[0] / 2, x2 + width / 2, top + y2 + heights[2] / 2)
        canvas.draw.ellipse(ring, outline=canvas.primary, width=4)
        cx, cy, rx, ry = (ring[0] + ring[2]) / 2, (ring[1] + ring[3]) / 2, (ring[2] - ring[0]) / 2, (ring[3] - ring[1]) / 2
        angles = [math.atan2((my - cy) / ry, (mx - cx) / rx) for mx, my in middles]
        for index, start in enumerate(angles):  # an arrowhead halfway to the next item, clockwise
            end = angles[(index + 1) % len(angles)]
            if end <= start:
                end += 2 * math.pi
            mid = (start + end) / 2
            px, py = cx + rx * math.cos(mid), cy + ry * math.sin(mid)
            tx, ty = -rx * math.sin(mid), ry * math.cos(mid)
            norm = math.hypot(tx, ty) or 1
            canvas.arrow(px - 20 * tx / norm, py - 20 * ty / norm, px + 6 * tx / norm, py + 6 * ty / norm)
        for (row, column), box in zip(cells, boxes, strict=True):
            x, y = place(row, column)
            canvas.box(box, x, top + y, heights[row])

    return height, paint


def _compare(diagram: Diagram):
    columns = len(diagram.items)
    width = (WIDTH - 8 - GAP * (columns - 1)) // columns
    heads = [_plain_box(item.label, width) for item in diagram.items]
    bodies = [_box(DiagramItem("", item.text, item.children, item.line), width) for item in diagram.items]
    head_height = max(h.height for h in heads)
    body_height = max(b.height for b in bodies)

    def paint(canvas: Canvas, top: int) -> None:
        for index, (head, body) in enumerate(zip(heads, bodies, strict=True)):
            x = 4 + index * (width + GAP)
            canvas.box(head, x, top, head_height, fill=_mix(canvas.primary, 0.7))
            canvas.box(body, x, top + head_height + 10, body_height)

    return head_height + 10 + body_height, paint
