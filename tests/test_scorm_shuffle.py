"""The e-learning orders options per learner (decision D1), in a real browser under scorm-again.

The order is seeded by the learner id the LMS gives (cmi.core.student_id / cmi.learner_id),
the attempt and the item id: two learners see different orders, a resumed attempt the same
one, and what reaches the LMS is in the source's option ids whatever the order shown.
"""

from __future__ import annotations

import json

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)


def _never_right(config: dict, orders: dict) -> None:
    for q in config["questions"]:
        shown = orders[q["key"]]
        assert sorted(shown) == list(range(q["count"])), "every option is shown once"
        if q["type"] == "truefalse":
            assert shown == [0, 1], "true/false is always 'Waar', 'Niet waar'"
        if q["type"] in ("order", "match"):
            assert shown != list(range(q["count"])), f"{q['id']} is shown in its correct order"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_two_learners_see_different_orders_and_a_resume_the_same(lms, version):
    first = {}
    for learner in ("learner-1", "learner-2"):
        orders = {}
        for module in ("m01-basis", "m02-school"):
            sco = lms.launch(version, module, learner=learner)
            orders.update(sco.shown_orders())
            _never_right(sco.config, sco.shown_orders())
            lms.close()
        first[learner] = orders
    assert first["learner-1"] != first["learner-2"]
    shuffled = {q: o for q, o in first["learner-1"].items() if len(o) > 2}
    assert any(o != sorted(o) for o in shuffled.values()), "some author order is not the order shown"

    # Resume: answer one question, leave, come back: the same order for every question.
    sco = lms.launch(version, "m02-school", learner="learner-3")
    before = sco.shown_orders()
    sco.next()
    sco.next()
    answer = sco.answer(right=True)  # the order item, put right with its buttons
    record = lms.close()["record"]
    sco = lms.launch(version, "m02-school", resume=record)
    assert sco.shown_orders() == {**before, **{sco.config["questions"][0]["key"]: [int(c, 36) for c in answer]}}
    saved = json.loads(lms.get("cmi.suspend_data"))
    assert "k" not in saved, "the LMS's learner id seeds the order: no seed of our own is stored"
    lms.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_responses_stay_in_source_ids_whatever_the_order(lms, version):
    """The learner picks the option that is shown first; the LMS gets that option's source id."""
    sco = lms.launch(version, "m02-school", learner="learner-7")
    while sco.kind != "question" or sco.question()["type"] != "multiple":
        sco.next()
    q = sco.question()
    shown = sco.shown_orders()[q["key"]]
    sco.frame.locator(f"form[data-question='{q['key']}'] .option").first.locator("input").check()
    sco.frame.click(f"form[data-question='{q['key']}'] [data-check]")
    cmi = lms.close()["cmi"]
    entries = cmi["cmi"]["interactions"]
    entry = entries[str(max(int(k) for k in entries))]
    response = entry["student_response"] if version == "1.2" else entry["learner_response"]
    expected = "abcdefghijklmnopqrstuvwxyz"[shown[0]] if version == "1.2" else q["ids"][shown[0]]
    assert response == expected


def test_standalone_learner_gets_a_lasting_random_id(browser, site):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site.url + "/fixture/2004/m02-school/index.html")
        from scorm_support.sco import Sco

        orders = Sco.standalone(page).shown_orders()
        learner = page.evaluate("localStorage.getItem('coursegen:learner')")
        assert learner and learner.startswith("local-")
        page.reload()
        assert Sco.standalone(page).shown_orders() == orders
        assert page.evaluate("localStorage.getItem('coursegen:learner')") == learner
    finally:
        context.close()
