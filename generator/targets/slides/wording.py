"""The words on the slides and in the notes, from ``templates/slides/strings.yaml``."""

from __future__ import annotations

from pathlib import Path

from ...wording import Wording, read_wording

__all__ = ["Wording", "load_wording"]


def load_wording(templates_dir: Path, language: str) -> Wording:
    return read_wording(Path(templates_dir) / "slides" / "strings.yaml", language)
