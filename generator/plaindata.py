"""The course model as JSON and back, for the loader's cache: plain data, never code.

Only the model's own frozen dataclasses (and ``Diagnostic``) can come back out, built with
their generated ``__init__``, from tuples, lists, dicts, strings, numbers and bytes; any
other shape is an error (``ValueError``), which costs the reader a fresh load.
"""

from __future__ import annotations

import base64
import dataclasses
from functools import cache, lru_cache

from . import diagnostics, model


@lru_cache(maxsize=1)
def _classes() -> dict[str, type]:
    found = {cls.__name__: cls for cls in vars(model).values()
             if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__}
    found["Diagnostic"] = diagnostics.Diagnostic
    return found


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def encode(value):
    """``value`` as JSON-ready plain data (every container tagged, so it decodes as it was)."""
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is tuple:
        return {"t": [encode(v) for v in value]}
    if kind is list:
        return {"l": [encode(v) for v in value]}
    if kind is model.FrozenDict:
        return {"f": [[encode(k), encode(v)] for k, v in value.items()]}
    if kind is dict:
        return {"d": [[encode(k), encode(v)] for k, v in value.items()]}
    if kind is bytes:
        return {"b": base64.b64encode(value).decode("ascii")}
    if _classes().get(kind.__name__) is kind:
        return {"c": kind.__name__, "v": [encode(getattr(value, name)) for name in _field_names(kind)]}
    raise TypeError(f"not plain model data: {kind.__module__}.{kind.__qualname__}")


def _decode_object(obj: dict):
    """``json.loads``' object hook: the inner values are already decoded."""
    if len(obj) == 1:
        (tag, items), = obj.items()
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
    elif len(obj) == 2 and type(obj.get("c")) is str and type(obj.get("v")) is list:
        cls = _classes().get(obj["c"])
        if cls is not None and len(obj["v"]) == len(_field_names(cls)):
            return cls(*obj["v"])
    raise ValueError("not plain model data")


def _hashable(key) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def decode(text: str | bytes):
    import json

    return json.loads(text, object_hook=_decode_object)
