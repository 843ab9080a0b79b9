"""Target 'docx': the facilitator guide and the participant handout of every module, read back
with python-docx and validated against the ISO/IEC 29500 schemas. (LibreOffice renders them in
tests/test_docx_render.py.)

One session fixture builds the shipped course (16 documents), the small fixture course, and
the fixture course on an institute's own Word template.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx_support import HEADING_STYLES, norm, plain_blocks, plain_inline, read_docx
from docx_support.ooxml import SCHEMAS, validate_docx

from generator.build import build_course
from generator.loader import load_course
from generator.paths import TEMPLATES_DIR
from generator.targets import docx as docx_target
from generator.targets.docx import checks
from generator.targets.docx.session import session_of
from generator.targets.docx.wording import load_wording

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED = ROOT / "course_source"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Built:
    source: Path
    out: Path
    course: object
    warnings: list[str]

    def document(self, module, kind: str) -> Path:
        words = load_wording(TEMPLATES_DIR, self.course.language)
        return self.out / docx_target.file_name(words, module.id, kind)

    @property
    def documents(self) -> list[Path]:
        return sorted((self.out / "docx").glob("*.docx"))


def build_docx(source: Path, out: Path) -> Built:
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.errors]
    [report] = build_course(result.course, source, out, ["docx"], clean=True)
    return Built(source, out, result.course, list(report.warnings))


def set_setting(source: Path, old: str, new: str) -> None:
    path = source / "course.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def with_docx_settings(source: Path, settings: str) -> None:
    set_setting(source, "targets:\n", f"targets:\n  docx:\n{settings}")


def institute_template(target: Path) -> None:
    """A Word template as an institute has it: python-docx's own default (US Letter, Word's
    built-in styles, none of ours), with a red Heading 1."""
    from docx import Document
    from docx.shared import RGBColor

    doc = Document()
    doc.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    doc.add_paragraph("Voorbeeldtekst die verdwijnt")
    doc.save(str(target))


@pytest.fixture(scope="session")
def builds(tmp_path_factory) -> dict[str, Built]:
    root = tmp_path_factory.mktemp("docx")
    result = {"shipped": build_docx(SHIPPED, root / "shipped"), "valid": build_docx(FIXTURES / "valid", root / "valid")}
    institute = root / "institute-source"
    shutil.copytree(FIXTURES / "valid", institute)
    (institute / "huisstijl").mkdir()
    institute_template(institute / "huisstijl" / "instituut.docx")
    with_docx_settings(institute, "    template: huisstijl/instituut.docx\n    start_time: '13:30'\n")
    result["institute"] = build_docx(institute, root / "institute")
    return result


def _modules(built: Built):
    return list(built.course.modules)


# -- what is built ------------------------------------------------------------------------------


def test_the_shipped_course_builds_a_guide_and_a_handout_per_module(builds):
    built = builds["shipped"]
    names = [p.name for p in built.documents]
    assert len(names) == 16
    for module in _modules(built):
        assert f"{module.id}-draaiboek.docx" in names and f"{module.id}-werkboek.docx" in names


def test_every_document_opens_with_python_docx_and_has_its_headings(builds):
    for built in builds.values():
        for path in built.documents:
            doc = read_docx(path)
            levels = [level for level, _ in doc.headings]
            assert levels and levels[0] == 1, path.name
            # a heading never skips a level (the navigation pane nests them)
            assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), path.name


def test_heading_styles_have_outline_levels_and_the_timetable_a_header_row(builds):
    from docx import Document

    for built in (builds["shipped"], builds["institute"]):
        module = _modules(built)[0]
        doc = Document(str(built.document(module, "guide")))
        for name in HEADING_STYLES:
            style = doc.styles[name].element
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            # Word's built-in heading styles carry their level by name; ours say it too
            assert outline is not None or built is builds["institute"], name
        timetable = doc.tables[0]
        first_row = timetable.rows[0]._tr
        assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
        assert timetable._tbl.tblPr.find(f"{W}tblLook").get(f"{W}firstRow") == "1"
        assert [c.text for c in timetable.rows[0].cells] == ["Tijd", "Duur", "Activiteit", "Werkvorm", "Dia's", "Materiaal"]


# -- the timetable ------------------------------------------------------------------------------


def _minutes(cell: str) -> int:
    return int(re.match(r"(\d+) min", cell).group(1))


def _clock(cell: str) -> int:
    hours, minutes = cell.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize("name", ["shipped", "valid", "institute"])
def test_the_timetable_adds_up_to_the_session_duration(builds, name):
    built = builds[name]
    start = "13:30" if name == "institute" else "09:00"
    for module in _modules(built):
        plan = session_of(module)
        table = read_docx(built.document(module, "guide")).tables[0]
        rows, end = table[1:-1], table[-1]
        assert sum(_minutes(row[1]) for row in rows) == plan.minutes, module.id
        assert _minutes(end[1]) == plan.minutes
        assert rows[0][0] == start
        clock = _clock(start)
        for row in rows:  # every row starts when the one before it ends
            assert _clock(row[0]) == clock, (module.id, row)
            clock += _minutes(row[1])
        assert _clock(end[0]) == clock
        # every case, check and lesson of the plan has its row
        activities = " ".join(row[2] for row in rows)
        for part in plan.parts:
            if part.kind == "case":
                title = next(v.title for v in module.vignettes if v.id == part.vignette)
                assert title in activities
            if part.kind == "lesson":
                title = next(lesson.title for lesson in module.lessons if lesson.id == part.lesson)
                assert title in activities


# -- answers in the guide, never in the handout -------------------------------------------------


def _plan_items(module):
    plan = session_of(module)
    quiz = {q.id: q for q in module.quiz}
    vignettes = {v.id: v for v in module.vignettes}
    items = [quiz[i] for p in plan.parts if p.kind == "check" for i in p.items]
    cases = [(vignettes[p.vignette], p) for p in plan.parts if p.kind == "case"]
    return items, cases


def _answer_texts(item) -> list[str]:
    """Every text that gives an answer away: the feedback on any option, the item's feedback
    and the why of the key (at least 25 characters, so that no short common phrase counts)."""
    texts = [o.feedback for o in item.options] + [item.feedback_correct, item.feedback_incorrect]
    words = load_wording(TEMPLATES_DIR, "nl")
    texts.append(checks.key(item, words).why)
    blocks = [checks.without_verdict(b) for t in texts if t for b in plain_blocks(t)]
    return [b for b in blocks if len(re.sub(r"\([^()]*\)", "", b).strip(" .")) >= 25]


@pytest.mark.parametrize("name", ["shipped", "valid"])
def test_every_check_and_case_is_in_the_guide_with_its_answer(builds, name):
    built = builds[name]
    words = load_wording(TEMPLATES_DIR, built.course.language)
    for module in _modules(built):
        guide = read_docx(built.document(module, "guide")).text
        items, cases = _plan_items(module)
        assert items and cases or name != "shipped", module.id
        for item in items:
            for block in plain_blocks(item.question.text):
                assert block in guide, (module.id, item.id)
            key = checks.key(item, words)
            for line in key.answers:
                assert norm(" ".join(plain_blocks(line))) in guide, (module.id, item.id, line)
            if key.why:
                assert norm(" ".join(plain_blocks(key.why))) in guide, (module.id, item.id)
        for vignette, part in cases:
            for text in (vignette.situation.text, vignette.model_answer.text, *part.task):
                for block in plain_blocks(text):
                    assert block in guide, (module.id, vignette.id, block[:40])


def _handout_content(module) -> str:
    """What the handout is meant to hold: the plan's lesson texts, questions, options, cases."""
    plan = session_of(module)
    items, cases = _plan_items(module)
    lessons = {p.lesson for p in plan.parts if p.kind == "lesson"}
    texts = [s.body.text for lesson in module.lessons if lesson.id in lessons for s in lesson.sections]
    texts += [i.question.text for i in items] + [o.text for i in items for o in i.options]
    texts += [v.situation.text for v, _ in cases] + [q for _, p in cases for q in p.task]
    texts += [m.text if hasattr(m, "text") else m for p in plan.parts if p.kind == "closing" for m in getattr(p, "messages", ())]
    return norm(" ".join(b for t in texts for b in plain_blocks(t)))


