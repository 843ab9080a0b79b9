"""No answer on screen before the learner checks: every question page of both packages, at a
desktop and a phone width, under scorm-again.

Two things are asserted on each question page of a fresh attempt:
  - every element that carries ``hidden`` is really not rendered (computed display none): a
    stylesheet rule such as ``.match-feedback { display: flex }`` silently overrides the
    attribute, which is how the matching questions once printed their answer key;
  - the visible text of the SCO document (``document.body.innerText``) holds none of the
    texts that only belong after checking: option feedback, the question's feedback, the
    answer key of matching and ordering items, the "correct answer" label.
"""

from __future__ import annotations

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)
from scorm_support.server import PROJECT

from generator.loader import load_course

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

# Runs in the SCO frame: opens every question page and returns what leaked, per page.
SCAN = """labels => {
    const config = JSON.parse(document.getElementById('sco-config').textContent);
    const leaks = [];
    const secretSelector = '[data-option-text], [data-match-correct], [data-feedback] p:not(.verdict), .correct-order li';
    // Every page first: the test opens once the lesson pages were visited.
    config.pages.forEach((page, index) => document.querySelector(`.toc a[data-goto='${index}']`).click());
    config.questions.forEach(q => {
        document.querySelector(`.toc a[data-goto='${q.page}']`).click();
        const section = document.querySelector(`section[data-page='${q.page}']`);
        if (section.hidden) { leaks.push(`${q.id}: page not shown`); return; }
        const form = document.querySelector(`form[data-question='${q.key}']`);
        if (!form || !form.checkVisibility()) { leaks.push(`${q.id}: the question is not shown`); return; }
        for (const el of document.querySelectorAll('[hidden]')) {
            if (getComputedStyle(el).display !== 'none') {
                const shown = getComputedStyle(el).display;
                leaks.push(`${q.id}: <${el.tagName.toLowerCase()} class="${el.className}"> has hidden but display ${shown}`);
            }
        }
        const visible = document.body.innerText.replace(/\\s+/g, ' ');
        // Texts an option or the question shows anyway are not secrets (e.g. an order item's
        // options, which the correct-order list repeats).
        const shown = [...section.querySelectorAll('label, .order-text, .match-left, select option, .question-text')]
            .map(el => el.textContent.replace(/\\s+/g, ' ').trim());
        for (const el of section.querySelectorAll(secretSelector)) {
            const secret = el.textContent.replace(/\\s+/g, ' ').trim();
            if (secret.length < 4 || shown.some(s => s.includes(secret))) continue;
            if (visible.includes(secret)) leaks.push(`${q.id}: visible before checking: ${secret.slice(0, 80)}`);
        }
        for (const label of labels) {
            if (visible.includes(label)) leaks.push(`${q.id}: visible before checking: ${label}`);
        }
        if (section.querySelector('form.is-locked')) leaks.push(`${q.id}: already answered in a fresh attempt`);
    });
    return leaks;
}"""


def _shipped():
    result = load_course(PROJECT / "course_source")
    if result.course is None:
        pytest.skip(f"course_source/ does not load ({len(result.diagnostics.errors)} errors)")
    return result.course


def _scan(browser, site, course: str, modules, version: str, width: str) -> list[str]:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        lms = Lms(page, site)  # noqa: F405 (from the fixtures)
        leaks: list[str] = []
        for module in modules:
            if not module.quiz:
                continue
            sco = lms.launch(version, module.id, course=course)
            labels = [sco.config["strings"]["correct_answer"] + ":", sco.config["strings"]["correct_order"]]
            leaks += [f"{module.id}: {leak}" for leak in sco.frame.evaluate(SCAN, labels)]
            lms.close()
        assert not lms.errors, lms.errors
        return leaks
    finally:
        context.close()


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_fixture_course_shows_no_answer_before_checking(browser, site, valid_course, version, width):
    leaks = _scan(browser, site, "fixture", valid_course.modules, version, width)
    assert not leaks, "\n".join(leaks[:40])


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_shipped_course_shows_no_answer_before_checking(browser, site, version, width):
    course = _shipped()
    site.add("shipped", course)
    leaks = _scan(browser, site, "shipped", course.modules, version, width)
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks[:40])
