"""Checking .pptx decks with the program facilitators open them with: LibreOffice renders each
deck to PDF; poppler gives the page count and every word's box; python-pptx gives each
slide's shapes. A word must lie on the slide and inside a shape that holds text, and every
text shape must keep all its words inside its own box — text that runs past the bottom of
its placeholder fails both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from html import unescape
from pathlib import Path

EMU_PER_PT = 12700
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TOOLS_MISSING = [name for name in ("pdftotext", "pdfinfo", "pdftoppm") if shutil.which(name) is None] + (
    [] if SOFFICE else ["soffice"]
)


def convert_to_pdf(decks: list[Path], out_dir: Path, processes: int | None = None, timeout: int = 900) -> dict[Path, Path]:
    """Render all ``decks`` to PDF; returns deck → pdf.

    One LibreOffice process converts many files (start-up is the slow part); the decks are
    split, balanced by size, over one process per CPU (each with its own profile), since a
    1000-slide course deck takes LibreOffice over a minute."""
    out_dir.mkdir(parents=True, exist_ok=True)
    processes = processes or max(1, min(4, os.cpu_count() or 1))
    groups: list[list[Path]] = []
    loads: list[int] = []
    for deck in sorted(decks, key=lambda d: (-d.stat().st_size, str(d))):
        # a group may not hold two files with the same name (the PDFs would collide)
        free = [i for i, g in enumerate(groups) if all(other.name != deck.name for other in g)]
        if len(groups) < processes and (not free or min(loads[i] for i in free) > 0):
            groups.append([deck])
            loads.append(deck.stat().st_size)
            continue
        if not free:
            groups.append([deck])
            loads.append(deck.stat().st_size)
            continue
        best = min(free, key=lambda i: loads[i])
        groups[best].append(deck)
        loads[best] += deck.stat().st_size
    result: dict[Path, Path] = {}
    for wave in range(0, len(groups), processes):
        running = []
        for number, group in enumerate(groups[wave : wave + processes], start=wave):
            target = out_dir / f"group{number}"
            target.mkdir(exist_ok=True)
            profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
            command = [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(target),
                *map(str, group),
            ]
            running.append((subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE), group, target, profile))
        for process, group, target, profile in running:
            try:
                _, err = process.communicate(timeout=timeout)
            finally:
                shutil.rmtree(profile, ignore_errors=True)
            assert process.returncode == 0, err.decode(errors="replace")
            for deck in group:
                pdf = target / (deck.stem + ".pdf")
                assert pdf.is_file(), f"LibreOffice did not convert {deck}"
                result[deck] = pdf
    return result


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]


def word_boxes(pdf: Path) -> list[Page]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.DOTALL):
        words = tuple(
            Word(unescape(m.group(5)), float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)))
            for m in re.finditer(
                r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', match.group(3)
            )
        )
        pages.append(Page(float(match.group(1)), float(match.group(2)), words))
    return pages


@dataclass(frozen=True)
class Box:
    """A shape on a slide, in points: its name, box, the words of its text (empty for pictures)."""

    name: str
    x0: float
    y0: float
    x1: float
    y1: float
    words: tuple[str, ...]
    placeholder: bool
    table: bool = False


def _shape_words(shape) -> tuple[str, ...]:
    if shape.has_text_frame:
        return tuple(shape.text_frame.text.split())
    if getattr(shape, "has_table", False) and shape.has_table:
        return tuple(w for row in shape.table.rows for cell in row.cells for w in cell.text.split())
    return ()


def _ungrouped(shapes) -> list:
    """The shapes with every group replaced by its members (a diagram's group keeps its
    members at slide coordinates: child offset and extent equal the group's)."""
    flat = []
    for shape in shapes:
        flat.extend(_ungrouped(list(shape.shapes)) if shape.shape_type == 6 else [shape])  # 6: MSO_SHAPE_TYPE.GROUP
    return flat


def slide_boxes(pptx_path: Path) -> tuple[float, float, list[list[Box]]]:
    from pptx import Presentation

    prs = Presentation(str(pptx_path))
    slides = []
    for slide in prs.slides:
        boxes = []
        fixed = [
            s for s in list(slide.slide_layout.shapes) + list(slide.slide_layout.slide_master.shapes) if not s.is_placeholder
        ]
        for shape in _ungrouped(list(slide.shapes)) + fixed:
            if shape.width is None or shape.left is None:
                continue
            boxes.append(
                Box(
                    shape.name,
                    shape.left / EMU_PER_PT,
                    shape.top / EMU_PER_PT,
                    (shape.left + shape.width) / EMU_PER_PT,
                    (shape.top + shape.height) / EMU_PER_PT,
                    _shape_words(shape),
                    shape.is_placeholder,
                    bool(getattr(shape, "has_table", False) and shape.has_table),
                )
            )
        slides.append(boxes)
    return prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT, slides


def _inside(word: Word, box: Box, scale: float, slack_x: float, slack_y: float) -> bool:
    return (
        word.x0 >= box.x0 * scale - slack_x
        and word.x1 <= box.x1 * scale + slack_x
        and word.y0 >= box.y0 * scale - slack_y
        and word.y1 <= box.y1 * scale + slack_y
    )


def overflow_problems(pptx_path: Path, pdf_path: Path) -> list[str]:
    """Every word off its slide, outside every text shape, or missing from its own shape's box.

    The slack allows for glyph boxes: poppler's box of a word is 1.3 em tall and reaches about
    0.15 em below the line, so a last line that fits may poke that far under its box; a line
    that does not fit lies a whole line (1.2 em) lower."""
    width, height, slides = slide_boxes(pptx_path)
    pages = word_boxes(pdf_path)
    problems = []
    if len(pages) != len(slides):
        return [f"{pdf_path.name}: {len(pages)} pages for {len(slides)} slides"]
    for number, (page, boxes) in enumerate(zip(pages, slides, strict=True), start=1):
        scale = page.width / width
        text_boxes = [b for b in boxes if b.words]
        for word in page.words:
            slack_y = 0.25 * (word.y1 - word.y0)
            if word.x0 < -0.5 or word.y0 < -0.5 or word.x1 > page.width + 0.5 or word.y1 > page.height + 0.5:
                problems.append(f"{pptx_path.name} slide {number}: '{word.text}' lies outside the slide")
            elif not any(_inside(word, box, scale, 2.0, slack_y) for box in text_boxes):
                problems.append(
                    f"{pptx_path.name} slide {number}: '{word.text}' at y={word.y1:.0f}pt lies outside every text shape"
                )
        for box in text_boxes:
            inside = sorted(
                (w for w in page.words if _inside(w, box, scale, 2.0, 0.25 * (w.y1 - w.y0))), key=lambda w: (round(w.y0), w.x0)
            )
            rendered = "".join(w.text for w in inside).casefold()
            expected = "".join(box.words).casefold()  # kickers are in capitals
            if box.table:  # cells are read across rows; compare the characters, not their order
                have = Counter(rendered)
                have.subtract(Counter(expected))
                short = [char for char, n in have.items() if n < 0]
                missing = None if not short else "".join(sorted(short))
            else:
                missing = _first_missing(expected, rendered)
            if missing is not None:
                problems.append(
                    f"{pptx_path.name} slide {number}: the text of shape '{box.name}' is not all inside it "
                    f"(from ...{missing[:30]!r})"
                )
    return problems


def _first_missing(expected: str, rendered: str) -> str | None:
    """None when ``expected`` is a subsequence of ``rendered`` (bullets and numbers may be extra);
    else the expected text from the first character that was not found."""
    position = 0
    for index, char in enumerate(expected):
        found = rendered.find(char, position)
        if found < 0:
            return expected[index:]
        position = found + 1
    return None


def render_pngs(pdf: Path, out_prefix: Path, dpi: int = 50, first: int | None = None, last: int | None = None) -> list[Path]:
    args = ["pdftoppm", "-png", "-r", str(dpi)]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run(args + [str(pdf), str(out_prefix)], check=True)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))


SCHOOL_SESSION = Path(__file__).with_name("school-session.yaml")


def add_school_session(source: Path) -> Path:
    """A copy of the valid fixture course with a session plan for module 02-school (its three
    quiz items as checks: order, match, multiple). The fixture itself has none, so that other
    tests may replace that module's quiz; module 01-basis keeps the default plan."""
    shutil.copy(SCHOOL_SESSION, source / "modules" / "02-school" / "session.yaml")
    return source