@pytest.mark.parametrize("name", ["shipped", "valid"])
def test_the_handout_has_every_check_and_case_without_answers(builds, name):
    built = builds[name]
    for module in _modules(built):
        handout_doc = read_docx(built.document(module, "handout"))
        handout = handout_doc.text
        items, cases = _plan_items(module)
        for item in items:
            for block in plain_blocks(item.question.text):
                assert block in handout, (module.id, item.id)
            for option in item.options:
                assert plain_inline(option.text) in handout, (module.id, item.id)
        for vignette, part in cases:
            for text in (vignette.situation.text, *part.task):
                for block in plain_blocks(text):
                    assert block in handout, (module.id, vignette.id, block[:40])
        # nothing that answers: no model answer (of any case), no feedback, no key; a sentence
        # the handout holds anyway (a lesson's text, a question, an option) does not count
        allowed = _handout_content(module)
        for vignette in module.vignettes:
            for block in plain_blocks(vignette.model_answer.text):
                if len(block) >= 25 and block not in allowed:
                    assert block not in handout, (module.id, vignette.id, "model answer", block[:60])
        for item in module.quiz:
            for text in _answer_texts(item):
                if text not in allowed:
                    assert text not in handout, (module.id, item.id, text[:60])
        for label in ("Juist antwoord", "Waarom:", "Goede volgorde", "Goede koppelingen", "Modelantwoord"):
            assert label not in handout, (module.id, label)


