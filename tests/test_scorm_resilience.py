"""The SCO when things go wrong: no LMS at all, an LMS that refuses or throws, a lost connection.

In every case the learner keeps working, progress is retried or kept locally, a calm
notice says what is going on, and Terminate is sent at most once.
"""

from __future__ import annotations

import json

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)
from scorm_support.sco import Sco

FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}
COMMIT = {"1.2": "LMSCommit", "2004": "Commit"}
WARNING = "Je voortgang kon even niet worden opgeslagen in de leeromgeving"


REFUSED_COMMIT = "console: Failed to load resource: the server responded with a status of 500"


def wait_notice(sco: Sco, kind: str, timeout: float = 10_000) -> str:
    sco.frame.wait_for_selector(f"[data-notice].notice-{kind}", timeout=timeout)
    return sco.notice()


@pytest.fixture
def failing_server(site):
    yield site.server
    site.server.fail_commits = False


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_commit_failures_keep_the_learner_working(lms, failing_server, version):
    failing_server.fail_commits = True
    sco = lms.launch(version, "m02-school", commit_url=True)
    # The first commit (on opening) already failed: a calm notice, nothing else changes.
    assert WARNING in wait_notice(sco, "warning")
    commits = [c[-1] for c in lms.page.evaluate("harness.calls.log") if c[0] == COMMIT[version]]
    assert commits and set(commits) == {"false"}

    # The LMS comes back: the retry (after 2 s) saves and says so.
    failing_server.fail_commits = False
    assert "weer opgeslagen" in wait_notice(sco, "success")

    # It fails again while the learner works on: reading, answering, moving on all work.
    # (A page change alone is not committed; an answer is, at once.)
    failing_server.fail_commits = True
    sco.next()
    sco.next()
    answer = sco.answer(right=True)
    assert WARNING in wait_notice(sco, "warning")
    assert sco.frame.is_visible("section.page:not([hidden]) [data-feedback-correct]")
    sco.next()
    assert sco.heading() == "Vraag 2 van 3"
    assert WARNING in sco.notice(), "the notice stays while saving fails"

    # Back again: the next save carries everything done in the meantime.
    failing_server.fail_commits = False
    sco.answer(right=True)
    assert "weer opgeslagen" in wait_notice(sco, "success")
    last = failing_server.commits[-1]
    assert last["ok"]
    committed = json.dumps(last["data"])
    key = sco.config["questions"][0]["key"]
    assert f'\\"{key}\\":\\"{answer}\\"' in committed, "the answer given while offline reached the LMS"

    # Closing while the LMS fails: Terminate once, never again, whatever it answers.
    failing_server.fail_commits = True
    result = lms.close()
    assert result["calls"][FINISH[version]] == 1
    # The browser logs each refused commit; anything else (a script error) is a failure.
    unexpected = [e for e in lms.errors if not e.startswith(REFUSED_COMMIT)]
    assert unexpected == [], unexpected


def test_lms_that_throws(lms):
    """An API whose SetValue/Commit throw: caught, reported as a notice, learner continues."""
    sco = lms.launch("2004", "m01-basis")
    pages = sco.config["pages"]
    lms.page.evaluate("""() => {
        const api = harness.api;
        harness.saved = {SetValue: api.SetValue, Commit: api.Commit};
        api.SetValue = () => { throw new Error('LMS down'); };
        api.Commit = () => { throw new Error('LMS down'); };
    }""")
    sco.next()
    assert WARNING in wait_notice(sco, "warning")
    sco.next()
    assert sco.kind == "section"
    lms.page.evaluate("() => Object.assign(harness.api, harness.saved)")
    sco.next()
    assert "weer opgeslagen" in wait_notice(sco, "success")
    result = lms.close()
    assert result["calls"]["Terminate"] == 1
    assert result["cmi"]["cmi"]["location"] == pages[3]["location"]
    assert not [e for e in lms.errors if "pageerror" in e], lms.errors


def test_initialize_refused_falls_back_to_standalone(lms):
    sco = lms.launch("1.2", "m01-basis", fail_initialize=True)
    assert "Geen leeromgeving gevonden" in sco.notice()
    sco.next()
    sco.next()
    assert sco.kind == "section"
    result = lms.close()
    assert result["calls"].get("LMSFinish", 0) == 0, "no Terminate for a session that never started"
    assert result["calls"].get("LMSSetValue", 0) == 0


def test_no_lms_over_http(browser, site):
    """Opened straight from a web server, with no LMS around: standalone, progress in localStorage."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site.url + "/fixture/2004/m01-basis/index.html")
        sco = Sco.standalone(page)
        assert sco.notice() == "Geen leeromgeving gevonden. Je voortgang wordt in deze browser bewaard."
        assert sco.frame.is_visible(".toc-overview a")
        sco.next()
        page.reload()
        sco = Sco.standalone(page)
        assert sco.current == 1
        assert errors == []
    finally:
        context.close()


def test_standalone_from_file_url(browser, site, tmp_path):
    """The unzipped package opened from disk (file://): everything works, progress survives."""
    folder = site.courses["fixture"] / "12"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto((folder / "m02-school" / "index.html").as_uri())
        sco = Sco.standalone(page)
        assert "Geen leeromgeving gevonden" in sco.notice()
        sco.next()
        sco.next()
        answer = sco.answer(right=False)
        assert sco.frame.is_visible("section.page:not([hidden]) [data-feedback-incorrect]")
        page.reload()
        sco = Sco.standalone(page)
        assert sco.kind == "question"
        key = sco.question()["key"]
        assert sco.frame.locator(f"form[data-question='{key}'].is-locked").count() == 1
        assert sco.order_now(key) == answer
        stored = json.loads(page.evaluate("localStorage.getItem('coursegen:mini-partnerschap:m02-school')"))
        assert stored["location"] == "q:q-ks-volgorde" and stored["completed"] is False
        page.goto((folder / "index.html").as_uri())
        page.wait_for_selector("[data-status-key$='m02-school'].is-in-progress")
        assert page.inner_text("[data-status-key$='m01-basis']") == "nog niet begonnen"
        assert errors == []
    finally:
        context.close()
