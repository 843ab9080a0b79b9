"""Running targets: plan outputs, skip what the cache says is unchanged, write the rest atomically.

The cache (``OUT/.coursegen-cache.json``) records, per output file, a hash of everything
the file depends on and a hash of the bytes written. An output is rebuilt when its
inputs changed, when the file on disk is not the one we wrote, or with ``clean``.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .model import Course
from .outputs import BuildContext, Output, write_atomic
from .paths import TEMPLATES_DIR
from .registry import TARGETS, target_module

CACHE_VERSION = 2
CACHE_FILE = ".coursegen-cache.json"


@dataclass
class TargetReport:
    name: str
    written: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _hash_tree(folder: Path) -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _code_hash(name: str) -> str:
    """Hash of the target's own code, so a changed builder rebuilds its outputs."""
    module = target_module(name)
    assert module.__file__ is not None  # a target is a module or package on disk
    digest = hashlib.sha256()
    origin = Path(module.__file__)
    files = sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(output: Output, target_salt: str, memo: dict) -> str:
    """``fingerprint`` may be a callable, for outputs whose render changes an input (the
    anki state file): it is asked before render to compare, and after render to record.

    Parts of a fingerprint that several outputs share (the modules, in both SCORM packages)
    are written out once per build: ``memo`` keeps their text by identity."""
    value = output.fingerprint() if callable(output.fingerprint) else output.fingerprint
    digest = hashlib.sha256(target_salt.encode())
    _feed(digest, value, memo)
    return digest.hexdigest()


def _feed(digest, value, memo: dict) -> None:
    if type(value) is tuple:
        digest.update(b"(")
        for item in value:
            _feed(digest, item, memo)
            digest.update(b",")
        digest.update(b")")
        return
    known = memo.get(id(value))
    if known is None or known[0] is not value:
        known = memo[id(value)] = (value, repr(value).encode())  # holding the value keeps its id unique
    digest.update(known[1])


def _load_cache(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / CACHE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {"version": CACHE_VERSION, "outputs": {}}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {"version": CACHE_VERSION, "outputs": {}}
    return data


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files of a build that was killed half-way (see ``write_atomic``)."""
    for leftover in out_dir.rglob(".*.tmp"):
        leftover.unlink(missing_ok=True)


# Outputs waiting to be rendered; forked workers inherit this list (closures don't pickle).
_PENDING: list[Output] = []


def _render_pending(index: int) -> tuple[bytes, dict, float]:
    start = time.perf_counter()
    result = _PENDING[index].render()
    data, counts = result if isinstance(result, tuple) else (result, {})
    return data, dict(counts), time.perf_counter() - start


def _die_with_parent(parent: int) -> None:
    """Worker start-up: a build killed with SIGKILL takes its workers with it (Linux), and a
    worker whose parent is already gone stops at once."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


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

    if jobs <= 1 or len(indices) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index in indices:
            yield (index, *_render_pending(index))
        return
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(indices)), mp_context=context,
                                                initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(_render_pending, index): index for index in indices}
        for future in concurrent.futures.as_completed(futures):
            yield (futures[future], *future.result())


def build_course(course: Course, source_dir: Path, out_dir: Path, targets: list[str] | None = None, clean: bool = False,
                 on_target_done=None, jobs: int | None = None) -> list[TargetReport]:
    """Build ``targets`` (default: all registered) of ``course`` into ``out_dir``.

    Every target plans first; the outputs that changed are then rendered, on ``jobs``
    processes (default: one per core), and each is written atomically as it is ready."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    cache: dict = {"version": CACHE_VERSION, "outputs": {}} if clean else _load_cache(out_dir)
    entries: dict = cache["outputs"]
    context = BuildContext(Path(source_dir), Path(out_dir), TEMPLATES_DIR, use_cache=not clean)
    reports: dict[str, TargetReport] = {}
    pending: list[tuple[str, str, Output, str]] = []  # (target, salt, output, fingerprint)
    memo: dict = {}
    for name in targets or list(TARGETS):
        start = time.perf_counter()
        report = reports[name] = TargetReport(name)
        module = target_module(name)
        salt = f"{CACHE_VERSION}:{name}:{_code_hash(name)}:{_hash_tree(TEMPLATES_DIR / name)}"
        # Targets report what they can't do as they wish (a layout missing from an
        # institute's template) with warnings.warn; they reach the user as diagnostics.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            planned = module.plan(course, context)
        report.warnings = sorted({str(w.message) for w in caught if issubclass(w.category, UserWarning)})
        planned_paths = {output.path for output in planned}
        for output in planned:
            key = _fingerprint(output, salt, memo)
            previous = entries.get(output.path)
            for count_name, count in output.counts.items():
                report.counts[count_name] = report.counts.get(count_name, 0) + count
            if previous and previous.get("inputs") == key and previous.get("bytes") == _file_hash(out_dir / output.path):
                report.cached.append(output.path)
                for count_name, count in previous.get("counts", {}).items():
                    report.counts[count_name] = report.counts.get(count_name, 0) + count
            else:
                pending.append((name, salt, output, key))
        for path, entry in sorted(entries.items()):
            if entry.get("target") == name and path not in planned_paths:
                (out_dir / path).unlink(missing_ok=True)
                del entries[path]
                report.removed.append(path)
        report.seconds += time.perf_counter() - start

    _PENDING[:] = [output for _, _, output, _ in pending]
    # The longest renders start first (as the last build timed them; unknown ones count as
    # long), so that no core is left with one big deck at the end.
    timings = (_load_cache(out_dir) if clean else cache)["outputs"]
    order = sorted(range(len(pending)), key=lambda i: -timings.get(pending[i][2].path, {}).get("seconds", float("inf")))
    try:
        with _few_collections():
            for index, data, counts, seconds in _render_all(order, jobs or os.cpu_count() or 1):
                name, salt, output, key = pending[index]
                for count_name, count in counts.items():
                    reports[name].counts[count_name] = reports[name].counts.get(count_name, 0) + count
                if callable(output.fingerprint):
                    key = _fingerprint(output, salt, memo)
                write_atomic(out_dir / output.path, data)
                entries[output.path] = {"target": name, "inputs": key, "bytes": hashlib.sha256(data).hexdigest(),
                                        "seconds": round(seconds, 3)}
                if counts:
                    entries[output.path]["counts"] = counts
                reports[name].written.append(output.path)
                reports[name].seconds += seconds
                # Saved after every file: a build killed half-way keeps what it finished.
                write_atomic(out_dir / CACHE_FILE, json.dumps(cache, indent=1, sort_keys=True).encode())
    finally:
        _PENDING.clear()
    text = json.dumps(cache, indent=1, sort_keys=True).encode()
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
