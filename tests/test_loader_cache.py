"""The loader's cache (generator/loader/cache.py): a cached load is the fresh load, whatever
changed; it never runs anything from the output folder; unreferenced files are never read;
``build`` and ``check`` agree."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.loader import load_course
from generator.loader.cache import CACHE_NAME, load_course_cached
from generator.loader.items import ItemReader
from tests.malformed.cases import CASES
from tests.test_malformed import apply_edits

ROOT = Path(__file__).resolve().parent.parent
L1 = "modules/01-basis/lessons/01-epstein.md"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The module folders read (parsed), in order."""
    calls: list[str] = []
    original = ItemReader.module

    def counting(self, folder, number):
        calls.append(folder.name)
        return original(self, folder, number)

    monkeypatch.setattr(ItemReader, "module", counting)
    return calls


def same(a, b) -> None:
    """Two load results are the same: model, and diagnostics in the same order (also as found)."""
    assert a.course == b.course
    assert [str(d) for d in a.diagnostics.items] == [str(d) for d in b.diagnostics.items]
    assert a.diagnostics._items == b.diagnostics._items


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_cached_load_of_the_shipped_course_is_the_fresh_load(tmp_path, out, reads):
    source = tmp_path / "course"
    shutil.copytree(ROOT / "course_source", source)
    fresh = load_course(source)
    same(load_course_cached(source, out), fresh)
    assert (out / CACHE_NAME).exists()
    reads.clear()
    same(load_course_cached(source, out), fresh)
    assert reads == []  # nothing parsed
    assert (out / CACHE_NAME).read_bytes().startswith(b"{"), "plain JSON"


@pytest.mark.parametrize(
    "change",
    [
        ("lesson", lambda s: edit(s / L1, "Ouders maken leren mogelijk", "Ouders maken het leren mogelijk")),
        ("references", lambda s: edit(s / "references.yaml", "Geciteerd in de bronreview.", "Uit de review.")),
        ("course", lambda s: edit(s / "course.yaml", "compiler mee te testen", "compiler te proberen")),
        ("image", lambda s: (s / "images/logo.png").write_bytes((s / "images/logo.png").read_bytes() + b"\0")),
        (
            "new file",
            lambda s: (s / "modules/01-basis/lessons/02-nieuw.md").write_text(
                "---\nid: les-nieuw\ntitle: Nieuw\nminutes: 5\nobjectives: [Iets.]\nconcepts: [epstein-ouderschap]\n---\n\n"
                "## Kop\n\nTekst.\n",
                "utf-8",
            ),
        ),
        ("removed file", lambda s: (s / "modules/01-basis/vignettes.yaml").unlink()),
        ("concept", lambda s: edit(s / "concepts/definities.yaml", "label: Communiceren", "label: Communicatie")),
    ],
)
def test_every_change_gives_the_fresh_load(valid_source, out, change):
    load_course_cached(valid_source, out)
    change[1](valid_source)
    same(load_course_cached(valid_source, out), load_course(valid_source))


@pytest.mark.parametrize(
    "change,expected",
    [
        (lambda s: edit(s / L1, "Ouders maken leren mogelijk", "Ouders maken het leren mogelijk"), ["01-basis"]),
        # what a module's parse receives from the course (ModuleInputs): every module again
        (lambda s: edit(s / "references.yaml", "cite: Epstein", "cite: Epstein e.a."), ["01-basis", "02-school"]),
        # a module's number: both read again after a swap
        (
            lambda s: edit(
                s / "course.yaml",
                "  - modules/01-basis\n  - modules/02-school\n",
                "  - modules/02-school\n  - modules/01-basis\n",
            ),
            ["02-school", "01-basis"],
        ),
        # an image outside the module folder that the lesson shows
        (lambda s: (s / "images/logo.png").write_bytes((s / "images/logo.png").read_bytes() + b"\0"), ["01-basis"]),
        # a file nothing reads, in a module folder: the folder's shape changed
        (lambda s: (s / "modules/02-school/notities.txt").write_text("x"), ["02-school"]),
        # course.yaml only: no module parse depends on it
        (lambda s: edit(s / "course.yaml", "compiler mee te testen", "compiler te proberen"), []),
    ],
)
def test_only_the_modules_whose_inputs_changed_are_read_again(valid_source, out, reads, change, expected):
    load_course_cached(valid_source, out)
    change(valid_source)
    reads.clear()
    result = load_course_cached(valid_source, out)
    assert reads == expected
    same(result, load_course(valid_source))


