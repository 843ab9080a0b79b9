"""A course with one diagram of each kind: the small valid fixture plus a lesson and a card."""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
VALID = HERE.parent / "fixtures" / "valid"
KINDS = ("steps", "cycle", "cards", "matrix", "hub", "compare")

CARD = """
- id: card-diagram-epstein
  type: basic
  concepts: [epstein-ouderschap]
  cite: [epstein-1991]
  front: Welke drie typen van Epstein staan hier?
  back: |
    ```diagram hub
    centre: Epstein
    - **Ouderschap**
    - **Communiceren**
    - **Thuis leren**
    ```
"""


def make_course(target: Path) -> Path:
    """Copy the valid fixture to ``target`` and add the diagram lesson and card."""
    shutil.copytree(VALID, target)
    module = target / "modules" / "01-basis"
    shutil.copy(HERE / "lesson.md", module / "lessons" / "02-diagrammen.md")
    with (module / "cards.yaml").open("a", encoding="utf-8") as cards:
        cards.write(CARD)
    return target
