"""The YAML reader keeps text as text (issue 19, point 1): YAML 1.2 core schema, the author's
exact characters where a field expects text, and limits instead of hangs."""

from __future__ import annotations

import time

from generator.diagnostics import Diagnostics
from generator.loader.fields import Field, Fields
from generator.loader.yamlsource import load_yaml
from generator.model import SourceLoc

SPEC = {key: Field("str") for key in ("version", "text", "when", "answer", "octal")}
SPEC["items"] = Field("strlist")


def _fields(text: str) -> tuple[Fields, Diagnostics]:
    value, problems = load_yaml(text, "x.yaml")
    diag = Diagnostics()
    diag.extend(problems)
    return Fields(value, SPEC, "test", diag, SourceLoc("x.yaml")), diag


def test_text_fields_keep_the_authors_characters():
    f, diag = _fields("version: 1.10\ntext: 1:30\nwhen: 2001-12-14\nanswer: no\noctal: 010\nitems: [1.20, 1:30, yes, true]\n")
    assert not diag.items
    assert f.str("version") == "1.10"
    assert f.str("text") == "1:30"  # YAML 1.1 would read 90
    assert f.str("when") == "2001-12-14"  # no timestamp
    assert f.str("answer") == "no"  # no YAML 1.1 boolean
    assert f.str("octal") == "010"
    assert [t for t, _ in f.strlist("items")] == ["1.20", "1:30", "yes", "true"]


def test_numbers_and_booleans_of_the_core_schema():
    value, problems = load_yaml("a: 12\nb: 1.5\nc: true\nd: FALSE\ne: ~\nf: 0x1F\n", "x.yaml")
    assert not problems
    assert value == {"a": 12, "b": 1.5, "c": True, "d": False, "e": None, "f": 31}


def test_block_scalar_is_located_at_its_first_line_of_text():
    value, _ = load_yaml("id: x\nsituation: |\n  eerste regel\n  tweede regel\n", "x.yaml")
    assert value.loc_of("situation") == SourceLoc("x.yaml", 3, 3)


def test_alias_bombs_and_deep_nesting_end_quickly_with_one_error():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8)
    )
    for text in (bomb, "[" * 100_000, "a: &a [*a]\n", "- " * 10_000 + "x\n"):
        started = time.monotonic()
        value, problems = load_yaml(text, "x.yaml")
        assert time.monotonic() - started < 5
        assert value is None and len(problems) == 1 and problems[0].severity == "error"


def test_huge_numbers_stay_text():
    value, problems = load_yaml("n: " + "9" * 5000 + "\n", "x.yaml")
    assert not problems and value["n"] == "9" * 5000
