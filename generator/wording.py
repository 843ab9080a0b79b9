"""The words an output adds around the course's text, from a target's ``strings.yaml``
(one table per language, English when the course's language has none)."""

from __future__ import annotations

from pathlib import Path

from .yamlfile import read_yaml


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


def read_wording(strings_file: Path, language: str) -> Wording:
    tables = read_yaml(strings_file)
    table = tables.get(language) or tables["en"]
    return Wording({str(k): str(v) for k, v in table.items()}, language)
