"""Workshop decks a trainer can run as they are (issue 15): the session plan in the source,
its checks by the loader, and the rules a deck holds in the room.

The decks are built once per session and read with python-pptx; that every deck renders in
LibreOffice without overflow is checked by test_slides.py (which builds the same fixtures and
the shipped course, and an appendix question bank)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from slides_support import add_school_session
from slides_support.long_course import make_long_course

from generator.build import build_course
from generator.loader import load_course

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHIPPED = ROOT / "course_source"
MAX_SLIDES = 60
MAX_MINUTES = 180
MANUAL_BREAK = "Handmatige dia-einden"  # the long course's '---' in a section: the author's own slide break


# -- building ------------------------------------------------------------------------------------


def build(source: Path, out: Path):
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.errors]
    [report] = build_course(result.course, source, out, ["slides"], clean=True)
    return result.course, report


@pytest.fixture(scope="session")
def decks(tmp_path_factory):
    """name → (course, {deck name: Presentation}, build report) for the fixture, the long course
    and the shipped course, each with the question bank as an appendix."""
    from pptx import Presentation

    root = tmp_path_factory.mktemp("workshop")
    sources = {
        "valid": add_school_session(shutil.copytree(FIXTURES / "valid", root / "valid")),
        "long": add_school_session(make_long_course(root, FIXTURES)),
    }
    if (SHIPPED / "course.yaml").is_file():
        sources["shipped"] = root / "shipped"
        shutil.copytree(SHIPPED, sources["shipped"])
    result = {}
    for name, source in sources.items():
        course_yaml = source / "course.yaml"
        text = course_yaml.read_text(encoding="utf-8")
        course_yaml.write_text(re.sub(r"(\n  slides:\n)", r"\1    question_bank: appendix\n", text, count=1), encoding="utf-8")
        course, report = build(source, root / f"out-{name}")
        prs = {p.stem: Presentation(str(p)) for p in sorted((root / f"out-{name}" / "slides").glob("*.pptx"))}
        result[name] = (course, prs, report)
    return result


def title(slide) -> str:
    return next((s.text_frame.text for s in slide.placeholders if s.name == "Title"), "")


def kicker(slide) -> str:
    return next((s.text_frame.text for s in slide.placeholders if s.name == "Kicker"), "")


def body_paragraphs(slide, with_xml: bool = False) -> list:
    """The non-empty paragraphs of a slide's body text (placeholders and text boxes below the
    title); with ``with_xml``, each with its XML (to see whether it has a bullet)."""
    from lxml import etree

    paras = []
    for shape in slide.shapes:
        if not shape.has_text_frame or shape.name in ("Title", "Kicker", "Subtitle", "Footer", "Slide Number"):
            continue
        for p in shape.text_frame.paragraphs:
            if p.text.strip():
                paras.append((p.text, etree.tostring(p._p, encoding="unicode")) if with_xml else p.text)
    return paras


def slide_text(slide) -> str:
    return " ".join(" ".join(s.text_frame.text.split()) for s in slide.shapes if s.has_text_frame)


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def has_table(slide) -> bool:
    return any(getattr(s, "has_table", False) and s.has_table for s in slide.shapes)


def session_decks(decks):
    for name, (course, prs, _) in decks.items():
        for module in course.modules:
            yield name, course, module, prs[module.id]


def words_of(text: str) -> str:
    """The words of a text, without citations, Markdown and punctuation (notes lose list markers)."""
    return " ".join(re.findall(r"\w+", plain(text)))


def plain(text: str) -> str:
    return " ".join(re.sub(r"\([^()]*\d{4}[^()]*\)|\([^()]*z\.d\.\)|[*_`]", "", text).split())


# -- the session plan in the source --------------------------------------------------------------


def write_plan(source: Path, text: str) -> Path:
    path = source / "modules" / "02-school" / "session.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_mistakes_are_reported_with_their_place(valid_source):
    write_plan(
        valid_source,
        """parts:
  - lesson: les-onbekend
  - check: [q-ks-volgorde, q-bestaat-niet, q-ks-koppel, q-ks-meer]
  - closing: 5
  - case: vig-nergens
    form: trio
    minutes: 10
  - pauze: 10
