"""From the deck students have today to this one, in the real Anki: nothing lost, nothing doubled.

Issue 18 changed what a note carries: tags in words instead of concept ids, the source as a
short line with the full references behind a tap, no card id on the card. The note types keep
their fields and template names, so this is an ordinary update. This test builds the deck of
``BEFORE`` (the last commit of main with the old scheme) with *that* commit's generator,
templates and course source, imports it into a fresh collection, studies cards through the
scheduler, then imports the deck of this working tree with the default options.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from anki_support import SHIPPED, build, import_package, log_ids, notes_by_card_id, open_collection, package_db, reviews, study

from generator.targets.anki import state as anki_state

pytest.importorskip("anki")

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "e64c8d2cf47092c0147b711115c2af871606c864"  # main before issue 18's tags and source line


def _old_package(tmp_path: Path) -> Path:
    """The deck as ``BEFORE`` built it, by ``BEFORE``'s own code (in a subprocess)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", BEFORE, "generator", "templates", "course_source"],
        capture_output=True,
    )
    if archive.returncode != 0:
        pytest.skip(f"commit {BEFORE[:10]} is not in this repository: {archive.stderr.decode()[:200]}")
    old = tmp_path / "before"
    old.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(old, filter="data")
        else:  # Python < 3.11.4; the archive is our own repository's
            tar.extractall(old)
    env = {**os.environ, "PYTHONPATH": str(old)}
    # Built when that release was made: notes it changed carry that time, not today's (a note
    # time of today would hide this tree's later changes from Anki, which keeps the newer copy).
    made = subprocess.run(["git", "-C", str(ROOT), "show", "-s", "--format=%ct", BEFORE], capture_output=True, text=True)
    run_old = (
        "import sys; import generator.targets.anki.state as s; from generator.cli import main; "
        f"s.clock = lambda: {int(made.stdout.strip())}; sys.exit(main(sys.argv[1:]))"
    )
    subprocess.run(
        [sys.executable, "-c", run_old, "build", "--source", "course_source", "--out", "out", "--target", "anki", "--quiet"],
        cwd=old,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [apkg] = (old / "out" / "anki").glob("*.apkg")
    return apkg


def _package_notes(apkg: Path) -> dict[str, set[str]]:
    """Card id (the last field) -> the tags of its note in the package."""
    with package_db(apkg) as db:
        return {flds.split("\x1f")[-1]: set(tags.split()) for tags, flds in db.execute("select tags, flds from notes")}


def test_the_deck_before_issue_18_updates_in_place_keeping_reviews(tmp_path, monkeypatch):
    if not (SHIPPED / "course.yaml").is_file():
        pytest.skip("no shipped course")
    old_apkg = _old_package(tmp_path)
    old_notes = _package_notes(old_apkg)
    assert any(tag.startswith("concept::") for tags in old_notes.values() for tag in tags), (
        "the old package is not the old scheme: did the subprocess import this working tree?"
    )

    folder = tmp_path / "student"
    folder.mkdir()
    col = open_collection(folder / "collection.anki2")
    try:
        log = import_package(col, old_apkg)
        assert len(log.new) == len(old_notes) and not log.conflicting
        decks = sorted(name for name in (d.name for d in col.decks.all_names_and_ids()) if name.count("::") == 1)
        studied = study(col, decks[0], 4) + study(col, decks[4], 3, rating="GOOD") + study(col, decks[6], 2, rating="HARD")
        assert len(studied) == 9
        history = reviews(col, studied)
        assert all(review.revlog for review in history.values())
        cards_before = col.card_count()

        # This tree's deck, built later than the old one (a student imports a newer release).
        source = tmp_path / "course_source"  # a copy: the committed note times must not move
        shutil.copytree(SHIPPED, source)
        later = int(time.time()) + 2
        monkeypatch.setattr(anki_state, "clock", lambda: later)
        _, _, new_apkg = build(source, tmp_path / "out")
        new_notes = _package_notes(new_apkg)

        log = import_package(col, new_apkg)
        kept = set(old_notes) & set(new_notes)
        assert kept, "no card of the old deck is in the new one"
        assert log_ids(log.updated) == kept, "every note that stayed is updated (its tags and source changed)"
        assert log_ids(log.new) == set(new_notes) - set(old_notes)
        assert not log.conflicting and not log.duplicate
        assert not any(nt.name.endswith("+") for nt in col.models.all_names_and_ids()), "Anki made a second note type"

        by_id = notes_by_card_id(col)
        assert all(len(found) == 1 for found in by_id.values()), "a note is in the collection twice"
        assert set(by_id) == set(old_notes) | set(new_notes)
        assert reviews(col, studied) == history, "the update changed a review history"
        assert col.card_count() >= cards_before

        # Old tags gone: an updated note has exactly the new package's tags.
        for key in new_notes:
            assert set(by_id[key][0].tags) == new_notes[key], key
        # A removed card keeps its old tags; that is how a student finds it (docs/anki-students.md).
        for key in set(old_notes) - set(new_notes):
            assert set(by_id[key][0].tags) == old_notes[key], key

        # Anki keeps tags no note uses in its sidebar list until the student runs "Check Database"
        # (or "Clear Unused Tags"); then only the tags of notes in the collection remain.
        used = {tag.lower() for note_id in col.find_notes("") for tag in col.get_note(note_id).tags}
        assert {tag.lower() for tag in col.tags.all()} > used, "Anki cleared unused tags by itself: update the docs"
        col.fix_integrity()
        assert {tag.lower() for tag in col.tags.all()} == used
        assert reviews(col, studied) == history
    finally:
        col.close()


def test_a_changed_tag_scheme_replaces_the_tags_and_keeps_reviews(valid_source, tmp_path, monkeypatch):
    """The same promise on the fixture course, without git: any change of the tag scheme."""
    from generator.targets.anki import STATE_FILE
    from generator.targets.anki import notes as anki_notes

    (valid_source / STATE_FILE).unlink(missing_ok=True)
    moment = {"now": int(time.time())}
    monkeypatch.setattr(anki_state, "clock", lambda: moment["now"])
    new_scheme = anki_notes.note_tags
    monkeypatch.setattr(
        anki_notes,
        "note_tags",
        lambda course, module, card, *rest: tuple(
            sorted({f"mini-partnerschap::{module.id}", *(f"concept::{c}" for c in card.concepts)})
        ),
    )
    out = tmp_path / "out"
    _, _, old_apkg = build(valid_source, out)

    (tmp_path / "student").mkdir()
    col = open_collection(tmp_path / "student" / "collection.anki2")
    try:
        import_package(col, old_apkg)
        assert "concept::ks-relatie" in col.tags.all()
        studied = study(col, "Mini-cursus partnerschap::01 Basisbegrippen", 2) + study(
            col, "Mini-cursus partnerschap::02 Partnerschap op school", 1
        )
        history = reviews(col, studied)

        monkeypatch.setattr(anki_notes, "note_tags", new_scheme)
        moment["now"] += 1
        (out / ".coursegen-cache.json").unlink()  # a monkeypatch is no code change the cache sees
        _, _, new_apkg = build(valid_source, out)
        log = import_package(col, new_apkg)
        assert log_ids(log.updated) == {"card-epstein-ouderschap", "card-epstein-lijst", "card-ks-relatie"}
        assert not log.new and not log.conflicting and not log.duplicate
        assert reviews(col, studied) == history
        expected = _package_notes(new_apkg)
        for key, found in notes_by_card_id(col).items():
            assert len(found) == 1 and set(found[0].tags) == expected[key]
        col.fix_integrity()  # what docs/anki-students.md tells the student to do
        assert not [tag for tag in col.tags.all() if tag.startswith("concept::") or "::m0" in tag]
    finally:
        col.close()