def test_handout_gives_ruled_space_after_every_assignment_question(builds):
    from docx import Document

    built = builds["shipped"]
    for module in _modules(built):
        doc = Document(str(built.document(module, "handout")))
        body = list(doc.element.body)
        _, cases = _plan_items(module)
        questions = [q for _, part in cases for q in part.task]
        texts = [("".join(t.text or "" for t in e.iter(f"{W}t")), e) for e in body]
        for question in questions:
            wanted = norm(" ".join(plain_blocks(question)))
            index = next(i for i, (text, e) in enumerate(texts) if e.tag == f"{W}p" and wanted in norm(text))
            following = body[index + 1]
            assert following.tag == f"{W}tbl", (module.id, question)
            style = following.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val")
            assert doc.styles.get_by_id(style, 3).name == "Writing Lines"
            assert len(following.findall(f"{W}tr")) >= 4


def test_references_are_the_full_apa_entries_of_what_the_documents_cite(builds):
    built = builds["shipped"]
    from generator.targets.docx.documents import cited_keys

    for module in _modules(built):
        keys = cited_keys(module, session_of(module))
        for kind in ("guide", "handout"):
            doc = read_docx(built.document(module, kind))
            references = [text for style, text in doc.paragraphs if style == "Reference"]
            assert len(references) == len(keys), (module.id, kind)
            for key in keys:
                apa = norm(" ".join(plain_blocks(built.course.references[key].apa)))
                assert apa in references, (module.id, key)


# -- a real Word document -----------------------------------------------------------------------


def test_every_run_and_style_has_the_dutch_proofing_language(builds):
    for built in (builds["shipped"], builds["institute"]):
        for path in built.documents[:4]:
            with zipfile.ZipFile(path) as archive:
                for part in ("word/document.xml", "word/footer1.xml", "word/styles.xml"):
                    if part not in archive.namelist():
                        continue
                    xml = archive.read(part)
                    from lxml import etree

                    root = etree.fromstring(xml)
                    runs = list(root.iter(f"{W}r"))
                    for run in runs:
                        assert run.find(f"{W}rPr/{W}lang").get(f"{W}val") == "nl-NL", (path.name, part)
                    for style in root.iter(f"{W}style"):
                        if style.get(f"{W}type") != "numbering":
                            assert style.find(f"{W}rPr/{W}lang").get(f"{W}val") == "nl-NL", style.get(f"{W}styleId")


