"""The prepared slide template kept between builds (generator/targets/slides/prepared.py): plain
JSON, the same bytes warm as cold, and a damaged or hostile file only costs opening the
template again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.loader import load_course
from generator.outputs import BuildContext
from generator.paths import TEMPLATES_DIR
from generator.targets import slides
from generator.targets.slides import prepared


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """How often the template was opened with python-pptx."""
    calls: list[str] = []
    original = prepared._open

    def counting(*args):
        calls.append("open")
        return original(*args)

    counting.__module__, counting.__qualname__ = original.__module__, original.__qualname__  # a key's function name

    monkeypatch.setattr(prepared, "_open", counting)
    prepared._PREPARED.clear()
    return calls


def _render(source: Path, out: Path, use_cache: bool = True) -> dict[str, bytes]:
    prepared._PREPARED.clear()  # each build is a new process
    course = load_course(source).course
    outputs = slides.plan(course, BuildContext(source, out, TEMPLATES_DIR, use_cache=use_cache))
    return {output.path: output.render()[0] for output in outputs}


def _stored(out: Path) -> list[Path]:
    return sorted((out / ".coursegen-cache" / "slides").glob("template-*.json"))


def test_a_warm_build_does_not_open_the_template_and_gives_the_same_bytes(valid_source, tmp_path, opened):
    out = tmp_path / "out"
    cold = _render(valid_source, out)
    assert opened == ["open"] and len(_stored(out)) == 1
    assert _stored(out)[0].read_bytes().startswith(b"{"), "plain JSON"
    opened.clear()
    assert _render(valid_source, out) == cold
    assert opened == []


@pytest.mark.parametrize("damage", ["truncated", "flipped", "hostile", "garbage"])
def test_a_damaged_or_hostile_file_only_costs_opening_the_template(valid_source, tmp_path, opened, damage):
    out = tmp_path / "out"
    cold = _render(valid_source, out)
    [path] = _stored(out)
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped":
        data = data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]
    elif damage == "hostile":  # a valid checksum over a body that names a class not allowed
        import hashlib

        body = b'{"o":"Popen","v":{"d":[["args",["touch","pwned"]]]}}'
        data = (
            json.dumps({"key": json.loads(head)["key"], "body": hashlib.sha256(body).hexdigest()}, sort_keys=True).encode()
            + b"\n"
            + body
        )
    else:
        data = b"\x80garbage"
    path.write_bytes(data)
    opened.clear()
    assert _render(valid_source, out) == cold
    assert opened == ["open"]


def test_clean_does_not_read_it_and_other_colours_get_their_own(valid_source, tmp_path, opened):
    out = tmp_path / "out"
    _render(valid_source, out)
    opened.clear()
    _render(valid_source, out, use_cache=False)
    assert opened == ["open"]
    course_yaml = valid_source / "course.yaml"
    course_yaml.write_text(course_yaml.read_text("utf-8").replace('primary: "#1d4e89"', 'primary: "#224466"'), "utf-8")
    opened.clear()
    _render(valid_source, out)
    assert opened == ["open"] and len(_stored(out)) == 1
