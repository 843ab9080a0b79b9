"""Plain data as JSON and back, for the caches between builds: never code.

Only the classes a reader names can come back out — by default the model's own dataclasses
and ``Diagnostic`` (the loader's cache) — built with their generated ``__init__`` (a plain
class: its attributes set on a new instance, no method run), from tuples, lists, sets, dicts,
strings, numbers and bytes; any other shape is an error (``ValueError``), which costs the
reader the work again.
"""

from __future__ import annotations

import base64
import dataclasses
from functools import cache, lru_cache
from typing import Any

from . import diagnostics, model


@lru_cache(maxsize=1)
def _classes() -> dict[str, type]:
    found = {
        cls.__name__: cls
        for cls in vars(model).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
    }
    found["Diagnostic"] = diagnostics.Diagnostic
    return found


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def encode(value, classes: dict[str, type] | None = None):
    """``value`` as JSON-ready plain data (every container tagged, so it decodes as it was)."""
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is tuple:
        return {"t": [encode(v, classes) for v in value]}
    if kind is list:
        return {"l": [encode(v, classes) for v in value]}
    if kind is model.FrozenDict:
        return {"f": [[encode(k, classes), encode(v, classes)] for k, v in value.items()]}
    if kind is dict:
        return {"d": [[encode(k, classes), encode(v, classes)] for k, v in value.items()]}
    if kind is set or kind is frozenset:
        return {"S" if kind is set else "F": [encode(v, classes) for v in sorted(value, key=repr)]}
    if kind is bytes:
        return {"b": base64.b64encode(value).decode("ascii")}
    if (classes or _classes()).get(kind.__name__) is kind:
        if dataclasses.is_dataclass(kind):
            return {"c": kind.__name__, "v": [encode(getattr(value, name), classes) for name in _field_names(kind)]}
        return {"o": kind.__name__, "v": {"d": [[name, encode(v, classes)] for name, v in sorted(vars(value).items())]}}
    raise TypeError(f"not plain data: {kind.__module__}.{kind.__qualname__}")


def _decode_object(obj: dict, classes: dict[str, type] | None = None):
    """``json.loads``' object hook: the inner values are already decoded."""
    if len(obj) == 1:
        ((tag, items),) = obj.items()
        if tag == "t" and type(items) is list:
            return tuple(items)
        if tag == "l" and type(items) is list:
            return items
        if tag in ("f", "d") and type(items) is list and all(type(p) is list and len(p) == 2 for p in items):
            pairs = dict(items) if all(_hashable(k) for k, _ in items) else None
            if pairs is not None:
                return model.FrozenDict(pairs) if tag == "f" else pairs
        if tag == "b" and type(items) is str:
            return base64.b64decode(items, validate=True)
        if tag in ("S", "F") and type(items) is list and all(_hashable(v) for v in items):
            return set(items) if tag == "S" else frozenset(items)
    elif len(obj) == 2 and type(obj.get("c")) is str and type(obj.get("v")) is list:
        cls = (classes or _classes()).get(obj["c"])
        if cls is not None and dataclasses.is_dataclass(cls) and len(obj["v"]) == len(_field_names(cls)):
            return cls(*obj["v"])
    elif len(obj) == 2 and type(obj.get("o")) is str and type(obj.get("v")) is dict:
        cls = (classes or _classes()).get(obj["o"])
        if cls is not None and not dataclasses.is_dataclass(cls) and all(type(k) is str for k in obj["v"]):
            made: Any = object.__new__(cls)
            made.__dict__.update(obj["v"])
            return made
    raise ValueError("not plain data")


def _hashable(key) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def decode(text: str | bytes, classes: dict[str, type] | None = None):
    import json

    return json.loads(text, object_hook=_decode_object if classes is None else lambda obj: _decode_object(obj, classes))