def test_footer_names_course_and_module_and_numbers_the_pages(builds):
    built = builds["shipped"]
    module = _modules(built)[2]
    with zipfile.ZipFile(built.document(module, "handout")) as archive:
        footers = [n for n in archive.namelist() if n.startswith("word/footer")]
        xml = "".join(archive.read(n).decode() for n in footers)
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "Partnerschap met ouders · Module 3 · Werkboek" in text
    assert "PAGE" in xml and 'w:fldCharType="begin"' in xml


def test_same_source_same_bytes(builds, tmp_path, monkeypatch):
    first = builds["valid"]
    second = build_docx(FIXTURES / "valid", tmp_path / "again")
    assert [p.name for p in first.documents] == [p.name for p in second.documents]
    for path in first.documents:
        assert path.read_bytes() == (second.out / "docx" / path.name).read_bytes(), path.name
    with zipfile.ZipFile(first.documents[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
        core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    third = build_docx(FIXTURES / "valid", tmp_path / "epoch")
    with zipfile.ZipFile(third.documents[0]) as archive:
        assert "2023-11-14T22:13:20Z" in archive.read("docProps/core.xml").decode()


def test_fingerprint_follows_the_module_and_not_its_cards(valid_source):
    from generator.outputs import BuildContext

    def fingerprints(source):
        course = load_course(source).course
        context = BuildContext(source, source / "out", TEMPLATES_DIR)
        return {o.path: repr(o.fingerprint) for o in docx_target.plan(course, context)}

    before = fingerprints(valid_source)
    cards = next(valid_source.glob("modules/01-*/cards.yaml"))
    cards.write_text(cards.read_text(encoding="utf-8").replace("question", "question", 1) + "\n", encoding="utf-8")
    lesson = next(valid_source.glob("modules/02-*/lessons/*.md"))
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    after = fingerprints(valid_source)
    changed = {path for path in before if before[path] != after[path]}
    assert changed and all("02-" in path or "school" in path for path in changed), changed


# -- the institute's template -------------------------------------------------------------------


def test_institute_template_gives_its_styles_and_page_and_the_rest_comes_from_the_default(builds):
    from docx import Document

    built = builds["institute"]
    module = _modules(built)[0]
    doc = Document(str(built.document(module, "guide")))
    assert doc.styles["Heading 1"].font.color.rgb is not None and str(doc.styles["Heading 1"].font.color.rgb) == "C00000"
    assert doc.sections[0].page_width == 7772400  # US Letter, as the template has it
    assert "Voorbeeldtekst die verdwijnt" not in read_docx(built.document(module, "guide")).text
    for name in ("Course Table", "Writing Lines", "Answer", "Instruction", "Reference", "Table Text"):
        assert name in {s.name for s in doc.styles}, name
    assert any("has no style" in w and "Course Table" in w for w in built.warnings)
    issues = docx_target.check(built.course, built.source)
    assert [d.severity for d in issues] == ["warning"]


@pytest.mark.parametrize(
    "setting, message",
    [
        ("huisstijl\\\\instituut.docx", "forward slashes"),
        ("/etc/instituut.docx", "absolute path"),
        ("../buiten.docx", "outside the course source"),
        ("huisstijl/instituut.dotx", "must be a .docx"),
        ("huisstijl/ontbreekt.docx", "not found"),
    ],
)
def test_template_path_rules(valid_source, setting, message):
    (valid_source / "huisstijl").mkdir()
    (valid_source / "huisstijl" / "instituut.dotx").write_bytes(b"x")
    (valid_source.parent / "buiten.docx").write_bytes(b"x")
    with_docx_settings(valid_source, f'    template: "{setting}"\n')
    course = load_course(valid_source).course
    problems = docx_target.check(course, valid_source)
    assert [d.severity for d in problems] == ["error"] and message in problems[0].message, problems
    assert str(problems[0]).startswith("course.yaml:")


def test_a_start_time_that_is_no_clock_time_is_an_error(valid_source):
    with_docx_settings(valid_source, "    start_time: '9 uur'\n")
    course = load_course(valid_source).course
    problems = docx_target.check(course, valid_source)
    assert any(d.severity == "error" and "HH:MM" in d.message for d in problems)


def test_the_default_template_is_what_its_script_builds(monkeypatch):
    import importlib.util

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    script = TEMPLATES_DIR / "docx" / "make_default_template.py"
    spec = importlib.util.spec_from_file_location("make_default_docx_template", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build_default_template() == (TEMPLATES_DIR / "docx" / "default.docx").read_bytes(), (
        "run templates/docx/make_default_template.py"
    )


# -- ISO/IEC 29500 ------------------------------------------------------------------------------

needs_schemas = pytest.mark.skipif(
    not (SCHEMAS / "transitional" / "wml.xsd").is_file(),
    reason=f"the OOXML schemas are not at {SCHEMAS} (see the brief: ../shared/ooxml-schemas)",
)


@needs_schemas
def test_every_part_of_every_document_is_valid_against_the_schemas(builds):
    for built in builds.values():
        for path in built.documents:
            assert validate_docx(path.read_bytes()) == [], path.name
    assert validate_docx((TEMPLATES_DIR / "docx" / "default.docx").read_bytes()) == []


@needs_schemas
def test_the_schema_check_finds_a_misplaced_element(builds):
    """The validator can fail: w:jc before w:pStyle in a paragraph's properties is out of schema order."""
    path = builds["valid"].documents[0]
    with zipfile.ZipFile(path) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    xml = entries["word/document.xml"].decode()
    xml = xml.replace("<w:pPr><w:pStyle ", '<w:pPr><w:jc w:val="left"/><w:pStyle ', 1)
    assert '<w:jc w:val="left"/><w:pStyle ' in xml
    entries["word/document.xml"] = xml.encode()
    from generator.outputs import zip_bytes

    problems = validate_docx(zip_bytes(entries))
    assert problems and all(p.startswith("word/document.xml") for p in problems)


def test_check_options_are_lettered_in_the_order_every_output_shows_them(builds):
    """Decision D1: the paper shows the options as the slides do (generator.shuffle), never in
    the author's order (which often has the correct option first)."""
    from generator.shuffle import shown_options

    built = builds["shipped"]
    reordered = 0
    for module in _modules(built):
        items, _ = _plan_items(module)
        for kind in ("guide", "handout"):
            paragraphs = [text for _, text in read_docx(built.document(module, kind)).paragraphs]
            for item in items:
                if item.type not in ("single", "multiple"):
                    continue
                shown = shown_options(item)
                lines = [norm(f"{chr(65 + i)}. {plain_inline(o.text)}") for i, o in enumerate(shown)]
                for line in lines:
                    assert line in [norm(p) for p in paragraphs], (module.id, kind, item.id, line)
                reordered += shown != item.options
    assert reordered > 0


# -- diagrams -----------------------------------------------------------------------------------

DIAGRAM = """
```diagram hub
title: Het model van Casey
centre: Het gezin
- **Zorg door het gezin** Het gezin verleent de zorg.
- **Steun waar nodig** Professionals ondersteunen waar nodig.
- **Wisselend betrokken** Professionals zijn meer of minder betrokken.
```
"""

try:
    import generator.diagrams  # noqa: F401  (issue 16)

    HAS_DIAGRAMS = True
except ImportError:
    HAS_DIAGRAMS = False
needs_diagrams = pytest.mark.skipif(not HAS_DIAGRAMS, reason="generator/diagrams.py (issue 16) is not in this tree")


def source_with_diagram(target: Path) -> Path:
    shutil.copytree(FIXTURES / "valid", target)
    lesson = target / "modules" / "01-basis" / "lessons" / "01-epstein.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(
        text.replace("## Communiceren {#communiceren}\n", "## Communiceren {#communiceren}\n" + DIAGRAM, 1), encoding="utf-8"
    )
    return target


@needs_diagrams
def test_a_diagram_is_a_described_picture_in_the_guide_and_the_handout(tmp_path):
    from docx import Document
    from PIL import Image

    built = build_docx(source_with_diagram(tmp_path / "source"), tmp_path / "out")
    module = _modules(built)[0]
    for kind in ("guide", "handout"):
        doc = Document(str(built.document(module, kind)))
        pictures = doc.inline_shapes
        described = [s for s in pictures if "Het model van Casey" in (s._inline.docPr.get("descr") or "")]
        assert len(described) == 1, kind
        descr = described[0]._inline.docPr.get("descr")
        for word in ("Het gezin", "Zorg door het gezin", "Steun waar nodig", "Wisselend betrokken"):
            assert word in descr
        blip = described[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
        image = Image.open(io.BytesIO(doc.part.related_parts[blip].blob))
        assert image.size[0] == 1240 and image.format == "PNG"
        assert "diagram hub" not in read_docx(built.document(module, kind)).text  # not shown as code
    assert validate_docx(built.document(module, "guide").read_bytes()) == []


def dutch_word_template(target: Path) -> None:
    """A template as a Dutch Word saves it: the built-in styles keep their English names
    ('heading 1') but get Dutch ids ('Kop1', 'Standaard')."""
    import io as _io

    from docx import Document

    buffer = _io.BytesIO()
    Document().save(buffer)
    ids = {
        "Normal": "Standaard",
        "Heading1": "Kop1",
        "Heading2": "Kop2",
        "Heading3": "Kop3",
        "TableNormal": "Standaardtabel",
        "ListParagraph": "Lijstalinea",
        "Footer": "Voettekst",
        "Title": "Titel",
    }
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                text = data.decode()
                for old, new in ids.items():
                    text = text.replace(f'w:styleId="{old}"', f'w:styleId="{new}"')
                    text = re.sub(rf'<w:(basedOn|next|link) w:val="{old}"/>', rf'<w:\1 w:val="{new}"/>', text)
                data = text.encode()
            copy.writestr(item, data)


def test_a_dutch_word_template_with_localised_style_ids_works(valid_source, tmp_path):
    from docx import Document

    dutch_word_template(valid_source / "nl.docx")
    with_docx_settings(valid_source, "    template: nl.docx\n")
    built = build_docx(valid_source, tmp_path / "out")
    module = _modules(built)[0]
    path = built.document(module, "guide")
    doc = Document(str(path))
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings and headings[0]._p.pPr.pStyle.val == "Kop1"
    answer = doc.styles["Answer"].element
    assert answer.find(f"{W}basedOn").get(f"{W}val") == "Standaard"  # the template's Normal, by its own id
    if (SCHEMAS / "transitional" / "wml.xsd").is_file():
        assert validate_docx(path.read_bytes()) == []


def test_a_png_python_docx_cannot_parse_is_still_shown():
    """python-docx's header parser fails on some valid PNGs (this 1x1 one: a build of a lesson
    with it crashed, exit 3, found by tests/test_rebuild_exact.py); the writer saves it again."""
    from docx.image.image import Image as DocxImage

    from generator.targets.docx.writer import _word_readable

    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cf"
        "c0f01f0005fe02fea73581e40000000049454e44ae426082"
    )
    with pytest.raises(Exception):  # noqa: B017  (whichever of python-docx's errors: the point is that it refuses)
        DocxImage.from_blob(png)
    fixed = _word_readable(png)
    assert (DocxImage.from_blob(fixed).px_width, DocxImage.from_blob(fixed).px_height) == (1, 1)


# -- diagram pictures kept between builds (diagram_cache.py) -------------------------------------


def _pictures(out: Path) -> list[Path]:
    return sorted((out / ".coursegen-cache" / "docx").glob("diagram-*.png"))


def _count_drawing(monkeypatch) -> list[int]:
    from generator.targets.docx import diagram_cache

    drawn = [0]
    draw = diagram_cache.render_png

    def counted(diagram, primary):
        drawn[0] += 1
        return draw(diagram, primary)

    monkeypatch.setattr(diagram_cache, "render_png", counted)
    return drawn


def _render_all(built: Built, out: Path, use_cache: bool = True) -> dict[str, bytes]:
    from generator.outputs import BuildContext
    from generator.targets.docx.diagram_cache import forget_drawn

    forget_drawn()  # as a new render process
    context = BuildContext(built.source, out, TEMPLATES_DIR, use_cache=use_cache)
    return {output.path: output.render() for output in docx_target.plan(built.course, context)}


@needs_diagrams
def test_a_kept_diagram_picture_is_used_again_instead_of_drawn(tmp_path, monkeypatch):
    built = build_docx(source_with_diagram(tmp_path / "source"), tmp_path / "out")
    [picture] = _pictures(built.out)
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    drawn = _count_drawing(monkeypatch)
    documents = _render_all(built, built.out)
    assert drawn == [0]  # neither in the guide nor in the handout: both read the kept picture
    for path, data in documents.items():
        assert data == (built.out / path).read_bytes(), path
    picture.unlink()
    _render_all(built, built.out)
    assert drawn == [1]  # drawn once, for the guide; the handout gets it from this process
    assert _pictures(built.out) == [picture]


def _replace_picture(picture: Path, data: bytes) -> Path:
    """``picture`` replaced by ``data`` under the same key, named with its own bytes' hash (so
    that only the PNG signature, or the key, can tell it is not the picture)."""
    import hashlib

    key = picture.name.split("-")[1]
    picture.unlink()
    named = picture.with_name(f"diagram-{key}-{hashlib.sha256(data).hexdigest()}.png")
    named.write_bytes(data)
    return named


def _another_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1240, 200), (200, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


@needs_diagrams
@pytest.mark.parametrize("damage", ["truncated", "bytes changed", "not a picture"])
def test_a_damaged_or_foreign_kept_picture_is_drawn_again(tmp_path, monkeypatch, damage):
    built = build_docx(source_with_diagram(tmp_path / "source"), tmp_path / "out")
    [picture] = _pictures(built.out)
    good = picture.read_bytes()
    if damage == "truncated":
        picture.write_bytes(good[: len(good) // 2])
    elif damage == "bytes changed":
        picture.write_bytes(_another_png())
    else:
        _replace_picture(picture, b"<html>" + good)
    drawn = _count_drawing(monkeypatch)
    documents = _render_all(built, built.out)
    assert drawn == [1]
    for path, data in documents.items():
        assert data == (built.out / path).read_bytes(), path
    assert picture.read_bytes() == good and _pictures(built.out) == [picture]


@needs_diagrams
def test_without_the_cache_nothing_kept_is_read_or_written(tmp_path, monkeypatch):
    from generator.outputs import BuildContext
    from generator.targets.docx.diagram_cache import forget_drawn

    built = build_docx(source_with_diagram(tmp_path / "source"), tmp_path / "out")
    [picture] = _pictures(built.out)
    kept = picture.read_bytes()
    drawn = _count_drawing(monkeypatch)
    # A render given no folder neither reads the kept picture nor writes one.
    forget_drawn()
    for output in docx_target.plan(built.course, BuildContext(built.source, built.out, TEMPLATES_DIR)):
        render = output.render
        assert render.args[-1] == picture.parent
        assert render.func(*render.args[:-1], None) == (built.out / output.path).read_bytes(), output.path
    assert drawn == [1]  # not read: drawn (once: the other document gets it from this process)
    assert _pictures(built.out) == [picture] and picture.read_bytes() == kept
    # --clean: a picture an earlier build left (here one the key names, but another picture)
    # is removed before anything is rendered, and not used.
    foreign = _replace_picture(picture, _another_png())
    documents = _render_all(built, built.out, use_cache=False)
    assert not foreign.exists()
    assert drawn == [2]
    for path, data in documents.items():
        assert data == (built.out / path).read_bytes(), path


@needs_diagrams
def test_pictures_no_diagram_draws_are_removed_once_they_outnumber_the_diagrams(tmp_path):
    built = build_docx(source_with_diagram(tmp_path / "source"), tmp_path / "out")
    [picture] = _pictures(built.out)  # the course's one diagram block
    stale = picture.with_name(f"diagram-{'1' * 40}-{'1' * 64}.png")
    other = picture.with_name("diagram-notes.png")  # not named like a kept picture: never touched
    other.write_bytes(b"notes")
    picture.rename(stale)
    _render_all(built, built.out)  # one picture, one block: kept (not looked at), and the used one drawn
    assert _pictures(built.out) == sorted([picture, stale, other])
    _render_all(built, built.out)  # two pictures, one block: the one no diagram has the key of goes
    assert _pictures(built.out) == sorted([picture, other])
