"""``coursegen new``: add a valid stub item to a module, from templates/scaffold/."""

from __future__ import annotations

import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .loader.fields import ID_PATTERN
from .paths import TEMPLATES_DIR

_FILES = {"vignette": "vignettes.yaml", "quiz": "quiz.yaml", "card": "cards.yaml"}


def _first(source: Path, folder: str, pattern: str, key: str) -> str:
    """The first id/key found in the course, so the stub refers to something that exists."""
    import yaml

    for path in sorted((source / folder).glob(pattern)) if folder else [source / pattern]:
        try:
            data = yaml.safe_load(path.read_text("utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(data, dict):
            for concept in data.get("concepts") or []:
                if isinstance(concept, dict) and concept.get(key):
                    return str(concept[key])
        if isinstance(data, list):
            for entry in data:
                if isinstance(entry, dict) and entry.get(key):
                    return str(entry[key])
    return "VUL-IN"


def scaffold(source: Path, kind: str, module: str, item_id: str) -> int:
    if not ID_PATTERN.match(item_id):
        print(f"coursegen: error: id '{item_id}' may only contain lowercase letters, digits and hyphens", file=sys.stderr)
        return 2
    folder = source / module
    if not (folder / "module.yaml").is_file():
        print(f"coursegen: error: '{folder}' is not a module folder (no module.yaml)", file=sys.stderr)
        return 2
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR / "scaffold"), undefined=StrictUndefined, keep_trailing_newline=True)
    values = {
        "id": item_id,
        "concept": _first(source, "concepts", "*.yaml", "id"),
        "reference": _first(source, "", "references.yaml", "key"),
    }
    if kind == "lesson":
        lessons = folder / "lessons"
        lessons.mkdir(exist_ok=True)
        number = len(list(lessons.glob("*.md"))) + 1
        path = lessons / f"{number:02d}-{item_id}.md"
        if path.exists():
            print(f"coursegen: error: '{path}' already exists", file=sys.stderr)
            return 2
        path.write_text(env.get_template("lesson.md.j2").render(values), "utf-8")
    else:
        path = folder / _FILES[kind]
        text = env.get_template(f"{kind}.yaml.j2").render(values)
        existing = path.read_text("utf-8") if path.exists() else ""
        if existing and not existing.endswith("\n"):
            existing += "\n"
        path.write_text(existing + (text if existing else text.lstrip("\n")), "utf-8")
    print(f"added {kind} '{item_id}' to {path}; fill in the text, then run: coursegen check")
    return 0
