"""The words the guide and the handout add, from ``templates/docx/strings.yaml``."""

from __future__ import annotations

from pathlib import Path

from ...yamlfile import read_yaml


class Wording:
    """The strings of one language; ``words("minutes", minutes=5)`` fills the placeholders."""

    def __init__(self, table: dict[str, str], language: str) -> None:
        self.table = table
        self.language = language

    def __call__(self, key: str, **values: object) -> str:
        return str(self.table[key]).format(**values)

    @property
    def proofing_language(self) -> str:
        return str(self.table["proofing_language"])


def load_wording(templates_dir: Path, language: str) -> Wording:
    tables = read_yaml(Path(templates_dir) / "docx" / "strings.yaml")
    table = tables.get(language) or tables["en"]
    return Wording({str(k): str(v) for k, v in table.items()}, language)
