"""The SCORM packages in a real browser, inside a real SCORM runtime (scorm-again).

A test LMS page (tests/scorm_support/lms/) hosts scorm-again as ``window.API`` (1.2) or
``window.API_1484_11`` (2004) and opens a module SCO of the fixture course in an iframe.
The tests act as a learner (clicks, checkboxes, selects), close the SCO like an LMS does,
reopen it with the record an LMS keeps, and assert what the LMS received.
"""

from __future__ import annotations

import json
import re

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)

SESSION_TIME = {
    "1.2": re.compile(r"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$"),  # CMITimespan
    "2004": re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$"),  # ISO 8601 duration
}
FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}
INITIALIZE = {"1.2": "LMSInitialize", "2004": "Initialize"}


def value(data: dict, path: str):
    for key in path.split("."):
        data = data[key]
    return data


def interactions(cmi: dict) -> list[dict]:
    found = value(cmi, "cmi.interactions")
    return [found[key] for key in sorted(found, key=int)]


def status(cmi: dict, version: str) -> tuple:
    """(completion, success) as the LMS sees them; 1.2 has the one lesson_status."""
    if version == "1.2":
        return (value(cmi, "cmi.core.lesson_status"),)
    return value(cmi, "cmi.completion_status"), value(cmi, "cmi.success_status")


def location(cmi: dict, version: str) -> str:
    return value(cmi, "cmi.core.lesson_location" if version == "1.2" else "cmi.location")


def exit_value(cmi: dict, version: str) -> str:
    return value(cmi, "cmi.core.exit" if version == "1.2" else "cmi.exit")


def session_time(cmi: dict, version: str) -> str:
    return value(cmi, "cmi.core.session_time" if version == "1.2" else "cmi.session_time")


def score(cmi: dict, version: str) -> dict:
    return dict(value(cmi, "cmi.core.score" if version == "1.2" else "cmi.score"))


def responses(entry: dict, version: str) -> tuple[str, str, str, str]:
    """(type, learner response, correct pattern, result) of one interaction."""
    learner = entry["student_response"] if version == "1.2" else entry["learner_response"]
    return entry["type"], learner, entry["correct_responses"]["0"]["pattern"], entry["result"]


