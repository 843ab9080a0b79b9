"""The SCORM target's cache of rendered pages (generator/targets/scorm/cache.py), no browser:
a warm cache gives the same bytes as a cold one, an edit renders only its module's page, a
damaged entry is rendered again, and ``build --clean`` never reads what an earlier build left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build_course
from generator.loader import load_course
from generator.outputs import BuildContext, deflate, zip_bytes
from generator.paths import TEMPLATES_DIR
from generator.targets import scorm
from generator.targets.scorm import cache as scorm_cache
from generator.targets.scorm import package, site

LESSON = "modules/02-school/lessons/01-knof-swick.md"


def _course(source: Path):
    course = load_course(source).course
    assert course is not None
    return course


def _render(source: Path, out: Path, use_cache: bool = True) -> dict[str, bytes]:
    """Plan and render the packages as the build does (one process here)."""
    outputs = scorm.plan(_course(source), BuildContext(source, out, TEMPLATES_DIR, use_cache=use_cache))
    return {output.path: output.render() for output in outputs}


@pytest.fixture
def rendered(monkeypatch):
    """The module ids whose page was rendered, in order."""
    calls: list[str] = []
    original = site.render_module

    def counting(course, module, *args, **kwargs):
        calls.append(module.id)
        return original(course, module, *args, **kwargs)

    counting.__module__, counting.__qualname__ = original.__module__, original.__qualname__  # a key's function name

    monkeypatch.setattr(site, "render_module", counting)
    return calls


def _entries(out: Path) -> list[Path]:
    return sorted((out / scorm_cache.CACHE_FOLDER).glob("*" + scorm_cache.SUFFIX))


def _without_cache(source: Path) -> dict[str, bytes]:
    course = _course(source)
    return {
        f"scorm/{course.id}-{scorm.FILE_SUFFIX[v]}.zip": package.build_package(course, v, 70, TEMPLATES_DIR)
        for v in ("1.2", "2004")
    }


def test_warm_cache_gives_the_bytes_of_a_cold_one(valid_source, tmp_path, rendered):
    out = tmp_path / "out"
    cold = _render(valid_source, out)
    # Both packages, and each module page rendered once: the second package took them from the cache.
    assert sorted(cold) == ["scorm/mini-partnerschap-scorm12.zip", "scorm/mini-partnerschap-scorm2004.zip"]
    assert sorted(rendered) == ["m01-basis", "m02-school"]
    assert _entries(out)
    rendered.clear()
    warm = _render(valid_source, out)
    assert rendered == []
    assert warm == cold
    assert _without_cache(valid_source) == cold


def test_editing_one_lesson_renders_only_its_module_page(valid_source, tmp_path, rendered):
    out = tmp_path / "out"
    before = _render(valid_source, out)
    lesson = valid_source / LESSON
    lesson.write_text(lesson.read_text("utf-8").replace("## Een goede relatie", "## Een sterke relatie"), "utf-8")
    rendered.clear()
    after = _render(valid_source, out)
    assert rendered == ["m02-school"]  # once, for both packages
    assert all(after[path] != before[path] for path in before)
    assert after == _without_cache(valid_source)
    # The old page's entry is pruned: one page entry per module remains.
    pages = [e for e in map(scorm_cache.decode, (p.read_bytes() for p in _entries(out))) if "html" in e.parts]
    assert len(pages) == 2


def test_a_damaged_entry_is_rendered_again(valid_source, tmp_path, rendered):
    out = tmp_path / "out"
    cold = _render(valid_source, out)
    entries = _entries(out)
    for index, entry in enumerate(entries):
        data = entry.read_bytes()
        # truncated, one byte changed, or not an entry at all
        damaged = [data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]), b"\x00garbage"][index % 3]
        entry.write_bytes(damaged)
    rendered.clear()
    assert _render(valid_source, out) == cold
    assert sorted(rendered) == ["m01-basis", "m02-school"]


def _poison(out: Path) -> int:
    """Rewrite every cached module page as a valid entry with other text; returns how many."""
    count = 0
    for path in _entries(out):
        entry = scorm_cache.decode(path.read_bytes())
        if entry is not None and "html" in entry.parts:
            html = entry.parts["html"].replace(b"</main>", b"<p>POISONED</p></main>")
            parts = {"html": html}  # without deflated bytes: the package compresses the page itself
            path.write_bytes(scorm_cache.encode(scorm_cache.Entry(entry.meta, parts)))
            count += 1
    return count


def _pages(packages: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    return b"".join(
        zipfile.ZipFile(io.BytesIO(data)).read(name)
        for data in packages.values()
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if name.endswith("/index.html")
    )


def test_clean_does_not_read_the_cache(valid_source, tmp_path, rendered):
    out = tmp_path / "out"
    cold = _render(valid_source, out)
    assert _poison(out) == 2
    # The cache is read (this is what a poisoned cache does to a build that trusts it) ...
    assert b"POISONED" in _pages(_render(valid_source, out))
    _poison(out)
    # ... and ``use_cache=False`` (build --clean) does not read it: every page is rendered.
    rendered.clear()
    assert _render(valid_source, out, use_cache=False) == cold
    assert sorted(rendered) == ["m01-basis", "m02-school"]


def test_build_clean_sets_use_cache_false(valid_source, tmp_path, rendered):
    out = tmp_path / "out"
    course = _course(valid_source)
    build_course(course, valid_source, out, ["scorm"], jobs=1)
    first = {p.name: p.read_bytes() for p in (out / "scorm").iterdir()}
    _poison(out)
    rendered.clear()
    build_course(course, valid_source, out, ["scorm"], clean=True, jobs=1)
    assert {p.name: p.read_bytes() for p in (out / "scorm").iterdir()} == first
    assert sorted(rendered) == ["m01-basis", "m02-school"]


def test_packages_rendered_at_once_share_their_pages(valid_source, tmp_path):
    """The build renders the two packages in two processes at the same time: each module page
    is rendered by one of them only (claims), and the bytes are those of a single process."""
    log = tmp_path / "rendered.log"
    script = f"""
