"""What a learner sees and where the keyboard goes, in a real browser under scorm-again:
the state of the "Check" button, focus after checking, what the start page says about the
test, the result page of a failed attempt, and targets big enough for a finger on a phone.

Uses variants of the small fixture course (tests/fixtures/valid, see scorm_support/variants.py).
"""

from __future__ import annotations

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)
from scorm_support.variants import course_variant

PAGE = "section.page:not([hidden])"


@pytest.fixture(autouse=True)
def no_script_errors(request):
    lms = request.getfixturevalue("lms") if "lms" in request.fixturenames else None
    yield
    assert lms is None or not lms.errors, lms.errors


def to_quiz(sco) -> None:
    while sco.kind != "question":
        sco.next()


def test_check_button_goes_once_checked_and_focus_moves_to_the_feedback(lms, tmp_path_factory):
    """A greyed-out "Controleer" beside the feedback looked like a step still to take: it is
    hidden while the answer is checked (between tries too), and the keyboard lands on the
    feedback instead of on nothing."""
    name = course_variant(lms.site, tmp_path_factory, "tries", settings="    tries: 2\n")
    sco = lms.launch("2004", "m01-basis", course=name)
    to_quiz(sco)
    key = sco.question()["key"]
    button = sco.frame.locator(f"form[data-question='{key}'] [data-check]")
    assert button.is_visible()
    sco.answer(right=False)  # a try left
    assert not button.is_visible()
    assert sco.frame.evaluate("document.activeElement.hasAttribute('data-try-again')")
    sco.frame.click(f"{PAGE} [data-try-again]")
    assert button.is_visible(), "back to answering: the button is back"
    sco.frame.focus(f"form[data-question='{key}'] [data-check]")
    sco.answer(right=True, check=False)
    lms.page.keyboard.press("Enter")
    sco.frame.wait_for_selector(f"form[data-question='{key}'].is-locked")
    assert not button.is_visible()
    assert sco.frame.evaluate("document.activeElement.hasAttribute('data-feedback')"), "focus on the feedback"
    lms.page.keyboard.press("Tab")
    assert sco.frame.evaluate("document.activeElement.closest('.pager') !== null"), "Tab goes on to the pager"
    record = lms.close()["record"]

    sco = lms.launch("2004", "m01-basis", course=name, resume=record)
    assert not sco.frame.is_visible(f"form[data-question='{key}'] [data-check]"), "a resumed answer: no button"


def test_start_page_says_how_the_test_works(lms, tmp_path_factory):
    name = course_variant(lms.site, tmp_path_factory, "tries", settings="    tries: 2\n")
    sco = lms.launch("1.2", "m01-basis", course=name, mastery=80)
    facts = sco.frame.inner_text(f"{PAGE} .facts")
    assert "Je slaagt voor de toets met 80% of meer." in facts, "the LMS's pass mark"
    assert "Je hebt 2 pogingen per toetsvraag." in facts
    assert "De toets gaat open als je alle lessen en casussen hebt bekeken." in facts
    lms.close()

    sco = lms.launch("2004", "m01-basis")  # defaults: one try, no line about it
    facts = sco.frame.inner_text(f"{PAGE} .facts")
    assert "70% of meer" in facts and "pogingen" not in facts


def test_failed_result_puts_review_before_retake_and_does_not_say_done(lms, tmp_path_factory):
    name = course_variant(
        lms.site, tmp_path_factory, "retake-best", settings="    retakes: 1\n    retake_score: best\n    partial_credit: false\n"
    )
    sco = lms.launch("2004", "m02-school", course=name)
    to_quiz(sco)
    for good in (True, False, True):
        sco.answer(right=good)
        sco.next()
    assert sco.kind == "result"
    order = sco.frame.evaluate("""() => {
        const page = document.querySelector('section.page:not([hidden])');
        const review = page.querySelector('[data-review]'), retry = page.querySelector('[data-retry]');
        return review.compareDocumentPosition(retry) & Node.DOCUMENT_POSITION_FOLLOWING;
    }""")
    assert sco.frame.is_visible(f"{PAGE} [data-review]") and sco.frame.is_visible(f"{PAGE} [data-retry]")
    assert order, "first what to read again, then the retake button"
    assert not sco.frame.is_visible(f"{PAGE} [data-finished]"), "not 'you have finished' next to 'retake'"
    assert "toets meteen opnieuw maken" in sco.frame.inner_text(f"{PAGE} [data-finished-retake]")
    lms.close()


def test_phone_targets_are_at_least_44_px(lms):
    lms.page.set_viewport_size({"width": 360, "height": 740})
    sco = lms.launch("1.2", "m02-school")
    to_quiz(sco)
    question = sco.question()
    if question["type"] not in ("single", "multiple", "truefalse"):
        sco.go(next(q["page"] for q in sco.config["questions"] if q["type"] in ("single", "multiple", "truefalse")))
        question = sco.question()
    # The whole option box selects the option, not only the text and the small box.
    key = question["key"]
    option = sco.frame.locator(f"form[data-question='{key}'] .option").first
    box = option.bounding_box()
    assert box["height"] >= 44
    index = option.get_attribute("data-option")
    lms.page.mouse.click(box["x"] + box["width"] - 6, box["y"] + box["height"] - 4)
    assert sco.frame.is_checked(f"#o-{key}-{index}"), "a tap on the option's edge chooses it"
    # The menu on a phone.
    sco.frame.click(".toc-toggle")
    heights = sco.frame.evaluate(
        "[...document.querySelectorAll('.toc-pages a')].filter(a => a.offsetParent).map(a => a.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44, heights
    lms.close()


def test_partly_right_answer_says_partly_right(lms):
    """With partial credit (the default) half the right options earn half the points; the
    feedback said a flat "Niet goed." while the result page said "deels goed"."""
    sco = lms.launch("2004", "m02-school")
    q = next(q for q in sco.config["questions"] if q["type"] == "multiple")
    to_quiz(sco)
    sco.go(q["page"])
    first_right = int(q["correct"][0], 36)
    sco.frame.check(f"#o-{q['key']}-{first_right}")
    sco.frame.click(f"form[data-question='{q['key']}'] [data-check]")
    verdict = sco.frame.inner_text(f"{PAGE} [data-feedback-incorrect] .verdict")
    assert verdict == "Deels goed: je krijgt 50% van de punten voor deze vraag."
    sco.frame.wait_for_function("() => document.querySelector('[data-announcer]').textContent.startsWith('Deels goed')")
    sco.next()
    while sco.kind == "question":
        sco.answer(right=False)
        sco.next()
    assert "deels goed" in sco.frame.inner_text(f"{PAGE} [data-question-status='{q['key']}']")
    lms.close()
