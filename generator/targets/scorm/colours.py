"""Theme colours made safe for text: WCAG 2.1 contrast, darkened until they pass AA."""

from __future__ import annotations

WHITE = "#ffffff"
AA_TEXT = 4.5  # WCAG 2.1 AA, normal-size text (1.4.3)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, ...]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    r, g, b = (_channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way towards ``other``."""
    return _hex(tuple(c + (o - c) * amount for c, o in zip(_rgb(colour), _rgb(other), strict=True)))


def darken_until(colour: str, backgrounds: tuple[str, ...], ratio: float = AA_TEXT) -> str:
    """``colour``, mixed with black in small steps until it reaches ``ratio`` on every background."""
    candidate = colour.lower()
    step = 0
    while any(contrast(candidate, bg) < ratio for bg in backgrounds) and step < 100:
        step += 1
        candidate = mix(colour, "#000000", step / 100)
    return candidate


def theme_palette(primary: str, accent: str) -> dict[str, str]:
    """The CSS colours of the e-learning, derived from the course theme.

    ``primary`` is used for links, buttons (white text on it) and the header; ``accent``
    for focus rings and highlights. Both are darkened where needed so that text in them, or
    on them, meets WCAG 2.1 AA on the light surfaces the pages use."""
    surface = "#ffffff"
    tint = mix(primary, WHITE, 0.92)
    accent_tint = mix(accent, WHITE, 0.9)
    backgrounds = (surface, tint, accent_tint)
    primary_text = darken_until(primary, backgrounds)
    accent_text = darken_until(accent, backgrounds)
    return {
        "primary": primary_text,
        "primary_dark": mix(primary_text, "#000000", 0.25),
        "primary_tint": tint,
        "primary_soft": mix(primary, WHITE, 0.8),
        "accent": accent_text,
        "accent_tint": accent_tint,
    }
