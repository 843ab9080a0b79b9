"""Diagrams written in the source: a fenced block with a kind and Markdown items.

    ```diagram steps
    title: Samen beslissen
    - **Informeren** De professional legt de keuze uit [@key].
      - een sub-stap
    - **Overleggen** ...
    ```

Lines ``key: value`` before the first item set the diagram's ``title`` (every kind), ``centre``
(hub) and the axis labels ``x`` and ``y`` (matrix). Each item is a list item (``-``, ``*`` or
``1.``); an item that starts with bold text has that as its label and the rest as its text,
else all of it is the label. Items indented under an item are its sub-steps (steps) or its rows
(compare, whose items are the columns). Lines indented under an item continue its text.

This module is shared by the loader (which reports the problems, ``path:line``) and every
target (which draws the ``Diagram``); it is plain data and text, no I/O, no target knowledge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INFO = re.compile(r"^diagram(?:\s+(?P<kind>\S+))?\s*$")
ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,2}[.)])\s+(?P<text>.*)$")
KEY = re.compile(r"^(?P<key>[a-z]+)\s*:\s*(?P<value>.*)$")
LABEL = re.compile(r"^\*\*(?P<label>.+?)\*\*\s*(?:[:–—-]\s*)?(?P<text>.*)$", re.DOTALL)
_MARKUP = re.compile(r"\*\*|__|[*_`]")


@dataclass(frozen=True, slots=True)
class KindRule:
    """What a kind allows: the number of items, sub-items per item, and text lengths (plain
    characters, citations included) that still fit its boxes on a slide and on a card."""

    min_items: int
    max_items: int
    max_children: int
    max_label: int
    max_text: int
    max_child: int
    keys: tuple[str, ...]
    needs: tuple[str, ...] = ()


KINDS: dict[str, KindRule] = {
    "steps": KindRule(2, 10, 4, 60, 160, 90, ("title",)),
    "cycle": KindRule(3, 8, 0, 50, 90, 0, ("title",)),
    "cards": KindRule(2, 16, 3, 60, 160, 90, ("title",)),
    "matrix": KindRule(4, 4, 0, 50, 140, 0, ("title", "x", "y"), needs=("x", "y")),
    "hub": KindRule(3, 8, 0, 50, 90, 0, ("title", "centre"), needs=("centre",)),
    "compare": KindRule(2, 3, 8, 50, 0, 110, ("title",)),
}
MAX_KEY_TEXT = {"title": 90, "centre": 40, "x": 50, "y": 50}


@dataclass(frozen=True, slots=True)
class DiagramItem:
    """One box: ``label`` and ``text`` are inline Markdown; ``children`` its sub-steps (steps)
    or its rows (compare). ``line`` is the item's line, counted from the block's first line (0)."""

    label: str
    text: str
    children: tuple[DiagramItem, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Diagram:
    kind: str
    title: str
    centre: str
    x_axis: str
    y_axis: str
    items: tuple[DiagramItem, ...]

    def reading_order(self) -> tuple[str, ...]:
        """Every text of the diagram (Markdown), in the order a reader meets it."""
        texts = [t for t in (self.title, self.y_axis, self.x_axis, self.centre) if t]
        for item in self.items:
            texts += [t for t in (item.label, item.text) if t]
            texts += [t for child in item.children for t in (child.label, child.text) if t]
        return tuple(texts)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int  # counted from the block's first content line (0)
    message: str


def is_diagram(info: str) -> bool:
    return info.strip().split(" ", 1)[0] == "diagram" if info else False


def plain(text: str) -> str:
    """The text of an inline Markdown item as a reader sees it (for lengths and alt texts)."""
    return " ".join(_MARKUP.sub("", text).split())


def _split_label(text: str) -> tuple[str, str]:
    text = " ".join(text.split())
    match = LABEL.match(text)
    if match:
        return match["label"].strip(), match["text"].strip()
    return text, ""


def parse(info: str, content: str) -> tuple[Diagram | None, list[Problem]]:
    """The diagram of a fenced block (``info`` is the fence's info string), and every problem
    with it. A diagram with problems is still returned when its kind is known."""
    problems: list[Problem] = []
    match = INFO.match(info.strip())
    kind = match["kind"] if match and match["kind"] else ""
    if kind not in KINDS:
        what = f"unknown diagram kind '{kind}'" if kind else "diagram without a kind"
        problems.append(Problem(-1, f"{what}; write '```diagram KIND' with KIND one of {', '.join(KINDS)}"))
        return None, problems
    rule = KINDS[kind]
    keys: dict[str, str] = {}
    raw: list[dict] = []  # {'text': [...], 'line': n, 'children': [{'text': [...], 'line': n}]}
    base_indent: int | None = None
    for number, line in enumerate(content.split("\n")):
        if not line.strip():
            continue
        expanded = line.replace("\t", "    ")
        item = ITEM.match(expanded)
        indent = len(expanded) - len(expanded.lstrip())
        if item and (base_indent is None or indent <= base_indent):
            base_indent = indent if base_indent is None else base_indent
            raw.append({"text": [item["text"]], "line": number, "children": []})
        elif item and raw:
            raw[-1]["children"].append({"text": [item["text"]], "line": number})
        elif raw and indent > (base_indent or 0):
            target = raw[-1]["children"][-1] if raw[-1]["children"] else raw[-1]
            target["text"].append(line.strip())
        elif not raw and (found := KEY.match(line.strip())):
            key, value = found["key"], found["value"].strip()
            if key not in rule.keys:
                allowed = ", ".join(f"'{k}:'" for k in rule.keys)
                problems.append(Problem(number, f"a {kind} diagram has no '{key}:'; it knows {allowed}"))
            elif key in keys:
                problems.append(Problem(number, f"'{key}:' is given twice"))
            else:
                keys[key] = value
                limit = MAX_KEY_TEXT[key]
                if len(plain(value)) > limit:
                    problems.append(Problem(number, f"'{key}:' is {len(plain(value))} characters; at most {limit} fit"))
        else:
            problems.append(
                Problem(
                    number,
                    "cannot read this line of the diagram: write 'key: value' lines first, then one list item ('- ...') per box",
                )
            )
    for key in rule.needs:
        if key not in keys:
            problems.append(Problem(-1, f"a {kind} diagram needs a line '{key}: ...' before its items"))

    def text_problem(text: str, limit: int, what: str, line: int) -> None:
        length = len(plain(text))
        if length > limit:
            problems.append(
                Problem(
                    line,
                    f"the {what} is {length} characters; at most {limit} fit in a {kind} diagram "
                    f"(shorten it, or say the rest in the text around the diagram)",
                )
            )

    items: list[DiagramItem] = []
    for entry in raw:
        label, text = _split_label(" ".join(entry["text"]))
        if not label:
            problems.append(Problem(entry["line"], "empty item"))
        text_problem(label, rule.max_label, "label", entry["line"])
        if text and rule.max_text == 0:
            problems.append(
                Problem(entry["line"], f"a {kind} diagram's column has a heading only; write its rows as items under it")
            )
        elif text:
            text_problem(text, rule.max_text, "text", entry["line"])
        children = []
        if entry["children"] and rule.max_children == 0:
            problems.append(Problem(entry["children"][0]["line"], f"items of a {kind} diagram have no sub-items"))
        elif len(entry["children"]) > rule.max_children:
            problems.append(
                Problem(
                    entry["children"][0]["line"],
                    f"{len(entry['children'])} sub-items; at most {rule.max_children} fit under one item",
                )
            )
        for child in entry["children"]:
            child_text = " ".join(" ".join(child["text"]).split())
            text_problem(child_text, rule.max_child, "sub-item", child["line"])
            children.append(DiagramItem(child_text, "", (), child["line"]))
        if kind == "compare" and not children:
            problems.append(Problem(entry["line"], "a compare column needs its rows as items indented under it"))
        items.append(DiagramItem(label, text, tuple(children), entry["line"]))
    count = len(items)
    if count > rule.max_items:
        problems.append(
            Problem(items[rule.max_items].line, f"too many items for a {kind} diagram: {count}; at most {rule.max_items}")
        )
    elif count < rule.min_items:
        exactly = "exactly" if rule.min_items == rule.max_items else "at least"
        problems.append(Problem(-1, f"a {kind} diagram needs {exactly} {rule.min_items} items; it has {count}"))
    diagram = Diagram(kind, keys.get("title", ""), keys.get("centre", ""), keys.get("x", ""), keys.get("y", ""), tuple(items))
    return diagram, problems


def diagram_of(info: str, content: str) -> Diagram | None:
    """The diagram of a fenced block, or None when it is not one (or cannot be drawn)."""
    if not is_diagram(info):
        return None
    diagram, _ = parse(info, content)
    return diagram if diagram is not None and diagram.items else None


def find(text: str) -> list[tuple[int, str, str]]:
    """Every diagram block in a Markdown text: (line of its opening fence, 0-based; info; content)."""
    if "diagram" not in text:
        return []
    from .markup import parse as parse_markdown

    return [
        (token.map[0] if token.map else 0, token.info, token.content)
        for token in parse_markdown(text)
        if token.type == "fence" and is_diagram(token.info)
    ]


def problems_in(text: str) -> list[tuple[int, str]]:
    """(0-based line in ``text``, message) for every problem of every diagram in ``text``."""
    found = []
    for fence_line, info, content in find(text):
        _, problems = parse(info, content)
        for problem in problems:
            line = fence_line if problem.line < 0 else fence_line + 1 + problem.line
            found.append((line, problem.message))
    return found
