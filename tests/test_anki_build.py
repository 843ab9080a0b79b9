"""The Anki target without Anki: package layout, stable ids, the state file, determinism, HTML.

The golden file ``tests/anki_support/golden/valid.yaml`` pins the fixture deck: ids, guids,
the frozen note-type schema, decks, fields and tags. After a deliberate change regenerate it:
    python tests/update_golden.py anki
and read the diff: a changed id or guid, field or template name breaks every student's deck.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from anki_support import append_cards, build, load, package_db, replace_text

from generator.outputs import BuildContext, Output
from generator.paths import TEMPLATES_DIR
from generator.targets import anki as anki_target
from generator.targets.anki import state as anki_state
from generator.targets.anki.fields import render_field, sanitise
from generator.targets.anki.notetypes import CLOZE_FIELDS, FRONT_BACK_FIELDS
from generator.targets.anki.state import Entry, State, StateError, load_state, next_edition, update_state

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "anki_support" / "golden" / "valid.yaml"
PINNED = Path(__file__).resolve().parent / "anki_support" / "pinned-ids.yaml"  # never rewritten


@pytest.fixture(autouse=True)
def _no_state_in_the_fixture_copy(valid_source):
    """Tests start from a source never built before, even if someone built the fixture in place."""
    (valid_source / anki_target.STATE_FILE).unlink(missing_ok=True)


@pytest.fixture
def clock(monkeypatch):
    moment = {"now": 1_800_000_000}
    monkeypatch.setattr(anki_state, "clock", lambda: moment["now"])
    return moment


def _notes(apkg: Path) -> dict[str, dict]:
    """Card id -> the note row of the package: guid, id, mod, fields, tags."""
    with package_db(apkg) as db:
        rows = db.execute("select id, guid, mid, mod, tags, flds from notes").fetchall()
    result = {}
    for note_id, guid, mid, mod, tags, flds in rows:
        fields = flds.split("\x1f")
        result[fields[-1]] = {"id": note_id, "guid": guid, "mid": mid, "mod": mod, "tags": tags.split(), "fields": fields}
    return result


def _col(apkg: Path, column: str):
    with package_db(apkg) as db:
        return json.loads(db.execute(f"select {column} from col").fetchone()[0])


# -- the package ----------------------------------------------------------------------------


def test_one_package_with_a_subdeck_per_module_and_frozen_note_types(valid_source, tmp_path, clock):
    course, report, apkg = build(valid_source, tmp_path / "out")
    assert apkg == tmp_path / "out" / "anki" / "mini-partnerschap.apkg"
    assert report.counts == {"notes": 3, "cards": 5, "media": 0}
    with zipfile.ZipFile(apkg) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        assert json.loads(archive.read("media")) == {}

    decks = {deck["name"] for deck in _col(apkg, "decks").values()}
    assert decks == {
        "Default",
        "Mini-cursus partnerschap",
        "Mini-cursus partnerschap::01 Basisbegrippen",
        "Mini-cursus partnerschap::02 Partnerschap op school",
    }

    models = {model["name"]: model for model in _col(apkg, "models").values()}
    assert set(models) == {
        "Mini-cursus partnerschap · Basis",
        "Mini-cursus partnerschap · Basis en omgekeerd",
        "Mini-cursus partnerschap · Cloze (invullen)",
    }
    for model in models.values():
        names = tuple(field["name"] for field in model["flds"])
        assert names == (CLOZE_FIELDS if model["type"] == 1 else FRONT_BACK_FIELDS)
        assert model["sortf"] == 0
        assert model["mod"] == clock["now"]
    assert [t["name"] for t in models["Mini-cursus partnerschap · Basis en omgekeerd"]["tmpls"]] == ["Card 1", "Card 2"]

    notes = _notes(apkg)
    assert set(notes) == {"card-epstein-ouderschap", "card-epstein-lijst", "card-ks-relatie"}
    for note in notes.values():
        assert note["mod"] == clock["now"]
        assert all(" " not in tag for tag in note["tags"])
    # Module and topic in words, the edition, the author's own tag; no concept or module ids.
    assert notes["card-ks-relatie"]["tags"] == [
        "mini-partnerschap::02-School::Strategieën-van-Knof-en-Swick",
        "mini-partnerschap::editie::1",
        "strategie",
    ]


def test_ids_come_from_the_source_ids_only(valid_source, tmp_path, clock):
    import genanki

    _, _, apkg = build(valid_source, tmp_path / "out")
    before = _notes(apkg)
    assert before["card-ks-relatie"]["guid"] == genanki.guid_for("mini-partnerschap", "card-ks-relatie")

    # Edit a text, put a new card first, reverse the modules: nobody's identity moves.
    cards = valid_source / "modules" / "01-basis" / "cards.yaml"
    replace_text(cards, "Wat houdt het type", "Wat betekent het type")
    cards.write_text(
        "- id: card-eerst\n  type: basic\n  concepts: [epstein-ouderschap]\n  cite: [epstein-1991]\n"
        "  front: Eerst\n  back: Ja\n" + cards.read_text("utf-8"),
        "utf-8",
    )
    replace_text(
        valid_source / "course.yaml", "  - modules/01-basis\n  - modules/02-school", "  - modules/02-school\n  - modules/01-basis"
    )
    clock["now"] += 5
    _, _, apkg = build(valid_source, tmp_path / "out")
    after = _notes(apkg)
    for key, note in before.items():
        assert (after[key]["guid"], after[key]["id"], after[key]["mid"]) == (note["guid"], note["id"], note["mid"])
    assert after["card-epstein-ouderschap"]["mod"] == clock["now"]
    # Its module is now number 01: the module tag changed with it, so the note is newer (same note).
    assert "mini-partnerschap::01-School::Strategieën-van-Knof-en-Swick" in after["card-ks-relatie"]["tags"]
    assert after["card-ks-relatie"]["mod"] == clock["now"]


def test_cloze_deletions_survive_markdown_and_the_sanitiser():
    text = "Typen: {{c1::*ouderschap*}} en {{c2::communiceren::hint}}, `{{c3::code}}`."
    assert render_field(text, cloze=True) == (
        "Typen: {{c1::<em>ouderschap</em>}} en {{c2::communiceren::hint}}, <code>{{c3::code}}</code>."
    )
    assert render_field("Lijst:\n\n- {{c1::een}}\n- {{c2::twee_drie}}\n", cloze=True) == (
        "<p>Lijst:</p>\n<ul>\n<li>{{c1::een}}</li>\n<li>{{c2::twee_drie}}</li>\n</ul>"
    )


def test_fields_are_sanitised_html():
    html = render_field("Tekst met <script>alert(1)</script> en [link](javascript:alert(1))")
    assert html.startswith("Tekst met &lt;script&gt;alert(1)&lt;/script&gt; en ")
    assert "<a" not in html and "<script" not in html
    assert render_field("[web](https://example.org)") == '<a href="https://example.org" rel="noopener noreferrer">web</a>'
    assert sanitise('<p onclick="x()">a</p><script>b</script><img src="a.png" onerror="x()">') == '<p>a</p><img src="a.png">'
    assert render_field("één paragraaf") == "één paragraaf"  # one paragraph: no <p> around it
    assert render_field("") == ""


def test_images_are_packaged_under_stable_sorted_names(valid_source, tmp_path, clock):
    shutil.copy(valid_source / "images" / "logo.png", valid_source / "images" / "b-schema.png")
    append_cards(
        valid_source / "modules" / "01-basis" / "cards.yaml",
        """
