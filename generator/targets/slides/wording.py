"""The words on the slides and in the notes, from ``templates/slides/strings.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml


class Wording:
    """The strings of one language; ``words("continued", title=...)`` fills the placeholders."""

    def __init__(self, table: dict[str, str], language: str) -> None:
        self.table = table
        self.language = language

    def __call__(self, key: str, **values: object) -> str:
        return str(self.table[key]).format(**values)

    @property
    def proofing_language(self) -> str:
        return str(self.table["proofing_language"])


@lru_cache(maxsize=8)
def _load(path: str) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_wording(templates_dir: Path, language: str) -> Wording:
    tables = _load(str(templates_dir / "slides" / "strings.yaml"))
    table = tables.get(language) or tables["en"]
    return Wording({str(k): str(v) for k, v in table.items()}, language)
