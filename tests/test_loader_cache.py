"""The loader's caches (generator/loader/cache.py): a cached load is the fresh load, and after
an edit only the module folders whose inputs changed are read again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.loader import load_course
from generator.loader.cache import ModuleCache, _code_digest, _file_digests, load_course_cached, module_cache_file
from generator.loader.items import ItemReader
from tests.malformed.cases import CASES
from tests.test_malformed import apply_edits

ROOT = Path(__file__).resolve().parent.parent
L1 = "modules/01-basis/lessons/01-epstein.md"


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(ROOT / "course_source", target)
    return target


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "out" / ".coursegen-model.pickle"


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


def test_cached_loads_equal_fresh_load_of_shipped_course(shipped_copy, cache, reads):
    cold = load_course_cached(shipped_copy, cache)
    assert cold.course is not None and len(reads) == 8
    same(cold, load_course(shipped_copy))
    reads.clear()

    noop = load_course_cached(shipped_copy, cache)
    assert reads == []
    same(noop, load_course(shipped_copy))
    reads.clear()

    lesson = next((shipped_copy / "modules/03-factoren/lessons").glob("*.md"))
    lesson.write_text(lesson.read_text("utf-8") + "\nEen zin erbij.\n", "utf-8")
    edited = load_course_cached(shipped_copy, cache)
    assert reads == ["03-factoren"]
    reads.clear()
    fresh = load_course(shipped_copy)
    same(edited, fresh)
    assert any("Een zin erbij." in s.body.text for lesson in edited.course.modules[2].lessons for s in lesson.sections)


def test_edit_one_lesson_reads_only_its_module(valid_source, cache, reads):
    load_course_cached(valid_source, cache)
    assert reads == ["01-basis", "02-school"]
    reads.clear()
    edit(valid_source / "modules/02-school/lessons/01-knof-swick.md", "een goede relatie", "een sterke relatie")
    result = load_course_cached(valid_source, cache)
    assert reads == ["02-school"]
    same(result, load_course(valid_source))
    # and the new entry is kept: the same source again reads nothing
    reads.clear()
    cache.unlink()  # the module path rather than the whole-model fast path
    result = load_course_cached(valid_source, cache)
    assert reads == []
    same(result, load_course(valid_source))


@pytest.mark.parametrize("change", [
    ("references.yaml", "cite: Knof & Swick", "cite: Knof en Swick"),  # narrative citation text
    ("references.yaml", "Geciteerd in de bronreview.\"\n- key: knof", "Anders.\"\n- key: knof"),  # apa: conservative
    ("course.yaml", "language: nl", "language: en"),
    ("concepts/definities.yaml", "concepts:\n", "concepts:\n  - id: nieuw-begrip\n    label: Nieuw\n"),
], ids=["reference-cite", "reference-apa", "language", "concept-ids"])
def test_course_level_inputs_invalidate_module_entries(valid_source, cache, reads, change):
    load_course_cached(valid_source, cache)
    reads.clear()
    edit(valid_source / change[0], change[1], change[2])
    result = load_course_cached(valid_source, cache)
    assert reads == ["01-basis", "02-school"]
    same(result, load_course(valid_source))


def test_course_yaml_change_modules_do_not_consult_keeps_entries(valid_source, cache, reads):
    load_course_cached(valid_source, cache)
    reads.clear()
    edit(valid_source / "course.yaml", "version: 1.0.0", "version: 1.0.1")
    result = load_course_cached(valid_source, cache)
    assert reads == []
    same(result, load_course(valid_source))


def test_reordered_modules_keep_entries_and_get_their_new_numbers(valid_source, cache, reads):
    load_course_cached(valid_source, cache)
    reads.clear()
    edit(valid_source / "course.yaml", "  - modules/01-basis\n  - modules/02-school", "  - modules/02-school\n  - modules/01-basis")
    result = load_course_cached(valid_source, cache)
    assert reads == []
    same(result, load_course(valid_source))
    assert [(m.id, m.number) for m in result.course.modules] == [("m02-school", 1), ("m01-basis", 2)]


def test_image_outside_the_module_folder_is_a_dependency(valid_source, cache, reads):
    load_course_cached(valid_source, cache)
    reads.clear()
    (valid_source / "images/logo.png").write_bytes((valid_source / "images/logo.png").read_bytes() + b"\0")
    result = load_course_cached(valid_source, cache)
    assert reads == ["01-basis"]  # the only module showing the image
    same(result, load_course(valid_source))
    assert result.course.images["images/logo.png"].data.endswith(b"\0")


def test_missing_image_that_appears_is_a_dependency(valid_source, cache, reads):
    edit(valid_source / L1, "images/logo.png)", "images/foto.png)")
    fresh = load_course(valid_source)
    assert any("foto.png" in str(d) for d in fresh.diagnostics.errors)
    modules = ModuleCache(module_cache_file(cache), valid_source, _file_digests(valid_source), _code_digest())
    load_course(valid_source, modules)
    modules.save()  # entries kept even with errors (load_course_cached only keeps those of a good load)
    shutil.copy(valid_source / "images/logo.png", valid_source / "images/foto.png")
    reads.clear()
    result = load_course_cached(valid_source, cache)
    assert reads == ["01-basis"]
    assert result.course is not None
    same(result, load_course(valid_source))


@pytest.mark.parametrize("name,edits", CASES, ids=[c[0] for c in CASES])
def test_cached_load_of_a_source_with_mistakes_equals_fresh_load(name, edits, valid_source, cache):
    """Entries of the valid source, then the mistake: unchanged modules come from the cache."""
    load_course_cached(valid_source, cache)
    apply_edits(valid_source, edits)
    fresh = load_course(valid_source)
    same(load_course_cached(valid_source, cache), fresh)
    # entries made while the source has the mistake (errors and all) give the same result too
    modules = ModuleCache(module_cache_file(cache), valid_source, _file_digests(valid_source), _code_digest())
    same(load_course(valid_source, modules), fresh)
    modules.save()
    again = ModuleCache(module_cache_file(cache), valid_source, _file_digests(valid_source), _code_digest())
    same(load_course(valid_source, again), fresh)


def test_module_entries_with_diagnostics_round_trip(tmp_path, cache, reads):
    source = tmp_path / "ten"
    shutil.copytree(ROOT / "tests/fixtures/ten-mistakes", source)
    fresh = load_course(source)
    assert fresh.diagnostics.errors
    modules = ModuleCache(module_cache_file(cache), source, _file_digests(source), _code_digest())
    same(load_course(source, modules), fresh)
    modules.save()
    reads.clear()
    again = ModuleCache(module_cache_file(cache), source, _file_digests(source), _code_digest())
    same(load_course(source, again), fresh)
    assert reads == []  # every module from the entries, diagnostics and all
    assert load_course_cached(source, cache).course is None


def test_failed_load_writes_no_cache(valid_source, cache):
    edit(valid_source / L1, "minutes: 10", "minutes: tien")
    assert load_course_cached(valid_source, cache).course is None
    assert not cache.exists() and not module_cache_file(cache).exists()


@pytest.mark.parametrize("damage", [
    b"",
    b"not a pickle at all",
    b"coursegen-modules\n" + b"\0" * 64 + b"garbage",
    "truncated",
    "old",  # the earlier format of the model cache: a pickled (key, result)
])
def test_damaged_cache_files_only_cost_a_fresh_load(valid_source, cache, reads, damage):
    import pickle

    load_course_cached(valid_source, cache)
    for path in (cache, module_cache_file(cache)):
        data = path.read_bytes()
        if damage == "truncated":
            data = data[: len(data) // 2]
        elif damage == "old":
            data = pickle.dumps(("0" * 64, load_course(valid_source)))
        path.write_bytes(data if isinstance(damage, str) else damage)
    reads.clear()
    result = load_course_cached(valid_source, cache)
    assert reads == ["01-basis", "02-school"]
    same(result, load_course(valid_source))
    reads.clear()
    edit(valid_source / L1, "Ouders maken leren mogelijk", "Ouders maken het leren mogelijk")
    result = load_course_cached(valid_source, cache)
    assert reads == ["01-basis"]  # both caches were written afresh
    same(result, load_course(valid_source))


def test_a_changed_byte_in_the_module_cache_is_noticed(valid_source, cache, reads):
    load_course_cached(valid_source, cache)
    path = module_cache_file(cache)
    data = bytearray(path.read_bytes())
    for offset in range(len(data) - 1, len(data) - 4000, -7):  # inside the pickled entries
        data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    cache.unlink()
    reads.clear()
    result = load_course_cached(valid_source, cache)
    assert reads == ["01-basis", "02-school"]
    same(result, load_course(valid_source))


def test_unreadable_cache_location_is_no_error(valid_source, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = blocker / ".coursegen-model.pickle"  # its folder is a file
    same(load_course_cached(valid_source, cache), load_course(valid_source))
    folder_cache = tmp_path / "dir.pickle"
    folder_cache.mkdir()
    module_cache_file(folder_cache).mkdir()
    same(load_course_cached(valid_source, folder_cache), load_course(valid_source))


def test_symlinked_lessons_folder_is_read_every_time(valid_source, cache, reads):
    lessons = valid_source / "modules/02-school/lessons"
    shutil.move(lessons, valid_source / "shared-lessons")
    os.symlink("../../shared-lessons", lessons)
    load_course_cached(valid_source, cache)
    edit(valid_source / "shared-lessons/01-knof-swick.md", "een goede relatie", "een sterke relatie")
    reads.clear()
    result = load_course_cached(valid_source, cache)
    assert "02-school" in reads
    same(result, load_course(valid_source))
    assert "sterke relatie" in result.course.modules[1].lessons[0].sections[0].body.text


def test_clean_reads_every_module(valid_source, tmp_path, reads):
    from generator import cli

    out = tmp_path / "out"
    cli._load(valid_source, False, out)
    reads.clear()
    cli._load(valid_source, False, None)  # what --clean does
    assert reads == ["01-basis", "02-school"]