- id: card-met-beeld
  type: basic
  concepts: [epstein-ouderschap]
  cite: [epstein-1991]
  front: "Wat zie je? ![Schema](../../images/b-schema.png)"
  back: "![Logo](../../images/logo.png)"
""",
    )
    _, report, apkg = build(valid_source, tmp_path / "out")
    assert report.counts["media"] == 2
    with zipfile.ZipFile(apkg) as archive:
        assert archive.namelist() == ["collection.anki2", "media", "0", "1"]
        media = json.loads(archive.read("media"))
        assert list(media.values()) == sorted(media.values())
        assert all(name.startswith("mini-partnerschap-") and name.endswith(".png") for name in media.values())
        assert archive.read("0") == (valid_source / "images" / "logo.png").read_bytes()
    fields = _notes(apkg)["card-met-beeld"]["fields"]
    assert f'<img src="{media["0"]}" alt="Schema">' in fields[0]

    # A changed image is a new file, and the note showing it changes with it.
    mod = _notes(apkg)["card-met-beeld"]["mod"]
    # (still a PNG by its content: the loader reads each image's header)
    (valid_source / "images" / "b-schema.png").write_bytes((valid_source / "images" / "logo.png").read_bytes() + b"changed")
    clock["now"] += 1
    _, _, apkg = build(valid_source, tmp_path / "out")
    with zipfile.ZipFile(apkg) as archive:
        assert json.loads(archive.read("media"))["0"] != media["0"]
    assert _notes(apkg)["card-met-beeld"]["mod"] == mod + 1


def test_settings_deck_name_and_tag_prefix(valid_source, tmp_path, clock):
    replace_text(valid_source / "course.yaml", "    deck_name: Mini-cursus partnerschap\n", "    tag_prefix: partnerschap\n")
    replace_text(valid_source / "course.yaml", "title: Mini-cursus partnerschap", "title: 'Partnerschap: mini'")
    replace_text(
        valid_source / "modules" / "02-school" / "module.yaml", "title: Partnerschap op school", "title: 'School::thuis'"
    )
    _, _, apkg = build(valid_source, tmp_path / "out")
    decks = {deck["name"] for deck in _col(apkg, "decks").values()}
    assert decks == {
        "Default",
        "Partnerschap: mini",
        "Partnerschap: mini::01 Basisbegrippen",
        "Partnerschap: mini::02 School:thuis",
    }  # a '::' in a title opens no extra level
    tags = _notes(apkg)["card-ks-relatie"]["tags"]
    assert tags == ["partnerschap::02-School::Strategieën-van-Knof-en-Swick", "partnerschap::editie::1", "strategie"]


def test_english_courses_get_english_labels(valid_source, tmp_path, clock):
    replace_text(valid_source / "course.yaml", "language: nl", "language: en")
    _, _, apkg = build(valid_source, tmp_path / "out")
    models = {model["name"]: model for model in _col(apkg, "models").values()}
    basic = models["Mini-cursus partnerschap · Basic"]
    answer = basic["tmpls"][0]["afmt"]
    assert "Explanation" in answer and "Source:" in answer and "Bron" not in answer
    assert "mini-partnerschap::edition::1" in _notes(apkg)["card-epstein-ouderschap"]["tags"]


def test_card_templates_are_responsive_with_night_mode_and_the_citation_under_the_answer(valid_course, tmp_path):
    [output] = anki_target.plan(valid_course, BuildContext(tmp_path / "src", tmp_path / "out", TEMPLATES_DIR))
    apkg = tmp_path / "deck.apkg"
    apkg.write_bytes(output.render()[0])
    for model in _col(apkg, "models").values():
        css = model["css"]
        assert ".nightMode" in css and ".night_mode" in css
        assert "@media (max-width" in css and "max-width: 100%" in css
        assert "#1d4e89" in css  # the course theme
        for template in model["tmpls"]:
            answer = template["afmt"]
            assert "{{Source}}" in answer and "{{Extra}}" in answer
            answer_field = (
                "{{cloze:Text}}" if model["type"] == 1 else ("{{Back}}" if template["name"] == "Card 1" else "{{Front}}")
            )
            assert answer.rindex(answer_field) < answer.index("{{Source}}")
            assert 'lang="nl"' in template["qfmt"]


def _dump(apkg: Path) -> dict:
    """The package as plain data, without times (they come from the clock)."""
    decks = {int(deck_id): deck["name"] for deck_id, deck in _col(apkg, "decks").items()}
    models = _col(apkg, "models")
    with package_db(apkg) as db:
        notes = db.execute("select id, guid, mid, tags, flds from notes order by id").fetchall()
        cards = db.execute("select id, nid, did, ord from cards order by nid, ord").fetchall()
    return {
        "decks": sorted(decks.values()),
        "note_types": {
            model["name"]: {
                "id": int(model_id),
                "kind": "cloze" if model["type"] == 1 else "front/back",
                "sort_field": model["sortf"],
                "fields": [field["name"] for field in model["flds"]],
                "templates": [t["name"] for t in model["tmpls"]],
            }
            for model_id, model in sorted(models.items())
        },
        "notes": [
            {
                "id": note_id,
                "guid": guid,
                "note_type": models[str(mid)]["name"],
                "fields": dict(zip((f["name"] for f in models[str(mid)]["flds"]), flds.split("\x1f"), strict=True)),
                "tags": tags.split(),
                "cards": [
                    {"id": card_id, "ord": ordinal, "deck": decks[did]} for card_id, nid, did, ordinal in cards if nid == note_id
                ],
            }
            for note_id, guid, mid, tags, flds in notes
        ],
    }


def golden_text(source: Path, out: Path) -> str:
    """The fixture deck as the golden file holds it (``python tests/update_golden.py`` writes it)."""
    _, _, apkg = build(source, out)
    return yaml.safe_dump(_dump(apkg), allow_unicode=True, sort_keys=False, width=120)


def test_golden_fixture_deck(valid_source, tmp_path, clock):
    assert golden_text(valid_source, tmp_path / "out") == GOLDEN.read_text("utf-8")


def test_ids_a_collection_is_keyed_on_never_change(valid_source, tmp_path, clock):
    pinned = yaml.safe_load(PINNED.read_text("utf-8"))
    _, _, apkg = build(valid_source, tmp_path / "out")
    deck = _dump(apkg)
    assert {name: t["id"] for name, t in deck["note_types"].items()} == pinned["note_types"]
    found = {n["fields"]["Id"]: [n["id"], n["guid"], [c["id"] for c in n["cards"]]] for n in deck["notes"]}
    assert found == pinned["notes"]


# -- the state file -------------------------------------------------------------------------


def test_state_rules():
    old = State(1, {"a": Entry("h1", 100), "b": Entry("h2", 100), "c": Entry("h3", 90)}, {"basic": Entry("t", 100)})
    new = update_state(old, 1, {"a": "h1", "b": "changed", "c": "h3", "d": "h4"}, {"basic": "t"}, moment=100)
    assert new.notes["a"] == Entry("h1", 100)  # unchanged: keeps its time
    assert new.notes["b"] == Entry("changed", 101)  # changed in the same second: one later
    assert new.notes["d"] == Entry("h4", 100)  # new: now
    assert update_state(old, 1, {"a": "h1", "b": "x"}, {"basic": "t"}, moment=500).notes["b"] == Entry("x", 500)
    assert update_state(old, 1, {"a": "h1", "b": "x"}, {}, moment=50).notes["b"] == Entry("x", 101)  # clock behind

    # A removed card: a tombstone, and the edition goes up once.
    assert next_edition(old, {"a", "b"}) == 2
    gone = update_state(old, 2, {"a": "h1", "b": "h2"}, {"basic": "t"}, moment=200)
    assert gone.notes["c"] == Entry("h3", 90, removed=True)
    assert next_edition(gone, {"a", "b"}) == 2
    back = update_state(gone, 2, {"a": "h1", "b": "h2", "c": "h3"}, {"basic": "t"}, moment=50)
    assert back.notes["c"] == Entry("h3", 91)  # returns: newer than the student's copy

    # Unchanged input: the very same state, and the same text.
    same = update_state(old, 1, {"a": "h1", "b": "h2", "c": "h3"}, {"basic": "t"}, moment=999)
    assert same == old and same.dumps() == old.dumps()


def test_state_file_is_sorted_one_line_per_note_and_round_trips(valid_source, tmp_path, clock):
    build(valid_source, tmp_path / "out")
    path = valid_source / anki_target.STATE_FILE
    text = path.read_text("utf-8")
    assert text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == sorted(data) and list(data["notes"]) == sorted(data["notes"])
    assert data["notes"]["card-ks-relatie"] == {"hash": data["notes"]["card-ks-relatie"]["hash"], "mod": clock["now"]}
    assert sum(1 for line in text.splitlines() if '"card-' in line) == 3
    assert load_state(path).dumps() == text


def test_a_broken_state_file_stops_the_build(valid_source, tmp_path):
    (valid_source / anki_target.STATE_FILE).write_text('{"notes": <<<<<<< HEAD', "utf-8")
    with pytest.raises(StateError, match="anki-state.json: error: cannot read the Anki state file"):
        build(valid_source, tmp_path / "out")


def test_an_edited_state_file_rebuilds_the_deck(valid_source, tmp_path, clock):
    out = tmp_path / "out"
    build(valid_source, out)
    path = valid_source / anki_target.STATE_FILE
    lines = path.read_text("utf-8").splitlines(keepends=True)
    [index] = [i for i, line in enumerate(lines) if line.lstrip().startswith('"card-ks-relatie"')]
    lines[index] = lines[index].replace(f'"mod": {clock["now"]}', f'"mod": {clock["now"] + 7}')
    path.write_text("".join(lines), "utf-8")
    _, report, apkg = build(valid_source, out)
    assert report.written == ["anki/mini-partnerschap.apkg"]
    assert _notes(apkg)["card-ks-relatie"]["mod"] == clock["now"] + 7


def test_plan_writes_nothing_render_writes_the_state(valid_source, tmp_path, clock):
    course = load(valid_source)
    [output] = anki_target.plan(course, BuildContext(valid_source, tmp_path / "out", TEMPLATES_DIR))
    assert not (valid_source / anki_target.STATE_FILE).exists()
    output.render()
    assert load_state(valid_source / anki_target.STATE_FILE).notes["card-ks-relatie"].mod == clock["now"]
    assert output.fingerprint != Output(output.path, output.refresh()).fingerprint, "the render changed its state"
    after_render = Output(output.path, output.refresh()).fingerprint
    [again] = anki_target.plan(course, BuildContext(valid_source, tmp_path / "out", TEMPLATES_DIR))
    assert again.fingerprint == after_render, "the next build sees the state render wrote"


# -- same source, same bytes ----------------------------------------------------------------


def test_an_unchanged_source_gives_identical_bytes_and_an_unchanged_state(valid_source, tmp_path, clock):
    _, _, first = build(valid_source, tmp_path / "one")
    state = (valid_source / anki_target.STATE_FILE).read_bytes()
    clock["now"] += 3600  # an hour later, nothing edited
    course = load(valid_source)
    from generator.build import build_course

    build_course(course, valid_source, tmp_path / "two", ["anki"], clean=True)
    second = tmp_path / "two" / "anki" / "mini-partnerschap.apkg"
    assert second.read_bytes() == first.read_bytes()
    assert (valid_source / anki_target.STATE_FILE).read_bytes() == state


def test_identical_bytes_across_processes(valid_source, tmp_path):
    """Another interpreter with another hash seed: no set or dict order may leak into the bytes."""
    _, _, first = build(valid_source, tmp_path / "one")
    script = textwrap.dedent(f"""
        from pathlib import Path
        from generator.build import build_course
        from generator.loader import load_course
        course = load_course(Path({str(valid_source)!r})).course
        build_course(course, Path({str(valid_source)!r}), Path({str(tmp_path / "two")!r}), ["anki"])
    """)
    for seed in ("1", "2"):
        shutil.rmtree(tmp_path / "two", ignore_errors=True)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
        assert (tmp_path / "two" / "anki" / "mini-partnerschap.apkg").read_bytes() == first.read_bytes()


def test_no_temporary_files_are_left_behind(valid_source, tmp_path, monkeypatch):
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)
    build(valid_source, tmp_path / "out")
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "out" / "anki").iterdir()) == ["mini-partnerschap.apkg"]
    assert not [p for p in valid_source.iterdir() if p.name.startswith(".")]  # no stray atomic-write files


def test_the_real_clock_is_used_by_default(valid_source, tmp_path):
    before = int(time.time())
    _, _, apkg = build(valid_source, tmp_path / "out")
    assert all(before <= note["mod"] <= int(time.time()) for note in _notes(apkg).values())


def test_the_source_is_one_short_line_with_the_full_references_behind_a_tap():
    from generator.model import Flashcard, Markdown, Reference
    from generator.targets.anki.source import SHORT_LINE, source_field

    def ref(key, cite, year):
        return Reference(key, cite, year, f"{cite} ({year}). Titel van {key}.", None)

    refs = {
        r.key: r
        for r in (
            ref("a", "Dunst", "1995"),
            ref("b", "Dunst", "2007"),
            ref("c", "Knof & Swick", "2007"),
            ref("d", "Saint-Jacques et al.", "2006"),
            ref("e", "Altman", "2008"),
        )
    }

    def field(*keys):
        empty = Markdown("", "", None)
        card = Flashcard("card-x", "basic", empty, empty, empty, (), (), keys, None)
        return source_field(card, refs, "en {n} andere")

    assert field("c") == (
        '<details class="cg-refs"><summary>Knof &amp; Swick, 2007</summary>'
        '<p class="cg-refs-full">Knof &amp; Swick (2007). Titel van c.</p></details>'
    )
    assert "<summary>Dunst, 1995, 2007; Knof &amp; Swick, 2007</summary>" in field("a", "b", "c")
    many = field("d", "e", "a", "c")
    summary = many[many.index("<summary>") + 9 : many.index("</summary>")]
    assert summary == "Saint-Jacques et al., 2006 en 3 andere" and len(summary) <= SHORT_LINE
    assert many.count("Titel van") == 4  # every reference in full, behind the summary
    assert field() == "" and field("unknown") == ""
