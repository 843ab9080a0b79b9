"""The loader's part of the test design: ``shuffle: false`` on quiz items, knowledge checks in
lessons (```check <id>```), and per-module SCORM test settings in module.yaml."""

from __future__ import annotations

from generator.loader import load_course


def _append(path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def _replace(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _messages(result) -> list[str]:
    return [str(d) for d in result.diagnostics.items]


def test_shuffle_defaults_to_true_and_can_be_switched_off(valid_source):
    quiz = valid_source / "modules/01-basis/quiz.yaml"
    _replace(quiz, "  type: single\n", "  type: single\n  shuffle: false\n")
    course = load_course(valid_source).course
    items = {q.id: q for m in course.modules for q in m.quiz}
    assert items["q-epstein-type"].shuffle is False
    assert items["q-ks-meer"].shuffle is True


def test_shuffle_belongs_only_to_items_with_options(valid_source):
    quiz = valid_source / "modules/01-basis/quiz.yaml"
    _replace(quiz, "  type: truefalse\n", "  type: truefalse\n  shuffle: false\n")
    _replace(quiz, "  type: single\n", "  type: single\n  shuffle: nee\n")
    messages = _messages(load_course(valid_source))
    assert "modules/01-basis/quiz.yaml:16:3: error: field 'shuffle' does not belong in a truefalse item" in messages
    assert any(
        m.startswith("modules/01-basis/quiz.yaml:3:12: error: field 'shuffle'") and "true or false" in m for m in messages
    ), messages


def test_check_block_becomes_a_knowledge_check_and_keeps_line_numbers(valid_source):
    lesson = valid_source / "modules/01-basis/lessons/01-epstein.md"
    _replace(lesson, "- *ondersteunen*\n", "- *ondersteunen*\n\n```check q-epstein-waar\n```\n")
    course = load_course(valid_source).course
    sections = course.modules[0].lessons[0].sections
    assert sections[0].checks == ("q-epstein-waar",)
    assert sections[1].checks == ()
    assert "check" not in sections[0].body.text and "q-epstein-waar" not in sections[0].body.text
    # The blocks' lines are blank, so what follows keeps its line number.
    lines = sections[0].body.text.split("\n")
    image = next(i for i, line in enumerate(lines) if line.startswith("![Logo"))
    assert sections[0].body.loc.line + image == 20


def test_check_block_errors_name_the_place(valid_source):
    lesson = valid_source / "modules/01-basis/lessons/01-epstein.md"
    _replace(
        lesson,
        "- *ondersteunen*\n",
        "- *ondersteunen*\n\n```check q-bestaat-niet\n```\n\n```check q-epstein-waar\n```\n\n```check q-epstein-waar\n```\n",
    )
    messages = _messages(load_course(valid_source))
    assert (
        "modules/01-basis/lessons/01-epstein.md:17:1: error: knowledge check names quiz item 'q-bestaat-niet', "
        "which is not in this module's quiz.yaml" in messages
    )
    assert (
        "modules/01-basis/lessons/01-epstein.md:23:1: error: quiz item 'q-epstein-waar' is already a knowledge "
        "check at modules/01-basis/lessons/01-epstein.md:20:1" in messages
    )


def test_unclosed_check_block(valid_source):
    lesson = valid_source / "modules/02-school/lessons/01-knof-swick.md"
    _append(lesson, "\n```check q-ks-meer\n")
    messages = _messages(load_course(valid_source))
    assert any(
        "knowledge check block is not closed" in m and m.startswith("modules/02-school/lessons/01-knof-swick.md:")
        for m in messages
    ), messages


def test_module_overrides_scorm_test_settings(valid_source):
    _replace(
        valid_source / "course.yaml",
        "    passing_score: 70\n",
        "    passing_score: 70\n    pool: 2\n    tries: 2\n    retakes: 1\n    retake_score: last\n",
    )
    _append(
        valid_source / "modules/02-school/module.yaml",
        "targets:\n  scorm:\n    pool: all\n    retakes: unlimited\n    unlock_after_lessons: false\n",
    )
    course = load_course(valid_source).course
    settings = course.settings("scorm")
    assert (settings["pool"], settings["tries"], settings["retakes"], settings["retake_score"]) == (2, 2, 1, "last")
    assert settings["partial_credit"] is True and settings["unlock_after_lessons"] is True, "defaults"
    assert dict(course.modules[0].targets) == {}
    assert dict(course.modules[1].targets["scorm"]) == {"pool": "all", "retakes": "unlimited", "unlock_after_lessons": False}

    from generator.targets.scorm import module_settings

    merged = module_settings(course, course.modules[1])
    assert (merged["pool"], merged["tries"], merged["retakes"], merged["unlock_after_lessons"]) == ("all", 2, "unlimited", False)


def test_bad_test_settings_are_errors_with_their_place(valid_source):
    _replace(valid_source / "course.yaml", "    passing_score: 70\n", "    passing_score: 70\n    pool: some\n    tries: 0\n")
    _append(
        valid_source / "modules/02-school/module.yaml",
        "targets:\n  scorm:\n    versions: ['1.2']\n    retake_score: first\n  slides:\n    template: x\n  nothing: {}\n",
    )
    messages = _messages(load_course(valid_source))
    assert "course.yaml:25:11: error: targets.scorm.pool must be a whole number or 'all', not 'some'" in messages
    assert "course.yaml:26:12: error: targets.scorm.tries must be between 1 and 9, not 0" in messages
    module = "modules/02-school/module.yaml"
    assert any(m.startswith(f"{module}:9:5: error: unknown field 'versions' in targets.scorm of the module") for m in messages), (
        messages
    )
    assert any(m.startswith(f"{module}:10:19: error: field 'retake_score'") and "'best', 'last'" in m for m in messages), messages
    assert f"{module}:11:3: error: target 'slides' has no settings a module can override" in messages
    assert any(m.startswith(f"{module}:13:3: error: unknown target 'nothing'") for m in messages), messages


def test_a_setting_of_the_wrong_type_is_an_error_not_a_traceback(valid_source):
    # pool and retakes default to a word ('all', 'unlimited'): a list used to reach the range
    # check as that word and raise TypeError.
    _replace(
        valid_source / "course.yaml",
        "    passing_score: 70\n",
        "    passing_score: 70\n    pool: [1, 2]\n    retakes: {a: 1}\n    partial_credit: 3\n",
    )
    messages = _messages(load_course(valid_source))
    assert "course.yaml:25:11: error: field 'pool' of targets.scorm must be a whole number, not a list" in messages
    assert "course.yaml:26:14: error: field 'retakes' of targets.scorm must be a whole number, not a mapping" in messages
    assert "course.yaml:27:21: error: field 'partial_credit' of targets.scorm must be true or false, not a number" in messages
