"""The build touches only its own files (issue 13): nothing in the output folder is executed
or trusted, stale outputs go only after every render succeeded and only when the build
recorded them, the output folder never overlaps the source, ``serve`` leaves no preview."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator.build import CACHE_FILE
from generator.cli import main
from tests.support import fake_target

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake(monkeypatch):
    fake_target.install(monkeypatch)


def _build(source: Path, out: Path, clean: bool = False):
    return fake_target.build(source, out, clean, jobs=1)


def _drop_module_02(source: Path) -> None:
    course_yaml = source / "course.yaml"
    course_yaml.write_text(course_yaml.read_text("utf-8").replace("  - modules/02-school\n", ""), "utf-8")


def _cli_build(source: Path, out: Path, *args: str) -> int:
    return main(["build", "--quiet", "--jobs", "1", "--source", str(source), "--out", str(out), *args])


# -- nothing in OUT is executed or trusted --------------------------------------------------


def test_crafted_caches_in_out_run_nothing_and_delete_nothing_outside(valid_source, tmp_path):
    out = tmp_path / "out"
    assert _cli_build(valid_source, out) == 0
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps(Payload())
    # Every file an earlier version of the build unpickled or loaded as code
    for name in (
        ".coursegen-model.pickle",
        ".coursegen-model-modules.pickle",
        ".coursegen-cache/slides/template-0123.pickle",
        ".coursegen-cache/scorm/jinja-0123-abc.entry",
    ):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(payload)
    # A build record that names files outside OUT, with their true hashes
    victims = [tmp_path / "victim.txt", tmp_path / "elsewhere" / "victim.txt"]
    for victim in victims:
        victim.parent.mkdir(exist_ok=True)
        victim.write_text("keep me")
    digest = hashlib.sha256(b"keep me").hexdigest()
    record = json.loads((out / CACHE_FILE).read_text("utf-8"))
    for name in ("../victim.txt", str(victims[1]), "slides/../../victim.txt", "anki/../../elsewhere/victim.txt"):
        record["outputs"][name] = {"target": "slides", "key": "0", "bytes": digest}
    (out / CACHE_FILE).write_text(json.dumps(record), "utf-8")
    # A folder of OUT that is a symbolic link out of it, recorded as holding an old output
    (tmp_path / "elsewhere" / "old.apkg").write_text("keep me")
    record["outputs"]["linked/old.apkg"] = {"target": "anki", "key": "0", "bytes": digest}
    os.symlink(tmp_path / "elsewhere", out / "linked")
    (out / CACHE_FILE).write_text(json.dumps(record), "utf-8")

    assert _cli_build(valid_source, out) == 0
    assert not marker.exists(), "nothing from the output folder was run"
    assert not (out / ".coursegen-model.pickle").exists(), "the retired caches are gone"
    assert not (out / ".coursegen-cache/slides/template-0123.pickle").exists()
    assert all(victim.read_text() == "keep me" for victim in victims)
    assert (tmp_path / "elsewhere" / "old.apkg").exists()


def test_a_users_temporary_file_in_out_survives(valid_source, tmp_path, fake):
    out = tmp_path / "out"
    _build(valid_source, out)
    drafts = [out / "notes" / ".draft.tmp", out / "fake" / ".m01-basis.txt.abc.tmp", out / ".x.tmp"]
    for draft in drafts:
        draft.parent.mkdir(exist_ok=True)
        draft.write_text("mine")
    lesson = valid_source / "modules/01-basis/lessons/01-epstein.md"
    lesson.write_text(lesson.read_text("utf-8").replace("## Ouderschap", "## Ouderrol"), "utf-8")
    assert _build(valid_source, out).written == ["fake/m01-basis.txt"]
    assert all(draft.read_text() == "mine" for draft in drafts)


def test_a_failing_build_after_dropping_a_module_leaves_every_previous_output(valid_source, tmp_path, fake):
    out = tmp_path / "out"
    _build(valid_source, out)
    before = {p.name: p.read_bytes() for p in (out / "fake").iterdir()}
    _drop_module_02(valid_source)
    lesson = valid_source / "modules/01-basis/lessons/01-epstein.md"
    lesson.write_text(lesson.read_text("utf-8").replace("## Ouderschap", "## Ouderrol"), "utf-8")
    fake_target.FAIL_ON.add("m01-basis")
    with pytest.raises(RuntimeError):
        _build(valid_source, out)
    assert {p.name: p.read_bytes() for p in (out / "fake").iterdir()} == before
    fake_target.FAIL_ON.clear()
    assert _build(valid_source, out).removed == ["fake/m02-school.txt"]  # once the build succeeds


def test_a_failing_anki_state_after_dropping_a_module_leaves_every_output(valid_source, tmp_path):
    out = tmp_path / "out"
    assert _cli_build(valid_source, out) == 0
    before = {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and not p.name.startswith(".") and ".coursegen-cache" not in p.parts
    }
    _drop_module_02(valid_source)
    (valid_source / "anki-state.json").write_text('{"notes": <<<<<<< HEAD', "utf-8")
    assert _cli_build(valid_source, out) == 1
    assert all((out / name).read_bytes() == data for name, data in before.items())


def test_clean_removes_what_earlier_builds_made(valid_source, tmp_path, fake):
    out = tmp_path / "out"
    _build(valid_source, out)
    _drop_module_02(valid_source)
    report = _build(valid_source, out, clean=True)
    assert report.removed == ["fake/m02-school.txt"]
    assert not (out / "fake/m02-school.txt").exists()


def test_an_edited_stale_output_is_the_users_and_stays(valid_source, tmp_path, fake):
    out = tmp_path / "out"
    _build(valid_source, out)
    (out / "fake/m02-school.txt").write_text("my own notes now")
    _drop_module_02(valid_source)
    assert _build(valid_source, out).removed == []
    assert (out / "fake/m02-school.txt").read_text() == "my own notes now"


# -- the output folder and the source -------------------------------------------------------


@pytest.mark.parametrize("where", ["same", "inside source", "source inside"])
def test_out_overlapping_the_source_is_refused(valid_source, tmp_path, capsys, where):
    out = {"same": valid_source, "inside source": valid_source / "output", "source inside": tmp_path}[where]
    files = sorted(p for p in tmp_path.rglob("*"))
    assert _cli_build(valid_source, out) == 2
    assert "coursegen: error:" in capsys.readouterr().err
    assert sorted(p for p in tmp_path.rglob("*")) == files, "nothing written"


def test_an_anki_state_symlinked_out_of_the_source_is_refused(valid_source, tmp_path, capsys):
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"edition": 1, "format": 1, "note_types": {}, "notes": {}}\n')
    os.symlink(outside, valid_source / "anki-state.json")
    assert _cli_build(valid_source, tmp_path / "out") == 1
    assert "anki-state.json" in capsys.readouterr().err
    assert outside.read_text() == '{"edition": 1, "format": 1, "note_types": {}, "notes": {}}\n'


# -- serve ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_removes_its_preview_on_ctrl_c(valid_source, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--source",
            str(valid_source),
            "--out",
            str(tmp_path / "out"),
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/__build", timeout=2).read() == b"1":
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("serve never served its first build")
        assert [p.name for p in temp.iterdir() if p.name.startswith("coursegen-preview-")]
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert not [p for p in temp.iterdir() if p.name.startswith("coursegen-preview-")]
