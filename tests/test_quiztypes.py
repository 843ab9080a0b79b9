"""Every quiz item type of generator/quiztypes.py is known everywhere it must be: the model,
the loader's schema, each target that shows quiz items (one view per type in one table), the
templates' wording, and the e-learning's script (one handler per type in quiz.js, one form
handler in sco.js). Adding a type without one of these fails here, naming the place."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import get_args

import yaml

from generator.loader import schema
from generator.model import QuizType
from generator.quiztypes import NAMES, QUIZ_TYPES, TYPE_FIELDS
from generator.registry import TARGETS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# Where each target keeps its table of quiz item views (QUIZ_VIEWS, keyed by type name);
# None: the target shows no quiz items.
QUIZ_VIEW_TABLES = {
    "scorm": "generator.targets.scorm.quiz_views",
    "slides": "generator.targets.slides.outline",
    "docx": "generator.targets.docx.checks",
    "anki": None,  # flashcards only: anki_course() leaves the quiz out of the deck's view
}


def _strings(target: str) -> dict[str, dict[str, str]]:
    return yaml.safe_load((TEMPLATES / target / "strings.yaml").read_text("utf-8"))


def test_the_model_and_the_schema_list_the_registered_types():
    assert get_args(QuizType) == NAMES
    assert schema.QUIZ["type"].choices == NAMES
    for spec in QUIZ_TYPES.values():
        assert set(spec.fields) <= set(TYPE_FIELDS) and set(spec.fields) <= set(schema.QUIZ)
        assert set(spec.required) <= set(schema.QUIZ)


def test_every_target_says_how_it_shows_every_type():
    assert set(QUIZ_VIEW_TABLES) == set(TARGETS), "a new target: say in QUIZ_VIEW_TABLES where it shows quiz items"
    for module in QUIZ_VIEW_TABLES.values():
        if module is None:
            continue
        views = importlib.import_module(module).QUIZ_VIEWS
        assert set(views) == set(NAMES), (
            f"{module}.QUIZ_VIEWS: missing {set(NAMES) - set(views)}, extra {set(views) - set(NAMES)}"
        )


def test_anki_shows_no_quiz_items():
    from generator.loader import load_course
    from generator.targets.anki.deck import anki_course

    course = load_course(ROOT / "tests" / "fixtures" / "valid").course
    assert course is not None and any(m.quiz for m in course.modules)
    assert not any(m.quiz for m in anki_course(course).modules)


def test_the_e_learning_page_and_wording_cover_every_type():
    from generator.targets.scorm.quiz_views import QUIZ_VIEWS

    template = (TEMPLATES / "scorm" / "_quiz.html").read_text("utf-8")
    forms = set(re.findall(r'q\.view\.form == "(\w+)"', template))
    for name, view in QUIZ_VIEWS.items():
        assert view.form in forms, f"_quiz.html draws no form '{view.form}' (type {name})"
        for language, strings in _strings("scorm").items():
            assert view.hint in strings, f"templates/scorm/strings.yaml ({language}) has no '{view.hint}' (type {name})"


def test_the_slides_and_print_wording_cover_every_type():
    for target in ("slides", "docx"):
        for language, strings in _strings(target).items():
            for name in NAMES:
                assert f"instruction_{name}" in strings, f"templates/{target}/strings.yaml ({language}): instruction_{name}"


def _runtime() -> dict:
    """What the e-learning's scripts know per type: quiz.js TYPES; sco.js FORMS's names."""
    node = shutil.which("node")
    assert node, "node is needed to read the e-learning's scripts"
    script = """
        global.window = {};
        require(process.argv[1]);
        const types = {};
        for (const [name, t] of Object.entries(window.CourseQuiz.types)) {
          types[name] = {display: t.display, form: t.form, valid: typeof t.valid, partial: typeof t.partial};
        }
        console.log(JSON.stringify({types}));
    """
    out = subprocess.run(
        [node, "-e", script, str(TEMPLATES / "scorm" / "assets" / "quiz.js")],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(out.stdout)


def _sco_forms() -> set[str]:
    """The forms sco.js has a handler for: the keys of ``var FORMS = {...}`` (two spaces deeper)."""
    script = (TEMPLATES / "scorm" / "assets" / "sco.js").read_text("utf-8")
    table = script[script.index("  var FORMS = {") :]
    table = table[: table.index("\n  };\n")]
    return set(re.findall(r"^    (\w+): \{$", table, re.MULTILINE))


def test_the_e_learning_script_has_a_handler_per_type():
    from generator.targets.scorm.quiz_views import QUIZ_VIEWS

    types = _runtime()["types"]
    assert set(types) == set(NAMES), f"quiz.js TYPES: missing {set(NAMES) - set(types)}, extra {set(types) - set(NAMES)}"
    forms = _sco_forms()
    for name, spec in QUIZ_TYPES.items():
        assert types[name] == {
            "display": spec.display,
            "form": QUIZ_VIEWS[name].form,
            "valid": "function",
            "partial": "function",
        }, name
        assert QUIZ_VIEWS[name].form in forms, f"sco.js FORMS has no '{QUIZ_VIEWS[name].form}' (type {name})"


def test_the_lint_cache_is_keyed_by_the_records_the_rules_consult():
    import generator.quiztypes
    from generator.lintcache import rules_code

    assert Path(generator.quiztypes.__file__).resolve() in rules_code()
