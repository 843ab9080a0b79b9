"""`coursegen serve`: builds, serves the e-learning on 127.0.0.1, and rebuilds after a save."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return None


def _wait_for(predicate, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return None


def test_serve_rebuilds_after_a_save_and_the_page_learns_of_it(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--source",
            str(source),
            "--out",
            str(tmp_path / "out"),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: _get(f"{base}/__build") == "1"), "the first build is served"
        assert "Ouderschap" in (_get(f"{base}/m01-basis/index.html") or "")
        page = _get(f"{base}/")
        assert page and '<script src="/__reload.js"></script>' in page
        assert "location.reload" in (_get(f"{base}/__reload.js") or "")
        lesson = source / "modules/01-basis/lessons/01-epstein.md"
        lesson.write_text(lesson.read_text("utf-8").replace("## Ouderschap {#ouderschap}", "## Ouderrol {#ouderschap}"), "utf-8")
        assert _wait_for(lambda: _get(f"{base}/__build") == "2"), "a save triggers a rebuild"
        assert "Ouderrol" in (_get(f"{base}/m01-basis/index.html") or ""), "the preview shows the edit"
        lesson.write_text("kapot", "utf-8")
        time.sleep(3)
        assert _get(f"{base}/__build") == "2", "a broken source is reported, not served"
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "error: a lesson must start with front matter" in output
