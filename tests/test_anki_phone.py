"""Every card of the shipped deck, as the real Anki renders it, on a phone screen in Chromium.

The deck is built from a copy of ``course_source/``, imported into a fresh collection with the
official ``anki`` package, and each card's question and answer HTML (``card.question()`` /
``card.answer()``, with the note type's CSS as Anki inlines it) is shown the way Anki's
reviewer shows it: ``<body class="card cardN">`` around a ``<div id="qa">``, in Debian's
Chromium at 390 × 844 CSS pixels (an iPhone 12–15). The answer side must fit on that one
screen without scrolling, and never scroll sideways. The full references behind the source
line are closed, as a student first sees them.

Also checked on the imported collection: every card renders (no template error, a prompt on
the front, the answer on the back), at most 3 cloze deletions per note, no two notes the
same or nearly the same (the C7 threshold of docs/item-rules.md).
"""

from __future__ import annotations

import difflib
import html
import re
import shutil
import time
from pathlib import Path

import pytest
from anki_support import SHIPPED, append_cards, build, import_package, notes_by_card_id, open_collection

from generator.targets.anki import STATE_FILE
from generator.targets.anki import state as anki_state

pytest.importorskip("anki")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
NEAR_DUPLICATE = 0.85  # docs/item-rules.md, C7

_TAG = re.compile(r"<[^>]+>")
_CLOZE = re.compile(r"\{\{c(\d+)::")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def reviewer_page(card_html: str, ordinal: int, night: bool = False) -> str:
    """The page Anki's reviewer builds around a rendered card side."""
    night_class = " nightMode night_mode" if night else ""
    return (
        f'<!doctype html><html><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f'<body class="card card{ordinal + 1}{night_class}"><div id="qa">{card_html}</div></body></html>'
    )


@pytest.fixture(scope="module")
def shipped_collection(tmp_path_factory):
    if not (SHIPPED / "course.yaml").is_file():
        pytest.skip("no shipped course")
    tmp = tmp_path_factory.mktemp("phone")
    source = tmp / "course_source"  # a copy: the committed note times must not move
    shutil.copytree(SHIPPED, source)
    course, _, apkg = build(source, tmp / "out")
    (tmp / "student").mkdir()
    col = open_collection(tmp / "student" / "collection.anki2")
    log = import_package(col, apkg)
    assert not log.conflicting and not log.duplicate
    yield course, col
    col.close()


@pytest.fixture(scope="module")
def phone():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
        yield page
        browser.close()


def _cards(col):
    return [col.get_card(card_id) for card_id in sorted(col.find_cards(""))]


def test_every_card_renders_with_prompt_and_answer(shipped_collection):
    course, col = shipped_collection
    cards = _cards(col)
    assert len(cards) == sum(len(note.cards()) for note in (col.get_note(n) for n in col.find_notes("")))
    problems = []
    for card in cards:
        note = card.note()
        question, answer = card.question(), card.answer()
        where = f"{note['Id']} card {card.ord + 1}"
        for side, rendered in (("front", question), ("back", answer)):
            rendered = rendered.split("</style>")[-1]  # the note type's CSS, which Anki puts first
            if "{{" in rendered or "}}" in rendered or "template-error" in rendered.lower():
                problems.append(f"{where}: {side} shows template text")
        prompt = _text(question.split("</style>")[-1])
        if len(prompt) < 3:
            problems.append(f"{where}: empty front")
        if note.note_type()["type"] == 1:  # cloze: the gap on the front, its answer on the back
            if 'class="cloze"' not in question or 'class="cloze"' not in answer:
                problems.append(f"{where}: no active cloze deletion")
        else:
            shown = note["Back"] if card.ord == 0 else note["Front"]
            if _text(shown) and _text(shown) not in _text(answer):
                problems.append(f"{where}: the answer is not on the back")
        if note["Id"] in answer or re.search(r"\bKaart card-", answer):
            problems.append(f"{where}: shows its internal id")
    assert not problems, "\n".join(problems)


def test_at_most_three_cloze_deletions_per_note(shipped_collection):
    _, col = shipped_collection
    too_many = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        if note.note_type()["type"] == 1:
            numbers = set(_CLOZE.findall(note["Text"]))
            if len(numbers) > 3 or len(note.cards()) > 3:
                too_many[note["Id"]] = len(numbers)
    assert not too_many, f"notes with more than 3 cloze deletions: {too_many}"


def test_no_duplicate_or_near_duplicate_notes(shipped_collection):
    _, col = shipped_collection
    assert all(len(found) == 1 for found in notes_by_card_id(col).values())
    texts = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        fields = [note["Text"]] if "Text" in note else [note["Front"], note["Back"]]
        text = re.sub(r"\{\{c\d+::(.*?)(::[^}]*)?\}\}", r"\1", " ".join(fields))
        texts[note["Id"]] = re.sub(r"[^\w\s]", " ", _text(text).lower()).split()
    keys = sorted(texts)
    pairs = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            matcher = difflib.SequenceMatcher(None, " ".join(texts[a]), " ".join(texts[b]), autojunk=False)
            if (
                matcher.real_quick_ratio() >= NEAR_DUPLICATE
                and matcher.quick_ratio() >= NEAR_DUPLICATE
                and matcher.ratio() >= NEAR_DUPLICATE
            ):
                pairs.append(f"{a} ~ {b} ({matcher.ratio():.0%})")
    assert not pairs, "duplicate or near-duplicate notes:\n" + "\n".join(pairs)


