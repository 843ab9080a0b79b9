"""The command-line contract: commands, exit codes, coverage JSON, scaffolding."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from generator.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "valid"


def test_check_ok(capsys):
    assert main(["check", "--source", str(FIXTURE)]) == 0
    assert "ok: 2 modules, 2 lessons, 1 vignettes, 5 quiz items, 3 cards" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys):
    for argv in (["frobnicate"], ["build", "--target", "epub"], ["coverage", "--format", "xml"], []):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
        assert code == 2, argv


def test_missing_source_is_a_source_error(tmp_path, capsys):
    assert main(["check", "--source", str(tmp_path / "nowhere")]) == 1
    assert "error: course source folder not found" in capsys.readouterr().err


def test_strict_turns_warnings_into_errors(valid_source, capsys):
    concepts = valid_source / "concepts/knof-swick.yaml"
    concepts.write_text(concepts.read_text("utf-8") + "  - id: ks-extra\n    label: Extra\n", "utf-8")
    assert main(["check", "--source", str(valid_source)]) == 0
    assert "warning: concept 'ks-extra' is not taught by any lesson" in capsys.readouterr().err
    assert main(["check", "--source", str(valid_source), "--strict"]) == 1
    assert "error: concept 'ks-extra' is not taught by any lesson" in capsys.readouterr().err


def test_coverage_json_shape(capsys):
    assert main(["coverage", "--source", str(FIXTURE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    group = data["groups"][1]
    assert group["id"] == "knof-swick-strategies"
    concept = group["concepts"][0]
    assert set(concept) == {"id", "label", "lessons", "vignettes", "quiz", "flashcards"}
    assert concept["id"] == "ks-relatie"
    assert concept["lessons"] == ["les-knof-swick"]
    assert concept["vignettes"] == []
    assert concept["quiz"] == ["q-ks-volgorde", "q-ks-koppel", "q-ks-meer"]


def test_coverage_text_names_gaps(capsys):
    main(["coverage", "--source", str(FIXTURE)])
    assert "knof-swick-strategies/ks-relatie: no vignettes" in capsys.readouterr().out


def test_new_items_are_valid(valid_source, capsys):
    for kind in ("lesson", "vignette", "quiz", "card"):
        assert main(["new", kind, "--source", str(valid_source), "--module", "modules/02-school", "--id", f"nieuw-{kind}"]) == 0
    assert main(["check", "--source", str(valid_source)]) == 0
    assert (valid_source / "modules/02-school/lessons/02-nieuw-lesson.md").exists()
    assert "id: nieuw-card" in (valid_source / "modules/02-school/cards.yaml").read_text("utf-8")


def test_new_refuses_bad_id_and_module(valid_source, capsys):
    assert main(["new", "card", "--source", str(valid_source), "--module", "modules/02-school", "--id", "Nieuw Id"]) == 2
    assert main(["new", "card", "--source", str(valid_source), "--module", "modules/99", "--id", "x"]) == 2


def test_python_dash_m_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--source", str(FIXTURE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_an_unwritable_output_folder_is_an_error_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["build", "--source", str(FIXTURE), "--out", str(blocker / "out")]) == 1
    err = capsys.readouterr().err
    assert "coursegen: error: cannot read or write" in err and "Traceback" not in err
