"""What an output depends on, derived rather than chosen.

An output's key is the hash of two things:

- ``environment_digest``: what every render may read besides the course: the whole
  ``generator`` package (code and data), the templates folder, the installed files of every
  library the package imports (found by reading its imports), the Python version and
  ``SOURCE_DATE_EPOCH``;
- ``digest(render)``: the render itself — a ``functools.partial`` — fully serialised: its
  function's name and every argument, model parts included, field by field.

A render receives only the model parts it uses; a field added to the model, or an argument
added to a render, is in the key without anyone listing it. A value this module cannot
serialise exactly is an error, never a guess.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import importlib.util
import os
import re
import sys
from functools import lru_cache, partial
from pathlib import Path, PurePath

FORMAT = 1
PACKAGE = Path(__file__).resolve().parent
_IMPORT = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.MULTILINE)


def _tree(digest, folder: Path, label: str) -> None:
    if not folder.is_dir():
        digest.update(f"{label} missing\n".encode())
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{label} {path.relative_to(folder).as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def _libraries() -> list[str]:
    """The third-party modules the package imports, read from its source."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        names.update(_IMPORT.findall(path.read_text("utf-8")))
    return (
        sorted(
            n for n in names if n not in sys.stdlib_module_names and n != "generator" and importlib.util.find_spec(n) is not None
        )
        if names
        else []
    )


@lru_cache(maxsize=1)
def _library_stamps() -> tuple:
    """Per imported library, where it is installed and its file's size and time: an upgrade
    changes them. (Once per process: a running build keeps the libraries it imported.)"""
    stamps: list[tuple] = []
    for name in _libraries():
        try:
            spec = importlib.util.find_spec(name)
            origin = (spec.origin if spec is not None else None) or ""
            stat = os.stat(origin)
            stamps.append((name, origin, stat.st_size, stat.st_mtime_ns))
        except (ImportError, ValueError, OSError, AttributeError):
            stamps.append((name, "missing"))
    return tuple(stamps)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The whole ``generator`` package (code and data), the libraries it imports, Python. Once
    per process: a running process keeps the code it imported (``coursegen watch``)."""
    digest = hashlib.sha256(f"coursegen code {FORMAT}\n{sys.version}\n".encode())
    _tree(digest, PACKAGE, "code")
    digest.update(repr(_library_stamps()).encode())
    return digest.hexdigest()


def environment_digest(templates_dir: Path) -> str:
    """What every render may read besides its arguments: the code, the templates folder and
    the one timestamp a build may write."""
    from .outputs import build_timestamp

    digest = hashlib.sha256(f"coursegen outputs {FORMAT}\n{code_digest()}\n{build_timestamp()}\n".encode())
    _tree(digest, Path(templates_dir), "template")
    return digest.hexdigest()


class Unserialisable(TypeError):
    """A render argument whose value cannot be written out exactly."""


# Shared by the keys of one build (``build_course`` clears it before and after): the model
# parts several outputs receive are written out once. It holds the objects, so ids stay unique.
MEMO: dict[int, tuple[object, bytes]] = {}


def digest(value: object, memo: dict | None = None) -> bytes:
    """The SHA-256 of ``value`` written out in full."""
    return hashlib.sha256(_write(value, MEMO if memo is None else memo)).digest()


_DATACLASSES: dict[type, tuple[bytes, tuple[str, ...]]] = {}


def _name(kind) -> bytes:
    return f"{kind.__module__}.{kind.__qualname__}".encode()


def _write(value, memo: dict) -> bytes:
    """``value`` written out: scalars and containers inline, each dataclass as the hash of
    its type and fields (once per object, through ``memo``)."""
    kind = type(value)
    if kind is str:
        data = value.encode("utf-8", "surrogatepass")
        return b"s%d:" % len(data) + data
    if kind is tuple or kind is list:
        return (b"t(" if kind is tuple else b"l(") + b"".join([_write(item, memo) for item in value]) + b")"
    if kind is int or kind is bool or kind is float or value is None:
        text = repr(value).encode()
        return kind.__name__[0].encode() + b"%d:" % len(text) + text
    shape = _DATACLASSES.get(kind)
    if shape is not None or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        known = memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if shape is None:
            shape = _DATACLASSES[kind] = (_name(kind), tuple(f.name for f in dataclasses.fields(kind)))
        body = b"".join([_write(getattr(value, field), memo) for field in shape[1]])
        result = b"D" + hashlib.sha256(shape[0] + b"(" + body + b")").digest()
        memo[id(value)] = (value, result)
        return result
    if kind is bytes:
        return b"y" + hashlib.sha256(value).digest()
    if isinstance(value, dict):  # dicts keep their order: a render iterates them in it
        return _name(kind) + b"{" + b"".join([_write(k, memo) + _write(v, memo) for k, v in value.items()]) + b"}"
    if isinstance(value, (set, frozenset)):
        return _name(kind) + b"{" + b"".join(sorted(_write(item, memo) for item in value)) + b"}"
    if isinstance(value, partial):
        return (
            b"partial("
            + _write(value.func, memo)
            + _write(value.args, memo)
            + _write(dict(sorted(value.keywords.items())), memo)
            + b")"
        )
    if isinstance(value, PurePath):
        return b"p" + _write(str(value), memo)
    if isinstance(value, enum.Enum):
        return _name(kind) + b"." + value.name.encode()
    if callable(value) and hasattr(value, "__qualname__") and "<" not in value.__qualname__:
        return b"f" + _write(f"{value.__module__}.{value.__qualname__}", memo)  # its code is in code_digest
    raise Unserialisable(f"cannot fingerprint a {kind.__module__}.{kind.__qualname__}: pass plain data to a render")
