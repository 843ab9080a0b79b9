"""Source Markdown to safe HTML for the e-learning pages.

Every piece of course text goes through ``generator.markup.render_html`` (raw HTML off) and
then through nh3 with a short allow-list, so that nothing from the source can put a script,
an event handler, a style or a ``javascript:`` URL into a page, whatever the loader let
through. Jinja autoescaping covers everything that is not HTML from here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TypedDict
from urllib.parse import quote

from markupsafe import Markup

from ...diagrams import diagram_of
from ...markup import render_html
from ...model import Markdown
from . import diagram_html

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
ALLOWED_CLASSES = {"th": {"align-left", "align-center", "align-right"}, "td": {"align-left", "align-center", "align-right"}}
URL_SCHEMES = {"http", "https", "mailto"}

_ALIGN = re.compile(r' style="text-align:(left|center|right)"')
# Stands in for a diagram while the page text is sanitised (private-use characters, which the
# loader's Markdown never turns into this paragraph); the diagram's own HTML is built from
# sanitised pieces and put back afterwards.
_DIAGRAM = re.compile("<p>\ue010(\\d+)\ue011</p>")
_HEADING = re.compile(r"<(/?)h([1-6])>")


class ImageCollector:
    """Maps a source image path to its URL in the package, and remembers which were used."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.used: set[str] = set()

    def __call__(self, path: str) -> str:
        self.used.add(path)
        return self.prefix + media_path(path)


def media_path(path: str) -> str:
    """Where a source image lives inside the package (URL-quoted, relative to the root)."""
    return "media/" + quote(path, safe="/")


@lru_cache(maxsize=1)
def _cleaner():
    """One nh3 sanitiser for the whole process (nh3 < 0.2.15 has no ``Cleaner``: then ``None``)."""
    import nh3

    if not hasattr(nh3, "Cleaner"):  # pragma: no cover (older nh3)
        return None
    return nh3.Cleaner(**_SANITISE_OPTIONS)


class _SanitiseOptions(TypedDict):
    tags: set[str]
    attributes: dict[str, set[str]]
    allowed_classes: dict[str, set[str]]
    url_schemes: set[str]
    link_rel: str
    set_tag_attribute_values: dict[str, dict[str, str]]
    strip_comments: bool


_SANITISE_OPTIONS = _SanitiseOptions(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    # A link followed inside the SCO frame would end the LMS session: open it beside it.
    set_tag_attribute_values={"a": {"target": "_blank"}},
    strip_comments=True,
)


def sanitise(raw_html: str) -> str:
    cleaner = _cleaner()
    text = _ALIGN.sub(r' class="align-\1"', raw_html)
    if cleaner is None:  # pragma: no cover (older nh3)
        import nh3

        return nh3.clean(text, **_SANITISE_OPTIONS)
    return cleaner.clean(text)


def _shift_headings(text: str, top: int) -> str:
    levels = [int(level) for _, level in _HEADING.findall(text)]
    if not levels:
        return text
    shift = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(6, max(top, int(m[2]) + shift))}>", text)


def block(md: Markdown | str, images: Callable[[str], str] | None, top_heading: int = 2) -> Markup:
    """A Markdown text as sanitised block HTML; its headings start at ``top_heading``."""
    if isinstance(md, str):
        md = Markdown(md, "", None)  # type: ignore[arg-type]
    if not md:
        return Markup("")
    diagrams: list[str] = []

    def fence(info: str, content: str) -> str | None:
        diagram = diagram_of(info, content)
        if diagram is None:
            return None
        diagrams.append(diagram_html.render(diagram, inline))
        return f"<p>\ue010{len(diagrams) - 1}\ue011</p>\n"

    rendered = render_html(md, image_url=images, fence=fence)
    cleaned = sanitise(_shift_headings(rendered, top_heading))
    if diagrams:
        cleaned = _DIAGRAM.sub(lambda m: diagrams[int(m[1])], cleaned)
    return Markup(cleaned)


@lru_cache(maxsize=4096)
def inline(text: str) -> Markup:
    """A one-line text (an option, a feedback, an objective) as sanitised inline HTML."""
    if not text.strip():
        return Markup("")
    return Markup(sanitise(render_html(text, inline=True)))


# A text that starts with one of these may be block Markdown (a heading, list, quote, rule, code, table, ...).
_BLOCK_START = frozenset("#>-*+=_~`|:[<!\\0123456789")


def inline_and_plain(text: str) -> tuple[Markup, str]:
    """``inline(text)`` and ``plain(text)`` at once: for a text that is one plain paragraph
    line, the plain text is taken from the inline HTML instead of parsing the text again."""
    markup = inline(text)
    if not text or "\n" in text or "\r" in text or text != text.strip() or text[0] in _BLOCK_START:
        return markup, plain(text)
    return markup, text_of(markup)


def text_of(rendered: str) -> str:
    """The text of some (sanitised) HTML, without any markup, whitespace collapsed."""
    import nh3

    return " ".join(html.unescape(nh3.clean(rendered, tags=set())).split())


def plain(text: str | Markdown, limit: int | None = None) -> str:
    """The text of some Markdown without any markup, whitespace collapsed (for labels and the LMS)."""
    source = text.text if isinstance(text, Markdown) else text
    result = _plain(source) if source.strip() else ""
    return result if limit is None else shorten(result, limit)


@lru_cache(maxsize=4096)
def _plain(source: str) -> str:
    return text_of(render_html(source))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with an ellipsis where it was cut."""
    if len(text) > limit:
        return text[: limit - 1].rstrip() + "…"
    return text
