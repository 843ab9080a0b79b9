"""The test design settings (course.yaml targets.scorm, module.yaml targets.scorm) in a real
browser under scorm-again, in both SCORM versions: pool, tries, retakes and which score
counts, the unlock after the lesson pages, partial credit, knowledge checks in lessons, and
the result page's review list. What the LMS receives is asserted from the CMI data.

Each setting gets its own variant of the small fixture course (tests/fixtures/valid):
m01-basis has one lesson page with two quiz items, m02-school one lesson page with three
(order, match, multiple).
"""

from __future__ import annotations

import json

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)
from scorm_support.variants import course_variant

VERSIONS_ = ["1.2", "2004"]


@pytest.fixture(autouse=True)
def no_script_errors(request):
    """No test here may leave an error in the page's console."""
    lms = request.getfixturevalue("lms") if "lms" in request.fixturenames else None
    yield
    assert lms is None or not lms.errors, lms.errors


def to_quiz(sco) -> None:
    """Walk the lesson pages with Next until the first question."""
    while sco.kind != "question":
        sco.next()


def interactions(cmi: dict) -> list[dict]:
    found = cmi["cmi"]["interactions"]
    return [found[key] for key in sorted(found, key=int)]


def raw_score(cmi: dict, version: str) -> str:
    return (cmi["cmi"]["core"]["score"] if version == "1.2" else cmi["cmi"]["score"])["raw"]


def success(cmi: dict, version: str) -> str:
    return cmi["cmi"]["core"]["lesson_status"] if version == "1.2" else cmi["cmi"]["success_status"]


def asked_keys(sco) -> list[str]:
    """The question keys of the attempt: the quiz entries the menu shows."""
    return sco.frame.evaluate("""() => [...document.querySelectorAll('[data-toc-page]')]
        .filter(li => !li.hidden).map(li => Number(li.dataset.tocPage))""")


def question_pages(sco) -> list[int]:
    pages = {q["page"] for q in sco.config["questions"] if not q["check"]}
    return [p for p in asked_keys(sco) if p in pages]


# -- pool --------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS_)
def test_pool_draws_n_questions_and_a_resume_keeps_the_draw(lms, tmp_path_factory, version):
    name = course_variant(lms.site, tmp_path_factory, "pool", module02="targets:\n  scorm:\n    pool: 2\n")
    sco = lms.launch(version, "m02-school", course=name, learner="pool-learner")
    drawn = question_pages(sco)
    assert len(drawn) == 2, "two of the three questions"
    assert "2 toetsvragen" in sco.frame.inner_text("section[data-page='0']")
    orders = sco.shown_orders()
    to_quiz(sco)
    assert sco.current == drawn[0]
    assert sco.heading() == "Vraag 1 van 2"
    first = sco.answer(right=True)
    record = lms.close()["record"]

    # Resume in the middle of the pooled attempt: the same two questions, the same order.
    sco = lms.launch(version, "m02-school", course=name, resume=record)
    assert question_pages(sco) == drawn
    assert sco.current == drawn[0]
    assert (
        sco.shown_orders() == {**orders, sco.question()["key"]: [int(c, 36) for c in first]} or sco.question()["type"] != "order"
    )
    assert sco.frame.locator(f"form[data-question='{sco.question()['key']}'].is-locked").count() == 1
    sco.next()
    assert sco.current == drawn[1] and sco.heading() == "Vraag 2 van 2"
    sco.answer(right=True)
    sco.next()
    assert sco.kind == "result"
    assert "2 van de 2 vragen goed" in sco.frame.inner_text("section.page:not([hidden]) [data-result]")
    cmi = lms.close()["cmi"]
    recorded = interactions(cmi)
    assert len(recorded) == 2, "one interaction per asked question"
    assert {i["id"] for i in recorded} == {q["id"] for q in sco.config["questions"] if q["page"] in drawn}
    assert float(raw_score(cmi, version)) == 100
    assert success(cmi, version) == "passed"


def test_pool_differs_between_learners(lms, tmp_path_factory):
    name = course_variant(lms.site, tmp_path_factory, "pool", module02="targets:\n  scorm:\n    pool: 2\n")
    draws = set()
    for n in range(8):
        sco = lms.launch("2004", "m02-school", course=name, learner=f"learner-{n}")
        draws.add(tuple(question_pages(sco)))
        lms.close()
    assert len(draws) > 1


