"""The words the guide and the handout add, from ``templates/docx/strings.yaml``."""

from __future__ import annotations

from pathlib import Path

from ...wording import Wording, read_wording

__all__ = ["Wording", "load_wording"]


def load_wording(templates_dir: Path, language: str) -> Wording:
    return read_wording(Path(templates_dir) / "docx" / "strings.yaml", language)