@pytest.mark.parametrize("name,edits", CASES, ids=[c[0] for c in CASES])
def test_a_source_with_mistakes_is_never_answered_from_the_cache(name, edits, valid_source, out):
    load_course_cached(valid_source, out)
    apply_edits(valid_source, edits)
    same(load_course_cached(valid_source, out), load_course(valid_source))


def test_a_failed_load_writes_no_cache(valid_source, out):
    edit(valid_source / L1, "minutes: 10", "minutes: tien")
    assert load_course_cached(valid_source, out).course is None
    assert not (out / CACHE_NAME).exists()


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all",
        "truncated",
        "flipped",
        # valid JSON naming a class that is not model data, or a function
        "hostile-class",
        "hostile-shape",
    ],
)
def test_a_damaged_or_hostile_cache_only_costs_a_fresh_load(valid_source, out, reads, damage):
    load_course_cached(valid_source, out)
    path = out / CACHE_NAME
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    if damage == "truncated":
        data = data[: len(data) - 100]
    elif damage == "flipped":
        data = data[:-50] + bytes([data[-50] ^ 1]) + data[-49:]
    elif damage == "hostile-class":
        data = head + b'\n[{"c":"system","v":["touch pwned"]},{"t":[]}]'
    elif damage == "hostile-shape":
        data = head + b'\n[{"c":"Course","v":[1]},{"t":[]}]'
    path.write_bytes(data if isinstance(damage, str) else damage)
    reads.clear()
    result = load_course_cached(valid_source, out)
    assert reads == ["01-basis", "02-school"]
    same(result, load_course(valid_source))


def test_an_old_pickle_in_the_output_folder_is_never_unpickled(valid_source, out, tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    out.mkdir()
    for name in (".coursegen-model.pickle", ".coursegen-model-modules.pickle"):
        (out / name).write_bytes(pickle.dumps(Payload()))
    same(load_course_cached(valid_source, out), load_course(valid_source))
    assert not marker.exists()


def test_unreadable_cache_location_is_no_error(valid_source, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    same(load_course_cached(valid_source, blocker), load_course(valid_source))  # its folder is a file
    (tmp_path / "dir" / CACHE_NAME).mkdir(parents=True)
    same(load_course_cached(valid_source, tmp_path / "dir"), load_course(valid_source))


def test_a_symlink_in_the_source_is_read_every_time(valid_source, out, reads):
    lessons = valid_source / "modules/02-school/lessons"
    shutil.move(lessons, valid_source / "shared-lessons")
    os.symlink("../../shared-lessons", lessons)
    load_course_cached(valid_source, out)
    edit(valid_source / "shared-lessons/01-knof-swick.md", "een goede relatie", "een sterke relatie")
    reads.clear()
    result = load_course_cached(valid_source, out)
    assert reads == ["01-basis", "02-school"]
    same(result, load_course(valid_source))


def _check(source: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "check", "--source", str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _build(source: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "-q", "--target", "anki", "--source", str(source), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("special", ["fifo", "symlink loop"])
def test_build_and_check_agree_on_a_special_file_in_a_lesson_folder(valid_source, out, special):
    """A build after one from a cached model: the special file makes both fail the same way
    (and neither hangs on the pipe)."""
    assert _build(valid_source, out).returncode == 0
    path = valid_source / "modules/01-basis/lessons/02-special.md"
    if special == "fifo":
        os.mkfifo(path)
    else:
        os.symlink("02-special.md", path)
    check, build = _check(valid_source), _build(valid_source, out)
    assert check.returncode == build.returncode == 1
    assert "02-special.md" in check.stderr and "02-special.md" in build.stderr
    assert load_course_cached(valid_source, out).course is None


def _peak_kib(source: Path, out: Path) -> int:
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "-q", "--target", "anki", "--source", str(source), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss


def test_a_1_gb_unreferenced_file_adds_no_memory(valid_source, tmp_path):
    """A large file nothing refers to (a video beside the lessons) is listed, never read."""
    before = _peak_kib(valid_source, tmp_path / "one")
    with open(valid_source / "modules/01-basis/opname.mp4", "wb") as handle:  # sparse: no disk used
        handle.truncate(1 << 30)
    cold = _peak_kib(valid_source, tmp_path / "two")
    warm = _peak_kib(valid_source, tmp_path / "two")
    assert cold < before + 50_000 and warm < before + 50_000, (before, cold, warm)
