"""Same source in, same bytes out: two full builds of one source give identical files."""

from __future__ import annotations

from pathlib import Path

from generator.cli import main


def _files(out: Path) -> dict[str, bytes]:
    """The outputs, without the build's own caches (``.coursegen-*``, at any depth)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".coursegen") for part in p.relative_to(out).parts)
    }


def test_two_builds_give_identical_bytes(valid_source, tmp_path):
    assert main(["build", "--quiet", "--source", str(valid_source), "--out", str(tmp_path / "one")]) == 0
    state = (valid_source / "anki-state.json").read_bytes()
    assert (
        main(["build", "--quiet", "--clean", "--jobs", "1", "--source", str(valid_source), "--out", str(tmp_path / "two")]) == 0
    )
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert {
        "anki/mini-partnerschap.apkg",
        "scorm/mini-partnerschap-scorm12.zip",
        "scorm/mini-partnerschap-scorm2004.zip",
        "slides/m01-basis.pptx",
        "slides/m02-school.pptx",
        "slides/mini-partnerschap.pptx",
    } <= set(one)
    assert [name for name in one if one[name] != two[name]] == []
    assert (valid_source / "anki-state.json").read_bytes() == state