# What the learner does in module 2 (order right, match wrong, multiple right), and what the
# LMS must receive for it, per version (1.2: one character per choice, a, b, c by position;
# 2004: the source's option ids and the "[,]" / "[.]" delimiters).
M02_EXPECTED = {
    "1.2": {
        "q-ks-volgorde": ("sequencing", "a,b,c", "a,b,c", "correct"),
        "q-ks-koppel": ("matching", "a.b,b.a", "a.a,b.b", "wrong"),
        "q-ks-meer": ("choice", "a,c", "a,c", "correct"),
    },
    "2004": {
        "q-ks-volgorde": ("sequencing", "1[,]2[,]3", "1[,]2[,]3", "correct"),
        "q-ks-koppel": ("matching", "1[.]b[,]2[.]a", "1[.]a[,]2[.]b", "incorrect"),
        "q-ks-meer": ("choice", "a[,]c", "a[,]c", "correct"),
    },
}


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_walk_close_resume_and_retake(lms, version):
    expected = M02_EXPECTED[version]

    # -- session 1: read, answer two of three questions, leave ------------------------
    sco = lms.launch(version, "m02-school")
    config = sco.config
    pages = {p["location"]: i for i, p in enumerate(config["pages"])}
    keys = {q["id"]: q["key"] for q in config["questions"]}
    assert sco.kind == "start"
    sco.next()
    assert sco.kind == "section" and sco.heading() == "Een goede relatie"
    assert sco.focused() == "H1#h-1", "focus moves to the new page's heading"
    sco.next()
    order_answer = sco.answer(right=True)
    sco.next()
    match_answer = sco.answer(right=False)
    first = lms.close()
    cmi = first["cmi"]

    assert first["calls"][FINISH[version]] == 1
    assert first["calls"][INITIALIZE[version]] == 1
    assert status(cmi, version) == (("incomplete",) if version == "1.2" else ("incomplete", "unknown"))
    assert location(cmi, version) == "q:q-ks-koppel"
    assert exit_value(cmi, version) == "suspend"
    assert SESSION_TIME[version].match(session_time(cmi, version)), session_time(cmi, version)
    assert score(cmi, version)["raw"] == "", "no score before every question is answered"
    saved = json.loads(value(cmi, "cmi.suspend_data"))
    assert saved["a"] == {keys["q-ks-volgorde"]: order_answer, keys["q-ks-koppel"]: match_answer}
    recorded = interactions(cmi)
    assert [i["id"] for i in recorded] == ["q-ks-volgorde", "q-ks-koppel"]
    for entry in recorded:
        assert responses(entry, version) == expected[entry["id"]]
        assert entry["weighting"] == "1"
    if version == "2004":
        # No description: Moodle's interactions report shows the (readable) id; it keeps the
        # data model small (docs/scorm.md, "Moodle").
        assert recorded[0]["description"] == ""
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", recorded[0]["timestamp"])
    else:
        assert re.match(r"^\d\d:\d\d:\d\d$", recorded[0]["time"])

    # -- session 2: the LMS hands back its record; the learner continues ---------------
    sco = lms.launch(version, "m02-school", resume=first["record"])
    assert sco.current == pages["q:q-ks-koppel"], "resumes on the bookmarked page"
    assert "Welkom terug" in sco.notice()
    for key in (keys["q-ks-volgorde"], keys["q-ks-koppel"]):
        assert sco.frame.locator(f"form[data-question='{key}'].is-locked").count() == 1, "answers restored and locked"
    assert sco.frame.is_visible(f"form[data-question='{keys['q-ks-koppel']}'] + .feedback [data-feedback-incorrect]")
    assert sco.frame.input_value(f"#m-{keys['q-ks-koppel']}-0") == "1", "the learner's own choice is shown again"
    sco.next()
    sco.answer(right=True)
    sco.next()
    assert sco.kind == "result"
    result = sco.frame.inner_text("section.page:not([hidden]) [data-result]")
    assert "Je score: 67%" in result and "2 van de 3 vragen goed" in result and "Nog niet geslaagd" in result
    assert lms.get("cmi.core.lesson_status" if version == "1.2" else "cmi.success_status") == "failed"

    # -- a retake: answers cleared, all right this time ---------------------------------
    sco.frame.click("section.page:not([hidden]) [data-retry]")
    assert sco.current == pages["q:q-ks-volgorde"]
    assert sco.frame.locator("form.is-locked").count() == 0
    while sco.kind == "question":
        sco.answer(right=True)
        sco.next()
    assert "Je score: 100%" in sco.frame.inner_text("section.page:not([hidden]) [data-result]")
    second = lms.close()
    cmi = second["cmi"]

    assert second["calls"][FINISH[version]] == 1
    assert status(cmi, version) == (("passed",) if version == "1.2" else ("completed", "passed"))
    assert score(cmi, version)["raw"] == "100" and score(cmi, version)["min"] == "0" and score(cmi, version)["max"] == "100"
    if version == "2004":
        assert score(cmi, version)["scaled"] == "1"
        assert value(cmi, "cmi.progress_measure") in ("1", "1.0", "1.00")
    assert exit_value(cmi, version) == "suspend", "also when finished: the LMS keeps answers and notes (docs/scorm.md)"
    assert location(cmi, version) == "result"
    assert SESSION_TIME[version].match(session_time(cmi, version))
    recorded = interactions(cmi)
    if version == "2004":
        # 2004 interactions are readable: the retake updates each question's entry.
        assert [i["id"] for i in recorded] == ["q-ks-volgorde", "q-ks-koppel", "q-ks-meer"]
        assert all(i["result"] == "correct" for i in recorded)
    else:
        # 1.2 interactions are write-only, a journal: the retake appends.
        assert [i["id"] for i in recorded][:3] == ["q-ks-volgorde", "q-ks-koppel", "q-ks-meer"]
        assert [i["id"] for i in recorded][3:] == ["q-ks-volgorde", "q-ks-koppel", "q-ks-meer"]
        assert [i["result"] for i in recorded[3:]] == ["correct"] * 3
    assert lms.errors == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_reflection_single_truefalse_and_lms_pass_mark(lms, version):
    # The LMS may set its own pass mark (1.2 mastery_score, 2004 scaled_passing_score): 50 here.
    sco = lms.launch(version, "m01-basis", mastery=50)
    config = sco.config
    pages = {p["location"]: i for i, p in enumerate(config["pages"])}
    while sco.kind != "vignette":
        sco.next()
    assert sco.heading() == "Een moeder die niet komt"
    note = 'Ik bel de moeder zelf op. "Eerst luisteren."\nDan plannen.'
    sco.frame.fill("section.page:not([hidden]) textarea", note)
    hint = sco.frame.inner_text("section.page:not([hidden]) [data-reflection-hint]")
    limit = config["reflectionLimits"][version]
    assert f"Nog {limit - len(note) - 3} van de {limit} tekens ruimte" in hint, "quotes and line breaks take two"
    assert not sco.frame.is_visible("section.page:not([hidden]) details .prose")
    sco.frame.click("section.page:not([hidden]) details summary")
    assert "Bel de moeder zelf op" in sco.frame.inner_text("section.page:not([hidden]) details .prose")
    sco.next()
    assert sco.answer(right=True) == "0"
    sco.next()
    assert sco.answer(right=False) == "1"
    feedback = sco.frame.inner_text("section.page:not([hidden]) .option.is-wrong")
    assert "Jouw keuze: fout" in feedback and "Toch wel" in feedback
    first = lms.close()
    assert json.loads(value(first["cmi"], "cmi.suspend_data"))["r"] == {config["reflections"][0]["key"]: note}
    assert first["calls"][FINISH[version]] == 1

    sco = lms.launch(version, "m01-basis", resume=first["record"], mastery=50)
    assert sco.current == pages["q:q-epstein-waar"]
    sco.go(pages["v:vig-groep3-moeder"])
    assert sco.frame.input_value("section.page:not([hidden]) textarea") == note
    sco.go(pages["result"])
    result = sco.frame.inner_text("section.page:not([hidden]) [data-result]")
    assert "Je score: 50%" in result and "Geslaagd" in result and "norm van 50%" in result
    second = lms.close()
    cmi = second["cmi"]
    assert status(cmi, version) == (("passed",) if version == "1.2" else ("completed", "passed"))
    assert score(cmi, version)["raw"] == "50"
    recorded = interactions(cmi)
    assert [responses(i, version) for i in recorded] == (
        [("choice", "a", "a", "correct"), ("true-false", "f", "t", "wrong")]
        if version == "1.2"
        else [("choice", "a", "a", "correct"), ("true-false", "false", "true", "incorrect")]
    )
    assert lms.errors == []


