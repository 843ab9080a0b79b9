"""Accessibility and layout of the e-learning pages, checked in Chromium.

axe-core runs inside the SCO frame on every page type — start, lesson section, vignette,
each quiz type before and after feedback, result — and on the course overview: no serious
or critical violations (WCAG 2.1 A/AA rules, colour contrast included). At 360 px and
1280 px no page scrolls sideways.

Set ``COURSEGEN_SCREENSHOTS=/some/folder`` to keep a screenshot of every page at both widths.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)
from scorm_support.fixtures import AXE, Lms
from scorm_support.sco import Sco

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def audit(frame, label: str, failures: list[str]) -> None:
    if not frame.evaluate("typeof window.axe !== 'undefined'"):
        frame.add_script_tag(path=str(AXE))
    result = frame.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]][:3]
            failures.append(f"{label}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")


@pytest.fixture
def audited_lms(browser, site):
    # axe is injected as a script tag: let it past the pages' Content-Security-Policy.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Lms(page, site)
    context.close()


def test_axe_on_every_page_type(audited_lms):
    lms = audited_lms
    failures: list[str] = []
    for module in ("m01-basis", "m02-school"):
        sco = lms.launch("2004", module)
        audit(lms.page.main_frame, "LMS page", [])  # the harness itself is not under test
        seen = set()
        while True:
            kind, label = sco.kind, f"{module} page {sco.current} ({sco.kind})"
            if kind == "vignette":
                sco.frame.fill("section.page:not([hidden]) textarea", "Een notitie.")
                sco.frame.click("section.page:not([hidden]) details summary")
            if kind == "question":
                q = sco.question()
                audit(sco.frame, f"{label} {q['type']} before answering", failures)
                sco.answer(right=q["type"] in ("single", "order"))
                label += f" {q['type']} with feedback"
            audit(sco.frame, label, failures)
            seen.add(kind)
            if kind == "result":
                break
            sco.next()
        lms.close()
    assert seen >= {"start", "section", "question", "result"}
    assert not failures, "\n".join(failures)


def test_axe_on_the_test_design_states(audited_lms, tmp_path_factory):
    """A knowledge check (open, between tries, done), a locked question page, a graded
    question between tries, and a result page with its review list."""
    from scorm_support.variants import course_variant

    lms = audited_lms
    name = course_variant(lms.site, tmp_path_factory, "a11y-design", settings="    tries: 2\n", check=True)
    failures: list[str] = []
    sco = lms.launch("2004", "m01-basis", course=name)
    check = next(q for q in sco.config["questions"] if q["check"])
    graded = next(q for q in sco.config["questions"] if not q["check"])
    sco.go(graded["page"])
    audit(sco.frame, "question page, test locked", failures)
    sco.go(check["page"])
    audit(sco.frame, "lesson page with a knowledge check", failures)
    form = f"form[data-question='{check['key']}']"
    sco.frame.check(f"#o-{check['key']}-1")
    sco.frame.click(f"{form} [data-check]")
    audit(sco.frame, "knowledge check between tries", failures)
    sco.frame.click(f"{form} ~ [data-feedback-retry] [data-try-again]")
    sco.frame.check(f"#o-{check['key']}-0")
    sco.frame.click(f"{form} [data-check]")
    audit(sco.frame, "knowledge check done", failures)
    while sco.kind != "question":
        sco.next()
    sco.answer(right=False)
    audit(sco.frame, "graded question between tries", failures)
    sco.frame.click("section.page:not([hidden]) [data-try-again]")
    sco.answer(right=False)
    sco.next()
    assert sco.frame.is_visible("section.page:not([hidden]) [data-review]")
    audit(sco.frame, "result with review list", failures)
    lms.close()
    assert not failures, "\n".join(failures)


def test_axe_on_narrow_screen_and_overview(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    failures: list[str] = []
    try:
        page = context.new_page()
        page.goto(site.url + "/fixture/12/index.html")
        audit(page.main_frame, "overview", failures)
        page.goto(site.url + "/fixture/12/m01-basis/index.html")
        Sco.standalone(page)  # waits until the page is ready
        audit(page.main_frame, "start page, standalone notice", failures)
        page.click(".toc-toggle")
        audit(page.main_frame, "table of contents open", failures)
    finally:
        context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("width,height", [(360, 740), (1280, 900)])
def test_no_sideways_scrolling(browser, site, width, height):
    shots = os.environ.get("COURSEGEN_SCREENSHOTS")
    context = browser.new_context(viewport={"width": width, "height": height})
    wide: list[str] = []
    try:
        page = context.new_page()
        for module in ("m01-basis", "m02-school"):
            page.goto(f"{site.url}/fixture/12/{module}/index.html")
            sco = Sco.standalone(page)
            while True:
                if sco.kind == "question":
                    sco.answer(right=sco.question()["type"] != "match")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    wide.append(f"{module} page {sco.current} ({sco.kind}): {scroll} px wide")
                if shots:
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{shots}/{module}-{sco.current:02d}-{sco.kind}-{width}.png", full_page=True)
                if sco.kind == "result":
                    break
                sco.next()
    finally:
        context.close()
    assert not wide, wide
