"""A diagram (``generator.diagrams``) → an SVG file for the card's media, and its alt text.

Cards are read on phones as much as on desktops, so the picture is narrow-friendly (600 units
wide, scaled by the card's CSS), on its own white ground (readable in night mode), in the
course's theme colours. Text is wrapped by an estimate of its width that errs wide (no font
is known on the student's device); the alt text carries every text in reading order.
Nothing in the SVG can run: no script, no links, no external reference.
"""

from __future__ import annotations

import math
from html import escape

from ...diagrams import Diagram, DiagramItem, plain

WIDTH = 600.0
SIZE = 17.0  # font size of the text, in SVG units
LINE = 1.3 * SIZE
PAD = 10.0
GAP = 14.0
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
INK = "#1f2328"


def _mix(colour: str, amount: float) -> str:
    """``colour`` mixed with white (``amount`` of white)."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in channels)


def _width(text: str, size: float, bold: bool) -> float:
    return len(text) * size * (0.62 if bold else 0.57)


def wrap(text: str, width: float, size: float = SIZE, bold: bool = False) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and _width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


class _Canvas:
    def __init__(self, primary: str, accent: str) -> None:
        self.primary, self.accent = primary, accent
        self.tint, self.accent_tint = _mix(primary, 0.88), _mix(accent, 0.86)
        self.parts: list[str] = []

    def rect(self, x, y, w, h, fill, stroke=None, rx=8.0) -> None:
        line = f' stroke="{stroke}" stroke-width="1.5"' if stroke else ""
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx:.1f}" fill="{fill}"{line}/>')

    def text(self, lines: list[tuple[str, bool, str]], x: float, y: float, anchor: str = "middle", size: float = SIZE) -> None:
        """Lines (text, bold, colour) from ``y`` (the first line's top)."""
        for number, (text, bold, colour) in enumerate(lines):
            baseline = y + number * 1.3 * size + size
            weight = ' font-weight="700"' if bold else ""
            self.parts.append(f'<text x="{x:.1f}" y="{baseline:.1f}" text-anchor="{anchor}" font-size="{size:.0f}"'
                              f'{weight} fill="{colour}">{escape(text)}</text>')

    def line(self, x1, y1, x2, y2, colour, width=2.0) -> None:
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="{width}"/>')

    def svg(self, height: float) -> bytes:
        body = "".join(self.parts)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" width="{WIDTH:.0f}" '
                f'height="{height:.0f}" font-family="{FONT}"><rect width="100%" height="100%" rx="10" fill="#ffffff"/>'
                f"{body}</svg>\n").encode("utf-8")


def _item_lines(item: DiagramItem, width: float, label_colour: str) -> list[tuple[str, bool, str]]:
    lines = [(t, True, label_colour) for t in wrap(plain(item.label), width, bold=True)]
    if item.text:
        lines += [(t, False, INK) for t in wrap(plain(item.text), width)]
    for child in item.children:
        for n, t in enumerate(wrap(plain(child.label), width - 18)):
            lines.append((("• " if n == 0 else "   ") + t, False, INK))
    return lines


def _steps(c: _Canvas, diagram: Diagram) -> float:
    y = PAD
    box_x = 50.0
    inner = WIDTH - box_x - PAD - 2 * PAD
    for number, item in enumerate(diagram.items, start=1):
        lines = _item_lines(item, inner, c.primary)
        h = len(lines) * LINE + 2 * PAD
        c.rect(box_x, y, WIDTH - box_x - PAD, h, c.tint, c.primary)
        c.text(lines, box_x + PAD, y + PAD, anchor="start")
        c.parts.append(f'<circle cx="25" cy="{y + 20:.1f}" r="15" fill="{c.accent}"/>')
        c.text([(str(number), True, "#ffffff")], 25, y + 20 - SIZE * 0.65)
        if number < len(diagram.items):
            c.line(25, y + 36, 25, y + h + GAP - 4, c.accent)
        y += h + GAP
    return y - GAP + PAD


