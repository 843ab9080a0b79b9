"""Target 'slides': workshop decks checked with the program that shows them.

One session fixture builds every deck the tests look at (the fixture course, a course that
overflows everywhere, a swapped template that lacks a layout, PowerPoint's plain Office
template, a course in other colours, and the shipped course once it loads), then renders them
all to PDF in one LibreOffice run. The tests read the PDFs (page count, word boxes, pixels)
and the decks (layouts, notes, pictures, proofing language).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from slides_support import TOOLS_MISSING, add_school_session, convert_to_pdf, overflow_problems, page_count, render_pngs
from slides_support.long_course import make_long_course

from generator.build import build_course
from generator.loader import load_course
from generator.outputs import BuildContext
from generator.paths import TEMPLATES_DIR
from generator.targets import slides

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED = ROOT / "course_source"
LAYOUTS = {"title", "section", "content", "two-content", "vignette", "quiz question", "quiz answer", "references"}
OFFICE_TEMPLATE = Path(__import__("pptx").__file__).parent / "templates" / "default.pptx"

OPEN_SANS = (
    "Open Sans" in subprocess.run(["fc-match", "-f", "%{family}", "Open Sans"], capture_output=True, text=True).stdout
    if shutil.which("fc-match")
    else False
)

needs_tools = pytest.mark.skipif(bool(TOOLS_MISSING), reason=f"needs {', '.join(TOOLS_MISSING)} (tests/run.sh installs them)")


@dataclass
class Build:
    source: Path
    out: Path
    warnings: list[str] = field(default_factory=list)
    pdfs: dict[Path, Path] = field(default_factory=dict)

    @property
    def decks(self) -> list[Path]:
        return sorted((self.out / "slides").glob("*.pptx"))

    def deck(self, name: str) -> Path:
        return self.out / "slides" / f"{name}.pptx"


def build_slides(source: Path, out: Path) -> Build:
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.errors]
    [report] = build_course(result.course, source, out, ["slides"], clean=True)
    return Build(source, out, list(report.warnings))


def set_setting(source: Path, old: str, new: str) -> None:
    path = source / "course.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def template_without(names: set[str], target: Path) -> None:
    from pptx import Presentation

    prs = Presentation(str(TEMPLATES_DIR / "slides" / "default.pptx"))
    for layout in [layout for layout in prs.slide_layouts if layout.name in names]:
        prs.slide_layouts.remove(layout)
    prs.save(str(target))


def template_with_font(font: str, target: Path) -> None:
    with zipfile.ZipFile(TEMPLATES_DIR / "slides" / "default.pptx") as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("ppt/theme/"):
                data = data.replace(b'typeface="Calibri"', f'typeface="{font}"'.encode())
            copy.writestr(item, data)


def shipped_loads() -> tuple[bool, str]:
    if not (SHIPPED / "course.yaml").is_file():
        return False, "course_source/course.yaml does not exist yet"
    result = load_course(SHIPPED)
    if result.course is None or result.diagnostics.errors:
        first = result.diagnostics.errors[0] if result.diagnostics.errors else "no course"
        return False, f"course_source/ does not load yet ({first})"
    return True, ""


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> dict[str, Build]:
    if TOOLS_MISSING:
        pytest.skip(f"needs {', '.join(TOOLS_MISSING)}")
    root = tmp_path_factory.mktemp("slides")
    result: dict[str, Build] = {}

    valid = add_school_session(shutil.copytree(FIXTURES / "valid", root / "valid-source"))
    result["valid"] = build_slides(valid, root / "valid")

    result["long"] = build_slides(make_long_course(root, FIXTURES), root / "long")

    swapped = root / "swapped-source"
    shutil.copytree(FIXTURES / "valid", swapped)
    template_without({"vignette", "references"}, swapped / "institute.pptx")
    set_setting(swapped, "template: default", "template: institute.pptx\n    course_deck: false")
    result["swapped"] = build_slides(swapped, root / "swapped")

    office = root / "office-source"
    shutil.copytree(FIXTURES / "valid", office)
    shutil.copy(OFFICE_TEMPLATE, office / "office.pptx")
    set_setting(office, "template: default", "template: office.pptx\n    course_deck: false")
    result["office"] = build_slides(office, root / "office")

    # the same long course on a master whose theme font is Open Sans (taller lines than Carlito)
    if OPEN_SANS:
        open_sans = make_long_course(root, FIXTURES, "open-sans-source")
        template_with_font("Open Sans", open_sans / "open-sans.pptx")
        shutil.copytree(FIXTURES / "fonts" / "open-sans", open_sans / "fonts")  # the template brings its fonts
        set_setting(open_sans, "template: default", "template: open-sans.pptx\n    course_deck: false")
        result["open-sans"] = build_slides(open_sans, root / "open-sans")

    green = root / "green-source"
    shutil.copytree(FIXTURES / "valid", green)
    set_setting(green, 'primary: "#1d4e89"', 'primary: "#2e7d32"')
    set_setting(green, 'accent: "#b5521b"', 'accent: "#6a1b9a"')
    set_setting(green, "template: default", "template: default\n    course_deck: false\n    question_bank: appendix")
    result["green"] = build_slides(green, root / "green")

    ok, _ = shipped_loads()
    if ok:
        result["shipped"] = build_slides(SHIPPED, root / "shipped")

    decks = [deck for b in result.values() for deck in b.decks]
    pdfs = convert_to_pdf(decks, root / "pdf")
    for b in result.values():
        b.pdfs = {deck: pdfs[deck] for deck in b.decks}
    return result


def presentation(path: Path):
    from pptx import Presentation

    return Presentation(str(path))


def slide_title(slide) -> str:
    shape = next((s for s in slide.placeholders if s.name == "Title"), None)
    return shape.text_frame.text if shape is not None else ""


def notes_text(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


# -- plan ----------------------------------------------------------------------------------------


def test_plan_one_deck_per_module_and_one_for_the_course(valid_course):
    context = BuildContext(FIXTURES / "valid", Path("/nonexistent"), TEMPLATES_DIR)
    outputs = slides.plan(valid_course, context)
    assert [o.path for o in outputs] == ["slides/m01-basis.pptx", "slides/m02-school.pptx", "slides/mini-partnerschap.pptx"]
    again = slides.plan(valid_course, context)
    assert [repr(o.fingerprint) for o in outputs] == [repr(o.fingerprint) for o in again]


def test_course_deck_can_be_switched_off(valid_source):
    set_setting(valid_source, "template: default", "template: default\n    course_deck: false")
    course = load_course(valid_source).course
    outputs = slides.plan(course, BuildContext(valid_source, Path("/nonexistent"), TEMPLATES_DIR))
    assert [o.path for o in outputs] == ["slides/m01-basis.pptx", "slides/m02-school.pptx"]


def test_module_fingerprint_ignores_other_modules_and_flashcards(valid_source):
    context = BuildContext(valid_source, Path("/nonexistent"), TEMPLATES_DIR)
    before = {o.path: repr(o.fingerprint) for o in slides.plan(load_course(valid_source).course, context)}
    lesson = valid_source / "modules" / "02-school" / "lessons" / "01-knof-swick.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("Toon belangstelling", "Toon echte belangstelling"), encoding="utf-8"
    )
    cards = valid_source / "modules" / "01-basis" / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("Ouders scheppen", "Ouders maken"), encoding="utf-8")
    after = {o.path: repr(o.fingerprint) for o in slides.plan(load_course(valid_source).course, context)}
    assert before["slides/m01-basis.pptx"] == after["slides/m01-basis.pptx"]
    assert before["slides/m02-school.pptx"] != after["slides/m02-school.pptx"]
    assert before["slides/mini-partnerschap.pptx"] != after["slides/mini-partnerschap.pptx"]


def test_missing_template_is_an_error_that_names_it(valid_source):
    set_setting(valid_source, "template: default", "template: huisstijl.pptx")
    course = load_course(valid_source).course
    problems = slides.check(course, valid_source)
    assert [p.severity for p in problems] == ["error"]
    assert "huisstijl.pptx" in str(problems[0]) and "not found" in str(problems[0])
    with pytest.raises(slides.TemplateError, match="huisstijl.pptx"):
        slides.plan(course, BuildContext(valid_source, Path("/nonexistent"), TEMPLATES_DIR))


# -- rendered by LibreOffice ---------------------------------------------------------------------


@needs_tools
@pytest.mark.parametrize("name", ["valid", "long", "swapped", "office", "open-sans", "green"])
def test_every_deck_opens_with_one_page_per_slide_and_no_overflow(builds, name):
    if name not in builds:
        pytest.skip("Open Sans is not installed (Debian fonts-open-sans)")
    build = builds[name]
    assert build.decks
    problems = []
    for deck in build.decks:
        pdf = build.pdfs[deck]
        assert page_count(pdf) == len(presentation(deck).slides), deck.name
        problems += overflow_problems(deck, pdf)
    assert problems == []


@needs_tools
def test_decks_are_set_in_the_template_font(builds):
    if not OPEN_SANS:
        pytest.skip("Open Sans is not installed (Debian fonts-open-sans), so LibreOffice cannot show it")
    for name, font in (("valid", "Carlito"), ("open-sans", "OpenSans")):
        deck = builds[name].deck("m01-basis")
        fonts = subprocess.run(["pdffonts", str(builds[name].pdfs[deck])], capture_output=True, text=True, check=True).stdout
        assert font in fonts, fonts


@needs_tools
def test_each_layout_is_used(builds):
    used = {slide.slide_layout.name for deck in builds["valid"].decks for slide in presentation(deck).slides}
    assert used == LAYOUTS


@needs_tools
def test_long_text_continues_on_follow_up_slides(builds):
    prs = presentation(builds["long"].deck("m01-basis"))
    titles = [slide_title(s) for s in prs.slides]
    for start in (
        "Een lange lijst met geneste punten",
        "Genummerde stappen",
        "Een heel lange alinea",
        "Een lange tabel met tekst erna",
    ):
        follow = [t for t in titles if t.startswith(start) and t.endswith("(vervolg)")]
        assert follow, (start, titles)
    assert titles.count("Bronnen") == 1 and not [t for t in titles if t.startswith("Bronnen (")]  # one short list
    # every item of the long list is on some slide, in order
    texts = "\n".join(
        s.placeholders[1].text_frame.text
        for s in prs.slides
        if slide_title(s).startswith("Een lange lijst") and 1 in [p.placeholder_format.idx for p in s.placeholders]
    )
    numbers = [int(n) for n in re.findall(r"^Punt (\d+):", texts, re.MULTILINE)]
    assert numbers == list(range(1, 31))
    # a numbered list keeps counting on its follow-up slide
    step_slides = [s for s in prs.slides if slide_title(s).startswith("Genummerde stappen (vervolg)")]
    xml = step_slides[0].placeholders[1]._element.xml
    assert re.search(r'startAt="([2-9]|1[0-5])"', xml)
    # a table split over slides repeats its header row
    table_slides = [
        s
        for s in prs.slides
        if slide_title(s).startswith("Een lange tabel")
        and any(getattr(sh, "has_table", False) and sh.has_table for sh in s.shapes)
    ]
    assert len(table_slides) >= 2
    for slide in table_slides:
        table = next(sh.table for sh in slide.shapes if getattr(sh, "has_table", False) and sh.has_table)
        assert table.cell(0, 0).text == "Nummer"
    # '---' in a section starts a new slide
    assert "Handmatige dia-einden (vervolg)" in titles


@needs_tools
def test_every_slide_has_speaker_notes_and_sections_carry_the_script(builds):
    for build in (builds["valid"], builds["long"]):
        for deck in build.decks:
            for number, slide in enumerate(presentation(deck).slides, start=1):
                assert notes_text(slide).strip(), f"{deck.name} slide {number} has no notes"
    slides_ = list(presentation(builds["valid"].deck("m01-basis")).slides)
    by_title = {slide_title(s): s for s in slides_}
    notes = notes_text(by_title["Ouderschap"])
    assert "Tijd: 5 minuten" in notes
    assert "Vraag de groep naar voorbeelden uit de stage." in notes
    assert "Groepswerk: bespreek in tweetallen." in notes
    vignette = [s for s in slides_ if s.slide_layout.name == "vignette"]
    assert len(vignette) == 3  # situation, assignment, discussion
    # the model answer is in the notes of the discussion slide, and nowhere else
    assert ["Bel de moeder zelf op." in notes_text(s) for s in vignette] == [False, False, True]
    quiz = [s for s in slides_ if s.slide_layout.name in ("quiz question", "quiz answer")]
    assert len(quiz) == 2
    assert "Juist, de vader schept thuis voorwaarden om te leren." in notes_text(quiz[1])
    assert "Juist, de vader schept" not in notes_text(quiz[0])  # the question's notes do not give it away


@needs_tools
def test_default_session_follows_the_lesson_with_a_check_and_its_case_then_closes(builds):
    """m01-basis has no session.yaml: the default plan (agenda, objectives, the lesson, one check,
    its case, the closing, one references slide)."""
    layouts = [s.slide_layout.name for s in presentation(builds["valid"].deck("m01-basis")).slides]
    assert layouts == [
        "title",
        "content",
        "content",
        "section",
        "two-content",
        "content",
        "quiz question",
        "quiz answer",
        "vignette",
        "vignette",
        "vignette",
        "content",
        "references",
    ]


@needs_tools
def test_quiz_slides_show_labels_pairs_and_a_shuffled_order(builds):
    m01 = list(presentation(builds["green"].deck("m01-basis-vragenbank")).slides)  # the opt-in question bank
    truefalse = [s for s in m01 if s.slide_layout.name == "quiz question"][1]
    assert re.search(r"^Waar$", truefalse.placeholders[1].text_frame.text, re.MULTILINE)
    assert re.search(r"^Niet waar$", truefalse.placeholders[1].text_frame.text, re.MULTILINE)
    answer = [s for s in m01 if s.slide_layout.name == "quiz answer"][1]
    assert "Juist antwoord: Waar" in answer.placeholders[1].text_frame.text
    m02 = list(presentation(builds["valid"].deck("m02-school")).slides)
    order_q, _ = [s.placeholders[1].text_frame.text.splitlines() for s in m02 if s.slide_layout.name == "quiz question"]
    assert order_q[1:] != ["Kennismaken", "Belangstelling tonen", "Samen doelen stellen"]
    assert sorted(order_q[1:]) == sorted(["Kennismaken", "Belangstelling tonen", "Samen doelen stellen"])
    # matching: the numbered left column and the lettered right column on one slide, side by side
    [match] = [s for s in m02 if s.slide_layout.name == "two-content"]
    left, right = (
        shape.text_frame.text.splitlines()
        for shape in sorted(match.placeholders, key=lambda p: p.left)
        if shape.placeholder_format.idx in (1, 2)
    )
    assert {"Huisbezoek", "Nieuwsbrief"} <= set(left) and sorted(right) == ["Elkaar leren kennen", "Informeren"]
    match_a = [s for s in m02 if s.slide_layout.name == "quiz answer"][1].placeholders[1].text_frame.text
    letters = {text: chr(ord("A") + i) for i, text in enumerate(right)}
    assert f"1 → {letters['Elkaar leren kennen']}: Elkaar leren kennen" in match_a
    assert f"2 → {letters['Informeren']}: Informeren" in match_a


def test_choice_slides_show_the_options_in_the_shared_shuffled_order(builds, valid_course):
    from generator.shuffle import shown_options

    m01 = list(presentation(builds["valid"].deck("m01-basis")).slides)
    item = valid_course.modules[0].quiz[0]
    assert item.type == "single"
    lines = [s for s in m01 if s.slide_layout.name == "quiz question"][0].placeholders[1].text_frame.text.splitlines()
    shown = [o.text for o in shown_options(item)]
    assert [line for line in lines if line in shown] == shown
    assert shown != [o.text for o in item.options], "the fixture item is one whose author order is not the one shown"


@needs_tools
def test_pictures_are_embedded_with_their_description(builds, valid_course):
    slides_ = list(presentation(builds["valid"].deck("m01-basis")).slides)
    logo = valid_course.images["images/logo.png"].data
    title_pictures = [s for s in slides_[0].shapes if s.shape_type == 13]
    assert [p.image.blob for p in title_pictures] == [logo]
    section = next(s for s in slides_ if slide_title(s) == "Ouderschap")
    pictures = [s for s in section.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0].image.blob == logo
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == "Logo van de cursus"
    body2 = [p for p in section.slide_layout.placeholders if p.placeholder_format.idx == 2][0]
    assert body2.left <= pictures[0].left and pictures[0].left + pictures[0].width <= body2.left + body2.width + 1
    assert body2.top <= pictures[0].top and pictures[0].top + pictures[0].height <= body2.top + body2.height + 1


@needs_tools
def test_every_run_has_the_dutch_proofing_language(builds):
    for deck in builds["valid"].decks:
        with zipfile.ZipFile(deck) as archive:
            for name in archive.namelist():
                if not re.match(r"ppt/(slides|notesSlides)/\w+\.xml$", name):
                    continue
                xml = archive.read(name).decode()
                runs = re.findall(r"<a:(?:rPr|endParaRPr)\b[^>]*>", xml)
                assert runs, name
                assert all('lang="nl-NL"' in r for r in runs), (deck.name, name)


@needs_tools
def test_swapped_template_missing_a_layout_falls_back_and_warns(builds):
    build = builds["swapped"]
    assert any("'vignette'" in w and "institute.pptx" in w and "'content'" in w for w in build.warnings), build.warnings
    assert any("'references'" in w for w in build.warnings), build.warnings
    assert len(build.warnings) == 2
    slides_ = list(presentation(build.deck("m01-basis")).slides)
    cases = [s for s in slides_ if slide_title(s).startswith("Casus")]
    assert [s.slide_layout.name for s in cases] == ["content", "content", "content"]
    assert slide_title(cases[0]) == "Casus · Een moeder die niet komt"
    assert "Basisschool, groep 3" in cases[0].placeholders[1].text_frame.text
    assert slides_[-1].slide_layout.name == "content" and slide_title(slides_[-1]) == "Bronnen"


@needs_tools
def test_plain_office_template_is_matched_by_its_usual_layout_names(builds):
    build = builds["office"]
    names = [s.slide_layout.name for s in presentation(build.deck("m01-basis")).slides]
    assert names[:5] == ["Title Slide", "Title and Content", "Title and Content", "Section Header", "Two Content"]
    assert sorted(w.split("no layout '")[1].split("'")[0] for w in build.warnings) == [
        "quiz answer",
        "quiz question",
        "references",
        "vignette",
    ]


@needs_tools
def test_theme_colours_come_from_the_course(builds):
    from PIL import Image

    for name, primary, accent in (
        ("valid", (0x1D, 0x4E, 0x89), (0xB5, 0x52, 0x1B)),
        ("green", (0x2E, 0x7D, 0x32), (0x6A, 0x1B, 0x9A)),
    ):
        deck = builds[name].deck("m01-basis")
        out = builds[name].out / "png" / "title"
        out.parent.mkdir(exist_ok=True)
        png = render_pngs(builds[name].pdfs[deck], out, dpi=20, first=1, last=1)[0]
        with Image.open(png) as image:
            rgb = image.convert("RGB")
            width, height = rgb.size
            panel = rgb.getpixel((width // 8, height // 3))
            strip = rgb.getpixel((width // 2, int(height * 4.92 / 7.5)))
        assert all(abs(a - b) <= 6 for a, b in zip(panel, primary, strict=True)), (name, panel)
        assert all(abs(a - b) <= 6 for a, b in zip(strip, accent, strict=True)), (name, strip)


@needs_tools
def test_same_source_same_bytes(builds, tmp_path, monkeypatch):
    first = builds["valid"]
    second = build_slides(first.source, tmp_path / "again")
    for deck in first.decks:
        assert deck.read_bytes() == (second.out / "slides" / deck.name).read_bytes(), deck.name
    with zipfile.ZipFile(first.decks[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>' in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    third = build_slides(first.source, tmp_path / "epoch")
    with zipfile.ZipFile(third.decks[0]) as archive:
        assert "2023-11-14T22:13:20Z" in archive.read("docProps/core.xml").decode()


def test_english_course_uses_the_english_wording(valid_source, tmp_path):
    set_setting(valid_source, "language: nl", "language: en")
    set_setting(valid_source, "template: default", "template: default\n    course_deck: false")
    build = build_slides(valid_source, tmp_path / "out")
    prs = presentation(build.deck("m01-basis"))
    titles = [slide_title(s) for s in prs.slides]
    assert "Learning objectives" in titles and "References" in titles
    xml = prs.slides[2].placeholders[1]._element.xml  # the objectives (slide 2 is the programme)
    assert 'lang="en-GB"' in xml and 'lang="nl-NL"' not in xml


# -- measuring -----------------------------------------------------------------------------------


def test_wrapping_counts_lines_by_font_metrics():
    from generator.targets.slides.blocks import Run
    from generator.targets.slides.measure import TextStyle, text_width, wrap

    style = TextStyle(24, "Carlito")
    word = text_width("ouderbetrokkenheid", 24, "Carlito")
    assert 150 < word < 220  # Carlito's real advance widths, not a per-character guess
    assert text_width("iiii", 24, "Carlito") < text_width("MMMM", 24, "Carlito") / 2
    assert wrap((Run("een twee drie"),), 1000, style) == (0,)
    assert len(wrap((Run(" ".join(["ouderbetrokkenheid"] * 10)),), word * 3.5, style)) == 4
    assert wrap((Run("een"), Run("\n"), Run("twee")), 1000, style) == (0, 4)
    long_url = "https://example.org/" + "x" * 200
    assert len(wrap((Run(long_url),), 300, style)) > 1


# -- the shipped course --------------------------------------------------------------------------


@needs_tools
def test_shipped_course_decks_render_without_overflow_and_with_notes(builds):
    ok, reason = shipped_loads()
    if not ok:
        pytest.skip(f"shipped course not ready: {reason}")
    build = builds["shipped"]
    course = load_course(SHIPPED).course
    expected = {f"{m.id}.pptx" for m in course.modules}
    if course.settings("slides").get("course_deck", True):
        expected.add(f"{course.id}.pptx")
    assert {d.name for d in build.decks} == expected
    problems = []
    for deck in build.decks:
        prs = presentation(deck)
        assert page_count(build.pdfs[deck]) == len(prs.slides), deck.name
        problems += overflow_problems(deck, build.pdfs[deck])
        for number, slide in enumerate(prs.slides, start=1):
            if not notes_text(slide).strip():
                problems.append(f"{deck.name} slide {number}: no speaker notes")
    assert problems == []


# -- the template ---------------------------------------------------------------------------------


def test_default_template_is_what_its_script_builds():
    import importlib.util

    script = TEMPLATES_DIR / "slides" / "make_default_template.py"
    spec = importlib.util.spec_from_file_location("make_default_template", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build_default_template() == (TEMPLATES_DIR / "slides" / "default.pptx").read_bytes(), (
        "run templates/slides/make_default_template.py"
    )
    prs = presentation(TEMPLATES_DIR / "slides" / "default.pptx")
    assert {layout.name for layout in prs.slide_layouts} == LAYOUTS
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)


@needs_tools
def test_links_stay_clickable(builds):
    prs = presentation(builds["long"].deck("m01-basis"))
    targets = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        if run.hyperlink.address:
                            targets.append((run.text, run.hyperlink.address))
    assert ("de bron", "https://example.org/een/heel/lang/pad/dat/nergens/past/zonder/breken/" + "x" * 40) in targets


def test_svg_image_is_reported_and_its_description_shown(valid_source, tmp_path):
    (valid_source / "images" / "schema.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>', encoding="utf-8"
    )
    lesson = valid_source / "modules" / "01-basis" / "lessons" / "01-epstein.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace(
            "| Vorm | Voorbeeld |", "![Schema van de typen](../../../images/schema.svg)\n\n| Vorm | Voorbeeld |"
        ),
        encoding="utf-8",
    )
    set_setting(valid_source, "template: default", "template: default\n    course_deck: false")
    build = build_slides(valid_source, tmp_path / "out")
    assert any("schema.svg" in w and "SVG" in w for w in build.warnings), build.warnings
    slides_ = list(presentation(build.deck("m01-basis")).slides)
    slide = next(s for s in slides_ if slide_title(s) == "Communiceren")
    assert "[Afbeelding: Schema van de typen]" in slide.placeholders[1].text_frame.text


def test_the_default_template_has_every_layout(tmp_path):
    """check_template skips the layout check for our own master; this is why it may."""
    from generator.paths import TEMPLATES_DIR
    from generator.targets.slides.template import Template, template_source

    source = template_source("default", tmp_path, TEMPLATES_DIR)
    assert source.is_default
    assert Template(source, TEMPLATES_DIR).missing() == []
