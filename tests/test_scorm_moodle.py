"""The packages in an LMS that keeps records the way Moodle does (tests/scorm_support/lms/moodle.js).

What Moodle does that a package must survive: the record of the next launch is what the last
Commit or Terminate delivered; after an exit other than "suspend" the next launch is in the
same attempt with status, success and score kept but suspend_data and location gone
(entry "ab-initio"); while the SCO unloads, every Commit and Terminate uploads the whole data
model by sendBeacon within a 64 KiB keep-alive budget; SCORM 1.2's LMSFinish turns "not
attempted" into "completed". These tests hold the package to issue 14: never downgrade, never
wipe; few, small commits; preview writes "browsed" (1.2) or nothing (2004); notes are never
lost without the learner being told.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)
from test_scorm_lms import interactions, location, score, status, value

FINISH = {"1.2": "LMSFinish", "2004": "Terminate"}
COMMIT = {"1.2": "LMSCommit", "2004": "Commit"}
SET_VALUE = {"1.2": "LMSSetValue", "2004": "SetValue"}
GET_VALUE = {"1.2": "LMSGetValue", "2004": "GetValue"}
STATUS_ELEMENTS = {
    "1.2": ("cmi.core.lesson_status", "cmi.core.score.raw"),
    "2004": ("cmi.completion_status", "cmi.success_status", "cmi.score.raw"),
}
MOODLE = {"strict12": True}
VISIBLE = "section.page:not([hidden])"


def with_mode(record: dict, version: str, mode: str) -> dict:
    record = json.loads(json.dumps(record))
    if version == "1.2":
        record["cmi"]["core"]["lesson_mode"] = mode
    else:
        record["cmi"]["mode"] = mode
    return record


def log(lms) -> list:
    return lms.page.evaluate("harness.calls.log")


def finish_module(sco, right: bool, note: str | None = None) -> None:
    """Read every page in order, answer every question, write ``note`` on every vignette."""
    while True:
        if sco.kind == "question":
            sco.answer(right=right)
        if sco.kind == "vignette" and note is not None:
            sco.frame.fill(f"{VISIBLE} textarea", note)
        if sco.kind == "result":
            return
        sco.next()


def locked_answers(sco) -> int:
    return sco.frame.locator("form[data-question].is-locked").count()


def assert_read_before_write(lms, version: str) -> None:
    """The stored status and score are read before the first value is written."""
    calls = log(lms)
    first_set = next((i for i, c in enumerate(calls) if c[0] == SET_VALUE[version]), len(calls))
    read = {c[1] for c in calls[:first_set] if c[0] == GET_VALUE[version]}
    assert set(STATUS_ELEMENTS[version]) <= read, f"read before writing: {sorted(read)}"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_finished_module_reopened_keeps_result_answers_and_notes(lms, version):
    note = "Ik bel de moeder zelf op."
    sco = lms.launch(version, "m01-basis", moodle=MOODLE)
    questions = len(sco.config["questions"])
    finish_module(sco, right=True, note=note)
    first = lms.close()
    done = ("passed",) if version == "1.2" else ("completed", "passed")
    assert status(first["record"], version) == done
    assert first["calls"][FINISH[version]] == 1

    # Reopened in the same attempt: the result page with the answers and the note.
    for mode in ("normal", "review", "normal"):
        sco = lms.launch(version, "m01-basis", resume=with_mode(first["record"], version, mode), moodle=MOODLE)
        assert sco.kind == "result", f"{mode}: a finished module opens on its result page"
        assert "Je score: 100%" in sco.frame.inner_text(f"{VISIBLE} [data-result]")
        assert locked_answers(sco) == questions, f"{mode}: every answer shown"
        sco.go(next(r["page"] for r in sco.config["reflections"]))
        assert sco.frame.input_value(f"{VISIBLE} textarea") == note, f"{mode}: the note is kept"
        if mode == "normal":
            assert_read_before_write(lms, version)
        again = lms.close()
        record = again["record"]
        assert status(record, version) == done, f"{mode}: never downgraded"
        assert score(record, version)["raw"] == "100"
        assert json.loads(record["cmi"]["suspend_data"])["r"], f"{mode}: the note survives the round trip"
        first = {"record": with_mode(record, version, "normal")}
    assert lms.errors == []


def test_2004_record_without_suspend_data_keeps_its_answers(lms):
    """A module finished with the earlier package (exit "normal"): Moodle kept the status and
    the interactions but dropped suspend_data. The result page shows the answers again, from
    the interactions, and the first Commit puts them back into suspend_data."""
    sco = lms.launch("2004", "m02-school", moodle=MOODLE)
    finish_module(sco, right=True)
    record = lms.close()["record"]
    record["cmi"]["suspend_data"] = ""
    record["cmi"]["location"] = ""
    record["cmi"]["entry"] = "ab-initio"

    sco = lms.launch("2004", "m02-school", resume=record, moodle=MOODLE)
    assert sco.kind == "result"
    assert locked_answers(sco) == len(sco.config["questions"])
    assert "Je score: 100%" in sco.frame.inner_text(f"{VISIBLE} [data-result]")
    again = lms.close()["record"]
    assert status(again, "2004") == ("completed", "passed")
    assert len(json.loads(again["cmi"]["suspend_data"])["a"]) == len(sco.config["questions"])
    assert lms.errors == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_failed_module_retake_never_downgrades(lms, version):
    sco = lms.launch(version, "m02-school", moodle=MOODLE)
    finish_module(sco, right=False)
    first = lms.close()
    failed = ("failed",) if version == "1.2" else ("completed", "failed")
    assert status(first["record"], version) == failed
    kept_score = score(first["record"], version)["raw"]

    # The learner comes back, starts the retake and leaves halfway.
    sco = lms.launch(version, "m02-school", resume=first["record"], moodle=MOODLE)
    assert sco.kind == "result"
    assert_read_before_write(lms, version)
    sco.frame.click(f"{VISIBLE} [data-retry]")
    sco.answer(right=True)
    second = lms.close()
    assert status(second["record"], version) == failed, "completion and result are kept during a retake"
    assert score(second["record"], version)["raw"] == kept_score

    # Finishing the retake better counts.
    sco = lms.launch(version, "m02-school", resume=second["record"], moodle=MOODLE)
    sco.next()
    while sco.kind == "question":
        sco.answer(right=True)
        sco.next()
    third = lms.close()
    assert status(third["record"], version) == (("passed",) if version == "1.2" else ("completed", "passed"))
    assert score(third["record"], version)["raw"] == "100"
    assert lms.errors == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_few_commits_and_none_just_before_terminate(lms, version):
    sco = lms.launch(version, "m02-school", moodle=MOODLE)
    answers = 0
    while sco.kind != "result":
        if sco.kind == "question":
            sco.answer(right=True)
            answers += 1
        sco.next()
    sco.go(0)
    sco.go(sco.config["questions"][0]["page"])
    result = lms.close()
    calls = [c[0] for c in result["calls"]["log"] if c[0] in (COMMIT[version], FINISH[version])]
    # One commit for the first status, one per answer, one for the finished module at most.
    assert calls.count(COMMIT[version]) <= answers + 2, calls
    # Closing: Terminate alone (it commits), no Commit just before it.
    assert [u["call"] for u in result["uploads"] if u["beacon"]] == ["terminate"], result["uploads"]
    assert result["calls"]["log"][-1][-1] == "true", "Terminate reached the LMS"
    assert lms.errors == []


FILL_MID_MODULE = """note => {
    const config = JSON.parse(document.getElementById('sco-config').textContent);
    config.pages.forEach((page, index) => {
        if (page.kind === 'result') return;
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
        if (textarea) {
            textarea.value = note.slice(0, config.reflectionLimits[config.scorm]);
            textarea.dispatchEvent(new Event('input', {bubbles: true}));
            textarea.dispatchEvent(new Event('change', {bubbles: true}));
        }
    });
    document.querySelector(`.toc a[data-goto='${Math.floor(config.pages.length / 2)}']`).click();
    return document.querySelectorAll('form.is-locked').length;
}"""

# A note in Dutch as learners write it: spaces, punctuation and accents (each costs more once
# URL-encoded in the LMS's upload).
NOTE = (
    "Ik zou eerst met de ouders praten over wat zij zelf zien: één gesprek, rustig, "
    "zonder oordeel. Daarna samen kijken wat de school kan doen (en wat niet). "
) * 60


@pytest.fixture
def shipped_site(lms, shipped_course):
    lms.site.add("shipped", shipped_course)
    return shipped_course


def largest_module(course):
    return max(course.modules, key=lambda m: (len(m.quiz) + 5 * len(m.vignettes), len(m.lessons)))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_long_session_closed_mid_module_keeps_terminate(lms, shipped_site, version):
    module = largest_module(shipped_site)
    sco = lms.launch(version, module.id, course="shipped", moodle=MOODLE)
    assert sco.frame.evaluate(FILL_MID_MODULE, NOTE) == len(sco.config["questions"])
    lms.page.wait_for_timeout(900)
    result = lms.close()
    uploads = result["uploads"]
    print(
        f"{version} {module.id}: {len([u for u in uploads if u['call'] == 'commit'])} commits, "
        f"{sum(u['bytes'] for u in uploads)} bytes, largest {max(u['bytes'] for u in uploads)}; at exit "
        f"{[(u['call'], u['bytes'], u['ok']) for u in uploads if u['beacon']]}"
    )
    finish = [c[-1] for c in result["calls"]["log"] if c[0] == FINISH[version]]
    assert finish == ["true"], "Terminate reached the LMS"
    at_exit = [u for u in uploads if u["beacon"]]
    assert all(u["ok"] for u in uploads), uploads
    assert sum(u["bytes"] for u in at_exit) <= 64 * 1024
    assert max(u["bytes"] for u in uploads) < 32 * 1024, "one full data model well under 32 KB"
    record = result["record"]
    total = record["cmi"]["core"]["total_time"] if version == "1.2" else record["cmi"]["total_time"]
    assert total and total not in ("0000:00:00", "PT0S"), "the session time was stored"
    saved = json.loads(record["cmi"]["suspend_data"])
    assert len(saved["a"]) == len(sco.config["questions"])
    assert len(saved["r"]) == len(sco.config["reflections"]), "every note kept"
    assert len(interactions(record)) >= len(sco.config["questions"])
    assert location(record, version) != ""


def test_preview_1_2_marks_browsed_and_writes_nothing_else(lms):
    launch = {
        "cmi": {
            "core": {
                "student_id": "learner-1",
                "student_name": "Tester, Tess",
                "credit": "no-credit",
                "lesson_mode": "browse",
                "entry": "ab-initio",
                "lesson_status": "not attempted",
            },
            "student_data": {"mastery_score": ""},
        }
    }
    sco = lms.launch("1.2", "m02-school", resume=launch, moodle=MOODLE)
    sco.next()
    sco.next()
    sco.answer(right=True)
    result = lms.close()
    sets = [c[1:3] for c in result["calls"]["log"] if c[0] == "LMSSetValue"]
    assert sets == [["cmi.core.lesson_status", "browsed"]]
    assert value(result["record"], "cmi.core.lesson_status") == "browsed", "not 'completed' by the LMS's finish rule"
    assert lms.errors == []


def test_preview_2004_writes_nothing(lms):
    launch = {
        "cmi": {
            "learner_id": "learner-1",
            "learner_name": "Tess Tester",
            "credit": "no-credit",
            "mode": "browse",
            "entry": "ab-initio",
        }
    }
    sco = lms.launch("2004", "m02-school", resume=launch, moodle=MOODLE)
    sco.next()
    result = lms.close()
    assert result["calls"].get("SetValue", 0) == 0 and result["calls"].get("Commit", 0) == 0
    assert status(result["record"], "2004") == ("unknown", "unknown")
    assert lms.errors == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_notes_room_warning_cut_and_download(lms, version):
    sco = lms.launch(version, "m01-basis", moodle=MOODLE)
    config = sco.config
    reflection = config["reflections"][0]
    limit = config["reflectionLimits"][version]
    sco.go(reflection["page"])
    hint = f"{VISIBLE} [data-reflection-hint]"

    sco.frame.fill(f"{VISIBLE} textarea", "Eerst luisteren.")
    assert f"Nog {limit - 16} van de {limit} tekens" in sco.frame.inner_text(hint), "room left while typing"
    near = "x" * (limit - 5)
    sco.frame.fill(f"{VISIBLE} textarea", near)
    assert "Nog 5 van de" in sco.frame.inner_text(hint)
    assert sco.frame.locator(f"{hint}.is-near").count() == 1, "told before the note is full"
    long_note = "Eerst luisteren. " + "y" * limit
    sco.frame.fill(f"{VISIBLE} textarea", long_note)
    warning = sco.frame.inner_text(hint)
    assert sco.frame.locator(f"{hint}.is-warning").count() == 1
    assert f"eerste {limit} tekens" in warning and "download" in warning.lower(), warning

    # The notes of the whole module as a text file, at any time.
    with lms.page.expect_download() as download:
        sco.frame.click(f"{VISIBLE} [data-notes-download]")
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".txt")
    text = Path(path).read_text(encoding="utf-8")
    assert long_note in text and "Een moeder die niet komt" in text, "the whole note, under its case"

    sco.next()
    result = lms.close()
    saved = json.loads(result["record"]["cmi"]["suspend_data"])["r"][reflection["key"]]
    assert saved == long_note[:limit], "the first part is saved, as the learner was told"
    assert lms.errors == []


def test_2004_notes_get_more_room(lms, shipped_site):
    module = largest_module(shipped_site)
    rooms = {}
    for version in ("1.2", "2004"):
        sco = lms.launch(version, module.id, course="shipped", moodle=MOODLE)
        rooms[version] = sco.config["reflectionLimits"][version]
        lms.close()
    assert rooms["2004"] >= 2 * rooms["1.2"], rooms


WALK = """note => {
    const config = JSON.parse(document.getElementById('sco-config').textContent);
    const limits = config.reflectionLimits || {};
    const limit = limits[config.scorm] !== undefined ? limits[config.scorm] : config.reflectionLimit;
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
        if (textarea) {
            textarea.value = note.slice(0, limit);
            textarea.dispatchEvent(new Event('input', {bubbles: true}));
            textarea.dispatchEvent(new Event('change', {bubbles: true}));
        }
    });
    return config.pages.length;
}"""


@pytest.mark.skipif(not os.environ.get("COURSEGEN_SCORM_TABLE"), reason="a measurement: COURSEGEN_SCORM_TABLE=1")
def test_walkthrough_commits_and_bytes_table(lms, shipped_site):
    """COURSEGEN_SCORM_TABLE=1 pytest -s tests/test_scorm_moodle.py -k table: per shipped module
    and version, one walk through every page in order, every question answered, every note
    full; prints the Commits and the bytes the test LMS received (the table in docs/scorm.md)."""
    rows = [
        "| module | pages | version | commits | bytes, all uploads | largest upload | at close |",
        "| --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for module in shipped_site.modules:
        for version in ("1.2", "2004"):
            sco = lms.launch(version, module.id, course="shipped", moodle=MOODLE)
            pages = sco.frame.evaluate(WALK, NOTE)
            lms.page.wait_for_timeout(1000)
            result = lms.close()
            uploads = result["uploads"]
            commits = sum(1 for u in uploads if u["call"] == "commit")
            closing = " + ".join(
                f"{u['call']} {u['bytes'] / 1024:.1f} KB{'' if u['ok'] else ' (failed)'}" for u in uploads if u["beacon"]
            )
            rows.append(
                f"| {module.id} | {pages} | {version} | {commits} | {sum(u['bytes'] for u in uploads) / 1024:.0f} KB "
                f"| {max(u['bytes'] for u in uploads) / 1024:.1f} KB | {closing} |"
            )
    print("\n" + "\n".join(rows))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_hidden_tab_commits_a_note_not_yet_committed(lms, version):
    """A phone may never send pagehide after the tab is hidden: a note typed just before is
    committed when the tab is hidden; a page change alone is not."""
    sco = lms.launch(version, "m01-basis", moodle=MOODLE)
    key = sco.config["reflections"][0]["key"]
    sco.go(sco.config["reflections"][0]["page"])
    hide = """() => {
        Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }"""
    commits = lms.calls(COMMIT[version])
    sco.frame.evaluate(hide)
    assert lms.calls(COMMIT[version]) == commits, "nothing worth a Commit: none"
    sco.frame.evaluate("() => { delete document.visibilityState; }")
    sco.frame.type(f"{VISIBLE} textarea", "Bellen.")
    sco.frame.evaluate(hide)
    stored = lms.page.evaluate("harness.moodle.store")
    assert json.loads(stored["cmi"]["suspend_data"])["r"] == {key: "Bellen."}
    lms.close()
    assert lms.errors == []


def test_hidden_tab_skips_a_commit_that_would_leave_terminate_no_room(lms, valid_course):
    """A data model so large that a Commit and a Terminate do not fit in the 64 KiB beacon
    budget together: hiding the tab commits nothing (Terminate will carry the note), and
    Terminate reaches the LMS."""
    import dataclasses

    first = valid_course.modules[0]
    items = tuple(dataclasses.replace(item, id=f"{item.id}-{n}") for n in range(60) for item in first.quiz)
    course = dataclasses.replace(valid_course, modules=(dataclasses.replace(first, quiz=items), *valid_course.modules[1:]))
    lms.site.add("many-questions", course)
    sco = lms.launch("2004", "m01-basis", course="many-questions", moodle=MOODLE)
    sco.frame.evaluate(FILL_MID_MODULE, "")
    assert len(sco.config["questions"]) == 120
    reflection = sco.config["reflections"][0]
    sco.go(reflection["page"])
    sco.frame.type(f"{VISIBLE} textarea", "Bellen.")
    commits = lms.calls("Commit")
    result = lms.close()
    uploads = result["uploads"]
    assert uploads[-1]["call"] == "terminate" and uploads[-1]["bytes"] > 32 * 1024, uploads[-1]
    assert lms.calls("Commit") == commits, "no Commit at close: it would leave Terminate no room"
    assert [c[-1] for c in result["calls"]["log"] if c[0] == "Terminate"] == ["true"]
    assert json.loads(result["record"]["cmi"]["suspend_data"])["r"] == {reflection["key"]: "Bellen."}
    assert lms.errors == []
