"""The one configured Markdown parser, shared by the loader (for checks) and every target.

Raw HTML is never passed through: the parser runs with ``html`` off, so any HTML in the
source reaches a target as escaped text (the loader reports it as an error first).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .model import Markdown, SourceLoc

if TYPE_CHECKING:  # markdown-it is imported when something is parsed, not by a no-op rebuild
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SAFE_URL_SCHEMES = ("http:", "https:", "mailto:")


@lru_cache(maxsize=2)
def parser(html: bool = False) -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": html, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    return md


def parse(md: Markdown | str) -> list[Token]:
    text = md.text if isinstance(md, Markdown) else md
    return parser().parse(text)


def resolve_image(md: Markdown, src: str) -> str:
    """The source-root-relative path of an image written as ``src`` in ``md``."""
    return posixpath.normpath(posixpath.join(md.base, src))


def is_safe_url(url: str) -> bool:
    lowered = url.strip().lower()
    if ":" not in lowered.split("/")[0]:
        return True
    return lowered.startswith(SAFE_URL_SCHEMES)


def render_html(
    md: Markdown | str,
    image_url: Callable[[str], str] | None = None,
    inline: bool = False,
    fence: Callable[[str, str], str | None] | None = None,
) -> str:
    """Render to HTML. ``image_url`` maps a source-root-relative image path to the URL the target uses.
    ``fence(info, content)`` may replace a fenced block by the target's own HTML (a diagram)."""
    if isinstance(md, str):
        md = Markdown(md, "", SourceLoc(""))
    tokens = parser().parse(md.text) if not inline else parser().parseInline(md.text)
    if fence is not None:
        for token in tokens:
            if token.type == "fence":
                replacement = fence(token.info, token.content)
                if replacement is not None:
                    token.type, token.content = "html_block", replacement
    for token in _walk(tokens):
        if token.type == "image":
            path = resolve_image(md, str(token.attrGet("src") or ""))
            token.attrSet("src", image_url(path) if image_url else path)
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if not is_safe_url(href):
                token.attrSet("href", "#")
            elif href.startswith(("http:", "https:")):
                token.attrSet("rel", "noopener")
    renderer = parser().renderer
    return renderer.render(tokens, parser().options, {})


def render_inline_html(text: str) -> str:
    """Render a one-line text (an option, a feedback) to HTML without a wrapping paragraph."""
    return render_html(text, inline=True)


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


@dataclass(frozen=True)
class StyledText:
    """A piece of inline text with one style; ``text == "\\n"`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    href: str | None = None


_STYLE_OF = {"strong": "bold", "em": "italic", "s": "strike"}


def inline_pieces(children) -> Iterator[StyledText | Token]:
    """A paragraph's inline tokens in reading order, for an output that draws its own text
    (slides, Word): text as ``StyledText``, with the emphasis, strike-through and link around
    it (a link kept only to an http:, https: or mailto: address); an image as its token."""
    depth = {"bold": 0, "italic": 0, "strike": 0}
    links: list[str | None] = []

    def styled(text: str, code: bool = False) -> StyledText:
        return StyledText(text, depth["bold"] > 0, depth["italic"] > 0, depth["strike"] > 0, code, links[-1] if links else None)

    for child in children or ():
        kind = child.type
        style, _, edge = kind.rpartition("_")
        if style in _STYLE_OF and edge in ("open", "close"):
            depth[_STYLE_OF[style]] += 1 if edge == "open" else -1
        elif kind == "link_open":
            target = str(child.attrGet("href") or "")
            safe = is_safe_url(target) and target.lower().startswith(SAFE_URL_SCHEMES)
            links.append(target if safe else None)
        elif kind == "link_close":
            if links:
                links.pop()
        elif kind == "image":
            yield child
        elif kind == "softbreak":
            yield styled(" ")
        elif kind == "hardbreak":
            yield styled("\n")
        elif kind == "code_inline":
            yield styled(child.content, code=True)
        else:  # text, inline HTML (shown as text) and any other token with text
            yield styled(child.content)
