"""Running targets: plan outputs, render what changed, write it atomically, then tidy up.

The build record (``OUT/.coursegen-cache.json``, plain JSON) lists, per output file it wrote,
the target, the output's key (``generator.fingerprint``: everything its render receives and
reads), the hash of the bytes written and the seconds the render took. An output is rendered
again when its key changed, when the file on disk is not the one recorded, or with ``clean``.

The build touches only its own files: outputs at the plain relative paths targets plan,
its record, its caches under ``OUT/.coursegen-cache/`` and its own temporary files. A file an
earlier build wrote and the plan no longer has is removed only after every render succeeded,
only when the record lists it and the file still holds the recorded bytes, and only inside
``OUT``. ``clean`` renders everything again but still removes what earlier builds left.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import stat
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import paths
from .fingerprint import MEMO, digest, environment_digest
from .model import Course
from .outputs import TEMP_PREFIX, BuildContext, Output, TargetError, write_atomic
from .portable import die_with_parent, regular_file_hash
from .registry import TARGETS, target_module

RECORD_VERSION = 3
CACHE_FILE = ".coursegen-cache.json"
CACHE_FOLDER = ".coursegen-cache"
TEMPLATES_DIR = paths.TEMPLATES_DIR
# Caches of earlier versions of the build (pickles, compiled templates): never read, removed.
_RETIRED = (".coursegen-model.pickle", ".coursegen-model-modules.pickle")
_RETIRED_FOLDER = ".coursegen-cache/slides"


class FolderError(Exception):
    """The output folder and the source folder overlap: a usage error (exit 2)."""


@dataclass
class TargetReport:
    name: str
    written: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _same_folder(a: Path, b: Path) -> bool:
    """True if both name one existing folder. On macOS and Windows "Course_Source" is
    course_source, and ``Path.resolve`` (macOS) keeps the capitals as typed: names alone do
    not tell."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_folders(source_dir: Path, out_dir: Path) -> None:
    """Refuse an output folder that is the source folder, inside it, or holds it."""
    source, out = Path(source_dir).resolve(), Path(out_dir).resolve()
    if out == source or source in out.parents or any(_same_folder(source, folder) for folder in (out, *out.parents)):
        raise FolderError(
            f"the output folder '{out_dir}' is inside the course source folder '{source_dir}'; choose an output folder outside it"
        )
    if out in source.parents or any(_same_folder(out, folder) for folder in source.parents):
        raise FolderError(
            f"the course source folder '{source_dir}' is inside the output folder '{out_dir}'; choose an output folder outside it"
        )


def safe_relative(path: str) -> bool:
    """A plain relative POSIX path with no ``..``, no absolute part, no hidden first part."""
    if not isinstance(path, str) or not path or "\\" in path or "\0" in path:
        return False
    pure = PurePosixPath(path)
    return (
        not pure.is_absolute()
        and all(part not in ("", ".", "..") for part in pure.parts)
        and not pure.parts[0].startswith(".")
        and pure.as_posix() == path
    )


def inside(out_dir: Path, rel: str) -> Path | None:
    """``out_dir / rel`` when no folder on the way is a symbolic link and it stays inside
    ``out_dir``; None otherwise."""
    if not safe_relative(rel):
        return None
    root = out_dir.resolve()
    path = root
    for part in PurePosixPath(rel).parts[:-1]:
        path = path / part
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):  # a symbolic link or a file: not ours to follow
                return None
        except FileNotFoundError:
            return root / rel  # nothing there yet
        except OSError:
            return None
    return path / PurePosixPath(rel).name