def test_total_time_accumulates_across_sessions(lms):
    sco = lms.launch("2004", "m01-basis")
    sco.next()
    first = lms.close()
    sco = lms.launch("2004", "m01-basis", resume=first["record"])
    second = lms.close()
    assert first["record"]["cmi"]["total_time"].startswith("PT")
    assert second["calls"]["Terminate"] == 1
    assert value(second["cmi"], "cmi.entry") == "resume"


def test_keyboard_only(lms):
    """Every control works from the keyboard: buttons, radio groups, order moves, selects."""
    page = lms.page
    sco = lms.launch("1.2", "m02-school")
    keys = {q["id"]: q["key"] for q in sco.config["questions"]}
    sco.frame.focus("section.page:not([hidden]) [data-next]")
    page.keyboard.press("Enter")
    assert sco.focused() == "H1#h-1"
    sco.frame.focus(".pager [data-next]")
    page.keyboard.press("Enter")
    assert sco.focused() == "H1#h-2"

    # Order: move items with the buttons, by keyboard; focus stays on the pressed button.
    key = keys["q-ks-volgorde"]
    for target in range(3):
        while sco.order_now(key).index(str(target)) > target:
            selector = f"form[data-question='{key}'] .order-item[data-option='{target}'] [data-move='-1']"
            sco.frame.focus(selector)
            page.keyboard.press("Enter")
            assert sco.frame.evaluate("document.activeElement.dataset.move") == "-1"
    assert sco.order_now(key) == "012"
    sco.frame.wait_for_function("() => document.querySelector('[data-announcer]').textContent.includes('van 3')")
    sco.frame.focus(f"form[data-question='{key}'] [data-check]")
    page.keyboard.press("Enter")
    sco.frame.wait_for_selector(f"form[data-question='{key}'].is-locked")
    sco.frame.wait_for_function("() => document.querySelector('[data-announcer]').textContent.startsWith('Goed!')")

    # Match: choose with the arrow keys in each select.
    sco.next()
    key = keys["q-ks-koppel"]
    choices = sco.frame.evaluate(f"Array.from(document.querySelectorAll('#m-{key}-0 option')).map(o => o.value)")
    for left in range(2):
        sco.frame.focus(f"#m-{key}-{left}")
        for _ in range(choices.index(str(left))):
            page.keyboard.press("ArrowDown")
        assert sco.frame.input_value(f"#m-{key}-{left}") == str(left)
    page.keyboard.press("Tab")
    assert sco.frame.evaluate("document.activeElement.hasAttribute('data-check')"), "Tab reaches the check button"
    page.keyboard.press("Enter")
    sco.frame.wait_for_selector(f"form[data-question='{key}'].is-locked")

    # Multiple choice: Space toggles a checkbox.
    sco.next()
    key = keys["q-ks-meer"]
    for index in (0, 2):
        sco.frame.focus(f"#o-{key}-{index}")
        page.keyboard.press("Space")
    sco.frame.focus(f"form[data-question='{key}'] [data-check]")
    page.keyboard.press("Space")
    sco.frame.wait_for_selector(f"form[data-question='{key}'].is-locked")
    assert "Goed!" in sco.frame.inner_text("section.page:not([hidden]) .feedback")
    lms.close()


