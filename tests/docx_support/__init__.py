"""Reading the guide and handout back: python-docx for paragraphs, styles and tables; poppler
for the PDF LibreOffice makes of them (bookmarks, text per page)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from generator.markup import parse

HEADING_STYLES = {"Heading 1": 1, "Heading 2": 2, "Heading 3": 3}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class DocText:
    paragraphs: list[tuple[str, str]]  # (style name, text), body and table cells in order
    tables: list[list[list[str]]]

    @property
    def text(self) -> str:
        return norm(" ".join(text for _, text in self.paragraphs))

    @property
    def headings(self) -> list[tuple[int, str]]:
        return [(HEADING_STYLES[style], text) for style, text in self.paragraphs if style in HEADING_STYLES]


def read_docx(path: Path) -> DocText:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    paragraphs: list[tuple[str, str]] = []
    tables: list[list[list[str]]] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append((block.style.name if block.style is not None else "", block.text))
        elif isinstance(block, Table):
            rows = []
            for row in block.rows:
                cells = [cell.text for cell in row.cells]
                rows.append(cells)
                for cell in row.cells:
                    for para in cell.paragraphs:
                        paragraphs.append(("table", para.text))
            tables.append(rows)
    return DocText(paragraphs, tables)


def plain_blocks(markdown: str) -> list[str]:
    """The plain text of each paragraph-like block of a Markdown text (what a reader sees)."""
    blocks = []
    for token in parse(markdown):
        if token.type != "inline":
            continue
        text = ""
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                text += child.content
            elif child.type in ("softbreak", "hardbreak"):
                text += " "
        if text.strip():
            blocks.append(norm(text))
    return blocks


def plain_inline(text: str) -> str:
    """The plain text of a one-line text (an option), read as the documents read it: inline,
    so that '1. Ouders ...' stays a sentence, not a list."""
    from generator.markup import parser

    tokens = parser().parseInline(text)
    children = tokens[0].children if tokens else []
    return norm(
        "".join(c.content if c.type in ("text", "code_inline") else " " if "break" in c.type else "" for c in children or ())
    )


def pdf_bookmarks(pdf: Path) -> list[str]:
    """The titles in the PDF's outline (bookmarks), in order, at every level."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    outline = re.search(r"<outline>.*</outline>", xml, re.DOTALL)
    if outline is None:
        return []
    return [
        norm(unescape(re.sub(r"<[^>]+>", "", m.group(1))))
        for m in re.finditer(r"<item[^>]*>(.*?)</item>", outline.group(0), re.DOTALL)
    ]


def pdf_pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages
