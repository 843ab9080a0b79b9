"""Slides: a plain line skips the Markdown parser and must come out as the parser makes it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.loader import load_course
from generator.model import Markdown
from generator.targets.slides import blocks

ROOT = Path(__file__).resolve().parent.parent
EDGE_CASES = [
    "Gewoon een zin.",
    "Gewoon een zin.\n",
    "\nMet lege regels\n\n",
    "Knof & Swick (2007) zeggen dit",
    "Vraag: wat doe je?",
    "Goed!",
    "Eindigt op een dubbele punt:",
    "1. een lijst",
    "2 ouders",
    "- een lijst",
    "+ ook",
    "* ook",
    "# kop",
    "> citaat",
    "    code",
    "  twee spaties",
    "zin met  twee spaties",
    "eindigt met spatie ",
    "a &amp; b",
    "a &#38; b",
    "a & b;",
    "*nadruk*",
    "_nadruk_",
    "`code`",
    "[link](https://example.org)",
    "![beeld](x.png)",
    "<b>html</b>",
    "a | b",
    "~~weg~~",
    "a\\*b",
    "twee\nregels",
    "===",
    "---",
    "https://example.org/pad",
    "50% van de ouders",
    "1) keuze",
    "é à ü — “quotes”",
    "tab\tin de zin",
    "a\u00a0b",
    "\u00a0begint met nbsp",
    "@knof-swick-2007",
    "x = y",
    "3 + 4",
    "e-mail",
    "#hashtag",
]


def slow(text):
    original = blocks._plain_line
    blocks._plain_line = lambda _text: None
    try:
        return blocks.to_blocks(text)
    finally:
        blocks._plain_line = original


def course_texts():
    texts = []
    for source in (ROOT / "course_source", ROOT / "tests" / "fixtures" / "valid"):
        course = load_course(source).course
        if course is None:
            continue

        def walk(value):
            if isinstance(value, Markdown):
                texts.append(value.text)
            elif dataclasses.is_dataclass(value):
                for item in dataclasses.fields(value):
                    walk(getattr(value, item.name))
            elif isinstance(value, (tuple, list)):
                for item in value:
                    walk(item)

        walk(course.modules)
    return texts


@pytest.mark.parametrize("text", EDGE_CASES)
def test_plain_line_shortcut_gives_what_the_parser_gives(text):
    assert blocks.to_blocks(text) == slow(text)


def test_shortcut_agrees_with_the_parser_on_every_text_of_the_courses():
    texts = course_texts()
    plain = [t for t in texts if blocks._plain_line(t) is not None]
    assert len(plain) > 100  # the shortcut is taken for real texts, not only for made-up ones
    assert [blocks.to_blocks(t) for t in plain] == [slow(t) for t in plain]


def test_markup_is_never_taken_for_a_plain_line():
    for text in ("*nadruk*", "1. een lijst", "# kop", "    code", "a &amp; b", "[link](x)", "twee\nregels", "- lijst"):
        assert blocks._plain_line(text) is None, text
