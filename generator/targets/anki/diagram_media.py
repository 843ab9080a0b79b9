"""A diagram (``generator.diagrams``) → an SVG file for the card's media, and its alt text.

Cards are read on phones as much as on desktops, so the picture is narrow: 400 units (shown
400 px wide on a desktop, scaled down to the card's width on a phone, where its 16-unit text
still reads at about 13 px), on its own white ground (readable in night mode), in the
course's theme colours. Text is wrapped by an estimate of its width that errs wide (no font
is known on the student's device); the alt text carries every text in reading order.
Nothing in the SVG can run: no script, no links, no external reference.
"""

from __future__ import annotations

import math
from html import escape

from ...diagrams import Diagram, DiagramItem, plain

WIDTH = 400.0
SIZE = 16.0  # font size of the text, in SVG units
LINE = 1.3 * SIZE
PAD = 10.0
GAP = 14.0
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif"
INK = "#1f2328"


def _mix(colour: str, amount: float) -> str:
    """``colour`` mixed with white (``amount`` of white)."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in channels)


def _width(text: str, size: float, bold: bool) -> float:
    return len(text) * size * (0.62 if bold else 0.57)


def wrap(text: str, width: float, size: float = SIZE, bold: bool = False) -> list[str]:
    lines: list[str] = []
    current = ""
    words: list[str] = []
    for word in text.split():
        # a word clearly wider than the line (the estimate errs wide) is broken into even parts
        parts = math.ceil(_width(word, size, bold) / (1.15 * width))
        if parts > 1 and len(word) >= 4 * parts:
            step = math.ceil(len(word) / parts)
            pieces = [word[i : i + step] for i in range(0, len(word), step)]
            words += [piece + "-" for piece in pieces[:-1]] + [pieces[-1]]
        else:
            words.append(word)
    for word in words:
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
            self.parts.append(
                f'<text x="{x:.1f}" y="{baseline:.1f}" text-anchor="{anchor}" font-size="{size:.0f}"'
                f'{weight} fill="{colour}">{escape(text)}</text>'
            )

    def line(self, x1, y1, x2, y2, colour, width=2.0) -> None:
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="{width}"/>'
        )

    def svg(self, height: float) -> bytes:
        body = "".join(self.parts)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" width="{WIDTH:.0f}" '
            f'height="{height:.0f}" font-family="{FONT}"><rect width="100%" height="100%" rx="10" fill="#ffffff"/>'
            f"{body}</svg>\n"
        ).encode()


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
    box_x = 44.0
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
        row = items[start : start + columns]
        blocks = [_item_lines(item, w - 2 * PAD, c.primary) for item in row]
        h = max(len(b) for b in blocks) * LINE + 2 * PAD
        for n, (item, lines) in enumerate(zip(row, blocks, strict=True)):
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
    gap, pad = (GAP, PAD) if k == 2 else (8.0, 7.0)
    size = SIZE if k == 2 else SIZE - 2  # three columns on a phone: a little smaller, whole words
    line = 1.3 * size
    w = (WIDTH - 2 * PAD - gap * (k - 1)) / k
    heads = [[(t, True, "#ffffff") for t in wrap(plain(col.label), w - 2 * pad, size, bold=True)] for col in diagram.items]
    head_h = max(len(h) for h in heads) * line + 2 * pad
    for n, lines in enumerate(heads):
        c.rect(PAD + n * (w + gap), PAD, w, head_h, c.primary if n % 2 == 0 else c.accent)
        c.text(lines, PAD + n * (w + gap) + w / 2, PAD + (head_h - len(lines) * line) / 2, size=size)
    y = PAD + head_h + 8
    depth = max(len(col.children) for col in diagram.items)
    for r in range(depth):
        cells = [
            [(t, False, INK) for t in wrap(plain(col.children[r].label), w - 2 * pad, size)] if r < len(col.children) else None
            for col in diagram.items
        ]
        h = max(len(cell) for cell in cells if cell) * line + 2 * pad
        for n, cell in enumerate(cells):
            if cell:
                c.rect(PAD + n * (w + gap), y, w, h, c.tint if n % 2 == 0 else c.accent_tint, rx=0)
                c.text(cell, PAD + n * (w + gap) + pad, y + pad, anchor="start", size=size)
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
    c.parts.append(
        f'<text transform="translate({PAD + SIZE:.1f} {cy:.1f}) rotate(-90)" text-anchor="middle" '
        f'font-size="{SIZE:.0f}" font-weight="700" fill="{c.accent}">{escape(plain(diagram.y_axis))}</text>'
    )
    x_lines = [(t, True, c.accent) for t in wrap(plain(diagram.x_axis), WIDTH - x0 - PAD, bold=True)]
    c.text(x_lines, x0 + (WIDTH - x0 - PAD) / 2, PAD + grid_h + 12)
    return PAD + grid_h + 12 + len(x_lines) * LINE + PAD


def _cycle(c: _Canvas, diagram: Diagram) -> float:
    """The phases one below the other, numbered, with arrows down and one arrow from the last
    back up to the first along the right: a ring that fits a phone's width."""
    y = PAD
    if diagram.title:
        title = [(t, True, c.primary) for t in wrap(plain(diagram.title), WIDTH - 2 * PAD, bold=True)]
        c.text(title, PAD, y, anchor="start")
        y += len(title) * LINE + 8
    box_x, loop_x = 44.0, WIDTH - PAD - 6
    box_w = loop_x - 16 - box_x
    first_mid = last_mid = y
    for number, item in enumerate(diagram.items, start=1):
        lines = _item_lines(item, box_w - 2 * PAD, c.primary)
        h = len(lines) * LINE + 2 * PAD
        c.rect(box_x, y, box_w, h, c.tint, c.primary)
        c.text(lines, box_x + PAD, y + PAD, anchor="start")
        c.parts.append(f'<circle cx="25" cy="{y + 20:.1f}" r="15" fill="{c.accent}"/>')
        c.text([(str(number), True, "#ffffff")], 25, y + 20 - SIZE * 0.65)
        if number == 1:
            first_mid = y + h / 2
        last_mid = y + h / 2
        if number < len(diagram.items):
            c.parts.append(
                f'<polygon points="{box_x + 30:.1f},{y + h + 3:.1f} {box_x + 40:.1f},{y + h + 3:.1f} '
                f'{box_x + 35:.1f},{y + h + GAP - 3:.1f}" fill="{c.accent}"/>'
            )
        y += h + GAP
    right = box_x + box_w
    c.parts.append(
        f'<polyline points="{right:.1f},{last_mid:.1f} {loop_x:.1f},{last_mid:.1f} {loop_x:.1f},{first_mid:.1f} '
        f'{right + 9:.1f},{first_mid:.1f}" fill="none" stroke="{c.accent}" stroke-width="2"/>'
    )
    c.parts.append(
        f'<polygon points="{right:.1f},{first_mid:.1f} {right + 10:.1f},{first_mid - 6:.1f} '
        f'{right + 10:.1f},{first_mid + 6:.1f}" fill="{c.accent}"/>'
    )
    return y - GAP + PAD