import sys
from pathlib import Path
from generator.build import build_course
from generator.loader import load_course
from generator.targets.scorm import site
original = site.render_module
def logged(course, module, *args, **kwargs):
    with open({str(log)!r}, "a") as handle:
        handle.write(module.id + "\\n")
    return original(course, module, *args, **kwargs)
site.render_module = logged
source = Path({str(valid_source)!r})
build_course(load_course(source).course, source, Path(sys.argv[1]), ["scorm"], jobs=2)
"""
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "out")], check=True)
    assert sorted(log.read_text().split()) == ["m01-basis", "m02-school"]
    built = {p.name: p.read_bytes() for p in (tmp_path / "out" / "scorm").iterdir()}
    assert built == {Path(path).name: data for path, data in _without_cache(valid_source).items()}


def test_a_claim_left_by_a_dead_process_is_ignored(valid_source, tmp_path, rendered):
    out = tmp_path / "out"
    course = _course(valid_source)
    outputs = scorm.plan(course, BuildContext(valid_source, out, TEMPLATES_DIR))
    keys = outputs[0].render.args[5]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = out / scorm_cache.CACHE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for key in keys.values():
        (folder / (key + scorm_cache.LOCK_SUFFIX)).write_text(str(dead.pid))
    expected = _without_cache(valid_source)[outputs[0].path]
    rendered.clear()
    assert outputs[0].render() == expected
    assert sorted(rendered) == ["m01-basis", "m02-school"]
    assert not list(folder.glob("*" + scorm_cache.LOCK_SUFFIX))


def test_an_unwritable_cache_is_not_used(valid_source, tmp_path, rendered):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    expected = _without_cache(valid_source)
    rendered.clear()
    assert _render(valid_source, blocked / "out") == expected
    assert sorted(rendered) == ["m01-basis", "m01-basis", "m02-school", "m02-school"]


def test_precompressed_zip_is_zip_bytes(valid_source):
    entries = {"imsmanifest.xml": b"<manifest/>", "a/index.html": b"<p>" * 5000, "b.css": b"", "c.js": os.urandom(3000)}
    packed = {name: deflate(data) for name, data in entries.items() if name != "c.js"}
    assert zip_bytes(entries, first=("imsmanifest.xml",), deflated=packed) == zip_bytes(entries, first=("imsmanifest.xml",))


def test_on_windows_a_claim_is_judged_by_its_age_and_os_kill_is_never_called(tmp_path, monkeypatch):
    """On Windows ``os.kill(pid, 0)`` ends the process it names: a claim's process is never
    looked at there, so a fresh claim holds (even a dead process's) and an old one is stale."""
    cache = scorm_cache.ScormCache(tmp_path / "cache")
    cache.folder.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    fresh, old = cache._lock("fresh"), cache._lock("old")
    fresh.write_text(str(dead.pid))
    old.write_text(str(os.getpid()))
    long_ago = old.stat().st_mtime - scorm_cache.LOCK_STALE_SECONDS - 5
    os.utime(old, (long_ago, long_ago))
    kills: list[tuple] = []
    with monkeypatch.context() as windows:  # (undone before pytest reports: pathlib reads os.name)
        windows.setattr(os, "kill", lambda *args: kills.append(args))
        windows.setattr(os, "name", "nt")
        windows.setattr(sys, "platform", "win32")
        stale = scorm_cache.ScormCache._stale(fresh), scorm_cache.ScormCache._stale(old)
        claimed = cache.claim("fresh"), cache.claim("old")
        cache.release("old")
        cache.prune(keep=set())
    assert kills == [], "os.kill ends a process on Windows"
    assert stale == (False, True), "a fresh claim holds, an old one is stale"
    assert claimed == (False, True), "a fresh claim holds, an old one is taken over"
    assert fresh.exists() and not old.exists()


def test_a_stale_claim_that_cannot_be_removed_is_rendered_anyway(tmp_path, monkeypatch):
    """Windows refuses to remove a file another process has open (it may be reading the
    claim): the page is then rendered here instead of the build stopping."""
    cache = scorm_cache.ScormCache(tmp_path / "cache")
    cache.folder.mkdir(parents=True)
    lock = cache._lock("key")
    lock.write_text(str(os.getpid()))
    long_ago = lock.stat().st_mtime - scorm_cache.LOCK_STALE_SECONDS - 5
    os.utime(lock, (long_ago, long_ago))
    original = Path.unlink

    def in_use(self, missing_ok=False):
        if self == lock:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return original(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", in_use)
    entry = scorm_cache.Entry({"page": 1}, {"a": b"x"})
    assert cache.get("key", lambda: entry) == entry
