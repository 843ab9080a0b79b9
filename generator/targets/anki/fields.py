"""Markdown → the HTML of one Anki field: rendered once, cloze deletions intact, sanitised.

Every field goes through ``render_field``: ``generator.markup.render_html`` (the one
configured parser, raw HTML off), then nh3 with an allow-list of tags, then Unicode NFC
(Anki normalises imported text to NFC; the package holds what the student's Anki keeps).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Callable

import nh3

from ...markup import render_html, render_inline_html
from ...model import Image, Markdown

# {{c1::text}} and {{c1::text::hint}}; the same pattern the loader checks cloze cards with.
CLOZE = re.compile(r"\{\{c(\d+)::(.+?)\}\}", re.DOTALL)
# Private-use characters stand in for the cloze braces while Markdown is rendered, so that
# neither the parser nor the sanitiser can touch them; the text inside is still Markdown.
_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_PROTECTED = re.compile(f"{_OPEN}(\\d+){_SEP}")

ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_SINGLE_PARAGRAPH = re.compile(r"^<p>((?:(?!</?p>).)*)</p>$", re.DOTALL)
_SAFE_NAME = re.compile(r"[^a-z0-9]+")


def media_name(course_id: str, image: Image) -> str:
    """The file name of an image in the student's Anki media folder, which all decks share.

    Course id first (no clash with other decks), a hash of the bytes last (a changed image is
    a new file, and the note that shows it changes too, so the update reaches the student)."""
    stem, ext = posixpath.splitext(posixpath.basename(image.path))
    slug = _SAFE_NAME.sub("-", stem.lower()).strip("-") or "image"
    digest = hashlib.sha256(image.data).hexdigest()[:10]
    return f"{course_id}-{slug}-{digest}{ext.lower()}"


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES)


def _protect_cloze(text: str) -> str:
    return CLOZE.sub(lambda m: f"{_OPEN}{m[1]}{_SEP}{m[2]}{_CLOSE}", text)


def _restore_cloze(html: str) -> str:
    return _PROTECTED.sub(lambda m: "{{c" + m[1] + "::", html).replace(_CLOSE, "}}")


def _finish(html: str) -> str:
    html = html.strip()
    single = _SINGLE_PARAGRAPH.match(html)
    if single:  # one paragraph: no <p> wrapper, as Anki's own editor stores it
        html = single[1]
    return unicodedata.normalize("NFC", html.strip())


def render_field(
    md: Markdown | str,
    image_url: Callable[[str], str] | None = None,
    cloze: bool = False,
    inline: bool = False,
    fence: Callable[[str, str], str | None] | None = None,
) -> str:
    """``md`` as field HTML. With ``cloze`` the ``{{cN::...}}`` deletions survive unchanged;
    ``fence`` may draw a fenced block (a diagram) as the field's own HTML."""
    if isinstance(md, Markdown):
        if not md:
            return ""
        text = _protect_cloze(md.text) if cloze else md.text
        md = Markdown(text, md.base, md.loc)
    elif not md.strip():
        return ""
    elif cloze:
        md = _protect_cloze(md)
    html = sanitise(render_html(md, image_url=image_url, inline=inline, fence=fence))
    if cloze:
        html = _restore_cloze(html)
    return _finish(html)


def render_lines(texts: list[str]) -> str:
    """One-line Markdown texts (e.g. APA references) as one field, a line each."""
    return unicodedata.normalize("NFC", sanitise("<br>".join(render_inline_html(text) for text in texts)))
