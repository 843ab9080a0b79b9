"""The writing rules Q1–Q9 and C1–C8 (generator/lint/, docs/item-rules.md) on their fixtures.

Each fixture in tests/fixtures/lint/ replaces the quiz or the cards of module 02-school in a
copy of the valid course: items named ``bad-…`` trigger the fixture's rule, at their own
``path:line``; items named ``ok-…`` do not; module rules fire at module.yaml."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.lint import lint_course
from generator.loader import load_course

FIXTURES = Path(__file__).parent / "fixtures"
LINT = FIXTURES / "lint"
MODULE = "modules/02-school"
ITEM_RULES = ["Q1", "Q3", "Q4", "Q5", "Q6", "Q7", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"]
MODULE_RULES = ["Q2", "Q8", "Q9"]


def _course_with(tmp_path: Path, *fixtures: str) -> Path:
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "valid", source)
    for name in fixtures:
        kind = name.split(".")[1]  # Q1.quiz.yaml → quiz
        shutil.copy(LINT / name, source / MODULE / f"{kind}.yaml")
    return source


def _lint(source: Path):
    result = load_course(source)
    assert result.course is not None, [str(d) for d in result.diagnostics.errors]
    return result.course, lint_course(result.course)


def _fixture(code: str) -> str:
    return next(p.name for p in LINT.glob(f"{code}.*.yaml"))


def _lines_of_ids(path: Path) -> dict[str, int]:
    return {
        m[1]: n for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1) if (m := re.match(r"^- id: (\S+)", line))
    }


@pytest.mark.parametrize("code", ITEM_RULES)
def test_item_rule_fires_on_its_fixture_and_not_on_a_clean_item(tmp_path, code):
    name = _fixture(code)
    source = _course_with(tmp_path, name)
    course, diagnostics = _lint(source)
    file = f"{MODULE}/{name.split('.')[1]}.yaml"
    lines = _lines_of_ids(source / file)
    fired = {d.loc.line for d in diagnostics if d.loc.path == file and d.message.startswith(f"{code}: ")}
    bad = {line for item, line in lines.items() if item.startswith("bad-")}
    ok = {line for item, line in lines.items() if item.startswith("ok-")}
    assert bad and ok
    assert bad <= fired, [str(d) for d in diagnostics]
    assert not (ok & fired), [str(d) for d in diagnostics if d.loc.line in ok]


@pytest.mark.parametrize("code", MODULE_RULES)
def test_module_rule_fires_at_module_yaml(tmp_path, code):
    course, diagnostics = _lint(_course_with(tmp_path, _fixture(code)))
    fired = [d for d in diagnostics if d.message.startswith(f"{code}: ") and d.loc.path.startswith(MODULE)]
    assert [d.loc.path for d in fired] == [f"{MODULE}/module.yaml"], [str(d) for d in diagnostics]


def test_clean_module_triggers_no_rule(tmp_path):
    course, diagnostics = _lint(_course_with(tmp_path, "clean.quiz.yaml", "clean.cards.yaml"))
    assert [str(d) for d in diagnostics if d.loc.path.startswith(MODULE)] == []


def test_messages_name_the_rule_and_what_to_change(tmp_path):
    course, diagnostics = _lint(_course_with(tmp_path, "Q1.quiz.yaml"))
    q1 = next(d for d in diagnostics if d.message.startswith("Q1: "))
    assert str(q1).startswith(f"{MODULE}/quiz.yaml:1:7: warning: Q1: the correct option of 'bad-q1-longest'")
    assert "make a distractor as long" in q1.message and "docs/item-rules.md" in q1.message


def test_near_duplicates_are_reported_at_both_places(tmp_path):
    source = _course_with(tmp_path, "C7.cards.yaml")
    course, diagnostics = _lint(source)
    c7 = sorted(str(d) for d in diagnostics if d.message.startswith("C7: "))
    lines = _lines_of_ids(source / MODULE / "cards.yaml")
    assert len(c7) == 2
    assert f"cards.yaml:{lines['bad-c7-first']}:7:" in c7[0] and f"cards.yaml:{lines['bad-c7-second']}" in c7[0]
    assert f"cards.yaml:{lines['bad-c7-second']}:7:" in c7[1] and f"cards.yaml:{lines['bad-c7-first']}" in c7[1]


def test_check_warns_and_strict_fails(tmp_path, capsys):
    source = _course_with(tmp_path, "clean.quiz.yaml", "C5.cards.yaml")
    assert main(["check", "--source", str(source)]) == 0
    assert "modules/02-school/cards.yaml:1:7: warning: C5: " in capsys.readouterr().err
    assert main(["check", "--source", str(source), "--strict"]) == 1
    assert "modules/02-school/cards.yaml:1:7: error: C5: " in capsys.readouterr().err


def test_build_shows_the_warnings_and_strict_stops_it(tmp_path, capsys):
    source = _course_with(tmp_path, "Q6.quiz.yaml")
    out = tmp_path / "out"
    assert main(["build", "--source", str(source), "--out", str(out), "--target", "anki", "--strict", "-q"]) == 1
    assert "error: Q6: " in capsys.readouterr().err
    assert not (out / "anki").exists() or not any((out / "anki").iterdir())


def test_coverage_shows_the_no_knowledge_scores(tmp_path, capsys):
    import json

    source = _course_with(tmp_path, "clean.quiz.yaml")
    assert main(["coverage", "--source", str(source), "--format", "json"]) == 0
    modules = {m["id"]: m for m in json.loads(capsys.readouterr().out)["modules"]}
    # clean.quiz.yaml, by hand: first (1/4 + 1/3 + 1/3 + 1/5 + 1/3 + 1 + 0 + 0) / 8; longest: only
    # the false statement; first or 'niet waar': the four choice items' 1/k plus that statement.
    first = (1 / 4 + 1 / 3 + 1 / 3 + 1 / 5 + 1 / 3 + 1) / 8 * 100
    assert modules["m02-school"]["graded"] == 8
    assert modules["m02-school"]["no_knowledge"] == {"first": round(first, 1), "longest": 12.5, "first_or_false": round(first, 1)}
    assert main(["coverage", "--source", str(source)]) == 0
    text = capsys.readouterr().out
    assert "expected score without knowledge (rule Q9: at most 45%)" in text
    row = next(line for line in text.splitlines() if line.strip().startswith("m02-school"))
    assert row.split()[1:] == ["8", f"{first:.1f}%", "12.5%", f"{first:.1f}%"]


def test_build_answers_an_unchanged_course_from_the_lint_cache(tmp_path, capsys):
    from generator.lintcache import CACHE_NAME

    source = _course_with(tmp_path, "C5.cards.yaml")
    out = tmp_path / "out"
    build = ["build", "--source", str(source), "--out", str(out), "--target", "anki", "-q"]
    assert main(build) == 0
    first = capsys.readouterr().err
    cache = out / CACHE_NAME
    stamp = cache.stat().st_mtime_ns, cache.stat().st_ino
    assert main(build) == 0
    assert capsys.readouterr().err == first and "warning: C5: " in first  # the same warnings, shown again
    assert (cache.stat().st_mtime_ns, cache.stat().st_ino) == stamp  # and nothing written
    cards = source / MODULE / "cards.yaml"
    cards.write_text(cards.read_text("utf-8").replace("Tabel 1.1", "de eerste rij"), "utf-8")
    assert main(build) == 0
    assert capsys.readouterr().err.count("warning: C5: ") == first.count("warning: C5: ") - 1


def test_a_damaged_or_hostile_lint_cache_only_costs_checking_again(tmp_path, capsys):
    import json

    from generator.lintcache import CACHE_NAME

    source = _course_with(tmp_path, "C5.cards.yaml")
    out = tmp_path / "out"
    build = ["build", "--source", str(source), "--out", str(out), "--target", "anki", "-q"]
    assert main(build) == 0
    first = capsys.readouterr().err
    cache = out / CACHE_NAME
    key = json.loads(cache.read_text("utf-8"))["key"]
    for hostile in (
        b"\x80\x04cos\nsystem\n",
        b"[1, 2]",
        json.dumps({"key": key, "warnings": [["x", "1", 1, "warning", "m"]]}).encode(),
        json.dumps({"key": key, "warnings": []}).encode()[:-3],
    ):
        cache.write_bytes(hostile)
        assert main(build) == 0
        assert capsys.readouterr().err == first  # checked again, the same warnings


def test_a_build_stopped_by_strict_leaves_no_lint_cache(tmp_path, capsys):
    from generator.lintcache import CACHE_NAME

    source = _course_with(tmp_path, "C5.cards.yaml")
    out = tmp_path / "out"
    assert main(["build", "--source", str(source), "--out", str(out), "--target", "anki", "-q", "--strict"]) == 1
    assert not (out / CACHE_NAME).exists()


def test_watch_shows_the_warnings_on_every_rebuild(tmp_path, capsys):
    from generator.progress import BuildProgress
    from generator.watch import _rebuild

    source = _course_with(tmp_path, "Q6.quiz.yaml")
    assert _rebuild(source, tmp_path / "out", ["anki"], BuildProgress(quiet=True))
    assert "warning: Q6: " in capsys.readouterr().err


@pytest.mark.parametrize("code", ITEM_RULES + MODULE_RULES)
def test_the_rules_read_nothing_their_view_leaves_out(tmp_path, code):
    """``lint_course`` gives the rules only ``lint_view`` (and keys its cache by it): on every
    rule's fixture, and on the shipped course, the whole course gives the same warnings."""
    from generator.lint import lint_all, lint_view
    from generator.lint.expected import course_expected

    source = _course_with(tmp_path, _fixture(code))
    lesson = source / "modules/01-basis/lessons/01-epstein.md"  # a knowledge check: not graded, so Q9 leaves it out
    lesson.write_text(lesson.read_text("utf-8") + "\n```check q-epstein-type\n```\n", "utf-8")
    courses = [_lint(source)[0]]
    shipped = Path(__file__).resolve().parent.parent / "course_source"
    if code == "Q9" and (shipped / "course.yaml").is_file():
        courses.append(load_course(shipped).course)
    for course in courses:
        assert [str(d) for d in lint_all(lint_view(course))] == [str(d) for d in lint_all(course)]
        # Q9's figures themselves, not only whether they pass 45 % (knowledge checks are not graded).
        assert course_expected(lint_view(course)) == course_expected(course)
