"""Typed access to a YAML mapping, against a declared schema of fields.

Each object in the source (a course, a quiz item, a card, ...) declares its fields
once: name, kind, required or not, and a description for the authoring guide.
Unknown fields, missing fields and wrong types become diagnostics, never exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Diagnostics
from ..model import SourceLoc
from .yamlsource import YList, YMap

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_LIST_ITEMS = 1000



@dataclass(frozen=True)
class Field:
    kind: str
    required: bool = False
    doc: str = ""
    choices: tuple = ()
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    per_module: bool = False   # a target setting a module.yaml may override (targets.<name>)
    words: tuple = ()          # int settings: words accepted instead of a number ("all", "unlimited")


def _type_name(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Fields:
    """A checked view of one YAML mapping. Reading a field with the wrong type reports it once."""

    def __init__(self, raw: object, spec: dict[str, Field], what: str, diag: Diagnostics, loc: SourceLoc):
        self.what = what
        self.diag = diag
        self.ok = isinstance(raw, YMap)
        if not self.ok:
            diag.error(loc, f"{what} must be a mapping of 'key: value' lines, not {_type_name(raw)}")
            self.raw: YMap = YMap()
            self.raw.loc, self.raw.key_locs, self.raw.value_locs = loc, {}, {}
            return
        self.raw = raw
        for key in raw:
            if key not in spec:
                known = ", ".join(sorted(spec))
                diag.error(raw.key_loc(key), f"unknown field '{key}' in {what} (known fields: {known})")
        for key, field in spec.items():
            if field.required and (key not in raw or raw[key] is None or raw[key] == ""):
                diag.error(raw.loc, f"{what} is missing the required field '{key}'")
        self.spec = spec

    @property
    def loc(self) -> SourceLoc:
        return self.raw.loc

    def loc_of(self, key: str) -> SourceLoc:
        return self.raw.loc_of(key)

    def has(self, key: str) -> bool:
        return self.raw.get(key) is not None

    def _bad(self, key: str, expected: str) -> None:
        self.diag.error(self.loc_of(key), f"field '{key}' of {self.what} must be {expected}, not {_type_name(self.raw.get(key))}")

    def str(self, key: str, default: str = "") -> str:
        value = self.raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            self._bad(key, "a text")
            return default
        text = str(value)
        choices = self.spec[key].choices
        if choices and text not in choices:
            self.diag.error(self.loc_of(key), f"field '{key}' of {self.what}: expected one of {', '.join(repr(c) for c in choices)}, not {text!r}")
            return default
        return text

    def id(self, key: str = "id") -> str:
        value = self.str(key)
        if value and not ID_PATTERN.match(value):
            self.diag.error(self.loc_of(key), f"id '{value}' may only contain lowercase letters, digits and hyphens, and must start with a letter or digit")
        return value

    def int(self, key: str, default: int | None = None, minimum: int | None = None) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._bad(key, "a whole number")
            return default
        if minimum is not None and value < minimum:
            self.diag.error(self.loc_of(key), f"field '{key}' of {self.what} must be at least {minimum}")
            return default
        return value

    def number(self, key: str, default: float | None = None) -> float | None:
        value = self.raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._bad(key, "a number")
            return default
        return value

    def bool(self, key: str, default: bool = False) -> bool:
        value = self.raw.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self._bad(key, "true or false")
            return default
        return value

    def list(self, key: str) -> YList:
        value = self.raw.get(key)
        if value is None:
            empty = YList()
            empty.loc, empty.item_locs = self.loc_of(key), []
            return empty
        if not isinstance(value, YList):
            self._bad(key, "a list")
            empty = YList()
            empty.loc, empty.item_locs = self.loc_of(key), []
            return empty
        if len(value) > MAX_LIST_ITEMS:
            self.diag.error(self.raw.key_loc(key), f"field '{key}' of {self.what} has {len(value)} items; at most {MAX_LIST_ITEMS} are allowed")
            empty = YList()
            empty.loc, empty.item_locs = value.loc, []
            return empty
        return value

    def strlist(self, key: str) -> tuple[tuple[str, SourceLoc], ...]:
        """A list of texts, each with its location. A single text is accepted as a list of one."""
        value = self.raw.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return ((str(value), self.loc_of(key)),)
        items = self.list(key)
        result = []
        for index, item in enumerate(items):
            if item is None or isinstance(item, (bool, list, dict)):
                self.diag.error(items.loc_of(index), f"item {index + 1} of '{key}' in {self.what} must be a text, not {_type_name(item)}")
                continue
            result.append((str(item), items.loc_of(index)))
        return tuple(result)

    def map(self, key: str) -> YMap | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, YMap):
            self._bad(key, "a mapping")
            return None
        return value


def read_setting(f: Fields, key: str, field: Field) -> object:
    """A target setting's value from ``f``, checked against its ``field`` (kind, choices, range)."""
    if field.kind == "int":
        if field.words and f.raw.get(key) in field.words:
            return f.raw.get(key)
        if field.words and isinstance(f.raw.get(key), str):
            f.diag.error(f.loc_of(key), f"{f.what}.{key} must be a whole number or {' or '.join(repr(w) for w in field.words)}, not {f.raw.get(key)!r}")
            return field.default
        value = f.int(key, field.default)
        low = field.minimum if field.minimum is not None else value
        high = field.maximum if field.maximum is not None else value
        if value is not None and not low <= value <= high:
            f.diag.error(f.loc_of(key), f"{f.what}.{key} must be between {field.minimum} and {field.maximum}, not {value}")
            return field.default
        return value
    if field.kind == "number":
        return f.number(key, field.default)
    if field.kind == "bool":
        return f.bool(key, field.default)
    if field.kind == "strlist":
        values = []
        for text, loc in f.strlist(key):
            if field.choices and text not in field.choices:
                f.diag.error(loc, f"{f.what}.{key}: expected one of {', '.join(repr(c) for c in field.choices)}, not {text!r}")
                continue
            values.append(text)
        return tuple(values) if values else field.default
    return f.str(key, field.default)
