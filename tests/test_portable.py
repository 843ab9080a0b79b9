"""What operating systems do differently (generator/portable.py): render workers end with a
killed build where Linux's parent-death signal is missing, source and output files are read
where POSIX-only open flags are missing, and no other module calls a POSIX-only function."""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator import build, portable
from generator.diagnostics import Diagnostics
from generator.loader import cache as loader_cache
from generator.loader import load_course
from generator.loader.files import SourceTree

GENERATOR = Path(__file__).resolve().parent.parent / "generator"

# The child makes a fork-context pool as build._render_all does, with prctl unavailable the
# way ``how`` says, prints its worker's pid and waits to be killed.
_POOL = textwrap.dedent("""
    import concurrent.futures, ctypes, multiprocessing, os, sys, time
    from generator import build

    how = sys.argv[1]
    if how == "prctl fails":
        def no_prctl(*args, **kwargs):
            raise OSError("no prctl here")
        ctypes.CDLL = no_prctl
    else:
        sys.platform = how
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("fork"),
        initializer=build._die_with_parent, initargs=(os.getpid(),))
    print(pool.submit(os.getpid).result(), flush=True)
    time.sleep(120)
""")


def _running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its new parent to reap it has ended)."""
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(state) and not state.startswith("Z")


@pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork: rendering stays in-process"
)
@pytest.mark.parametrize("how", ["prctl fails", "darwin"])
def test_a_render_worker_ends_when_its_build_is_killed_without_prctl(how):
    parent = subprocess.Popen(
        [sys.executable, "-c", _POOL, how],
        stdout=subprocess.PIPE,
        text=True,
        cwd=GENERATOR.parent,
        env={**os.environ, "PYTHONPATH": str(GENERATOR.parent)},
    )
    worker = 0
    try:
        line = parent.stdout.readline() if parent.stdout else ""
        assert line.strip().isdigit(), f"the pool did not start: {line!r}"
        worker = int(line)
        assert _running(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(worker), "the worker renders on after its build was killed"
    finally:
        parent.kill()
        if worker and _running(worker):
            os.kill(worker, signal.SIGKILL)


def test_files_are_read_where_posix_open_flags_are_missing(tmp_path, monkeypatch):
    """As on Windows: no O_NONBLOCK, no O_NOFOLLOW."""
    lesson = tmp_path / "lesson.md"
    lesson.write_bytes(b"# Les\r\n\r\nTekst\x1a met \r\n regels\n")
    monkeypatch.delattr(os, "O_NONBLOCK")
    monkeypatch.delattr(os, "O_NOFOLLOW", raising=False)
    tree = SourceTree(tmp_path)
    assert tree.read_bytes(lesson, 1000) == lesson.read_bytes()
    assert tree.read_text(lesson, Diagnostics()) is not None
    expected = __import__("hashlib").sha256(lesson.read_bytes()).hexdigest()
    assert build._file_hash(lesson) == expected
    assert loader_cache.file_hash(lesson) == expected


def test_read_flags_use_only_what_the_system_has(monkeypatch):
    monkeypatch.delattr(os, "O_NONBLOCK")
    monkeypatch.delattr(os, "O_NOFOLLOW", raising=False)
    monkeypatch.setattr(os, "O_BINARY", 0x8000, raising=False)
    assert portable.read_flags() == os.O_RDONLY | 0x8000
    assert portable.read_flags(follow_links=False) == os.O_RDONLY | 0x8000


def test_process_alive_never_calls_os_kill_on_windows(monkeypatch):
    kills: list[tuple] = []
    with monkeypatch.context() as windows:  # (undone before pytest reports: pathlib reads os.name)
        windows.setattr(os, "kill", lambda *args: kills.append(args))
        windows.setattr(os, "name", "nt")
        windows.setattr(sys, "platform", "win32")
        alive = portable.process_alive(os.getpid())
    assert kills == [], "os.kill ends a process on Windows"
    assert alive is None


def test_process_alive_on_posix():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert portable.process_alive(os.getpid()) is True
    assert portable.process_alive(dead.pid) is False
    assert portable.process_alive(10**30) is False
    assert portable.process_alive(0) is None


def test_output_outside_the_code_page_does_not_stop_the_command(tmp_path):
    """As on Windows with the output redirected to a file: stdout is cp1252, strict."""
    source = tmp_path / "cursus \u2192 2027"
    shutil.copytree(Path(__file__).parent / "fixtures" / "valid", source)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--source", str(source)],
        capture_output=True,
        cwd=GENERATOR.parent,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(GENERATOR.parent), "PYTHONIOENCODING": "cp1252"},
    )
    assert result.returncode == 0, result.stderr.decode("cp1252", "replace")
    assert b"cursus \\u2192 2027: ok" in result.stdout


def _checkout(prefix: Path, autocrlf: str) -> dict[str, bytes]:
    subprocess.run(
        ["git", "-c", f"core.autocrlf={autocrlf}", "checkout-index", "--all", f"--prefix={prefix}/"],
        cwd=GENERATOR.parent,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {p.relative_to(prefix).as_posix(): p.read_bytes() for p in sorted(prefix.rglob("*")) if p.is_file()}


@pytest.mark.skipif(shutil.which("git") is None or not (GENERATOR.parent / ".git").exists(), reason="not a git checkout")
def test_a_windows_checkout_holds_the_same_bytes(tmp_path):
    """Git for Windows checks out with core.autocrlf=true: without .gitattributes every text
    file (templates, CSS, JS, XSD) got \\r\\n, and the SCORM packages other bytes."""
    windows, plain = _checkout(tmp_path / "windows", "true"), _checkout(tmp_path / "plain", "false")
    assert set(windows) == set(plain)
    assert sorted(path for path in plain if windows[path] != plain[path]) == []


def test_spelled_on_disk_finds_a_path_written_in_other_capitals(tmp_path):
    (tmp_path / "Figuren").mkdir()
    (tmp_path / "Figuren" / "Model.png").write_bytes(b"x")
    assert portable.spelled_on_disk(tmp_path, "figuren/model.png") == "Figuren/Model.png"
    assert portable.spelled_on_disk(tmp_path, "Figuren/Model.png") is None
    assert portable.spelled_on_disk(tmp_path, "figuren/andere.png") is None


def test_an_image_written_in_other_capitals_is_reported_on_every_system(tmp_path):
    """Windows and macOS would find 'Images/logo.png' for images/logo.png and build; Linux would
    not. So every system reports it, naming the file as it is spelled."""
    source = tmp_path / "source"
    shutil.copytree(Path(__file__).parent / "fixtures" / "valid", source)
    lesson = source / "modules/01-basis/lessons/01-epstein.md"
    lesson.write_text(lesson.read_text("utf-8").replace("../../../images/logo.png", "../../../Images/logo.png"), "utf-8")
    messages = [str(d) for d in load_course(source).diagnostics.errors]
    assert any("01-epstein.md" in m and "the file is 'images/logo.png'" in m for m in messages), messages


@pytest.mark.parametrize("target, suffix", [("slides", ".pptx"), ("docx", ".docx")])
def test_a_template_written_in_other_capitals_is_reported_on_every_system(tmp_path, target, suffix):
    from importlib import import_module

    template = import_module(f"generator.targets.{target}.template")
    (tmp_path / "Sjablonen").mkdir()
    (tmp_path / "Sjablonen" / f"Huisstijl{suffix}").write_bytes(b"not read")
    with pytest.raises(template.TemplateError, match=f"the file is 'Sjablonen/Huisstijl{suffix}'"):
        template.template_source(f"sjablonen/huisstijl{suffix}", tmp_path, GENERATOR.parent / "templates")


def test_the_preview_is_not_replaced_while_it_serves_a_file(tmp_path, monkeypatch):
    """Windows cannot remove a file that is open: a rebuild's refresh of the preview waits
    until a file being sent is closed."""
    import http.server
    import threading
    import urllib.request
    import zipfile

    from generator.watch import Preview

    (tmp_path / "scorm").mkdir()
    with zipfile.ZipFile(tmp_path / "scorm" / "c-scorm2004.zip", "w") as archive:
        archive.writestr("index.html", "<html><body></body></html>")
        archive.writestr("style.css", "p {}")
    preview = Preview()
    preview.refresh(tmp_path)
    sending, release = threading.Event(), threading.Event()
    original = http.server.SimpleHTTPRequestHandler.copyfile

    def slow_copy(self, source, output):
        sending.set()
        release.wait(10)
        original(self, source, output)

    monkeypatch.setattr(http.server.SimpleHTTPRequestHandler, "copyfile", slow_copy)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), preview.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/style.css"
        got: list[bytes] = []
        fetch = threading.Thread(target=lambda: got.append(urllib.request.urlopen(url, timeout=10).read()))
        fetch.start()
        assert sending.wait(10)
        refresh = threading.Thread(target=preview.refresh, args=(tmp_path,))
        refresh.start()
        refresh.join(0.5)
        waited = refresh.is_alive()
        release.set()
        fetch.join(10)
        refresh.join(10)
        assert waited, "the refresh removed the files while one was being sent"
        assert got == [b"p {}"] and preview.build_number == 2
    finally:
        release.set()
        server.shutdown()
        preview.close()


def test_files_named_match_their_suffix_exactly_in_code_point_order(tmp_path, monkeypatch):
    for name in ("B.md", "a.md", "c.MD", ".verborgen.md", "notities.txt"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in portable.files_named(tmp_path, ".md")] == ["B.md", "a.md"]
    assert portable.files_named(tmp_path / "geen map", ".md") == []
    names = sorted(os.listdir(tmp_path), key=str.casefold)  # as NTFS lists them
    monkeypatch.setattr(os, "listdir", lambda folder: list(names))
    assert [p.name for p in portable.files_named(tmp_path, ".md")] == ["B.md", "a.md"]


def _windows_glob(self, pattern):
    """Path.glob as on Windows: capitals ignored."""
    import fnmatch

    return (self / name for name in sorted(os.listdir(self), key=str.casefold) if fnmatch.fnmatch(name.lower(), pattern.lower()))


def test_the_same_lessons_load_where_glob_ignores_capitals(tmp_path, monkeypatch):
    """A lesson saved as '02-Extra.MD' is no lesson on Linux; on Windows, Path.glob('*.md')
    found it. The loader now lists lessons and concept files the same way everywhere."""
    source = tmp_path / "source"
    shutil.copytree(Path(__file__).parent / "fixtures" / "valid", source)
    lessons = source / "modules/01-basis/lessons"
    (lessons / "02-Extra.MD").write_text(
        (lessons / "01-epstein.md").read_text("utf-8").replace("les-epstein", "les-extra"), "utf-8"
    )

    def loaded():
        result = load_course(source)
        course = result.course
        return (
            [[lesson.id for lesson in module.lessons] for module in course.modules] if course else None,
            [str(d) for d in result.diagnostics.items],
        )

    linux = loaded()
    monkeypatch.setattr(Path, "glob", _windows_glob)
    assert loaded() == linux


def test_an_output_folder_in_the_source_is_refused_under_another_name(tmp_path, monkeypatch):
    """macOS opens "Course_Source" for course_source, and Path.resolve keeps the capitals as
    typed. Here a symbolic link is that other name, and resolve keeps it as typed too."""
    source = tmp_path / "course_source"
    source.mkdir()
    alias = tmp_path / "Course_Source"
    alias.symlink_to(source, target_is_directory=True)
    monkeypatch.setattr(Path, "resolve", lambda self, strict=False: self.absolute())
    with pytest.raises(build.FolderError, match="inside the course source folder"):
        build.check_folders(source, alias / "output")
    with pytest.raises(build.FolderError, match="inside the course source folder"):
        build.check_folders(source, alias)
    with pytest.raises(build.FolderError, match="is inside the output folder"):
        build.check_folders(source / "cursus", alias)
    build.check_folders(source, tmp_path / "output")


# Names of os/signal/ctypes that exist only on POSIX (or only on Linux), or that behave
# differently on Windows (os.kill ends a process there). Only generator/portable.py uses them.
_POSIX_ONLY = {
    "os": {
        "O_NONBLOCK",
        "O_NOFOLLOW",
        "O_DIRECTORY",
        "O_CLOEXEC",
        "O_NOCTTY",
        "O_SYNC",
        "fork",
        "forkpty",
        "kill",
        "killpg",
        "setsid",
        "getpgid",
        "setpgrp",
        "getuid",
        "geteuid",
        "getgid",
        "chown",
        "lchown",
        "sched_getaffinity",
        "sync",
        "uname",
        "WNOHANG",
        "wait",
        "wait4",
        "mkfifo",
        "pipe2",
        "getloadavg",
        "nice",
    },
    "signal": {"SIGKILL", "SIGHUP", "SIGQUIT", "SIGALRM", "SIGCHLD", "SIGUSR1", "SIGUSR2", "alarm", "pthread_kill", "setitimer"},
    "ctypes": {"CDLL"},
}
_POSIX_MODULES = {"fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "posix"}


def _posix_only_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr in _POSIX_ONLY.get(node.value.id, ())
        ):
            found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
        elif isinstance(node, ast.ImportFrom) and node.module in _POSIX_ONLY:
            found += [
                f"from {node.module} import {a.name} (line {node.lineno})"
                for a in node.names
                if a.name in _POSIX_ONLY[node.module]
            ]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"import {name} (line {node.lineno})" for name in names if name.split(".")[0] in _POSIX_MODULES]
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and (node.value.startswith("/proc/") or node.value.startswith("fc-"))
        ):
            found.append(f"{node.value!r} (line {node.lineno})")
    return found


def test_only_portable_py_calls_posix_only_functions():
    uses = {
        str(path.relative_to(GENERATOR)): found
        for path in sorted(GENERATOR.rglob("*.py"))
        if path.name != "portable.py" or path.parent != GENERATOR
        if (found := _posix_only_uses(path))
    }
    assert uses == {}, "POSIX- or Linux-only calls outside generator/portable.py (give them a portable path there)"
