"""Typed access to a YAML mapping, against a declared schema of fields.

Each object in the source (a course, a quiz item, a card, ...) declares its fields
once: name, kind, required or not, and a description for the authoring guide.
Unknown fields, missing fields and wrong types become diagnostics, never exceptions.
"""

from __future__ import annotations

import builtins
import math
import re
from dataclasses import dataclass

from ..diagnostics import Diagnostics
from ..model import SourceLoc
from ..suggest import did_you_mean
from .yamlsource import YList, YMap, new_list, new_map

# ``\Z``, not ``$``: ``$`` also matches before a final newline ("m01\n" would pass). An id
# becomes a file name, a SCORM identifier and part of an Anki guid: ASCII, short, no separators.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
MAX_ID_LENGTH = 64
MAX_LIST_ITEMS = 1000
MAX_TEXT_CHARS = 50_000  # any one field; Markdown paragraphs have their own limit (limits.py)
MAX_TITLE_CHARS = 300  # a title or label is set on one line of a slide, a page, a deck list
TITLE_FIELDS = ("title", "subtitle", "label", "deck_name")


@dataclass(frozen=True)
class Field:
    kind: str
    required: bool = False
    doc: str = ""
    choices: tuple = ()
    default: object = None
    minimum: int | None = None
    maximum: int | None = None
    per_module: bool = False  # a target setting a module.yaml may override (targets.<name>)
    words: tuple = ()  # int settings: words accepted instead of a number ("all", "unlimited")


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
        if not isinstance(raw, YMap):
            diag.error(loc, f"{what} must be a mapping of 'key: value' lines, not {_type_name(raw)}")
            self.raw: YMap = new_map(loc)
            return
        self.raw = raw
        for key in raw:
            if key not in spec:
                hint = did_you_mean(key, spec)
                known = hint or f" (known fields: {', '.join(sorted(spec))})"
                diag.error(raw.key_loc(key), f"unknown field '{key}' in {what}{known}")
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
        if isinstance(value, (list, dict)):
            self._bad(key, "a text")
            return default
        # A number or true/false where a text is expected: the author's exact characters.
        text = value if isinstance(value, str) else self.raw.raw_text(key) or str(value)
        limit = MAX_TITLE_CHARS if key in TITLE_FIELDS else MAX_TEXT_CHARS
        if len(text) > limit:
            self.diag.error(
                self.loc_of(key), f"field '{key}' of {self.what} is {len(text):,} characters long; at most {limit:,} fit"
            )
            return default
        choices = self.spec[key].choices
        if choices and text not in choices:
            self.diag.error(
                self.loc_of(key),
                f"field '{key}' of {self.what}: expected one of {', '.join(repr(c) for c in choices)}, "
                f"not {text!r}{did_you_mean(text, choices)}",
            )
            return default
        return text

    def id(self, key: builtins.str = "id") -> builtins.str:
        value = self.str(key)
        if value and not ID_PATTERN.match(value):
            self.diag.error(
                self.loc_of(key),
                f"id {value[:80]!r} may only contain lowercase letters, digits and hyphens, "
                f"and must start with a letter or digit",
            )
        elif len(value) > MAX_ID_LENGTH:
            self.diag.error(
                self.loc_of(key),
                f"id '{value[:20]}...' is {len(value)} characters long; "
                f"at most {MAX_ID_LENGTH} fit in a file name and a SCORM identifier",
            )
        return value

    def int(self, key: builtins.str, default: int | None = None, minimum: int | None = None) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._bad(key, "a whole number")
            return default
        if minimum is not None and value < minimum:
            self.diag.error(self.loc_of(key), f"field '{key}' of {self.what} must be at least {minimum}")
            return default
        return int(value)

    def number(self, key: builtins.str, default: float | None = None) -> float | None:
        value = self.raw.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._bad(key, "a number")
            return default
        if not math.isfinite(value):
            self.diag.error(self.loc_of(key), f"field '{key}' of {self.what} must be a finite number")
            return default
        return value

    def bool(self, key: builtins.str, default: bool = False) -> bool:
        value = self.raw.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            if isinstance(value, str) and value.lower() in ("yes", "no", "ja", "nee", "on", "off", "y", "n"):
                self.diag.error(
                    self.loc_of(key),
                    f"field '{key}' of {self.what} must be true or false, not the text '{value}' (write true or false)",
                )
            else:
                self._bad(key, "true or false")
            return default
        return value

    def list(self, key: builtins.str) -> YList:
        value = self.raw.get(key)
        if value is None:
            return new_list(self.loc_of(key))
        if not isinstance(value, YList):
            self._bad(key, "a list")
            return new_list(self.loc_of(key))
        if len(value) > MAX_LIST_ITEMS:
            self.diag.error(
                self.raw.key_loc(key),
                f"field '{key}' of {self.what} has {len(value)} items; at most {MAX_LIST_ITEMS} are allowed",
            )
            return new_list(value.loc)
        return value

    def strlist(self, key: builtins.str) -> tuple[tuple[builtins.str, SourceLoc], ...]:
        """A list of texts, each with its location. A single text is accepted as a list of one."""
        value = self.raw.get(key)
        if isinstance(value, (str, int, float)):
            text = value if isinstance(value, str) else self.raw.raw_text(key) or str(value)
            return ((text, self.loc_of(key)),)
        items = self.list(key)
        result = []
        for index, item in enumerate(items):
            if item is None or isinstance(item, (list, dict)):
                self.diag.error(
                    items.loc_of(index), f"item {index + 1} of '{key}' in {self.what} must be a text, not {_type_name(item)}"
                )
                continue
            text = item if isinstance(item, str) else items.raw_text(index) or str(item)
            result.append((text, items.loc_of(index)))
        return tuple(result)

    def map(self, key: builtins.str) -> YMap | None:
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
            f.diag.error(
                f.loc_of(key),
                f"{f.what}.{key} must be a whole number or {' or '.join(repr(w) for w in field.words)}, not {f.raw.get(key)!r}",
            )
            return field.default
        value = f.int(key)
        if value is None:  # reported: not a whole number (the default may be a word: no range check)
            return field.default
        low = field.minimum if field.minimum is not None else value
        high = field.maximum if field.maximum is not None else value
        if not low <= value <= high:
            f.diag.error(f.loc_of(key), f"{f.what}.{key} must be between {field.minimum} and {field.maximum}, not {value}")
            return field.default
        return value
    if field.kind == "number":
        number = f.number(key)
        return field.default if number is None else number
    if field.kind == "bool":
        return f.bool(key, bool(field.default))
    if field.kind == "strlist":
        values = []
        for text, loc in f.strlist(key):
            if field.choices and text not in field.choices:
                f.diag.error(loc, f"{f.what}.{key}: expected one of {', '.join(repr(c) for c in field.choices)}, not {text!r}")
                continue
            values.append(text)
        return tuple(values) if values else field.default
    return f.str(key, field.default if isinstance(field.default, str) else "")