""",
    )
    result = load_course(valid_source)
    errors = [str(d) for d in result.diagnostics.errors if "session.yaml" in str(d)]
    expected = [
        ("session.yaml:2:", "unknown lesson 'les-onbekend'"),
        ("session.yaml:3:", "unknown quiz item 'q-bestaat-niet'"),
        ("session.yaml:3:", "a check asks 1 to 3 questions, not 4"),
        ("session.yaml:4:", "the closing must be the last part"),
        ("session.yaml:5:", "unknown case 'vig-nergens'"),
        ("session.yaml:6:", "expected one of 'alone', 'pairs', 'groups'"),
        ("session.yaml:8:", "a part of the session plan starts with one of"),
    ]
    for where, what in expected:
        assert any(where in e and what in e for e in errors), (where, what, errors)
    assert all(re.match(r"modules/02-school/session\.yaml:\d+:\d+: error: ", e) for e in errors), errors


def test_a_session_longer_than_the_module_allows_is_a_warning(valid_source):
    write_plan(
        valid_source,
        """duration: 20
parts:
  - lesson: les-knof-swick
  - check: [q-ks-volgorde, q-ks-koppel]
  - break: 15
  - closing: 10
""",
    )
    result = load_course(valid_source)
    assert not result.diagnostics.errors
    module = result.course.modules[1]
    assert module.session.minutes == 5 + 10 + 6 + 15 + 10  # opening, the notes' minutes, 3 per check, break, closing
    [warning] = [str(d) for d in result.diagnostics.warnings if "session.yaml" in str(d)]
    assert warning.startswith("modules/02-school/session.yaml:1:11: warning: the session plan takes 46 minutes, more than the 20")


def test_without_a_plan_the_module_gets_the_default_and_the_build_says_so(valid_source, tmp_path):
    course, report = build(valid_source, tmp_path / "out")  # the fixture has no session.yaml
    assert all(m.session.default for m in course.modules)
    assert report.counts.get("default session plans") == 2
    [m01, m02] = course.modules
    assert [p.kind for p in m01.session.parts] == ["lesson", "check", "case", "closing"]
    assert [p.kind for p in m02.session.parts] == [
        "lesson",
        "check",
        "closing",
    ]  # no case in the module, no break under 90 minutes


def test_default_plan_has_a_break_halfway_in_a_long_session(valid_course):
    from dataclasses import replace

    from generator.loader.session import default_plan
    from generator.model import SourceLoc

    module = valid_course.modules[0]
    lesson = module.lessons[0]
    long = replace(module, lessons=tuple(replace(lesson, id=f"{lesson.id}-{i}") for i in range(12)))
    plan = default_plan(long, SourceLoc("x"))
    assert plan.minutes > 90
    kinds = [p.kind for p in plan.parts]
    assert kinds.count("break") == 1 and kinds[-1] == "closing"
    before = plan.opening_minutes + sum(p.minutes for p in plan.parts[: kinds.index("break")])
    assert plan.minutes / 3 < before < plan.minutes * 2 / 3


# -- the decks -----------------------------------------------------------------------------------


def test_title_and_agenda_show_the_computed_duration_and_the_deck_has_agenda_and_closing(decks):
    for name, _course, module, prs in session_decks(decks):
        slides = list(prs.slides)
        minutes = module.session.minutes
        assert f"{minutes} minuten" in slide_text(slides[0]), (name, module.id)
        assert title(slides[1]).startswith("Programma") and f"{minutes} minuten" in title(slides[1])
        table = next(s.table for s in slides[1].shapes if getattr(s, "has_table", False) and s.has_table)
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert cells[-1] == ["Totaal", str(minutes)]
        assert sum(int(row[1]) for row in cells[1:-1]) == minutes
        closing = [s for s in slides if title(s) in ("Kernboodschappen", "Terugblik op de leerdoelen")]
        assert len(closing) == 1 and "Reflectie:" in slide_text(closing[0]), (name, module.id)
        assert [title(s) for s in slides].count("Bronnen") == 1


def test_shipped_decks_are_workshops_of_at_most_60_slides_and_180_minutes(decks):
    if "shipped" not in decks:
        pytest.skip("course_source/ is not there")
    course, prs, _ = decks["shipped"]
    for module in course.modules:
        slides = list(prs[module.id].slides)
        assert not module.session.default, f"{module.id} has no session plan of its own"
        assert len(slides) <= MAX_SLIDES, (module.id, len(slides))
        assert module.session.minutes <= MAX_MINUTES, (module.id, module.session.minutes)
        kinds = [p.kind for p in module.session.parts]
        # interleaved: a check or a case follows a lesson before the next lesson starts
        lessons = [i for i, k in enumerate(kinds) if k == "lesson"]
        assert any(k in ("check", "case") for k in kinds[lessons[0] : lessons[1]]), module.id
        assert kinds.count("case") in (1, 2) and "break" in kinds
        # the question bank is not in the session deck, only in its appendix deck
        questions = [
            s
            for s in slides
            if s.slide_layout.name == "quiz question"
            or kicker(s).startswith("Controlevraag")
            or title(s).startswith("Controlevraag")
        ]
        checks = sum(len(p.items) for p in module.session.parts if p.kind == "check")
        assert len([s for s in slides if s.slide_layout.name == "quiz answer"]) == checks
        assert f"{module.id}-vragenbank" in prs and len(module.quiz) > checks
        assert questions


def test_no_follow_up_slide_holds_a_single_item_or_sentence(decks):
    problems = []
    for name, (_, prs, _) in decks.items():
        for deck, presentation in prs.items():
            slides = list(presentation.slides)
            for number, slide in enumerate(slides, start=1):
                if not title(slide).endswith("(vervolg)") or has_table(slide) or title(slide).startswith(MANUAL_BREAK):
                    continue
                paras = body_paragraphs(slide, with_xml=True)
                if not paras:
                    problems.append(f"{name}/{deck} slide {number} '{title(slide)}': empty")
                elif len(paras) == 1:
                    text, xml = paras[0]
                    sentences = len(re.findall(r"[.!?:](\s|$)", text.strip() + " "))
                    if "<a:buChar" in xml or "<a:buAutoNum" in xml or sentences <= 1:
                        problems.append(f"{name}/{deck} slide {number} '{title(slide)}': {text[:60]!r}")
    assert problems == []


def test_no_lead_in_is_left_alone_above_a_table_on_the_next_slide(decks):
    problems = []
    for name, (_, prs, _) in decks.items():
        for deck, presentation in prs.items():
            slides = list(presentation.slides)
            for number, (slide, following) in enumerate(zip(slides, slides[1:], strict=False), start=1):
                if not title(following).endswith("(vervolg)") or not has_table(following) or has_table(slide):
                    continue
                paras = body_paragraphs(slide)
                if paras and paras[-1].rstrip().endswith(":"):
                    problems.append(f"{name}/{deck} slide {number}: '{paras[-1]}' without its table")
    assert problems == []


def _check_slides(module, slides):
    """(item, question slide, [answer slides]) for every check question of the session, in order."""
    items = [
        next(q for q in module.quiz if q.id == item_id)
        for part in module.session.parts
        if part.kind == "check"
        for item_id in part.items
    ]
    starts = [
        i
        for i, s in enumerate(slides)
        if (kicker(s) or title(s)).startswith("Controlevraag")
        and s.slide_layout.name != "quiz answer"
        and not title(s).endswith("(vervolg)")
    ]
    assert len(starts) == len(items), (module.id, len(starts), len(items))
    for item, start in zip(items, starts, strict=True):
        first = start + 1
        while first < len(slides) and title(slides[first]).endswith("(vervolg)"):
            first += 1  # a question too long for one slide (only the long test course has those)
        end = first
        while end < len(slides) and slides[end].slide_layout.name == "quiz answer":
            end += 1
        yield item, slides[start], slides[first:end]


def test_each_check_has_one_answer_slide_with_the_answer_and_no_wrong_option_feedback(decks):
    seen = set()
    for name, _course, module, prs in session_decks(decks):
        for item, _question, answers in _check_slides(module, list(prs.slides)):
            seen.add(item.type)
            assert len(answers) == 1, (name, item.id, [title(a) for a in answers])
            shown = slide_text(answers[0])
            assert "Niet helemaal" not in shown and "(vervolg)" not in title(answers[0])
            for option in item.options:
                if option.correct or not option.feedback:
                    continue
                for sentence in re.split(r"(?<=[.!?])\s+", plain(option.feedback)):
                    if len(sentence) >= 25:
                        assert sentence not in shown, (name, item.id, sentence)
            if item.type in ("single", "multiple"):
                for option in item.options:
                    if option.correct:
                        assert plain(option.text)[:40] in " ".join(plain(shown).split()), (name, item.id)
    assert {"single", "multiple", "order", "match"} <= seen


def test_matching_questions_show_both_columns_on_one_slide(decks):
    found = 0
    for name, _course, module, prs in session_decks(decks):
        for item, question, _ in _check_slides(module, list(prs.slides)):
            if item.type != "match":
                continue
            found += 1
            # side by side on the two-content layout, or one under the other when that does not fit
            assert question.slide_layout.name in ("two-content", "quiz question"), (name, item.id)
            text = plain(slide_text(question))
            for option in item.options:
                assert plain(option.text) in text and plain(option.match or "") in text, (name, item.id, option.id)
    assert found >= 2


def test_each_case_has_situation_assignment_and_discussion_with_the_model_answer_only_there(decks):
    for name, _course, module, prs in session_decks(decks):
        slides = list(prs.slides)
        for part in (p for p in module.session.parts if p.kind == "case"):
            vignette = next(v for v in module.vignettes if v.id == part.vignette)
            case = [s for s in slides if vignette.title[:40] in title(s) and kicker(s).startswith("Casus")]
            kinds = [kicker(s) for s in case]
            assert kinds[0] == "Casus" and kinds.count("Casus") == 1, (name, vignette.id, kinds)
            assignment = [s for s in case if kicker(s) == "Casus · Opdracht"]
            discussion = [s for s in case if kicker(s) == "Casus · Bespreking"]
            assert (
                assignment
                and discussion
                and kinds == ["Casus"] + ["Casus · Opdracht"] * len(assignment) + ["Casus · Bespreking"] * len(discussion)
            ), (name, vignette.id, kinds)
            if name == "shipped":  # the assignment stays on screen: one slide, never continued
                assert len(assignment) == 1, (vignette.id, len(assignment))
            form = {"alone": "Alleen", "pairs": "In tweetallen", "groups": "In groepjes"}[part.form]
            assert f"{form} · {part.work_minutes} minuten" in slide_text(assignment[0]), (name, vignette.id)
            shown = plain(" ".join(slide_text(s) for s in assignment))
            for question in part.task:
                assert plain(question)[:40] in shown, (name, vignette.id, question)
            whole = words_of(vignette.model_answer.text)
            assert whole in words_of(notes(discussion[0])), (name, vignette.id)
            elsewhere = [
                number for number, s in enumerate(slides, start=1) if s not in discussion and whole in words_of(notes(s))
            ]
            assert elsewhere == [], (name, vignette.id, elsewhere)
            assert all(whole not in words_of(slide_text(s)) for s in slides)


def test_long_cases_show_their_essentials_or_what_fits_and_point_to_the_handout(decks):
    course, prs, _ = decks["long"]
    slides = list(prs["m01-basis"].slides)
    [situation] = [s for s in slides if kicker(s) == "Casus" and "heel lange beschrijving" in title(s)]
    assert "De volledige casus staat in het werkboek." in slide_text(situation)
    assert "Alinea 1:" in slide_text(situation) and "Alinea 6:" not in slide_text(situation)
    assert "Alinea 6:" in notes(situation)  # the whole situation is in the notes (and the handout)
    if "shipped" in decks:
        course, prs, _ = decks["shipped"]
        for module in course.modules:
            for part in (p for p in module.session.parts if p.kind == "case"):
                assert part.essentials is not None, (module.id, part.vignette)


def test_citations_of_the_review_are_in_the_notes_not_on_the_slides(decks):
    if "shipped" not in decks:
        pytest.skip("course_source/ is not there")
    course, prs, _ = decks["shipped"]
    review = course.references["review-partnerschap"]
    on_slides = in_notes = 0
    for module in course.modules:
        for slide in prs[module.id].slides:
            on_slides += slide_text(slide).count(f"{review.cite}, {review.year}")
            in_notes += notes(slide).count(review.cite)
    assert on_slides == 0 and in_notes > 0


def test_check_warns_about_session_slides_that_do_not_fit_on_one(tmp_path):
    from generator.targets import slides

    source = add_school_session(make_long_course(tmp_path, FIXTURES))
    course = load_course(source).course
    problems = [str(d) for d in slides.check(course, source)]
    assert any(
        p.startswith("modules/01-basis/session.yaml:9:5: warning: the assignment of case 'vig-lang' needs") for p in problems
    ), problems
    assert any("check question 'q-lang' needs" in p for p in problems), problems
    shipped = load_course(SHIPPED).course if (SHIPPED / "course.yaml").is_file() else None
    if shipped is not None:  # the shipped plans fit: nothing to say
        assert [str(d) for d in slides.check(shipped, SHIPPED) if "session.yaml" in str(d)] == []


def test_the_fit_a_build_keeps_gives_the_same_warnings_and_follows_edits(tmp_path):
    """A build keeps each module's fit in OUT (slides/fit_cache.py): read back, damaged or
    after an edit, the check says exactly what a fresh fit says."""
    from generator.targets import slides

    source = add_school_session(make_long_course(tmp_path, FIXTURES))
    out = tmp_path / "out"
    fresh = [str(d) for d in slides.check(load_course(source).course, source)]
    assert any("check question 'q-lang' needs" in p for p in fresh), fresh
    assert [str(d) for d in slides.check(load_course(source).course, source, out_dir=out)] == fresh  # written
    kept = sorted((out / ".coursegen-cache" / "slides").glob("fit-*.json"))
    assert kept
    assert [str(d) for d in slides.check(load_course(source).course, source, out_dir=out)] == fresh  # read back
    for path in kept:
        path.write_text('{"key": "x", "problems": [[["/etc/passwd", 1, 1], "hostile"]]}', "utf-8")
    assert [str(d) for d in slides.check(load_course(source).course, source, out_dir=out)] == fresh  # damaged: fitted again
    session = source / "modules/01-basis/session.yaml"
    session.write_text(
        session.read_text("utf-8").replace("check: [q-lang, q-lang-volgorde]", "check: [q-lang-volgorde]"), "utf-8"
    )
    edited = load_course(source).course
    after = [str(d) for d in slides.check(edited, source, out_dir=out)]
    assert after == [str(d) for d in slides.check(edited, source)]
    assert not any("check question 'q-lang' needs" in p for p in after), after


def test_the_fit_reads_nothing_its_view_leaves_out(tmp_path):
    """The check fits each module's session slides on ``slides.fit_view`` (and keys the kept fit
    by it): for the shipped course and the long course (an overlong check and case), the view
    gives the same must-fit slides and the same warnings as the whole course; an edit of a
    lesson's text leaves the key as it was, an edit of a check question's text does not."""
    from functools import partial

    from generator.fingerprint import environment_digest
    from generator.paths import TEMPLATES_DIR
    from generator.targets import slides
    from generator.targets.slides.fit_cache import fit_key
    from generator.targets.slides.outline import Outliner
    from generator.targets.slides.template import template_source
    from generator.targets.slides.wording import load_wording

    def fit(course, module, source_dir):
        source = template_source(course.settings("slides").get("template", "default"), source_dir, TEMPLATES_DIR)
        return partial(slides.session_fit, course, TEMPLATES_DIR, source, module.id)

    long_source = add_school_session(make_long_course(tmp_path, FIXTURES))
    sources = [long_source] + ([SHIPPED] if (SHIPPED / "course.yaml").is_file() else [])
    for source_dir in sources:
        course = load_course(source_dir).course
        words = load_wording(TEMPLATES_DIR, course.language)
        for module in course.modules:
            view = slides.fit_view(course, module)
            shown = [s for s in Outliner(course, words).module_deck(module) if s.must_fit]
            assert [s for s in Outliner(view, words).module_deck(view.modules[0]) if s.must_fit] == shown
            assert fit(view, module, source_dir)() == fit(course, module, source_dir)()
    whole = load_course(long_source).course
    assert any("q-lang" in message for module in whole.modules for _, message in fit(whole, module, long_source)())

    def keys():
        course = load_course(long_source).course
        environment = environment_digest(TEMPLATES_DIR)
        return [fit_key(fit(slides.fit_view(course, m), m, long_source), environment) for m in course.modules]

    before = keys()
    lesson = long_source / "modules/01-basis/lessons/01-epstein.md"
    text = lesson.read_text("utf-8")
    edited = text.replace("Ouders maken leren mogelijk", "Ouders maken het leren mogelijk")
    edited = edited.replace("Vraag de groep", "Vraag de hele groep")
    assert edited.count("het leren") == 1 and "hele groep" in edited
    lesson.write_text(edited, "utf-8")
    assert keys() == before
    quiz = long_source / "modules/01-basis/quiz.yaml"
    quiz.write_text(quiz.read_text("utf-8").replace("Zet in de goede volgorde.", "Zet in de juiste volgorde."), "utf-8")
    after = keys()
    assert after[0] != before[0] and after[1:] == before[1:]


def test_a_changed_session_plan_reaches_only_its_deck_fingerprint(valid_source):
    from generator.outputs import BuildContext
    from generator.paths import TEMPLATES_DIR
    from generator.targets import slides

    def fingerprints():
        course = load_course(valid_source).course
        return {
            o.path: repr(o.fingerprint)
            for o in slides.plan(course, BuildContext(valid_source, Path("/nonexistent"), TEMPLATES_DIR))
        }

    add_school_session(valid_source)
    before = fingerprints()
    plan = valid_source / "modules" / "02-school" / "session.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("closing: 5", "closing: 7"), encoding="utf-8")
    after = fingerprints()
    assert before["slides/m01-basis.pptx"] == after["slides/m01-basis.pptx"]
    assert before["slides/m02-school.pptx"] != after["slides/m02-school.pptx"]
    course_yaml = valid_source / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text(encoding="utf-8").replace("template: default", "template: default\n    question_bank: appendix"),
        encoding="utf-8",
    )
    assert {"slides/m01-basis-vragenbank.pptx", "slides/m02-school-vragenbank.pptx"} <= set(fingerprints())


def test_a_list_that_goes_on_opens_its_follow_up_slide_with_its_lead_in(valid_source, tmp_path):
    from pptx import Presentation

    lesson = valid_source / "modules" / "02-school" / "lessons" / "01-knof-swick.md"
    items = "\n".join(f"- Punt {i}: een afspraak met ouders over het contact in de komende weken" for i in range(1, 19))
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + f"\n## Een lange lijst {{#lang}}\n\nDit spreek je af:\n\n{items}\n", encoding="utf-8"
    )
    build(valid_source, tmp_path / "out")
    slides = list(Presentation(str(tmp_path / "out" / "slides" / "m02-school.pptx")).slides)
    follow = [s for s in slides if title(s) == "Een lange lijst (vervolg)"]
    assert follow
    for slide in follow:
        first = next(s for s in slide.shapes if s.name == "Body").text_frame.paragraphs[0]
        assert first.text == "Dit spreek je af:" and all(r.font.italic for r in first.runs)
    shown = [p for s in slides if title(s).startswith("Een lange lijst") for p in body_paragraphs(s) if p.startswith("Punt ")]
    assert shown == [f"Punt {i}: een afspraak met ouders over het contact in de komende weken" for i in range(1, 19)]