# -- tries -------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS_)
def test_tries_give_feedback_between_tries_and_report_the_final_answer(lms, tmp_path_factory, version):
    name = course_variant(lms.site, tmp_path_factory, "tries", settings="    tries: 2\n")
    sco = lms.launch(version, "m01-basis", course=name)
    to_quiz(sco)
    key = sco.question()["key"]
    sco.answer(right=False)
    retry = sco.frame.locator(f"form[data-question='{key}'] ~ [data-feedback-retry]")
    assert retry.is_visible()
    assert "nog 1 poging" in retry.inner_text()
    assert sco.frame.evaluate("document.activeElement.hasAttribute('data-try-again')"), "focus on 'Probeer opnieuw'"
    visible = sco.frame.inner_text("section.page:not([hidden])")
    assert "Juiste antwoord" not in visible and not sco.frame.is_visible("section.page:not([hidden]) [data-feedback]")
    assert lms.get("cmi.interactions._count") in (0, "0"), "nothing reported between tries"
    assert json.loads(lms.get("cmi.suspend_data"))["t"] == {key: 1}
    record = lms.close()["record"]

    # The try used survives a resume; the second try is the last.
    sco = lms.launch(version, "m01-basis", course=name, resume=record)
    assert sco.question()["key"] == key and sco.frame.locator("form.is-locked").count() == 0
    sco.answer(right=True)
    assert sco.frame.is_visible("section.page:not([hidden]) [data-feedback-correct]")
    sco.next()
    sco.answer(right=False)
    sco.frame.click("section.page:not([hidden]) [data-try-again]")
    sco.answer(right=False)
    assert sco.frame.is_visible("section.page:not([hidden]) [data-feedback-incorrect]"), "no tries left: final"
    cmi = lms.close()["cmi"]
    results = [i["result"] for i in interactions(cmi)]
    assert results == ["correct", "wrong" if version == "1.2" else "incorrect"]
    assert "t" not in json.loads(cmi["cmi"]["suspend_data"])


# -- retakes and which score counts ------------------------------------------------------------
def _finish(sco, right: list[bool]) -> None:
    to_quiz(sco)
    for good in right:
        sco.answer(right=good)
        sco.next()
    assert sco.kind == "result"


@pytest.mark.parametrize("version", VERSIONS_)
@pytest.mark.parametrize("counting", ["best", "last"])
def test_retakes_are_limited_and_the_best_or_last_score_counts(lms, tmp_path_factory, version, counting):
    name = course_variant(
        lms.site,
        tmp_path_factory,
        f"retake-{counting}",
        settings=f"    retakes: 1\n    retake_score: {counting}\n    partial_credit: false\n",
    )
    sco = lms.launch(version, "m02-school", course=name)
    _finish(sco, [True, False, True])  # 67 %: failed
    result = "section.page:not([hidden]) [data-result]"
    assert "nog 1 keer opnieuw" in sco.frame.inner_text(result)
    assert lms.get("cmi.core.score.raw" if version == "1.2" else "cmi.score.raw") == "66.67"
    orders_1 = sco.shown_orders()
    sco.frame.click("section.page:not([hidden]) [data-retry]")
    assert sco.kind == "question" and sco.frame.locator("form.is-locked").count() == 0, "answers cleared"
    assert json.loads(lms.get("cmi.suspend_data"))["n"] == 2
    assert sco.shown_orders() != orders_1, "a new attempt, a new order"
    record = lms.close()["record"]

    # Attempt 2 (resumed): worse. Best keeps 66.67, last reports 33.33; no retake is left.
    sco = lms.launch(version, "m02-school", course=name, resume=record)
    _finish(sco, [False, False, True])
    text = sco.frame.inner_text(result)
    assert "Je score: 33%" in text
    assert ("beste poging: 67%" if counting == "best" else "laatste poging: 33%") in text
    assert "niet nog eens maken" in text and not sco.frame.is_visible(f"{result} [data-retry]")
    cmi = lms.close()["cmi"]
    assert raw_score(cmi, version) == ("66.67" if counting == "best" else "33.33")
    assert success(cmi, version) == "failed"
    recorded = interactions(cmi)
    # 1.2 interactions are write-only: a retake adds entries; 2004 updates each question's entry.
    assert len(recorded) == (6 if version == "1.2" else 3)


# -- unlock after the lesson pages -------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS_)
def test_test_opens_after_the_lesson_pages_unless_switched_off(lms, tmp_path_factory, version):
    name = course_variant(lms.site, tmp_path_factory, "unlock", module02="targets:\n  scorm:\n    unlock_after_lessons: false\n")
    sco = lms.launch(version, "m01-basis", course=name)
    first = next(q["page"] for q in sco.config["questions"])
    sco.go(first)
    page = "section.page:not([hidden])"
    assert sco.frame.is_visible(f"{page} [data-locked]") and not sco.frame.is_visible(f"{page} form")
    links = sco.frame.locator(f"{page} [data-locked-list] a")
    assert links.count() >= 1
    links.first.click()
    while sco.kind != "question":
        sco.next()
    assert not sco.frame.is_visible(f"{page} [data-locked]") and sco.frame.is_visible(f"{page} form")
    lms.close()

    sco = lms.launch(version, "m02-school", course=name)  # this module switches it off
    sco.go(next(q["page"] for q in sco.config["questions"]))
    assert sco.frame.is_visible(f"{page} form") and not sco.frame.is_visible(f"{page} [data-locked]")
    lms.close()