def _grid(c: _Canvas, diagram: Diagram) -> float:
    columns = 2
    w = (WIDTH - 2 * PAD - GAP * (columns - 1)) / columns
    y = PAD
    items = diagram.items
    for start in range(0, len(items), columns):
        row = items[start:start + columns]
        blocks = [_item_lines(item, w - 2 * PAD, c.primary) for item in row]
        h = max(len(b) for b in blocks) * LINE + 2 * PAD
        for n, (item, lines) in enumerate(zip(row, blocks)):
            x = PAD + n * (w + GAP)
            c.rect(x, y, w, h, c.tint, c.primary)
            if item.children:  # a card with a list reads from the left
                c.text(lines, x + PAD, y + PAD, anchor="start")
            else:
                c.text(lines, x + w / 2, y + PAD)
        y += h + GAP
    return y - GAP + PAD


def _compare(c: _Canvas, diagram: Diagram) -> float:
    k = len(diagram.items)
    w = (WIDTH - 2 * PAD - GAP * (k - 1)) / k
    heads = [[(t, True, "#ffffff") for t in wrap(plain(col.label), w - 2 * PAD, bold=True)] for col in diagram.items]
    head_h = max(len(h) for h in heads) * LINE + 2 * PAD
    for n, lines in enumerate(heads):
        c.rect(PAD + n * (w + GAP), PAD, w, head_h, c.primary if n % 2 == 0 else c.accent)
        c.text(lines, PAD + n * (w + GAP) + w / 2, PAD + (head_h - len(lines) * LINE) / 2)
    y = PAD + head_h + 8
    depth = max(len(col.children) for col in diagram.items)
    for r in range(depth):
        cells = [[(t, False, INK) for t in wrap(plain(col.children[r].label), w - 2 * PAD)] if r < len(col.children) else None
                 for col in diagram.items]
        h = max(len(cell) for cell in cells if cell) * LINE + 2 * PAD
        for n, cell in enumerate(cells):
            if cell:
                c.rect(PAD + n * (w + GAP), y, w, h, c.tint if n % 2 == 0 else c.accent_tint, rx=0)
                c.text(cell, PAD + n * (w + GAP) + PAD, y + PAD, anchor="start")
        y += h + 8
    return y - 8 + PAD


def _matrix(c: _Canvas, diagram: Diagram) -> float:
    axis = 34.0
    x0 = PAD + axis
    w = (WIDTH - x0 - PAD - GAP) / 2
    blocks = [_item_lines(item, w - 2 * PAD, c.primary) for item in diagram.items]
    h = max(len(b) for b in blocks) * LINE + 2 * PAD
    h = max(h, (_width(plain(diagram.y_axis), SIZE, True) + 16 - GAP) / 2)  # room for the rotated axis label
    for n, lines in enumerate(blocks):
        row, column = divmod(n, 2)
        x, y = x0 + column * (w + GAP), PAD + row * (h + GAP)
        c.rect(x, y, w, h, c.tint if n in (0, 3) else c.accent_tint, rx=0)
        c.text(lines, x + w / 2, y + (h - len(lines) * LINE) / 2)
    grid_h = 2 * h + GAP
    c.line(x0 - 6, PAD + grid_h + 6, x0 - 6, PAD, c.accent)
    c.line(x0 - 6, PAD + grid_h + 6, WIDTH - PAD, PAD + grid_h + 6, c.accent)
    cy = PAD + grid_h / 2
    c.parts.append(f'<text transform="translate({PAD + SIZE:.1f} {cy:.1f}) rotate(-90)" text-anchor="middle" '
                   f'font-size="{SIZE:.0f}" font-weight="700" fill="{c.accent}">{escape(plain(diagram.y_axis))}</text>')
    x_lines = [(t, True, c.accent) for t in wrap(plain(diagram.x_axis), WIDTH - x0 - PAD, bold=True)]
    c.text(x_lines, x0 + (WIDTH - x0 - PAD) / 2, PAD + grid_h + 12)
    return PAD + grid_h + 12 + len(x_lines) * LINE + PAD


