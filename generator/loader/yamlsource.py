"""YAML that remembers where each value came from.

PyYAML's composer gives every node a start mark; we keep those marks next to the
plain Python values so that every later check can name the file, line and column.
Duplicate keys are an error here (PyYAML silently keeps the last one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..model import SourceLoc

# PyYAML, imported by the first ``load_yaml``: a rebuild answered from the model cache reads
# no YAML and doesn't pay for the import.
if TYPE_CHECKING:
    import yaml
else:
    yaml = None
# libyaml's parser when PyYAML was built with it: the same nodes and marks, many times faster.
_LOADER: type[yaml.SafeLoader] | None = None


def _import_yaml() -> None:
    global yaml, _LOADER
    if yaml is None:
        import yaml as module

        yaml, _LOADER = module, getattr(module, "CSafeLoader", module.SafeLoader)


class YMap(dict):
    """A YAML mapping; ``loc`` is where it starts, ``key_locs``/``value_locs`` per key."""

    loc: SourceLoc
    key_locs: dict
    value_locs: dict

    def loc_of(self, key: str) -> SourceLoc:
        return self.value_locs.get(key, self.loc)

    def key_loc(self, key: str) -> SourceLoc:
        return self.key_locs.get(key, self.loc)


class YList(list):
    """A YAML sequence; ``loc`` is where it starts, ``item_locs`` per item."""

    loc: SourceLoc
    item_locs: list

    def loc_of(self, index: int) -> SourceLoc:
        return self.item_locs[index] if index < len(self.item_locs) else self.loc


def _loc(path: str, mark, line_offset: int) -> SourceLoc:
    return SourceLoc(path, mark.line + 1 + line_offset, mark.column + 1)


class _Converter:
    def __init__(self, path: str, line_offset: int) -> None:
        self.path = path
        self.line_offset = line_offset
        self.diagnostics: list[Diagnostic] = []
        from yaml.constructor import SafeConstructor

        self._scalars = SafeConstructor()

    def convert(self, node):
        loc = _loc(self.path, node.start_mark, self.line_offset)
        if isinstance(node, yaml.MappingNode):
            result = YMap()
            result.loc, result.key_locs, result.value_locs = loc, {}, {}
            for key_node, value_node in node.value:
                key_loc = _loc(self.path, key_node.start_mark, self.line_offset)
                if not isinstance(key_node, yaml.ScalarNode):
                    self.diagnostics.append(Diagnostic(key_loc, "error", "a key must be a plain word, not a list or mapping"))
                    continue
                key = str(key_node.value)
                if key in result:
                    first = result.key_locs[key]
                    self.diagnostics.append(Diagnostic(
                        key_loc, "error", f"duplicate key '{key}' (first defined at line {first.line})"))
                    continue
                result[key] = self.convert(value_node)
                result.key_locs[key] = key_loc
                result.value_locs[key] = _loc(self.path, value_node.start_mark, self.line_offset)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = YList()
            items.loc, items.item_locs = loc, []
            for item in node.value:
                items.append(self.convert(item))
                items.item_locs.append(_loc(self.path, item.start_mark, self.line_offset))
            return items
        try:
            return self._scalars.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.diagnostics.append(Diagnostic(loc, "error", f"invalid value: {getattr(exc, 'problem', exc)}"))
            return None


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[object, list[Diagnostic]]:
    """Parse one YAML document. Returns (value or None, diagnostics).

    ``line_offset`` shifts reported lines, for YAML front matter inside a Markdown file.
    """
    _import_yaml()
    assert _LOADER is not None
    try:
        try:
            node = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError:
            # Errors are rare: ask the pure-Python parser again for its clearer message.
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = _loc(path, mark, line_offset) if mark else SourceLoc(path, 1 + line_offset, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "\t" in problem or "'\\t'" in problem:
            problem = "a tab character cannot be used for indentation in YAML; use spaces"
        return None, [Diagnostic(loc, "error", f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(SourceLoc(path, 1 + line_offset, 1), "error", f"YAML error: {exc}")]
    if node is None:
        return None, []
    converter = _Converter(path, line_offset)
    value = converter.convert(node)
    return value, converter.diagnostics