# -- partial credit ----------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS_)
@pytest.mark.parametrize("partial", [True, False])
def test_partial_credit_in_the_score_and_the_interaction(lms, tmp_path_factory, version, partial):
    name = course_variant(
        lms.site, tmp_path_factory, f"partial-{partial}", settings=f"    partial_credit: {'true' if partial else 'false'}\n"
    )
    sco = lms.launch(version, "m02-school", course=name)
    to_quiz(sco)
    sco.answer(right=True)  # order: 1
    sco.next()
    key = sco.question()["key"]
    sco.frame.select_option(f"#m-{key}-0", "0")  # match: one row of two right
    sco.frame.select_option(f"#m-{key}-1", "0")
    sco.frame.click(f"form[data-question='{key}'] [data-check]")
    sco.next()
    key = sco.question()["key"]
    sco.frame.check(f"#o-{key}-0")  # multiple: one of the two right ones
    sco.frame.click(f"form[data-question='{key}'] [data-check]")
    sco.next()
    text = sco.frame.inner_text("section.page:not([hidden])")
    cmi = lms.close()["cmi"]
    results = [i["result"] for i in interactions(cmi)]
    if partial:
        assert raw_score(cmi, version) == "66.67"  # (1 + 0.5 + 0.5) / 3
        assert results == (["correct", "wrong", "wrong"] if version == "1.2" else ["correct", "0.5", "0.5"])
        assert "deels goed" in text
    else:
        assert raw_score(cmi, version) == "33.33"
        assert results == (["correct", "wrong", "wrong"] if version == "1.2" else ["correct", "incorrect", "incorrect"])
    assert "1 van de 3 vragen goed" in text


# -- knowledge checks and the review list ------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS_)
def test_knowledge_check_is_ungraded_and_shown_as_done(lms, tmp_path_factory, version):
    name = course_variant(lms.site, tmp_path_factory, "check", check=True)
    sco = lms.launch(version, "m01-basis", course=name)
    check = next(q for q in sco.config["questions"] if q["check"])
    graded = [q for q in sco.config["questions"] if not q["check"]]
    assert [q["id"] for q in graded] == ["q-epstein-type"], "a check is not in the graded test"
    sco.next()
    assert sco.current == check["page"] and sco.kind == "section"
    mark = sco.frame.locator(f"[data-check-mark='{check['page']}']")
    assert "nog niet gedaan" in mark.text_content()
    form = f"form[data-question='{check['key']}']"
    for _ in range(3):  # unlimited tries
        sco.frame.check(f"#o-{check['key']}-1")  # 'Niet waar': wrong
        sco.frame.click(f"{form} [data-check]")
        assert sco.frame.is_visible(f"{form} ~ [data-feedback-retry]")
        assert not sco.frame.is_visible(f"{form} ~ [data-feedback-retry] [data-tries-left]")
        sco.frame.click(f"{form} ~ [data-feedback-retry] [data-try-again]")
    sco.frame.check(f"#o-{check['key']}-0")
    sco.frame.click(f"{form} [data-check]")
    assert sco.frame.is_visible(f"{form} + [data-feedback] [data-feedback-correct]")
    assert "gedaan" in mark.text_content() and "niet" not in mark.text_content()
    saved = json.loads(lms.get("cmi.suspend_data"))
    assert saved["c"] == check["key"] and check["key"] not in saved["a"]
    assert lms.get("cmi.interactions._count") in (0, "0"), "a check is never reported"
    record = lms.close()["record"]

    sco = lms.launch(version, "m01-basis", course=name, resume=record)
    assert sco.frame.locator(f"{form}.is-locked").count() == 1, "done stays done"
    to_quiz(sco)
    sco.answer(right=False)
    sco.next()
    assert sco.kind == "result"
    review = sco.frame.locator("section.page:not([hidden]) [data-review]")
    assert review.is_visible()
    link = review.locator("a").first
    assert link.text_content() == "Ouderschap"
    link.click()
    sco.frame.wait_for_selector("section.page[data-page='1']:not([hidden])")
    cmi = lms.close()["cmi"]
    assert [i["id"] for i in interactions(cmi)] == ["q-epstein-type"]
    assert float(raw_score(cmi, version)) == 0