def _ring(c: _Canvas, diagram: Diagram, hub: bool) -> float:
    n = len(diagram.items)
    bw = 220.0 if n <= 3 else 180.0 if n <= 4 else 160.0 if n <= 6 else 140.0
    blocks = [_item_lines(item, bw - 2 * PAD, c.primary) for item in diagram.items]
    bh = max(len(b) for b in blocks) * LINE + 2 * PAD
    if hub:
        centre_lines = [(t, True, "#ffffff") for t in wrap(plain(diagram.centre), 150, bold=True)]
        cw, ch = 190.0, max(len(centre_lines) * LINE + 24, 60.0)
    else:
        centre_lines = [(t, True, c.primary) for t in wrap(plain(diagram.title), 150, bold=True)] if diagram.title else []
        cw, ch = 170.0, len(centre_lines) * LINE + 30
    rx = (WIDTH - 2 * PAD - bw) / 2
    height = 2 * bh + GAP + (ch if hub else 40)
    while True:
        ry = (height - 2 * PAD - bh) / 2
        rects = []
        for i in range(n):
            angle = -math.pi / 2 + 2 * math.pi * i / n
            cx, cy = WIDTH / 2 + rx * math.cos(angle), height / 2 + ry * math.sin(angle)
            rects.append((cx - bw / 2, cy - bh / 2, cx, cy))
        apart = all(abs(a[0] - b[0]) >= bw + 8 or abs(a[1] - b[1]) >= bh + 8
                    for i, a in enumerate(rects) for b in rects[i + 1:])
        clear = all(abs(r[2] - WIDTH / 2) >= (bw + cw) / 2 + 8 or abs(r[3] - height / 2) >= (bh + ch) / 2 + 8
                               for r in rects)
        if apart and clear:
            break
        height += 10
    # crop to what is drawn: a ring of three leaves its lower part empty
    top = min([r[1] for r in rects] + [height / 2 - ch / 2])
    bottom = max([r[1] + bh for r in rects] + [height / 2 + ch / 2])
    shift = PAD - top
    rects = [(x, y + shift, cx, cy + shift) for x, y, cx, cy in rects]
    mx, my = WIDTH / 2, height / 2 + shift
    height = bottom - top + 2 * PAD
    if hub:
        for _, _, cx, cy in rects:
            c.line(mx, my, cx, cy, c.primary)
        c.parts.append(f'<ellipse cx="{mx:.1f}" cy="{my:.1f}" rx="{cw / 2:.1f}" ry="{ch / 2:.1f}" fill="{c.primary}"/>')
        c.text(centre_lines, mx, my - len(centre_lines) * LINE / 2)
    else:
        c.parts.append(f'<ellipse cx="{mx:.1f}" cy="{my:.1f}" rx="{rx:.1f}" ry="{ry:.1f}" fill="none" stroke="{c.primary}" '
                       'stroke-width="1.5"/>')
        for i in range(n):  # an arrowhead half-way between two boxes, pointing onwards
            angle = -math.pi / 2 + 2 * math.pi * (i + 0.5) / n
            ax, ay = mx + rx * math.cos(angle), my + ry * math.sin(angle)
            turn = math.degrees(math.atan2(ry * math.cos(angle), -rx * math.sin(angle)))
            c.parts.append(f'<polygon points="-9,-8 9,0 -9,8" fill="{c.accent}" '
                           f'transform="translate({ax:.1f} {ay:.1f}) rotate({turn:.1f})"/>')
        c.text(centre_lines, mx, my - len(centre_lines) * LINE / 2)
    for (x, y, _, _), lines in zip(rects, blocks):
        c.rect(x, y, bw, bh, c.tint, c.primary)
        c.text(lines, x + bw / 2, y + (bh - len(lines) * LINE) / 2)
    return height


def render_svg(diagram: Diagram, primary: str, accent: str) -> bytes:
    canvas = _Canvas(primary, accent)
    if diagram.kind == "steps":
        height = _steps(canvas, diagram)
    elif diagram.kind == "cards":
        height = _grid(canvas, diagram)
    elif diagram.kind == "compare":
        height = _compare(canvas, diagram)
    elif diagram.kind == "matrix":
        height = _matrix(canvas, diagram)
    else:
        height = _ring(canvas, diagram, hub=diagram.kind == "hub")
    return canvas.svg(math.ceil(height))


def alt_text(diagram: Diagram) -> str:
    """Every text of the diagram in reading order, for the image's ``alt``."""
    return "; ".join(plain(text) for text in diagram.reading_order())