def _load_record(out_dir: Path) -> dict[str, dict]:
    """The outputs an earlier build wrote; a missing, damaged or hostile record is an empty one
    (entries that are not plain data about a plain relative path are dropped)."""
    try:
        data = json.loads((out_dir / CACHE_FILE).read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("version") != RECORD_VERSION or not isinstance(data.get("outputs"), dict):
        return {}
    entries = {}
    for path, entry in data["outputs"].items():
        if (
            safe_relative(path)
            and isinstance(entry, dict)
            and isinstance(entry.get("target"), str)
            and isinstance(entry.get("key"), str)
            and isinstance(entry.get("bytes"), str)
        ):
            seconds = entry.get("seconds")
            counts = entry.get("counts", {})
            entries[path] = {
                "target": entry["target"],
                "key": entry["key"],
                "bytes": entry["bytes"],
                "seconds": seconds if isinstance(seconds, (int, float)) else None,
                "counts": {k: v for k, v in counts.items() if isinstance(k, str) and type(v) is int}
                if isinstance(counts, dict)
                else {},
            }
    return entries


def _record_text(entries: dict[str, dict]) -> bytes:
    clean = {path: {k: v for k, v in entry.items() if v not in (None, {})} for path, entry in entries.items()}
    return json.dumps({"version": RECORD_VERSION, "outputs": clean}, indent=1, sort_keys=True).encode()


def _file_hash(path: Path | None) -> str | None:
    """The hash of a regular file (never a link, a pipe or a device); None for no file."""
    return None if path is None else regular_file_hash(path)


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)  # a symbolic link is not
    except OSError:
        return False


def _remove_retired_caches(out_dir: Path) -> None:
    paths = [out_dir / name for name in _RETIRED]
    folder = out_dir / _RETIRED_FOLDER
    if _is_folder(folder.parent) and _is_folder(folder):
        paths += [folder / name for name in os.listdir(folder) if name.startswith("template-") and name.endswith(".pickle")]
    for path in paths:
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                os.unlink(path)


def _remove_own_leftovers(folders: set[Path]) -> None:
    """Temporary files of a build that was killed half-way (``write_atomic`` names them
    ``.coursegen-tmp-…``), in the folders this build writes to."""
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(TEMP_PREFIX):
                with contextlib.suppress(OSError):
                    if stat.S_ISREG(os.lstat(folder / name).st_mode):
                        os.unlink(folder / name)


# Outputs waiting to be rendered; forked workers inherit this list (closures don't pickle).
_PENDING: list[Output] = []


def _render_pending(index: int) -> tuple[bytes, dict, float]:
    start = time.perf_counter()
    result = _PENDING[index].render()
    data, counts = result if isinstance(result, tuple) else (result, {})
    return data, dict(counts), time.perf_counter() - start


def _die_with_parent(parent: int) -> None:
    """Worker start-up: a build killed with SIGKILL takes its workers with it, on every OS
    that forks (``portable.die_with_parent``)."""
    die_with_parent(parent)


