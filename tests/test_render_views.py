"""Each render receives only the model parts it uses, and its output's key is derived from them
(generator/fingerprint.py). That is exact only if the narrowed course renders the same bytes
as the whole course: checked here for every view, on the shipped course and the fixture."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from generator.loader import load_course
from generator.paths import TEMPLATES_DIR
from generator.targets import slides
from generator.targets.anki.deck import anki_course, render_deck
from generator.targets.scorm import site
from generator.targets.scorm.cache import page_course
from generator.targets.slides.template import template_source

ROOT = Path(__file__).resolve().parent.parent
COURSES = {"shipped": ROOT / "course_source", "fixture": ROOT / "tests" / "fixtures" / "valid"}


@pytest.fixture(scope="module", params=sorted(COURSES))
def course(request):
    result = load_course(COURSES[request.param])
    assert result.course is not None
    return result.course


def test_scorm_module_pages_from_the_page_view(course):
    for module in course.modules:
        assert site.render_module(page_course(course, module), module, 70, TEMPLATES_DIR) == site.render_module(
            course, module, 70, TEMPLATES_DIR
        ), module.id


def test_slides_decks_from_the_deck_view(course):
    source = template_source("default", ROOT, TEMPLATES_DIR)
    render = partial(slides.render_deck, templates_dir=TEMPLATES_DIR, source=source)
    first = course.modules[0]
    assert render(slides.deck_course(course, [first], "module"), module_id=first.id) == render(course, module_id=first.id)
    if len(course.modules) <= 3:  # the course deck of the shipped course takes seconds
        assert render(slides.deck_course(course, course.modules, "course"), module_id=None) == render(course, module_id=None)


def test_anki_deck_from_the_deck_view(course, tmp_path, monkeypatch):
    from generator.targets.anki import state as anki_state

    monkeypatch.setattr(anki_state, "clock", lambda: 1_800_000_000)
    state = (COURSES["shipped"] / "anki-state.json").read_text("utf-8") if len(course.modules) > 3 else None
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    narrowed = render_deck(anki_course(course), TEMPLATES_DIR / "anki", tmp_path / "one", state, 315532800)
    whole = render_deck(course, TEMPLATES_DIR / "anki", tmp_path / "two", state, 315532800)
    assert narrowed == whole


def test_docx_documents_from_the_document_view(course):
    from generator.targets import docx
    from generator.targets.docx.template import template_source as docx_template

    source = docx_template("default", ROOT, TEMPLATES_DIR)
    for module in course.modules[:2]:
        for kind in docx.KINDS:
            assert docx.render_document(
                docx.document_course(course, module), TEMPLATES_DIR, source, module.id, kind
            ) == docx.render_document(course, TEMPLATES_DIR, source, module.id, kind), (module.id, kind)


def test_question_bank_deck_from_the_deck_view(course):
    source = template_source("default", ROOT, TEMPLATES_DIR)
    first = course.modules[0]
    narrowed = slides.render_deck(
        slides.deck_course(course, [first], "question bank"), TEMPLATES_DIR, source, first.id, None, True
    )
    assert narrowed == slides.render_deck(course, TEMPLATES_DIR, source, first.id, None, True)


def test_the_deck_view_keeps_an_image_only_a_case_essentials_shows(course):
    """A picture in a case's essentials (shown on the situation slide) is in the deck's view.
    Seen failing when the slides listed the Markdown texts they show by hand (essentials were
    not among them)."""
    import dataclasses

    from generator.model import CasePart, FrozenDict, Image, Markdown, SourceLoc

    module = course.modules[0]
    essentials = Markdown("![Schema](beeld/alleen-hier.png)", "", SourceLoc("session.yaml", 1, 1))
    case = CasePart("vig", ("Wat doe je?",), "groups", 10, 5, essentials, SourceLoc("session.yaml", 1, 1))
    plan = module.session or pytest.skip("no session plan")
    module = dataclasses.replace(module, session=dataclasses.replace(plan, parts=(*plan.parts, case)))
    image = Image("beeld/alleen-hier.png", b"\x89PNG\r\n\x1a\n", "image/png")
    edited = dataclasses.replace(course, modules=(module,), images=FrozenDict({**course.images, image.path: image}))
    assert image.path in slides.deck_course(edited, [module], "module").images
