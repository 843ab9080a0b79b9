"""YAML that remembers where each value came from, read as the author wrote it.

The values are built straight from the parser's events (no PyYAML composer or
constructor), so that:

- scalars follow the YAML 1.2 core schema: no sexagesimal numbers (``1:30`` stays text),
  no timestamps, no ``yes``/``no``/``on``/``off`` booleans, and no tags other than
  ``!!str`` (``!!binary``, ``!!python/...`` are errors);
- a plain scalar read as a number or true/false also keeps its exact characters
  (``raw_texts``), so a field that expects text gets ``1.10``, not ``1.1``;
- duplicate keys are an error (PyYAML silently keeps the last one);
- nesting depth and alias expansion are limited, and a self-referencing alias is an
  error, so no input can exhaust the stack, the time or the memory;
- a block scalar (``key: |``) is located at its first line of text, not at the ``|``.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostic
from ..model import SourceLoc
from .files import FORBIDDEN_CHARACTERS

# What a double-quoted escape ("\x07", "\ud800", "\L") can put in a text that the file itself
# may not hold: control characters, line separators, lone surrogates (no output can encode them).
_FORBIDDEN_ESCAPED = re.compile(f"[\\x00{FORBIDDEN_CHARACTERS.pattern[1:-1]}\ud800-\udfff]")

# PyYAML, imported by the first ``load_yaml``: a rebuild answered from the model cache reads
# no YAML and doesn't pay for the import.
yaml: Any = None
# libyaml's parser when PyYAML was built with it: the same events and marks, many times faster.
_LOADER: Any = None

MAX_DEPTH = 50  # mappings and lists inside each other; the course needs fewer than 10
MAX_ALIAS_VALUES = 10_000  # values that aliases (*name) may repeat in one file, together
MAX_NUMBER_DIGITS = 50  # a longer run of digits is kept as text (int() of 5,000 digits raises)

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {None, "!", _STR, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


def _import_yaml() -> None:
    global yaml, _LOADER
    if yaml is None:
        import yaml as module

        yaml, _LOADER = module, getattr(module, "CSafeLoader", module.SafeLoader)


class YMap(dict):
    """A YAML mapping; ``loc`` is where it starts, ``key_locs``/``value_locs`` per key.

    ``raw_texts`` holds, per key, the exact characters of a plain scalar that was read as a
    number or true/false."""

    loc: SourceLoc
    key_locs: dict
    value_locs: dict
    raw_texts: dict

    def loc_of(self, key: str) -> SourceLoc:
        return self.value_locs.get(key, self.loc)

    def key_loc(self, key: str) -> SourceLoc:
        return self.key_locs.get(key, self.loc)

    def raw_text(self, key: str) -> str | None:
        return getattr(self, "raw_texts", {}).get(key)


class YList(list):
    """A YAML sequence; ``loc`` is where it starts, ``item_locs`` per item, ``raw_texts``
    per index as in ``YMap``."""

    loc: SourceLoc
    item_locs: list
    raw_texts: dict

    def loc_of(self, index: int) -> SourceLoc:
        return self.item_locs[index] if index < len(self.item_locs) else self.loc

    def raw_text(self, index: int) -> str | None:
        return getattr(self, "raw_texts", {}).get(index)


def new_map(loc: SourceLoc) -> YMap:
    result = YMap()
    result.loc, result.key_locs, result.value_locs, result.raw_texts = loc, {}, {}, {}
    return result


def new_list(loc: SourceLoc) -> YList:
    result = YList()
    result.loc, result.item_locs, result.raw_texts = loc, [], {}
    return result


def _loc(path: str, mark, line_offset: int) -> SourceLoc:
    return SourceLoc(path, mark.line + 1 + line_offset, mark.column + 1)


def resolve_plain(text: str) -> object:
    """A plain (unquoted) scalar under the YAML 1.2 core schema; anything else is text."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    digits = len(text)
    if _INT.match(text):
        return int(text, 10) if digits <= MAX_NUMBER_DIGITS else text
    if _OCT.match(text):
        return int(text[2:], 8) if digits <= MAX_NUMBER_DIGITS else text
    if _HEX.match(text):
        return int(text[2:], 16) if digits <= MAX_NUMBER_DIGITS else text
    if _FLOAT.match(text):
        return float(text) if digits <= MAX_NUMBER_DIGITS else text
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