_MEASURE = """async ([cardHtml, bodyClass]) => {
    document.body.className = bodyClass;
    const qa = document.getElementById("qa");
    qa.innerHTML = cardHtml;  // as Anki's reviewer swaps cards: the <style> comes with the card
    await Promise.all([...qa.querySelectorAll("img")].map(img => img.decode().catch(() => null)));
    // The content's own height (scrollHeight is never less than the screen, which would hide the margin).
    const bottom = Math.ceil(qa.getBoundingClientRect().bottom + window.scrollY);
    return [Math.max(bottom, document.body.scrollHeight > innerHeight ? document.body.scrollHeight : 0),
            document.documentElement.scrollWidth];
}"""


def test_every_card_back_fits_one_phone_screen(shipped_collection, phone):
    _, col = shipped_collection
    # The page lives in the media folder, so that images load as in Anki.
    page_file = Path(col.media.dir()) / "_phone-check.html"
    page_file.write_text(reviewer_page("", 0), "utf-8")
    too_tall, too_wide = [], []
    try:
        phone.goto(page_file.as_uri())
        for card in _cards(col):
            height, width = phone.evaluate(_MEASURE, [card.answer(), f"card card{card.ord + 1}"])
            where = f"{card.note()['Id']} card {card.ord + 1}"
            if height > PHONE["height"]:
                too_tall.append((height, where))
            if width > PHONE["width"]:
                too_wide.append((width, where))
    finally:
        page_file.unlink(missing_ok=True)
    report = "\n".join(f"{height} px  {where}" for height, where in sorted(too_tall, reverse=True))
    assert not too_tall, f"{len(too_tall)} card backs are taller than {PHONE['height']} px at {PHONE['width']} px:\n{report}"
    assert not too_wide, f"card backs wider than the phone: {too_wide}"


# -- diagrams: images on cards travel as media (issue 18, point 4) ----------------------------

_DIAGRAM = """<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="500" viewBox="0 0 1200 500">
<rect x="10" y="10" width="1180" height="480" fill="#f3f5f8" stroke="#1d4e89" stroke-width="8"/>
<text x="600" y="260" font-size="64" text-anchor="middle" fill="#1d4e89">{label}</text></svg>
"""

_IMAGES = """() => [...document.querySelectorAll("#qa img")].map(img => ({
    src: img.getAttribute("src"), loaded: img.complete && img.naturalWidth > 0,
    width: img.getBoundingClientRect().width}))"""


def test_a_diagram_on_a_card_arrives_in_the_media_folder_and_fits_the_phone(valid_source, tmp_path, phone, monkeypatch):
    moment = {"now": int(time.time())}
    monkeypatch.setattr(anki_state, "clock", lambda: moment["now"])
    (valid_source / STATE_FILE).unlink(missing_ok=True)
    diagram = valid_source / "images" / "model-epstein.svg"
    diagram.write_text(_DIAGRAM.format(label="Zes typen"), "utf-8")
    append_cards(
        valid_source / "modules" / "01-basis" / "cards.yaml",
        """
- id: card-met-schema
  type: basic
  concepts: [epstein-ouderschap]
  cite: [epstein-1991]
  front: "Welk model toont dit schema?\\n\\n![Schema met de zes typen](../../images/model-epstein.svg)"
  back: "De zes typen ouderbetrokkenheid van Epstein."
  extra: "![Logo](../../images/logo.png)"
""",
    )
    _, report, apkg = build(valid_source, tmp_path / "out")
    assert report.counts["media"] == 2
    (tmp_path / "student").mkdir()
    col = open_collection(tmp_path / "student" / "collection.anki2")
    try:
        log = import_package(col, apkg)
        assert not log.conflicting
        media = Path(col.media.dir())
        [note] = notes_by_card_id(col)["card-met-schema"]
        [svg_name] = re.findall(r'<img src="([^"]+\.svg)"', note["Front"])
        assert (media / svg_name).read_bytes() == diagram.read_bytes(), "the diagram is not in the student's media folder"
        assert svg_name.startswith("mini-partnerschap-model-epstein-")
        [png_name] = re.findall(r'<img src="([^"]+\.png)"', note["Extra"])
        assert (media / png_name).read_bytes() == (valid_source / "images" / "logo.png").read_bytes()
        assert col.media.check().missing == [] and col.media.check().unused == []

        # As the reviewer shows it: both images load, none is wider than the phone.
        page_file = media / "_phone-check.html"
        page_file.write_text(reviewer_page("", 0), "utf-8")
        phone.goto(page_file.as_uri())
        card = note.cards()[0]
        for side in (card.question(), card.answer()):
            for body in ("card card1", "card card1 nightMode"):
                phone.evaluate(_MEASURE, [side, body])
                images = phone.evaluate(_IMAGES)
                assert images and all(image["loaded"] for image in images), images
                assert all(image["width"] <= PHONE["width"] for image in images), images
                assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # At night a diagram keeps a white panel behind it (its lines are drawn for white).
        assert phone.evaluate('getComputedStyle(document.querySelector("#qa img")).backgroundColor') == "rgb(255, 255, 255)"
        page_file.unlink()

        # A redrawn diagram is a new file; the note that shows it is updated to it.
        diagram.write_text(_DIAGRAM.format(label="Zes typen (nieuw)"), "utf-8")
        moment["now"] += 1
        _, _, apkg = build(valid_source, tmp_path / "out")
        log = import_package(col, apkg)
        assert "card-met-schema" in {entry.fields[-1] for entry in log.updated}
        [note] = notes_by_card_id(col)["card-met-schema"]
        [new_name] = re.findall(r'<img src="([^"]+\.svg)"', note["Front"])
        assert new_name != svg_name and (media / new_name).read_bytes() == diagram.read_bytes()
    finally:
        col.close()