def _hub(c: _Canvas, diagram: Diagram) -> float:
    """The centre on top, its spokes in two columns below, each joined to it by a line."""
    centre = [(t, True, "#ffffff") for t in wrap(plain(diagram.centre), 200, bold=True)]
    cw, ch = 240.0, len(centre) * LINE + 20
    mx = WIDTH / 2
    c.parts.append(f'<ellipse cx="{mx:.1f}" cy="{PAD + ch / 2:.1f}" rx="{cw / 2:.1f}" ry="{ch / 2:.1f}" fill="{c.primary}"/>')
    c.text(centre, mx, PAD + (ch - len(centre) * LINE) / 2)
    columns = 2
    w = (WIDTH - 2 * PAD - GAP) / columns
    y = PAD + ch + 34
    lines_y = PAD + ch
    items = diagram.items
    boxes = []
    for start in range(0, len(items), columns):
        row = items[start : start + columns]
        blocks = [_item_lines(item, w - 2 * PAD, c.primary) for item in row]
        h = max(len(b) for b in blocks) * LINE + 2 * PAD
        offset = (WIDTH - (len(row) * w + GAP * (len(row) - 1))) / 2
        for n, lines in enumerate(blocks):
            boxes.append((offset + n * (w + GAP), y, h, lines))
        y += h + GAP
    for x, top, _, _ in boxes:  # spokes first, under the boxes
        c.line(mx, lines_y, x + w / 2, top + 1, c.primary, width=1.5)
    for x, top, h, lines in boxes:
        c.rect(x, top, w, h, c.tint, c.primary)
        c.text(lines, x + w / 2, top + (h - len(lines) * LINE) / 2)
    return y - GAP + PAD


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
    elif diagram.kind == "cycle":
        height = _cycle(canvas, diagram)
    else:
        height = _hub(canvas, diagram)
    return canvas.svg(math.ceil(height))


def alt_text(diagram: Diagram) -> str:
    """Every text of the diagram in reading order, for the image's ``alt``."""
    return "; ".join(plain(text) for text in diagram.reading_order())