def test_check_without_answer_explains(lms):
    sco = lms.launch("2004", "m01-basis")
    while sco.kind != "question":  # the test opens once the lesson pages were visited
        sco.next()
    sco.frame.click("section.page:not([hidden]) [data-check]")
    assert sco.frame.inner_text("section.page:not([hidden]) [data-form-message]") == "Kies eerst een antwoord."
    assert sco.frame.locator("form.is-locked").count() == 0
    lms.close()


def test_narrow_screen_table_of_contents(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        from scorm_support.fixtures import Lms

        lms = Lms(page, site)
        sco = lms.launch("1.2", "m01-basis")
        assert not sco.frame.is_visible("#toc")
        sco.frame.click(".toc-toggle")
        assert sco.frame.is_visible("#toc")
        assert sco.frame.get_attribute(".toc-toggle", "aria-expanded") == "true"
        page.keyboard.press("Escape")
        assert not sco.frame.is_visible("#toc")
        assert sco.focused() == "BUTTON#"
        sco.go(2)
        assert not sco.frame.is_visible("#toc"), "choosing a page closes the contents"
        lms.close()
    finally:
        context.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_module_without_quiz_completes_by_reading(lms, valid_course, version):
    import dataclasses

    first = valid_course.modules[0]
    course = dataclasses.replace(valid_course, modules=(dataclasses.replace(first, quiz=()), *valid_course.modules[1:]))
    lms.site.add("reading", course)
    sco = lms.launch(version, "m01-basis", course="reading")
    while sco.kind != "result":
        sco.next()
    assert sco.frame.is_visible("section.page:not([hidden]) [data-finished]")
    result = lms.close()
    cmi = result["cmi"]
    assert status(cmi, version) == (("completed",) if version == "1.2" else ("completed", "unknown"))
    assert score(cmi, version)["raw"] == ""
    assert exit_value(cmi, version) == "suspend"
    assert interactions(cmi) == []


MODE = {"1.2": ("core", "lesson_mode"), "2004": (None, "mode")}
SET_VALUE = {"1.2": "LMSSetValue", "2004": "SetValue"}
COMMIT = {"1.2": "LMSCommit", "2004": "Commit"}


@pytest.mark.parametrize("version,mode", [("1.2", "review"), ("2004", "review"), ("2004", "browse"), ("1.2", "browse")])
def test_review_and_browse_read_the_record_and_write_nothing(lms, version, mode):
    sco = lms.launch(version, "m02-school")
    sco.next()
    sco.next()
    sco.answer(right=True)
    first = lms.close()

    record = json.loads(json.dumps(first["record"]))
    group, name = MODE[version]
    (record["cmi"][group] if group else record["cmi"])[name] = mode
    sco = lms.launch(version, "m02-school", resume=record)
    expected = "kijkt deze module terug" if mode == "review" else "zonder beoordeling"
    assert expected in sco.notice()
    keys = {q["id"]: q["key"] for q in sco.config["questions"]}
    assert sco.frame.locator(f"form[data-question='{keys['q-ks-volgorde']}'].is-locked").count() == 1, "earlier answers shown"
    sco.next()
    sco.answer(right=False)  # the learner may try things; the LMS keeps what it had
    sco.next()
    assert expected in sco.notice(), "the notice stays on every page"
    second = lms.close()

    assert second["calls"].get(SET_VALUE[version], 0) == 0
    assert second["calls"].get(COMMIT[version], 0) == 0
    assert second["calls"][FINISH[version]] == 1
    for path in ("cmi.suspend_data", "cmi.interactions"):
        assert value(second["cmi"], path) == value(first["cmi"], path)
    assert location(second["cmi"], version) == location(first["cmi"], version)
    assert status(second["cmi"], version) == status(first["cmi"], version)
    assert lms.errors == []
