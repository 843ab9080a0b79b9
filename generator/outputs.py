"""What a target produces, and how files are written: atomically and byte-for-byte repeatable."""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# 1980-01-01, the earliest time a zip entry can hold; SOURCE_DATE_EPOCH overrides it.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class TargetError(Exception):
    """A problem the user fixes outside the course text (e.g. a damaged state file); printed, no traceback."""


@dataclass(frozen=True)
class Output:
    """One output file of a target.

    ``path`` is relative to the output folder and starts with the target's name
    (``slides/m01.pptx``). ``render`` makes the bytes (or ``(bytes, counts)`` for counts known
    only once rendered, like a deck's slides); it is a ``functools.partial`` of a module-level
    function whose arguments are all it reads of the course: the build derives the output's
    key from them (``generator.fingerprint``), and renders only when the key changed.
    ``refresh``, for a render that changes one of its own inputs (the anki state file),
    returns the render as the next build will plan it, so that build finds it unchanged.
    """

    path: str
    render: Callable[[], bytes | tuple[bytes, Mapping[str, int]]]
    counts: Mapping[str, int] = field(default_factory=dict)
    refresh: Callable[[], Callable[[], bytes]] | None = None

    @property
    def fingerprint(self) -> str:
        """The hex digest of everything the render receives (see ``generator.fingerprint``)."""
        from .fingerprint import digest

        return digest(self.render).hex()


@dataclass(frozen=True)
class BuildContext:
    """Where a build reads and writes. ``source_dir`` is for state files a target keeps
    beside the source (the Anki note-time lock file); ``templates_dir`` is ``templates/``.
    ``use_cache`` is False for ``coursegen build --clean``: a target that caches work under
    ``out_dir/.coursegen-cache/<target>/`` must not reuse anything an earlier build left there."""

    source_dir: Path
    out_dir: Path
    templates_dir: Path
    use_cache: bool = True
    environment: str = ""  # generator.fingerprint.environment_digest(templates_dir), when the build knows it


def cache_folder(out_dir: Path, target: str) -> Path | None:
    """``OUT/.coursegen-cache/<target>/``, made if missing, for a target's work between builds;
    None (no cache) when anything on the way is not a plain folder (a symbolic link could lead
    the cache's clean-up out of the output folder)."""
    import stat

    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    for part in (".coursegen-cache", target):
        folder = folder / part
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                return None
        except FileNotFoundError:
            try:
                folder.mkdir()
            except OSError:
                return None
        except OSError:
            return None
    return folder


def build_timestamp() -> int:
    """The one timestamp a build may write: SOURCE_DATE_EPOCH, or a fixed date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else 315532800  # 1980-01-01T00:00:00Z


def zip_date_time() -> tuple[int, int, int, int, int, int]:
    stamp = build_timestamp()
    if stamp <= 315532800:
        return _ZIP_EPOCH
    return time.gmtime(stamp)[:6]


ZIP_LEVEL = 6


def deflate(data: bytes) -> bytes:
    """``data`` deflated exactly as ``zip_bytes`` deflates a member, for callers that keep
    members compressed between builds."""
    compressor = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class _Deflated:
    """Stands in for zipfile's compressor of one member whose deflated bytes are known."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def compress(self, _raw: bytes) -> bytes:
        data, self.data = self.data, b""
        return data

    def flush(self) -> bytes:
        return b""


def zip_bytes(entries: Mapping[str, bytes], first: tuple[str, ...] = (), deflated: Mapping[str, bytes] | None = None) -> bytes:
    """A zip of ``entries`` with fixed times, fixed permissions and sorted names.

    Names in ``first`` come first, in that order (e.g. ``mimetype`` or a manifest). Members in
    ``deflated`` (their ``deflate``d bytes) are not compressed again: the same zip, sooner."""
    from .xmlcheck import NotWellFormed, check_well_formed, is_xml_part

    for name, data in entries.items():
        if is_xml_part(name):
            try:
                check_well_formed(name, data)
            except NotWellFormed as error:
                raise TargetError(f"internal error: {error}; nothing was written (please report this)") from None
    buffer = io.BytesIO()
    names = [n for n in first if n in entries] + sorted(n for n in entries if n not in first)
    date_time = zip_date_time()
    deflated = deflated or {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            data = entries[name]
            if name not in deflated:
                archive.writestr(info, data, compresslevel=ZIP_LEVEL)
                continue
            # What writestr does, with the member's compressor replaced by its known bytes
            # (zipfile still computes the CRC and sizes from ``data``; a test holds the result
            # to the plain path, byte for byte).
            info._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]  # zipfile's private field, as writestr sets it
            info.file_size = len(data)
            with archive.open(info, mode="w") as member:
                if getattr(member, "_compressor", None) is not None:
                    member._compressor = _Deflated(deflated[name])  # type: ignore[attr-defined]  # _ZipWriteFile's, see above
                member.write(data)
    return buffer.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip made by a library (python-pptx, for the default slide master) with fixed times and order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        entries = {name: archive.read(name) for name in names}
    return zip_bytes(entries, first=tuple(names[:1]))


# The start of every temporary file a build writes; a build removes leftovers with it only.
TEMP_PREFIX = ".coursegen-tmp-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=f"-{path.name}"[:60], dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
