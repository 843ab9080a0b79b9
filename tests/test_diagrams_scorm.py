"""Diagrams in the e-learning, in Chromium: a course with one diagram of each kind.

At 1280 and 390 px every page with a diagram passes axe (WCAG 2.1 A/AA and best practice,
no serious or critical violation), does not scroll sideways, and its accessibility tree holds
the diagram's texts as text, in the order the source gives them. The pages' CSP still holds:
the diagrams need no inline style or script, so the check runs without ``bypass_csp``.

Set ``COURSEGEN_SCREENSHOTS=/some/folder`` to keep a screenshot of each diagram.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from diagrams_support import KINDS, make_course
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site)
from scorm_support.sco import Sco
from test_scorm_accessibility import audit

from generator.diagrams import diagram_of, find, plain
from generator.loader import load_course


@pytest.fixture(scope="module")
def diagram_course(tmp_path_factory):
    source = make_course(tmp_path_factory.mktemp("diagrams") / "source")
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.items]
    return result.course


def expected_texts(course) -> dict[str, list[str]]:
    """Per diagram kind, its texts in reading order, as plain words."""
    module = course.modules[0]
    texts = {}
    for lesson in module.lessons:
        for section in lesson.sections:
            for _, info, content in find(section.body.text):
                diagram = diagram_of(info, content)
                texts[diagram.kind] = [plain(t) for t in diagram.reading_order()]
    return texts


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w()&,.?]+", " ", text).split())


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_diagrams_are_accessible_text_in_order(browser, site, diagram_course, width, height):
    site.add("diagrams", diagram_course)
    expected = expected_texts(diagram_course)
    assert set(expected) == set(KINDS)
    shots = os.environ.get("COURSEGEN_SCREENSHOTS")
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    failures: list[str] = []
    seen: set[str] = set()
    try:
        page = context.new_page()
        page.goto(f"{site.url}/diagrams/2004/m01-basis/index.html")
        sco = Sco.standalone(page)
        while sco.kind != "result":
            figure = page.locator("section.page:not([hidden]) figure.diagram")
            if figure.count():
                kind = figure.get_attribute("class").split("dg-")[1].split()[0]
                seen.add(kind)
                # styled by the stylesheet, not by inline style the CSP would block
                assert figure.evaluate("f => f.querySelectorAll('[style], script').length") == 0
                assert figure.evaluate("f => getComputedStyle(f.querySelector('.dg-items')).listStyleType") == "none"
                tree = _words(figure.aria_snapshot())
                position = 0
                for text in expected[kind]:
                    found = tree.find(_words(text), position)
                    if found < 0:
                        failures.append(f"{kind} at {width}px: '{text}' missing or out of order in {tree!r}")
                        break
                    position = found + len(_words(text))
                audit(page.main_frame, f"{kind} diagram at {width}px", failures)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    failures.append(f"{kind} at {width}px: the page is {scroll} px wide")
                if shots:
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    figure.screenshot(path=f"{shots}/diagram-{kind}-{width}.png")
            sco.next()
    finally:
        context.close()
    assert seen == set(KINDS), seen
    assert not failures, "\n".join(failures)
