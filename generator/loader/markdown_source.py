"""Markdown in the source: front matter, ``##`` sections, facilitator notes, citations, checks."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from .. import diagrams
from ..diagnostics import Diagnostics
from ..markup import is_safe_url, parser
from ..model import Image, Markdown, Reference, SourceLoc
from ..portable import spelled_on_disk
from ..suggest import did_you_mean
from .files import IMAGE_TYPES, MAX_IMAGE_BYTES, SourceTree
from .images import image_problem
from .limits import check_markdown_limits

SECTION_HEADING = re.compile(r"^##(?!#)\s*(?P<title>.*?)\s*(?:\{#(?P<id>[^}]*)\})?\s*$")
NOTES_OPEN = re.compile(r"^:::\s*notes\b\s*(?P<rest>.*?)\s*$")
NOTES_MINUTES = re.compile(r"^(?P<n>\d+)\s*(?:min|minuten|minutes)?$")
NOTES_CLOSE = re.compile(r"^:::\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
CITATION = re.compile(r"\[(?P<keys>-?@[^\]\s;]+(?:\s*;\s*-?@[^\]\s;]+)*)\]")
NARRATIVE = re.compile(r"(?<![\w@\[/.])@(?P<key>[a-z][a-z0-9-]*[a-z0-9])")
MAX_LIST_DEPTH = 4
# Text the checks below could object to: '<' (HTML, autolinks), '](' (links, images), or a
# list item indented deep enough to be nested past MAX_LIST_DEPTH. An entity ('&lt;') only
# ever becomes text, or part of a link target, which needs '](' or ']:' anyway.
NEEDS_PARSE = re.compile(r"<|\]\s*[(\[:]|^(?: {6,}| *\t[ \t]*)\S", re.MULTILINE)
LOOKS_LIKE_KEY = re.compile(r"-(?:19|20)\d\d[a-z]?$|-zd$")


@dataclass
class RawSection:
    title: str
    id: str
    loc: SourceLoc
    body: str
    body_line: int
    notes: str | None
    notes_minutes: int | None
    notes_line: int


def split_front_matter(text: str, rel: str, diag: Diagnostics) -> tuple[str | None, str, int]:
    """Returns (front matter text or None, body, line number of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        diag.error(
            SourceLoc(rel, 1, 1), "a lesson must start with front matter: a line '---', the lesson's fields, and another '---'"
        )
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    diag.error(SourceLoc(rel, 1, 1), "front matter is not closed: add a line '---' after the lesson's fields")
    return None, "", len(lines)


def split_sections(body: str, first_line: int, rel: str, diag: Diagnostics) -> list[RawSection]:
    sections: list[RawSection] = []
    current: RawSection | None = None
    in_fence = False
    in_notes = False
    notes_lines: list[str] = []
    body_lines: list[str] = []

    def finish() -> None:
        if current is not None:
            # Leading blank lines are dropped, so the body's first line moves down with them.
            while body_lines and not body_lines[0].strip():
                body_lines.pop(0)
                current.body_line += 1
            current.body = "\n".join(body_lines).rstrip()
            if current.notes is not None:
                while notes_lines and not notes_lines[0].strip():
                    notes_lines.pop(0)
                    current.notes_line += 1
                current.notes = "\n".join(notes_lines).rstrip()

    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and not in_notes and (match := SECTION_HEADING.match(line)):
            finish()
            if current is not None:
                sections.append(current)
            title, section_id = match["title"], (match["id"] or "").strip()
            loc = SourceLoc(rel, number, 1)
            if not title:
                diag.error(loc, "section heading has no title")
            if not section_id:
                diag.error(loc, f"section '{title}' has no id; write it as '## {title} {{#een-id}}'")
            current = RawSection(title, section_id, loc, "", number + 1, None, None, number)
            body_lines, notes_lines = [], []
            continue
        if not in_fence and not in_notes and (opening := NOTES_OPEN.match(line)):
            loc = SourceLoc(rel, number, 1)
            if current is None:
                diag.error(loc, "facilitator notes must be inside a '## ' section")
                current = RawSection("", "", loc, "", number, None, None, number)
            elif current.notes is not None:
                diag.error(loc, f"section '{current.title}' already has facilitator notes; use one '::: notes' block per section")
            rest = opening["rest"]
            minutes = None
            if rest:
                found = NOTES_MINUTES.match(rest)
                if found:
                    minutes = int(found["n"])
                else:
                    diag.error(loc, f"cannot read the timing '{rest}'; write for example '::: notes 5 min'")
            current.notes, current.notes_minutes, current.notes_line = "", minutes, number + 1
            notes_lines = []
            in_notes = True
            continue
        if in_notes and NOTES_CLOSE.match(line):
            in_notes = False
            continue
        if in_notes:
            notes_lines.append(line)
        elif current is None:
            if line.strip():
                diag.error(
                    SourceLoc(rel, number, 1),
                    "text before the first '## ' section heading; every part of a lesson belongs to a section",
                )
                current = RawSection("", "", SourceLoc(rel, number, 1), "", number, None, None, number)
                body_lines = [line]
        else:
            body_lines.append(line)
    if in_notes and current is not None:
        diag.error(SourceLoc(rel, current.notes_line - 1, 1), "facilitator notes are not closed: add a line ':::' after them")
    finish()
    if current is not None:
        sections.append(current)
    return sections


class MarkdownReader:
    """Turns source text into checked ``Markdown`` values: citations resolved, images collected."""

    def __init__(self, tree: SourceTree, references: dict[str, Reference], language: str, diag: Diagnostics) -> None:
        self.tree = tree
        self.references = references
        self.language = language
        self.diag = diag
        self.images: dict[str, Image] = {}
        self.cited: dict[str, SourceLoc] = {}

    def read(self, text: str, rel: str, loc: SourceLoc, citations: list[str] | None = None) -> Markdown:
        """Check ``text`` (found at ``loc`` in file ``rel``) and resolve its citations.

        Keys cited are appended to ``citations`` when given."""
        text = text if isinstance(text, str) else str(text)
        check_markdown_limits(text, loc, self.diag)
        base = posixpath.dirname(rel)
        resolved = self._resolve_citations(text, loc, citations)
        self._check(resolved, text, base, loc)
        for line, message in diagrams.problems_in(resolved):
            self.diag.error(SourceLoc(loc.path, loc.line + line, 1), message)
        return Markdown(resolved, base, loc)

    def _line_loc(self, text: str, index: int, loc: SourceLoc) -> SourceLoc:
        line = text.count("\n", 0, index)
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        return SourceLoc(loc.path, loc.line + line, col if line else loc.col + col - 1)

    def cite(self, key: str, loc: SourceLoc, citations: list[str] | None) -> Reference | None:
        ref = self.references.get(key)
        if ref is None:
            hint = did_you_mean(key, self.references) or " (add it to references.yaml)"
            self.diag.error(loc, f"unknown bibliography key '{key}'{hint}", about=f"reference:{key}")
            return None
        self.cited.setdefault(key, loc)
        if citations is not None and key not in citations:
            citations.append(key)
        return ref

    def _resolve_citations(self, text: str, loc: SourceLoc, citations: list[str] | None) -> str:
        def parenthetical(match: re.Match) -> str:
            parts = []
            for raw in re.split(r"\s*;\s*", match["keys"]):
                year_only = raw.startswith("-")
                key = raw.lstrip("-").lstrip("@")
                ref = self.cite(key, self._line_loc(text, match.start(), loc), citations)
                if ref is None:
                    return match.group(0)
                parts.append(ref.year if year_only else f"{ref.cite}, {ref.year}")
            return "(" + "; ".join(parts) + ")"

        def narrative(match: re.Match) -> str:
            key = match["key"]
            # '@' followed by a word is only a citation when it names a key, or looks like
            # one (ends in a year); anything else (a handle, a word) stays as written.
            if key not in self.references and not LOOKS_LIKE_KEY.search(key):
                return match.group(0)
            ref = self.cite(key, self._line_loc(text, match.start(), loc), citations)
            if ref is None:  # reported
                return match.group(0)
            names = ref.cite.replace(" & ", " en ") if self.language == "nl" else ref.cite.replace(" & ", " and ")
            return f"{names} ({ref.year})"

        return NARRATIVE.sub(narrative, CITATION.sub(parenthetical, text))

    def _check(self, text: str, original: str, base: str, loc: SourceLoc) -> None:
        if not NEEDS_PARSE.search(text):
            return  # no HTML, link, image or deep list is possible: skip the (slow) parse
        tokens = parser(html=True).parse(text)
        windows_paths = self._windows_image_paths(text, loc)
        depth = 0
        for token in tokens:
            line_loc = SourceLoc(loc.path, loc.line + (token.map[0] if token.map else 0), 1)
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
                if depth == MAX_LIST_DEPTH + 1:
                    self.diag.error(line_loc, f"lists are nested {depth} deep; at most {MAX_LIST_DEPTH} levels fit on a slide")
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            if token.type == "html_block":
                self.diag.error(line_loc, "raw HTML is not allowed in the course source; use Markdown")
            for child in token.children or ():
                if child.type == "html_inline":
                    self.diag.error(
                        line_loc, f"raw HTML '{child.content[:40]}' is not allowed in the course source; use Markdown"
                    )
                elif child.type == "link_open":
                    href = str(child.attrGet("href") or "")
                    if not is_safe_url(href):
                        self.diag.error(line_loc, f"link '{href[:60]}' is not allowed: only http:, https: and mailto: links")
                elif child.type == "image" and str(child.attrGet("src") or "") not in windows_paths:
                    self.check_image(str(child.attrGet("src") or ""), base, line_loc)
        # markdown-it refuses unsafe link targets, leaving them as text; still report them
        for match in re.finditer(r"\]\(\s*<?\s*(javascript|vbscript|data|file):", text, re.IGNORECASE):
            self.diag.error(
                self._line_loc(text, match.start(), loc),
                f"link target '{match.group(1)}:' is not allowed: only http:, https: and mailto: links",
            )

    def _windows_image_paths(self, text: str, loc: SourceLoc) -> set[str]:
        """Report image paths written with backslashes (Markdown reads a backslash as an escape,
        so they would arrive mangled); returns the mangled forms, which need no second error."""
        mangled: set[str] = set()
        for match in re.finditer(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]*\\[^)\s>]*)", text):
            raw = match.group(1)
            where = self._line_loc(text, match.start(), loc)
            if re.match(r"^([a-zA-Z]:|\\\\)", raw):
                self.diag.error(
                    where, f"image path '{raw}' is an absolute Windows path; write it relative to this file, with forward slashes"
                )
            else:
                self.diag.error(
                    where,
                    f"image path '{raw}' uses backslashes; write it with forward slashes "
                    f"('{raw.replace(chr(92), '/')}'), which work on Windows, macOS and Linux",
                )
            for token in parser().parse(f"![]({raw})"):
                for child in token.children or ():
                    if child.type == "image":
                        mangled.add(str(child.attrGet("src") or ""))
        return mangled

    def check_image(self, src: str, base: str, loc: SourceLoc) -> None:
        if re.match(r"^[a-zA-Z]:[\\/]", src):
            self.diag.error(loc, f"image path '{src}' is absolute (a Windows drive); write it relative to this file")
            return
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src):
            self.diag.error(
                loc, f"image '{src[:60]}' must be a file in the course source (no web addresses: the course must work offline)"
            )
            return
        if src.startswith("/") or re.match(r"^[a-zA-Z]:\\", src):
            self.diag.error(loc, f"image path '{src}' is absolute; write it relative to this file")
            return
        rel = posixpath.normpath(posixpath.join(base, src))
        if rel.startswith("../") or rel == "..":
            self.diag.error(loc, f"image '{src}' lies outside the course source folder")
            return
        suffix = Path(rel).suffix.lower()
        if suffix not in IMAGE_TYPES:
            self.diag.error(loc, f"image '{src}' has an unsupported type; use {', '.join(sorted(IMAGE_TYPES))}")
            return
        path = self.tree.root / rel
        if not self.tree.inside(path):
            self.diag.error(loc, f"image '{src}' lies outside the course source folder")
            return
        spelled = spelled_on_disk(self.tree.root, rel)
        if spelled:
            self.diag.error(
                loc,
                f"image '{src}' not found: the file is '{spelled}'; write its capitals exactly so "
                f"(Linux and web servers tell them apart)",
            )
            return
        if not path.is_file():
            self.diag.error(loc, f"image '{src}' not found (looked for '{rel}')")
            return
        if rel in self.images:
            return
        data = self.tree.read_bytes(path, MAX_IMAGE_BYTES)
        if data is None:
            self.diag.error(loc, f"image '{src}' is {path.stat().st_size / 1_000_000:.1f} MB; an image may be at most 5 MB")
            return
        problem = image_problem(data, IMAGE_TYPES[suffix])
        if problem:
            self.diag.error(loc, f"image '{src}' {problem}")
            return
        self.images[rel] = Image(rel, data, IMAGE_TYPES[suffix])
