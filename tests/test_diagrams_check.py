"""Diagrams in the source: parsed into plain data; ``check`` reports every problem at its line."""

from __future__ import annotations

import re

import pytest

from generator.diagrams import KINDS, parse
from generator.loader import load_course

LESSON = """---
id: les-fout
title: Fouten
minutes: 5
objectives: [Je ziet de fouten.]
concepts: [epstein-ouderschap]
---

## Fouten {{#fouten}}

{body}
"""


def _errors(source, body: str) -> list[str]:
    (source / "modules" / "01-basis" / "lessons" / "09-fout.md").write_text(LESSON.format(body=body), "utf-8")
    result = load_course(source)
    return [str(d) for d in result.diagnostics.errors]


def test_items_labels_texts_and_sub_steps():
    diagram, problems = parse(
        "diagram steps", "title: Drie stappen\n- **Een**: eerst *dit*\n  - a\n  - b\n- **Twee** dan\n  dat\n3. Drie\n"
    )
    assert problems == []
    assert diagram.title == "Drie stappen"
    assert [(i.label, i.text) for i in diagram.items] == [("Een", "eerst *dit*"), ("Twee", "dan dat"), ("Drie", "")]
    assert [c.label for c in diagram.items[0].children] == ["a", "b"]


def test_compare_columns_hold_their_rows():
    diagram, problems = parse("diagram compare", "- **Links**\n  - een\n- **Rechts**\n  - twee\n  - drie\n")
    assert problems == []
    assert [[r.label for r in c.children] for c in diagram.items] == [["een"], ["twee", "drie"]]


@pytest.mark.parametrize(
    "body,line,message",
    [
        ("```diagram spiraal\n- a\n- b\n```", 11, "unknown diagram kind 'spiraal'"),
        (
            "```diagram cycle\n" + "".join(f"- fase {n}\n" for n in range(1, 11)) + "```",
            20,
            "too many items for a cycle diagram: 10",
        ),
        ("```diagram cards\n- **Kort** kort\n- **Lang** " + "woord " * 40 + "\n```", 13, "the text is 239 characters"),
        ("```diagram hub\n- a\n- b\n- c\n```", 11, "needs a line 'centre: ...'"),
        ("```diagram matrix\nx: links\ny: hoog\n- a\n- b\n- c\n```", 11, "needs exactly 4 items"),
        ("```diagram steps\ncentre: nee\n- a\n- b\n```", 12, "a steps diagram has no 'centre:'"),
    ],
)
def test_check_reports_problems_at_their_line(valid_source, body, line, message):
    errors = _errors(valid_source, body)
    path = "modules/01-basis/lessons/09-fout.md"
    assert any(e.startswith(f"{path}:{line}:") and message in e for e in errors), errors


def test_every_kind_is_known_to_the_check():
    assert set(KINDS) == {"steps", "cycle", "cards", "matrix", "hub", "compare"}


def test_a_good_diagram_passes_the_check(valid_source):
    assert _errors(valid_source, "```diagram steps\n- **Een** eerst [@epstein-1991]\n- **Twee** dan\n```") == []


def test_authoring_guide_has_a_valid_example_of_every_kind():
    import re
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text("utf-8")
    examples = re.findall(r"^```diagram (\w+)\n(.*?)^```$", guide, re.DOTALL | re.MULTILINE)
    kinds = set()
    for kind, content in examples:
        diagram, problems = parse(f"diagram {kind}", content)
        assert problems == [], (kind, problems)
        kinds.add(kind)
    assert kinds == set(KINDS)


# The six models the course teaches, each drawn where its lesson teaches it and on a card.
MODELS = {
    "Casey": ("les-def-pedagogisch-partnerschap", "model-casey", "hub", "card-def-casey-schema"),
    "Epstein": ("les-def-participatie-betrokkenheid", "zes-typen", "cards", "card-def-epstein-schema"),
    "14 indicatoren": ("les-we-veertien-indicatoren", "indicatoren-1-4", "cards", "card-we-ind-schema"),
    "Knof & Swick": ("les-school-knof-swick", "overzicht", "cards", "card-sch-ks-schema"),
    "Kassenberg & Petit": ("les-school-competenties", "kassenberg-petit", "cards", "card-sch-kp-schema"),
    "Samen beslissen": ("les-sb-beslisproces", "stappen", "steps", "card-sb-stappen-schema"),
}


def test_shipped_course_draws_the_six_models(shipped_course):
    from generator.diagrams import diagram_of, find

    lessons = {lesson.id: lesson for module in shipped_course.modules for lesson in module.lessons}
    cards = {card.id: card for module in shipped_course.modules for card in module.flashcards}
    for model, (lesson_id, section_id, kind, card_id) in MODELS.items():
        assert lesson_id in lessons, (model, sorted(lessons))
        [section] = [s for s in lessons[lesson_id].sections if s.id == section_id]
        found = [diagram_of(info, content) for _, info, content in find(section.body.text)]
        assert [d.kind for d in found] == [kind], model
        assert re.search(r"\(\d{4}\)|, \d{4}\)", section.body.text), f"{model}: no citation"
        card = cards[card_id]
        assert find(card.front.text) or find(card.back.text), f"{model}: the card shows no diagram"


def test_a_diagram_on_a_card_is_reported_at_its_line(valid_source):
    cards = valid_source / "modules" / "01-basis" / "cards.yaml"
    text = (
        cards.read_text("utf-8").rstrip("\n")
        + "\n"
        + (
            "- id: card-schema-fout\n  type: basic\n  concepts: [epstein-ouderschap]\n  cite: [epstein-1991]\n"
            "  front: |\n    Welke?\n\n    ```diagram hub\n    centre: x\n    - a\n    - b\n    ```\n  back: Iets.\n"
        )
    )
    cards.write_text(text, "utf-8")
    fence = text.split("\n").index("    ```diagram hub") + 1
    errors = [str(d) for d in load_course(valid_source).diagnostics.errors]
    assert any(e.startswith(f"modules/01-basis/cards.yaml:{fence}:") and "needs at least 3 items" in e for e in errors), errors