class _TooMuch(Exception):
    """Reading stops: the file nests too deep or its aliases expand too far."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


class _Builder:
    """Builds ``YMap``/``YList`` values from parser events, without recursion."""

    def __init__(self, text: str, path: str, line_offset: int) -> None:
        self.lines = text.split("\n")
        self.path = path
        self.line_offset = line_offset
        self.diagnostics: list[Diagnostic] = []
        self.anchors: dict[str, tuple[object, int, str | None]] = {}
        self.alias_values = 0
        self.values = 0
        # frames: [container, anchor, values at start, pending key (key, key loc) or None]
        self.stack: list[list] = []
        self.root: object = None
        self.has_root = False

    def loc(self, mark) -> SourceLoc:
        return _loc(self.path, mark, self.line_offset)

    def _block_loc(self, mark) -> SourceLoc:
        """Where the text of a block scalar (``|`` or ``>``) begins: the line after the indicator."""
        for index in range(mark.line + 1, len(self.lines)):
            line = self.lines[index]
            if line.strip():
                indent = len(line) - len(line.lstrip(" "))
                return SourceLoc(self.path, mark.line + 2 + self.line_offset, indent + 1)
        return self.loc(mark)

    def _tag_ok(self, event) -> bool:
        if event.tag in _ALLOWED_TAGS:
            return True
        tag = event.tag.replace("tag:yaml.org,2002:", "!!")
        self.diagnostics.append(
            Diagnostic(self.loc(event.start_mark), "error", f"YAML tag '{tag}' is not allowed; write the value as plain text")
        )
        return False

    def scalar(self, event) -> None:
        raw = None
        if not self._tag_ok(event):
            value = event.value  # reported; read on as the text it is, so nothing else follows from it
        elif event.style in ("|", ">"):
            value = event.value
        elif not event.style and event.tag in (None, "!") and event.implicit[0]:
            value = resolve_plain(event.value)
            if not isinstance(value, str) and value is not None:
                raw = event.value
        else:
            value = event.value
        loc = self._block_loc(event.start_mark) if event.style in ("|", ">") else self.loc(event.start_mark)
        forbidden = _FORBIDDEN_ESCAPED.search(value) if isinstance(value, str) else None
        if forbidden:
            char = forbidden.group()
            self.diagnostics.append(
                Diagnostic(
                    loc,
                    "error",
                    f"the escape for U+{ord(char):04X} puts a character in this text "
                    f"that no slide, page or card can hold; remove it",
                )
            )
            value = _FORBIDDEN_ESCAPED.sub(" ", value)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, raw)
        self.add(event, value, loc, raw, value if isinstance(value, str) else event.value)

    def add(self, event, value, loc: SourceLoc, raw: str | None, key_text: str | None) -> None:
        self.values += 1
        if not self.stack:
            self.root, self.has_root = value, True
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, YList):
            if raw is not None:
                container.raw_texts[len(container)] = raw
            container.append(value)
            container.item_locs.append(loc)
            return
        pending = frame[3]
        if pending is None:  # this value is a key
            if key_text is None:
                self.diagnostics.append(Diagnostic(loc, "error", "a key must be a plain word, not a list or mapping"))
                frame[3] = (None, loc)
            else:
                frame[3] = (key_text, loc)
            return
        frame[3] = None
        key, key_loc = pending
        if key is None:
            return
        if key in container:
            first = container.key_locs[key]
            self.diagnostics.append(Diagnostic(key_loc, "error", f"duplicate key '{key}' (first defined at line {first.line})"))
            return
        container[key] = value
        container.key_locs[key] = key_loc
        container.value_locs[key] = loc
        if raw is not None:
            container.raw_texts[key] = raw

    def open(self, event, container) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _TooMuch(Diagnostic(self.loc(event.start_mark), "error", f"YAML is nested more than {MAX_DEPTH} levels deep"))
        self._tag_ok(event)
        self.stack.append([container, event.anchor, self.values, None])

    def close(self, event) -> None:
        container, anchor, start, pending = self.stack.pop()
        if pending is not None and isinstance(container, YMap):  # libyaml always pairs keys; be safe
            self.diagnostics.append(Diagnostic(pending[1], "error", f"key '{pending[0]}' has no value"))
        if anchor is not None:
            self.anchors[anchor] = (container, self.values - start + 1, None)
        self.add(event, container, container.loc, None, None)

    def alias(self, event) -> None:
        loc = self.loc(event.start_mark)
        if event.anchor not in self.anchors:
            raise _TooMuch(
                Diagnostic(
                    loc,
                    "error",
                    f"alias '*{event.anchor}' refers to no finished anchor "
                    f"'&{event.anchor}' above it (an alias cannot refer to itself)",
                )
            )
        value, size, raw = self.anchors[event.anchor]
        self.alias_values += size
        self.values += size - 1  # ``add`` counts one: an anchor holding this alias holds all it repeats
        if self.alias_values > MAX_ALIAS_VALUES:
            raise _TooMuch(
                Diagnostic(loc, "error", f"aliases in this file repeat more than {MAX_ALIAS_VALUES} values; write the values out")
            )
        key_text = raw if raw is not None else value if isinstance(value, str) else None
        self.add(event, value, loc, raw, key_text)

    def run(self, events) -> None:
        documents = 0
        for event in events:
            if isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, yaml.MappingStartEvent):
                self.open(event, new_map(self.loc(event.start_mark)))
            elif isinstance(event, yaml.SequenceStartEvent):
                self.open(event, new_list(self.loc(event.start_mark)))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.close(event)
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _TooMuch(
                        Diagnostic(
                            self.loc(event.start_mark),
                            "error",
                            "a second YAML document ('---') in one file; a file holds one document",
                        )
                    )


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[object, list[Diagnostic]]:
    """Parse one YAML document. Returns (value or None, diagnostics).

    ``line_offset`` shifts reported lines, for YAML front matter inside a Markdown file.
    """
    _import_yaml()
    builder = _Builder(text, path, line_offset)
    try:
        try:
            builder.run(yaml.parse(text, Loader=_LOADER))
        except yaml.YAMLError:
            if _LOADER is yaml.SafeLoader:
                raise
            # Errors are rare: ask the pure-Python parser again for its clearer message.
            builder = _Builder(text, path, line_offset)
            builder.run(yaml.parse(text, Loader=yaml.SafeLoader))
    except _TooMuch as stop:
        return None, [*builder.diagnostics, stop.diagnostic]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _loc(path, mark, line_offset) if mark else SourceLoc(path, 1 + line_offset, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "\t" in problem or "'\\t'" in problem:
            problem = "a tab character cannot be used for indentation in YAML; use spaces"
        return None, [Diagnostic(loc, "error", f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(SourceLoc(path, 1 + line_offset, 1), "error", f"YAML error: {exc}")]
    except RecursionError:
        return None, [Diagnostic(SourceLoc(path, 1 + line_offset, 1), "error", "YAML is nested too deep")]
    return builder.root, builder.diagnostics
