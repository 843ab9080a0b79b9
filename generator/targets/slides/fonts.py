"""The font files slides are measured with: shipped with the package, never looked up on the
machine, so that the same source gives the same decks on Windows, macOS and Linux.

The decks name the fonts PowerPoint has (Calibri, Arial, Courier New); the text is measured
with their open-licensed metric twins in ``generator/data/fonts/`` (Carlito has Calibri's
widths, Liberation Sans Arial's, Liberation Mono Courier New's; LibreOffice makes the same
substitution when it renders). An institute template may bring its own font files in a
``fonts/`` folder beside the .pptx; those come first. A family found nowhere is measured with
Carlito, and the build says so (``substitute``). Characters a font lacks are measured in
DejaVu Sans.
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "data" / "fonts"
FONT_SUFFIXES = (".ttf", ".otf")

# family (lower case) -> the bundled family with the same widths
METRIC_TWINS = {
    "calibri": "Carlito",
    "arial": "Liberation Sans",
    "helvetica": "Liberation Sans",
    "courier new": "Liberation Mono",
    "courier": "Liberation Mono",
}
DEFAULT_FAMILY = "Carlito"
GLYPH_FALLBACK_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class FontFile:
    """One font file: where it comes from (``bundled`` or ``template``), its name and bytes."""

    origin: str
    name: str
    data: bytes

    @property
    def key(self) -> str:
        return f"{self.origin}:{self.name}"

    @cached_property
    def family_and_style(self) -> tuple[str, bool, bool]:
        from PIL import ImageFont

        family, style = ImageFont.truetype(io.BytesIO(self.data), 10).getname()
        style = (style or "").lower()
        return (family or self.name), "bold" in style, ("italic" in style or "oblique" in style)

    @cached_property
    def characters(self) -> frozenset[int]:
        return frozenset(cmap_characters(self.data))


def bundled_fonts() -> tuple[FontFile, ...]:
    return tuple(
        FontFile("bundled", p.name, p.read_bytes())
        for p in sorted(BUNDLED_DIR.iterdir(), key=lambda p: p.name)
        if p.suffix.lower() in FONT_SUFFIXES
    )


def template_fonts(template_path: Path) -> tuple[FontFile, ...]:
    """The font files in the ``fonts/`` folder beside an institute's template, by name."""
    folder = template_path.parent / "fonts"
    if not folder.is_dir():
        return ()
    return tuple(
        FontFile("template", p.name, p.read_bytes())
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.is_file() and not p.is_symlink() and p.suffix.lower() in FONT_SUFFIXES
    )


class FontLibrary:
    """Font files by family and style: the template's first, then the bundled ones."""

    def __init__(self, extra: tuple[FontFile, ...] = ()) -> None:
        self.files = tuple(extra) + bundled_fonts()
        self._by_family: dict[str, dict[tuple[bool, bool], FontFile]] = {}
        for font in self.files:
            family, bold, italic = font.family_and_style
            self._by_family.setdefault(family.lower(), {}).setdefault((bold, italic), font)

    @cached_property
    def digest(self) -> str:
        hasher = hashlib.sha256()
        for font in self.files:
            hasher.update(f"{font.key}\0{len(font.data)}\0".encode())
            hasher.update(font.data)
        return hasher.hexdigest()

    def family_for(self, family: str) -> str | None:
        """The family that measures ``family``: itself, its metric twin, or None."""
        name = family.strip().lower()
        if name in self._by_family:
            return name
        twin = METRIC_TWINS.get(name)
        return twin.lower() if twin and twin.lower() in self._by_family else None

    def substitute(self, family: str) -> str | None:
        """The family used instead when ``family`` has neither files nor a twin (else None)."""
        return None if self.family_for(family) else DEFAULT_FAMILY

    def font(self, family: str, bold: bool = False, italic: bool = False) -> FontFile:
        styles = self._by_family[self.family_for(family) or DEFAULT_FAMILY.lower()]
        for wanted in ((bold, italic), (bold, False), (False, italic), (False, False)):
            if wanted in styles:
                return styles[wanted]
        return next(iter(styles.values()))

    def fallback(self, bold: bool) -> FontFile:
        return self.font(GLYPH_FALLBACK_FAMILY, bold, False)


def cmap_characters(data: bytes) -> set[int]:
    """The code points a TrueType/OpenType font maps to a glyph (its Unicode 'cmap' subtables:
    formats 4 and 12, which every current font has)."""
    try:
        num_tables = struct.unpack_from(">H", data, 4)[0]
        offset = None
        for i in range(num_tables):
            tag, _, table_offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            if tag == b"cmap":
                offset = table_offset
        if offset is None:
            return set()
        count = struct.unpack_from(">H", data, offset + 2)[0]
        found: set[int] = set()
        for i in range(count):
            platform, encoding, sub = struct.unpack_from(">HHI", data, offset + 4 + 8 * i)
            if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4), (0, 6)):
                continue
            start = offset + sub
            fmt = struct.unpack_from(">H", data, start)[0]
            if fmt == 4:
                found |= _format4(data, start)
            elif fmt == 12:
                found |= _format12(data, start)
        return found
    except struct.error:  # a damaged table: no characters known, everything falls back
        return set()


def _format4(data: bytes, start: int) -> set[int]:
    seg_count = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{seg_count}H", data, start + 14)
    starts_at = start + 16 + 2 * seg_count
    starts = struct.unpack_from(f">{seg_count}H", data, starts_at)
    deltas = struct.unpack_from(f">{seg_count}h", data, starts_at + 2 * seg_count)
    range_offsets_at = starts_at + 4 * seg_count
    range_offsets = struct.unpack_from(f">{seg_count}H", data, range_offsets_at)
    found: set[int] = set()
    for i in range(seg_count):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if range_offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = range_offsets_at + 2 * i + range_offsets[i] + 2 * (code - starts[i])
                glyph = struct.unpack_from(">H", data, at)[0]
                if glyph:
                    glyph = (glyph + deltas[i]) & 0xFFFF
            if glyph:
                found.add(code)
    return found


def _format12(data: bytes, start: int) -> set[int]:
    groups = struct.unpack_from(">I", data, start + 12)[0]
    found: set[int] = set()
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * i)
        found.update(range(first, last + 1) if glyph else range(first + 1, last + 1))
    return found
