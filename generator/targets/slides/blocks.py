"""Markdown → the blocks a slide shows: paragraphs of styled runs, tables, pictures, breaks.

The tokens come from the one configured parser (``generator.markup.parse``). Nothing here
knows about PowerPoint; the writer turns blocks into DrawingML, the paginator measures them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ...diagrams import Diagram, diagram_of
from ...markup import StyledText, inline_pieces, parse, resolve_image
from ...model import Markdown


@dataclass(frozen=True)
class Run(StyledText):
    """A piece of text with one style, on a slide: a theme colour too."""

    colour: str | None = None  # a scheme colour name, e.g. 'accent2'


@dataclass(frozen=True)
class Bullet:
    """``kind``: 'none', 'char' (``char``, optionally in ``font``), 'auto' (``scheme`` from ``start``),
    or 'level' (the template's bullet of the paragraph's level)."""

    kind: str = "level"
    char: str = ""
    font: str | None = None
    scheme: str = "arabicPeriod"
    start: int = 1
    colour: str | None = None


NO_BULLET = Bullet("none")


@dataclass(frozen=True)
class Para:
    """A paragraph. ``depth`` is the list depth (0: not in a list); ``bullet`` None means a plain
    paragraph (or the continuation of a list item) without a bullet."""

    runs: tuple[Run, ...]
    depth: int = 0
    bullet: Bullet | None = None
    keep_with_next: bool = False
    role: str = "body"  # body, heading, quote, code, small

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    header: bool
    aligns: tuple[str, ...]  # 'l', 'ctr', 'r' per column


@dataclass(frozen=True)
class Picture:
    path: str  # source-root-relative
    alt: str


@dataclass(frozen=True)
class Break:
    """A forced slide break (``---`` in a section). A ``soft`` break is where a text that does
    not fit on one slide is best split (e.g. between the two columns of a matching question)."""

    soft: bool = False


@dataclass(frozen=True)
class DiagramBlock:
    """A diagram written as a fenced block; ``diagram_shapes`` lays it out and draws it."""

    diagram: Diagram


Block = Para | Table | Picture | Break | DiagramBlock


# -- inline ---------------------------------------------------------------------------------


def _inline(children, md: Markdown | None, pictures: list[Picture]) -> tuple[Run, ...]:
    runs: list[Run] = []

    def add(piece: StyledText) -> None:
        if not piece.text:
            return
        run = Run(piece.text, piece.bold, piece.italic, piece.strike, piece.code, piece.href)
        if runs and piece.text != "\n" and runs[-1].text != "\n" and replace(runs[-1], text=piece.text) == run:
            runs[-1] = replace(run, text=runs[-1].text + piece.text)
        else:
            runs.append(run)

    for piece in inline_pieces(children):
        if isinstance(piece, StyledText):
            add(piece)
        else:  # an image
            src = str(piece.attrGet("src") or "")
            alt = "".join(c.content for c in piece.children or () if c.type in ("text", "code_inline")) or piece.content
            pictures.append(Picture(resolve_image(md, src) if md is not None else src, alt))
    return _trim(tuple(runs))


def _trim(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    items = list(runs)
    while items and items[0].text != "\n" and not items[0].text.strip():
        items.pop(0)
    while items and items[-1].text != "\n" and not items[-1].text.strip():
        items.pop()
    if items:
        items[0] = replace(items[0], text=items[0].text.lstrip()) if items[0].text != "\n" else items[0]
        items[-1] = replace(items[-1], text=items[-1].text.rstrip()) if items[-1].text != "\n" else items[-1]
    return tuple(items)


def inline_tokens_runs(children) -> tuple[Run, ...]:
    """The runs of inline tokens (``parseInline``'s children): text that is never a block."""
    return _inline(children, None, [])


def inline_runs(text: str | Markdown) -> tuple[Run, ...]:
    """One line of Markdown (an option, a feedback, a question) as runs; paragraphs are joined."""
    runs: list[Run] = []
    for block in to_blocks(text):
        if isinstance(block, Para):
            if runs:
                runs.append(Run(" "))
            runs.extend(block.runs)
    return tuple(runs)


# -- blocks ---------------------------------------------------------------------------------


def _align(token) -> str:
    style = str(token.attrGet("style") or "")
    if "right" in style:
        return "r"
    if "center" in style:
        return "ctr"
    return "l"


# One line of ordinary words, which Markdown leaves as it is: no character that could start
# markup (emphasis, code, links, HTML, escapes, tables, strikethrough), nor a line start that
# opens a block (heading, list, quote, rule, indented code). Most quiz options and feedback
# are such a line; parsing them is most of the time their slides take.
_PLAIN_LINE = re.compile(r"[^\s\\`*_\[\]!<>&#~|=+\-0-9][^\x00-\x1f\\`*_\[\]<~|]*")
_ENTITY = re.compile(r"&#?[A-Za-z0-9]+;")


def _plain_line(text: str) -> str | None:
    """``text`` without its surrounding line breaks when it is one plain line, else None."""
    line = text.strip("\n")
    if line.endswith(" ") or not _PLAIN_LINE.fullmatch(line) or "&" in line and _ENTITY.search(line):
        return None
    return line


def to_blocks(source: Markdown | str) -> list[Block]:
    """The blocks of a Markdown text, in order. Pictures become blocks after their paragraph."""
    md = source if isinstance(source, Markdown) else None
    text = source.text if isinstance(source, Markdown) else source
    line = _plain_line(text)
    if line is not None:
        return [Para((Run(line),), keep_with_next=line.endswith(":"))]
    walk = _BlockWalk(md)
    for token in parse(text):
        walk.take(token)
    return walk.blocks


class _BlockWalk:
    """One walk over a text's block tokens: the blocks made so far, and what is open at the
    current token (lists, list items, quotes, a heading, a table), which decides how the
    next paragraph looks."""

    def __init__(self, md: Markdown | None) -> None:
        self.md = md  # where image paths are resolved from (None: they stay as written)
        self.blocks: list[Block] = []
        self.lists: list[dict] = []  # stack: {'ordered': bool, 'next': int}
        self.item_first: list[bool] = []  # per open list item: is the next paragraph its first?
        self.quote = 0  # how many block quotes are open
        self.heading = False
        self.table: _TableRows | None = None

    def take(self, token) -> None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 1
            self.lists.append({"ordered": kind == "ordered_list_open", "next": start})
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.item_first.append(True)
        elif kind == "list_item_close":
            self.item_first.pop()
            if self.lists:
                self.lists[-1]["next"] += 1
        elif kind in ("blockquote_open", "blockquote_close"):
            self.quote += 1 if kind == "blockquote_open" else -1
        elif kind in ("heading_open", "heading_close"):
            self.heading = kind == "heading_open"
        elif kind == "hr":
            self.blocks.append(Break())
        elif kind in ("fence", "code_block"):
            self.blocks.append(_code_or_diagram(token, depth=len(self.lists)))
        elif kind == "table_open":
            self.table = _TableRows()
        elif kind == "table_close" and self.table is not None:
            self.blocks.append(self.table.table())
            self.table = None
        elif self.table is not None and kind in ("thead_open", "tr_open", "th_open", "td_open"):
            self.table.take(token)
        elif kind == "inline":
            self._text(token)

    def _text(self, token) -> None:
        """A paragraph's (or a table cell's) text; the pictures in it follow it as blocks."""
        pictures: list[Picture] = []
        runs = _inline(token.children, self.md, pictures)
        if self.table is not None:
            self.table.cell(runs)
            return
        opens_item = bool(self.item_first and self.item_first[-1])
        if runs:
            self.blocks.append(self._paragraph(runs, bulleted=opens_item))
        if opens_item and (runs or pictures):
            self.item_first[-1] = False
        self.blocks.extend(pictures)

    def _paragraph(self, runs: tuple[Run, ...], bulleted: bool) -> Para:
        """A paragraph at the depth of the open lists: with the list's bullet or number when it
        opens a list item, in italics in a quote, bold and kept with what follows as a heading;
        a paragraph ending in ':' keeps with what it introduces."""
        bullet = None
        if bulleted:
            current = self.lists[-1]
            bullet = Bullet("auto", scheme="arabicPeriod", start=current["next"]) if current["ordered"] else Bullet("level")
        if self.quote:
            runs = tuple(replace(r, italic=True) for r in runs)
        ends_with_colon = runs[-1].text.rstrip().endswith(":")
        return Para(
            runs,
            depth=len(self.lists),
            bullet=bullet,
            keep_with_next=self.heading or ends_with_colon,
            role="heading" if self.heading else ("quote" if self.quote else "body"),
        )


def _code_or_diagram(token, depth: int) -> Block:
    """A fenced block that is a diagram, else a code paragraph whose lines and spaces stay."""
    if token.type == "fence" and (diagram := diagram_of(token.info, token.content)) is not None:
        return DiagramBlock(diagram)
    runs: list[Run] = []
    for number, line in enumerate(token.content.rstrip("\n").split("\n")):
        if number:
            runs.append(Run("\n", code=True))
        runs.append(Run(line.replace(" ", "\u00a0") or "\u00a0", code=True))
    return Para(tuple(runs), depth=depth, role="code")


@dataclass
class _TableRows:
    """A table while its tokens come: the rows of cells so far, whether the first is a header,
    and the columns' alignments (from the first row)."""

    rows: list[list[tuple[Run, ...]]] = field(default_factory=list)
    header: bool = False
    aligns: list[str] = field(default_factory=list)

    def take(self, token) -> None:
        if token.type == "thead_open":
            self.header = True
        elif token.type == "tr_open":
            self.rows.append([])
        elif len(self.rows) == 1:  # th_open, td_open
            self.aligns.append(_align(token))

    def cell(self, runs: tuple[Run, ...]) -> None:
        self.rows[-1].append(runs)

    def table(self) -> Table:
        """Every row as wide as the widest (short rows get empty cells, left aligned)."""
        width = max((len(r) for r in self.rows), default=0)
        rows = tuple(tuple(row) + ((),) * (width - len(row)) for row in self.rows)
        aligns = tuple(self.aligns) + ("l",) * (width - len(self.aligns))
        return Table(rows, self.header, aligns)


def image_paths(texts: Iterable[Markdown]) -> list[str]:
    """Every image path used in ``texts``, in first-use order."""
    seen: dict[str, None] = {}
    for md in texts:
        if not md or "![" not in md.text:
            continue  # no image syntax, nothing to parse for
        for block in to_blocks(md):
            if isinstance(block, Picture):
                seen.setdefault(block.path, None)
    return list(seen)
