"""A diagram (``generator.diagrams``) → HTML and CSS classes for the e-learning pages.

Every text is real, sanitised text (``inline``), in the order a reader meets it: title,
axis labels or centre, then the items (with their sub-steps or rows). Where an item sits is
only CSS (``templates/scorm/assets/diagrams.css``): no inline style (the pages' CSP allows
none), no script. On a narrow screen everything stacks in reading order.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ...diagrams import Diagram, DiagramItem

# Cells of a 3 x 3 grid around its middle, clockwise from the top; which of them n items take.
_AROUND = ("r1c2", "r1c3", "r2c3", "r3c3", "r3c2", "r3c1", "r2c1", "r1c1")
_PLACES = {
    3: (0, 3, 5),
    4: (0, 2, 4, 6),
    5: (0, 2, 3, 5, 6),
    6: (0, 1, 3, 4, 5, 7),
    7: (0, 1, 2, 3, 4, 5, 6),
    8: (0, 1, 2, 3, 4, 5, 6, 7),
}


def _item(item: DiagramItem, inline: Callable[[str], str], tag: str = "li", classes: str = "dg-item") -> str:
    parts = [f'<span class="dg-label">{inline(item.label)}</span>']
    if item.text:
        parts.append(f'<span class="dg-text">{inline(item.text)}</span>')
    if item.children:
        rows = "".join(f"<li>{inline(child.label)}</li>" for child in item.children)
        parts.append(f'<ul class="dg-sub">{rows}</ul>')
    return f'<{tag} class="{classes}">{"".join(parts)}</{tag}>'


def _row(row: DiagramItem, inline: Callable[[str], str]) -> str:
    return f'<li class="dg-item">{inline(row.label)}</li>'


def _ring(items, inline, ordered: bool, centre: str = "") -> str:
    """Items around the middle cell; a hub's centre is the list's first item, in that cell."""
    places = _PLACES.get(len(items), tuple(range(len(items))))
    cells = f'<li class="dg-centre dg-r2c2">{centre}</li>' if centre else ""
    cells += "".join(_item(item, inline, classes=f"dg-item dg-{_AROUND[places[i] % 8]}") for i, item in enumerate(items))
    tag = "ol" if ordered else "ul"
    return f'<{tag} class="dg-items dg-ring">{cells}</{tag}>'


def render(diagram: Diagram, inline: Callable[[str], str]) -> str:
    """The diagram as a ``figure``. ``inline`` renders one line of Markdown to safe HTML."""
    kind = diagram.kind
    caption = f"<figcaption>{inline(diagram.title)}</figcaption>" if diagram.title else ""
    items = diagram.items
    if kind == "steps":
        # a row of boxes only for a few short steps; otherwise (and on a phone) a column
        row = " dg-row" if len(items) <= 4 and not any(i.children for i in items) else ""
        body = f'<ol class="dg-items dg-count-{len(items)}{row}">{"".join(_item(i, inline) for i in items)}</ol>'
    elif kind == "cards":
        body = f'<ul class="dg-items dg-grid dg-count-{len(items)}">{"".join(_item(i, inline) for i in items)}</ul>'
    elif kind == "cycle":
        body = f'<div class="dg-stage">{_ring(items, inline, ordered=True)}</div>'
    elif kind == "hub":
        body = f'<div class="dg-stage">{_ring(items, inline, ordered=False, centre=inline(diagram.centre))}</div>'
    elif kind == "matrix":
        axes = (
            f'<p class="dg-axis dg-axis-y">{inline(diagram.y_axis)}</p><p class="dg-axis dg-axis-x">{inline(diagram.x_axis)}</p>'
        )
        cells = "".join(_item(item, inline, classes=f"dg-item dg-q{n + 1}") for n, item in enumerate(items))
        body = f'<div class="dg-plane">{axes}<ul class="dg-items dg-cells">{cells}</ul></div>'
    else:  # compare
        columns = "".join(
            f'<div class="dg-column dg-col-{n + 1}"><p class="dg-head">{inline(column.label)}</p>'
            f'<ul class="dg-items">{"".join(_row(row, inline) for row in column.children)}</ul></div>'
            for n, column in enumerate(items)
        )
        body = f'<div class="dg-columns dg-columns-{len(items)}">{columns}</div>'
    return f'<figure class="diagram dg-{escape(kind)}">{caption}{body}</figure>'
