"""Markdown from the model → paragraphs, lists, tables and pictures in a Word document.

The tokens come from the one configured parser (``generator.markup``). Headings inside a text
become bold paragraphs: the document's own headings (its outline, the navigation pane) are
the guide's and handout's structure, not the lesson text's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ...diagrams import Diagram
from ...markup import StyledText, inline_pieces, parse, parser, resolve_image
from ...model import Image, Markdown
from .writer import DocWriter, Span


def inline_spans(children, md: Markdown | None = None, on_image: Callable[[str, str], None] | None = None) -> tuple[Span, ...]:
    spans: list[Span] = []
    for piece in inline_pieces(children):
        if isinstance(piece, StyledText):
            spans.append(piece)
        elif on_image is not None and md is not None:  # an image
            alt = "".join(c.content for c in piece.children or () if c.type == "text")
            on_image(resolve_image(md, str(piece.attrGet("src") or "")), alt)
    return tuple(spans)


def inline(text: str) -> tuple[Span, ...]:
    """A one-line text (an option, a feedback, a question of a case) as spans."""
    tokens = parser().parseInline(text)
    return inline_spans(tokens[0].children if tokens else ())


def bold(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    return tuple(Span(s.text, True, s.italic, s.strike, s.code, s.href) for s in spans)


def diagram_of(token):
    """The diagram a fenced block draws (``generator.diagrams``), or None."""
    from ... import diagrams

    return diagrams.diagram_of(token.info or "", token.content)


class MarkdownWriter:
    """Writes Markdown blocks into a ``DocWriter``, in a paragraph style of choice."""

    def __init__(
        self,
        writer: DocWriter,
        images: Mapping[str, Image],
        image_missing: Callable[[str], str],
        primary: str = "#1d4e89",
        pictures: Callable[[Diagram, str], bytes] | None = None,
    ) -> None:
        self.writer = writer
        self.images = images
        self.image_missing = image_missing
        self.primary = primary
        self.pictures = pictures  # render_png, or what gives its bytes (diagram_cache)

    def diagrams(self, md: Markdown) -> int:
        """Only the diagrams of ``md`` (the guide shows the models beside the notes); how many."""
        count = 0
        for token in parse(md):
            diagram = diagram_of(token) if token.type == "fence" else None
            if diagram is not None:
                self._diagram(diagram)
                count += 1
        return count

    def _diagram(self, diagram) -> None:
        from .diagram_image import alt_text, render_png

        png = (self.pictures or render_png)(diagram, self.primary)
        self.writer.picture(png, description=alt_text(diagram))

    def write(self, md: Markdown | str, style: str | None = None) -> None:
        if isinstance(md, str):
            from ...model import SourceLoc

            md = Markdown(md, "", SourceLoc(""))
        tokens = parse(md)
        self._blocks(tokens, md, style)

    def _blocks(self, tokens, md: Markdown, style: str | None) -> None:
        lists: list[int | None] = []  # per open list: the numId (None: bullets)
        item_paragraphs: list[int] = []  # per open list item: paragraphs written so far
        table_rows: list[list[tuple[Span, ...]]] = []
        table_header = False
        row: list[tuple[Span, ...]] | None = None
        quote = 0
        i = 0
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "bullet_list_open":
                lists.append(None)
            elif kind == "ordered_list_open":
                start = int(token.attrGet("start") or 1)
                lists.append(self.writer.new_numbering(start, len(lists)))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                item_paragraphs.append(0)
            elif kind == "list_item_close":
                item_paragraphs.pop()
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "heading_open":
                spans = bold(self._inline(tokens[i + 1], md))
                self.writer.paragraph(spans, style, keep_with_next=True)
                i += 2
            elif kind == "paragraph_open":
                inline_token = tokens[i + 1]
                pictures: list[tuple[str, str]] = []
                spans = self._inline(inline_token, md, pictures)
                if lists:
                    depth = len(lists) - 1
                    if item_paragraphs and item_paragraphs[-1] == 0:
                        num_id = lists[-1] if lists[-1] is not None else self.writer.bullets
                        self.writer.list_item(spans, depth, num_id, style)
                    else:
                        self.writer.list_continuation(spans, depth, style)
                    if item_paragraphs:
                        item_paragraphs[-1] += 1
                elif any(s.text.strip() for s in spans) or not pictures:
                    para = self.writer.paragraph(spans, style)
                    if quote:
                        para.paragraph_format.left_indent = 360 * 635 * quote
                for path, alt in pictures:
                    self._picture(path, alt, style)
                i += 2
            elif kind == "table_open":
                table_rows, table_header = [], False
            elif kind == "thead_open":
                table_header = True
            elif kind == "tr_open":
                row = []
            elif kind in ("th_open", "td_open"):
                if row is not None:
                    row.append(self._inline(tokens[i + 1], md))
                i += 2
            elif kind == "tr_close":
                if row is not None:
                    table_rows.append(row)
                row = None
            elif kind == "table_close":
                if table_rows:
                    columns = max(len(r) for r in table_rows)
                    rows = [list(r) + [()] * (columns - len(r)) for r in table_rows]
                    header = [_plain(c) for c in rows[0]] if table_header else None
                    self.writer.table(header, rows[1:] if table_header else rows, [1] * columns)
            elif kind == "fence" and diagram_of(token) is not None:
                self._diagram(diagram_of(token))
            elif kind in ("fence", "code_block"):
                for line in token.content.rstrip("\n").split("\n"):
                    self.writer.paragraph((Span(line, code=True),), style)
            elif kind == "html_block":
                self.writer.paragraph(token.content.strip(), style)
            # 'hr' (a slide break in a section) means nothing on paper
            i += 1

    def _inline(self, token, md: Markdown, pictures: list | None = None) -> tuple[Span, ...]:
        collect = (lambda path, alt: pictures.append((path, alt))) if pictures is not None else None
        return inline_spans(token.children, md, collect)

    def _picture(self, path: str, alt: str, style: str | None) -> None:
        image = self.images.get(path)
        if image is None or image.media_type not in ("image/png", "image/jpeg", "image/gif"):
            self.writer.paragraph((Span(self.image_missing(alt or path), italic=True),), style)
            return
        self.writer.picture(image.data, 0.8)


def _plain(spans: tuple[Span, ...]) -> str:
    return "".join(s.text for s in spans)
