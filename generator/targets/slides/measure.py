"""Measuring text with the real font files, so that slides are split by what actually fits.

Widths come from the font files of ``fonts.FontLibrary`` (shipped with the package, plus any
the institute's template brings; Calibri is measured with its metric twin Carlito, as
LibreOffice renders it), read with Pillow at 1000 units per em. No font is looked up on the
machine, so every machine gives the same decks. Line pitch: LibreOffice lays out .pptx text
boxes at 1.2 x font size x the proportional line spacing, for any font (measured: Carlito,
Open Sans, DejaVu Sans and Liberation Sans all give 1.2 em at 100 %), but table cells at the
font's own line height (Open Sans: 1.362 em), and PowerPoint uses the font's line height
(Calibri: 1.221 em). So a line is taken as the larger of 1.2 em and the font's line height
(ascender + descender + line gap): never less than either program needs.

Wrapping is greedy at spaces, like both renderers; they may also break after a hyphen, which
only lets them fit more on a line, so the count here is never too low. A word wider than a
line is broken at the last '/', '-', '.', '?', '&' or '=' that fits, else between characters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from .blocks import Run
from .fonts import FontFile, FontLibrary

UNITS = 1000.0
LINE_PITCH = 1.2  # em, at 100 % proportional line spacing, in LibreOffice text boxes
CODE_FONT = "Courier New"
_SOFT_BREAKS = "/-.?&=_"

_library: FontLibrary | None = None


def fonts() -> FontLibrary:
    """The fonts measuring uses now: the bundled ones unless ``use_fonts`` said otherwise."""
    global _library
    if _library is None:
        _library = FontLibrary()
    return _library


def use_fonts(library: FontLibrary) -> None:
    """Measure with ``library`` from now on (a deck's template may bring font files)."""
    global _library
    if _library is not None and _library.digest == library.digest:
        return
    _library = library
    for cached in (_font, _has_glyph, line_height, _width_units, _measured, wrap):
        cached.cache_clear()
    _WORD_UNITS.clear()


@lru_cache(maxsize=64)
def _font(key: str):
    from PIL import ImageFont

    file = _file(key)
    return ImageFont.truetype(io.BytesIO(file.data), int(UNITS), layout_engine=ImageFont.Layout.BASIC)


def _file(key: str) -> FontFile:
    return next(f for f in fonts().files if f.key == key)


def font_file(family: str, bold: bool = False, italic: bool = False) -> str:
    """The key of the font file that measures ``family`` in that style."""
    return fonts().font(family, bold, italic).key


@lru_cache(maxsize=8192)
def _has_glyph(key: str, char: str) -> bool:
    return char.isspace() or ord(char) in _file(key).characters


@lru_cache(maxsize=64)
def line_height(family: str) -> float:
    """One line at 100 % spacing, in em: the larger of LibreOffice's 1.2 and the font's own."""
    return max(LINE_PITCH, _font(font_file(family)).font.height / UNITS)


@lru_cache(maxsize=200_000)
def _width_units(family: str, bold: bool, italic: bool, text: str) -> float:
    """Width of ``text`` in 1/1000 em; characters the font lacks are measured in the fallback font."""
    key = font_file(family, bold, italic)
    font = _font(key)
    total = 0.0
    plain = []
    for char in text:
        if _has_glyph(key, char):
            plain.append(char)
            continue
        if plain:
            total += font.getlength("".join(plain))
            plain = []
        total += _font(fonts().fallback(bold).key).getlength(char)
    if plain:
        total += font.getlength("".join(plain))
    return total


def text_width(text: str, size: float, family: str, bold: bool = False, italic: bool = False) -> float:
    """Width in points of ``text`` at ``size`` points."""
    if not text:
        return 0.0
    return _width_units(family, bold, italic, text) * size / UNITS


@dataclass(frozen=True)
class TextStyle:
    """What measuring a paragraph needs: font size (pt) and family, proportional line spacing
    (1.0 = single) or an exact line pitch in points, and the space before/after (pt)."""

    size: float
    family: str
    bold: bool = False
    italic: bool = False
    line: float = 1.0
    line_pts: float | None = None
    before: float = 0.0
    after: float = 0.0

    @property
    def pitch(self) -> float:
        return self.line_pts if self.line_pts else line_height(self.family) * self.size * self.line


def _run_width(run: Run, text: str, style: TextStyle, size: float) -> float:
    family = CODE_FONT if run.code else style.family
    return text_width(text, size, family, style.bold or run.bold, style.italic or run.italic)


_WORD_UNITS: dict[tuple[str, bool, bool], dict[str, float]] = {}


@lru_cache(maxsize=20_000)
def _measured(runs: tuple[Run, ...], family: str, bold: bool, italic: bool) -> tuple:
    """A paragraph split into words, spaces and breaks, with their widths in 1/1000 em, so that
    any size or line width is a multiplication: (kind, start offset, width, ((run, text), ...))."""
    measured = []
    offset = 0
    word_parts: list = []
    word_start = 0
    word_units = 0.0
    for run in runs:
        text = run.text
        if text == "\n":
            if word_parts:
                measured.append(("word", word_start, word_units, tuple(word_parts)))
                word_parts = []
            measured.append(("break", offset, 0.0, ()))
            offset += 1
            continue
        key = (CODE_FONT if run.code else family, bold or run.bold, italic or run.italic)
        widths = _WORD_UNITS.get(key)
        if widths is None:
            widths = _WORD_UNITS[key] = {" ": _width_units(*key, " ")}
        space = widths[" "]
        for index, token in enumerate(text.split(" ")):
            if index:
                if word_parts:
                    measured.append(("word", word_start, word_units, tuple(word_parts)))
                    word_parts = []
                measured.append(("space", offset, space, ((run, " "),)))
                offset += 1
            if not token:
                continue
            units = widths.get(token)
            if units is None:
                units = widths[token] = _width_units(*key, token)
            if word_parts:  # a word that goes on in this run (a bold part, a link)
                word_units += units
            else:
                word_start, word_units = offset, 0.0 + units
            word_parts.append((run, token))
            offset += len(token)
    if word_parts:
        measured.append(("word", word_start, word_units, tuple(word_parts)))
    return tuple(measured)


@lru_cache(maxsize=20_000)  # fitting measures the same paragraph again at each size it tries
def wrap(
    runs: tuple[Run, ...], width: float, style: TextStyle, size: float | None = None, first_width: float | None = None
) -> tuple[int, ...]:
    """Offsets (into the paragraph's text) where each line starts; ``[0]`` is one line.

    ``width`` is the line width in points; ``first_width`` the first line's, if it differs."""
    size = size or style.size
    scale = size / UNITS
    starts = [0]
    x = 0.0
    pending = 0.0
    limit = first_width if first_width is not None else width
    for kind, start, units, parts in _measured(runs, style.family, style.bold, style.italic):
        if kind == "space":
            if x > 0:
                pending += units * scale
            continue
        if kind == "break":
            starts.append(start + 1)
            x, pending, limit = 0.0, 0.0, width
            continue
        w = units * scale
        if x > 0 and x + pending + w <= limit:
            x += pending + w
            pending = 0.0
            continue
        if x > 0:
            starts.append(start)
            x, limit = 0.0, width
        pending = 0.0
        if w <= limit:
            x = w
            continue
        # a word wider than a line: break it
        chars = [(run, ch) for run, text in parts for ch in text]
        position = 0
        while position < len(chars):
            used = 0.0
            end = position
            last_soft = -1
            while end < len(chars):
                cw = _run_width(chars[end][0], chars[end][1], style, size)
                if used + cw > limit and end > position:
                    break
                used += cw
                if chars[end][1] in _SOFT_BREAKS:
                    last_soft = end
                end += 1
            if end < len(chars):
                cut = last_soft + 1 if last_soft >= position else end
                starts.append(start + cut)
                position = cut
                limit = width
                x = 0.0
            else:
                x = used
                position = end
    return tuple(starts)  # cached: hand out an immutable value


def lines_needed(
    runs: tuple[Run, ...], width: float, style: TextStyle, size: float | None = None, first_width: float | None = None
) -> int:
    return len(wrap(runs, width, style, size, first_width))


def split_runs(runs: tuple[Run, ...], offset: int) -> tuple[tuple[Run, ...], tuple[Run, ...]]:
    """Runs before and after a text offset; the second part loses its leading spaces."""
    head: list[Run] = []
    tail: list[Run] = []
    position = 0
    for run in runs:
        length = len(run.text)
        if position + length <= offset:
            head.append(run)
        elif position >= offset:
            tail.append(run)
        else:
            cut = offset - position
            head.append(Run(run.text[:cut], run.bold, run.italic, run.strike, run.code, run.href, run.colour))
            tail.append(Run(run.text[cut:], run.bold, run.italic, run.strike, run.code, run.href, run.colour))
        position += length
    while tail and tail[0].text == "\n":
        tail.pop(0)
    if tail:
        first = tail[0]
        tail[0] = Run(first.text.lstrip(" "), first.bold, first.italic, first.strike, first.code, first.href, first.colour)
    while head and head[-1].text.strip() == "" and head[-1].text != "\n":
        head.pop()
    while head and head[-1].text == "\n":
        head.pop()
    return tuple(head), tuple(r for r in tail if r.text)