@contextlib.contextmanager
def _few_collections():
    """Rendering makes millions of small objects and few reference cycles; Python's default
    collector thresholds spent up to half of the slides' time walking them. The model and the
    plans are kept out of collections (``freeze``) and collections come less often."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _render_all(indices: list[int], jobs: int):
    """Yield (index, bytes, counts, seconds) for each pending output, on ``jobs`` processes,
    in the order of ``indices``."""
    import concurrent.futures
    import multiprocessing

    # Workers are forked: they inherit ``_PENDING`` (closures don't pickle). Where there is no
    # fork (Windows), everything is rendered here, in this process, one output after another.
    if jobs <= 1 or len(indices) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index in indices:
            yield (index, *_render_pending(index))
        return
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=min(jobs, len(indices)), mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(_render_pending, index): index for index in indices}
        for future in concurrent.futures.as_completed(futures):
            yield (futures[future], *future.result())


def _key(output: Output, salt: str) -> str:
    return hashlib.sha256(salt.encode() + output.path.encode() + b"\0" + digest(output.render)).hexdigest()


def build_course(
    course: Course,
    source_dir: Path,
    out_dir: Path,
    targets: list[str] | None = None,
    clean: bool = False,
    on_target_done=None,
    jobs: int | None = None,
    templates_dir: Path | None = None,
) -> list[TargetReport]:
    """Build ``targets`` (default: all registered) of ``course`` into ``out_dir``.

    Every target plans first; the outputs that changed are then rendered, on ``jobs``
    processes (default: one per core), and each is written atomically as it is ready. Only
    when all succeeded are the outputs the plan no longer has removed."""
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    templates_dir = Path(templates_dir or TEMPLATES_DIR)
    check_folders(source_dir, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = _load_record(out_dir)
    timings = {path: entry["seconds"] for path, entry in entries.items() if entry["seconds"] is not None}
    salt = environment_digest(templates_dir)
    context = BuildContext(source_dir, out_dir, templates_dir, use_cache=not clean, environment=salt)
    reports: dict[str, TargetReport] = {}
    pending: list[tuple[str, Output, str, Path]] = []  # (target, output, key, where)
    planned_paths: set[str] = set()
    folders = {out_dir}  # where this build writes: its leftovers are cleaned there
    # MEMO may already hold what the targets' checks wrote out (the slides' fit keys): kept, as
    # it holds each (immutable) model object itself, so an id in it is never another object's.
    for name in targets or list(TARGETS):
        start = time.perf_counter()
        report = reports[name] = TargetReport(name)
        # Targets report what they can't do as they wish (a layout missing from an
        # institute's template) with warnings.warn; they reach the user as diagnostics.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            planned = target_module(name).plan(course, context)
        report.warnings = sorted({str(w.message) for w in caught if issubclass(w.category, UserWarning)})
        for output in planned:
            where = inside(out_dir, output.path)
            if where is None or output.path in planned_paths or output.path.split("/")[0] != name:
                raise TargetError(
                    f"cannot write '{output.path}' in the output folder '{out_dir}': the path must be new "
                    f"to this build, under '{name}/', with no symbolic link on the way"
                )
            planned_paths.add(output.path)
            folders.add(where.parent)
            key = _key(output, salt)
            previous = entries.get(output.path)
            for count_name, count in output.counts.items():
                report.counts[count_name] = report.counts.get(count_name, 0) + count
            if (
                not clean
                and previous
                and previous["target"] == name
                and previous["key"] == key
                and previous["bytes"] == _file_hash(where)
            ):
                report.cached.append(output.path)
                for count_name, count in previous["counts"].items():
                    report.counts[count_name] = report.counts.get(count_name, 0) + count
            else:
                pending.append((name, output, key, where))
        report.seconds += time.perf_counter() - start

    _remove_own_leftovers(folders)
    _remove_retired_caches(out_dir)
    _PENDING[:] = [output for _, output, _, _ in pending]
    # The longest renders start first (as the last build timed them; unknown ones count as
    # long), so that no core is left with one big deck at the end.
    order = sorted(range(len(pending)), key=lambda i: -timings.get(pending[i][1].path, float("inf")))
    try:
        with _few_collections():
            for index, data, counts, seconds in _render_all(order, jobs or os.cpu_count() or 1):
                name, output, key, where = pending[index]
                for count_name, count in counts.items():
                    reports[name].counts[count_name] = reports[name].counts.get(count_name, 0) + count
                if output.refresh is not None:  # the render changed one of its inputs (the anki state)
                    key = _key(Output(output.path, output.refresh()), salt)
                write_atomic(where, data)
                entries[output.path] = {
                    "target": name,
                    "key": key,
                    "bytes": hashlib.sha256(data).hexdigest(),
                    "seconds": round(seconds, 3),
                    "counts": counts,
                }
                reports[name].written.append(output.path)
                reports[name].seconds += seconds
                # Saved after every file: a build killed half-way keeps what it finished.
                write_atomic(out_dir / CACHE_FILE, _record_text(entries))
    finally:
        _PENDING.clear()
        MEMO.clear()
    # Every render succeeded: now what earlier builds wrote and this plan no longer has goes.
    for path, entry in sorted(entries.items()):
        if entry["target"] in reports and path not in planned_paths:
            where = inside(out_dir, path)
            if where is not None and _file_hash(where) == entry["bytes"]:
                where.unlink()
                reports[entry["target"]].removed.append(path)
            del entries[path]
    text = _record_text(entries)
    try:
        unchanged = (out_dir / CACHE_FILE).read_bytes() == text
    except OSError:
        unchanged = False
    if not unchanged:  # a rebuild that changed nothing writes nothing
        write_atomic(out_dir / CACHE_FILE, text)
    for report in reports.values():
        report.written.sort()
        if on_target_done:
            on_target_done(report)
    return list(reports.values())
