"""cmi.suspend_data stays within SCORM 1.2's 4,096 characters.

scorm-again accepts 64,000 characters even under SCORM 1.2 (many LMSs enforce the 4,096 of
the spec), so the limit is asserted here, and the test LMS enforces it too (the Moodle-like
record keeping with its strict 1.2 limits, lms/moodle.js): for the largest module, every
question answered with its longest encoding, every page visited, every reflection as long as
may be kept.
"""

from __future__ import annotations

import json

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)
from scorm_support.server import PROJECT

from generator.loader import load_course

LIMIT_12 = 4096


# Visits every page and answers every question through the page's own controls (clicks
# and change events, dispatched in the page to keep a 70-page module fast): every option of
# a multiple-choice item ticked, the first option of others, order items as they start,
# the first right-hand side for every match row; every reflection exactly at the limit.
FILL = """note => {
    const config = JSON.parse(document.getElementById('sco-config').textContent);
    config.pages.forEach((page, index) => {
        document.querySelector(`.toc a[data-goto='${index}']`).click();
        const section = document.querySelector(`section[data-page='${index}']`);
        const form = section.querySelector('form[data-question]');
        if (form) {
            const inputs = [...form.querySelectorAll('input')];
            (form.classList.contains('quiz-multiple') ? inputs : inputs.slice(0, 1)).forEach(i => i.click());
            form.querySelectorAll('select').forEach(select => {
                select.value = select.options[1].value;
                select.dispatchEvent(new Event('change', {bubbles: true}));
            });
            form.querySelector('[data-check]').click();
        }
        const textarea = section.querySelector('textarea');
        if (textarea && note) {
            textarea.value = note;
            textarea.dispatchEvent(new Event('input', {bubbles: true}));
        }
    });
    document.querySelector('.toc a[data-goto="0"]').click();
    return document.querySelectorAll('form.is-locked').length;
}"""


def fill_everything(lms, course: str, module: str) -> tuple[str, dict]:
    sco = lms.launch("1.2", module, course=course, moodle={"strict12": True})
    config = sco.config
    limit = config["reflectionLimit"]
    # Quotes count twice in the encoding (\"), so this note is exactly at the limit.
    note = 'a"' * 5 + "ë" * (limit - 15) if limit >= 15 else ""
    assert sco.frame.evaluate(FILL, note) == len(config["questions"])
    assert sco.frame.locator("[data-reflection-hint].is-warning").count() == 0
    lms.page.wait_for_timeout(900)  # the reflection autosave
    suspend = lms.get("cmi.suspend_data")
    result = lms.close()
    refused = [c for c in result["calls"]["log"] if c[0] == "LMSSetValue" and c[-1] != "true"]
    assert refused == [], "the LMS refused a value (4,096 / 255 characters in SCORM 1.2)"
    assert json.loads(result["record"]["cmi"]["suspend_data"]) == json.loads(suspend), "what the LMS stored"
    return suspend, config


def check(suspend: str, config: dict) -> None:
    assert len(suspend) <= LIMIT_12, f"suspend_data is {len(suspend)} characters"
    data = json.loads(suspend)
    assert set(data["a"]) == {q["key"] for q in config["questions"]}, "every answer kept"
    assert config["reflectionLimit"] >= 15, "no room left for the learner's notes"
    assert set(data["r"]) == {r["key"] for r in config["reflections"]}, "every reflection kept"
    assert len(data["p"]) == -(-len(config["pages"]) // 6)
    print(
        f"suspend_data: {len(suspend)} characters, {len(config['questions'])} questions, "
        f"{len(config['reflections'])} reflections of up to {config['reflectionLimit']}"
    )


def test_fixture_module_fits(lms):
    suspend, config = fill_everything(lms, "fixture", "m01-basis")
    check(suspend, config)
    assert config["reflectionLimit"] == 1000, "one vignette: the per-note maximum, not the budget, limits it"


def _largest(course):
    return max(course.modules, key=lambda m: (sum(len(q.options) + 8 for q in m.quiz) + 20 * len(m.vignettes), len(m.lessons)))


def test_shipped_course_largest_module_fits(lms):
    result = load_course(PROJECT / "course_source")
    if result.course is None:
        first = next(iter(result.diagnostics.errors), None)
        pytest.skip(f"course_source/ does not load yet ({len(result.diagnostics.errors)} errors, first: {first})")
    course = result.course
    module = _largest(course)
    if not module.quiz:
        pytest.skip("the shipped course has no quiz items yet")
    lms.site.add("shipped", course)
    suspend, config = fill_everything(lms, "shipped", module.id)
    check(suspend, config)


# The state a learner can reach beyond what FILL does: the last retake of a long series, a
# score carried from earlier attempts, a learner seed of our own (an LMS without learner id).
AT_MAXIMUM = """() => {
    const config = JSON.parse(document.getElementById('sco-config').textContent);
    const api = window.parent.API || window.parent.API_1484_11;
    const saved = api.cmi.suspend_data;
    const state = CourseState.decode(config, saved);
    state.attempt = CourseState.MAX_ATTEMPT;
    state.counted = 66.67;
    state.seed = 'ABCDEFGH';
    const digits = n => [...Array(n).keys()].map(d => d.toString(36)).join('');
    config.questions.forEach(q => {
        if (q.check) { state.checks[q.key] = true; return; }
        // With tries left, FILL's answer may still be pending: make every answer final and
        // as long as it can be (a pending try takes fewer characters than an answer).
        delete state.tries[q.key];
        state.answers[q.key] = q.type === 'single' || q.type === 'truefalse' ? '0' : digits(q.count);
    });
    return CourseState.encode(config, state, 4096);
}"""


def test_shipped_course_largest_module_fits_with_every_test_setting_at_its_maximum(lms):
    """Tries, retakes and pool at their maximum (scorm/__init__.py), every question answered
    with its longest encoding, every reflection at the limit, the largest attempt number."""
    import dataclasses

    from generator.model import FrozenDict
    from generator.targets.scorm import settings as scorm

    result = load_course(PROJECT / "course_source")
    if result.course is None:
        pytest.skip("course_source/ does not load yet")
    course = result.course
    settings = dict(
        course.settings("scorm"),
        tries=scorm.MAX_TRIES,
        retakes=scorm.MAX_RETAKES,
        pool="all",
        retake_score="best",
        partial_credit=True,
        unlock_after_lessons=False,
    )
    course = dataclasses.replace(course, targets=FrozenDict({**course.targets, "scorm": FrozenDict(settings)}))
    module = _largest(course)
    lms.site.add("shipped-maximum", course)
    suspend, config = fill_everything(lms, "shipped-maximum", module.id)
    # Encode the largest state through the runtime's own encoder, in a page of the package.
    lms.launch("1.2", module.id, course="shipped-maximum")
    frame = lms.page.query_selector("#sco").content_frame()
    lms.page.evaluate("data => { harness.api.cmi.suspend_data = data; }", suspend)
    worst = frame.evaluate(AT_MAXIMUM)
    lms.close()
    assert len(worst) <= LIMIT_12, f"suspend_data at its maximum is {len(worst)} characters"
    data = json.loads(worst)
    assert data["n"] == 999 and data["b"] == 66.67 and data["k"] == "ABCDEFGH"
    assert set(data["a"]) == {q["key"] for q in config["questions"] if not q["check"]}, "every answer kept"
    if config["reflectionLimit"] >= 15:
        assert set(data["r"]) == {r["key"] for r in config["reflections"]}, "every reflection kept"
    print(f"suspend_data at its maximum: {len(worst)} characters")
