"""A synthetic course N times the size of a real one: every module copied N times, ids suffixed.

Concepts, references and images are shared, so the copy is a valid course of the same shape.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

_ID_LINE = re.compile(r"^(?P<lead>\s*(?:- )?)(?P<key>id|lesson): (?P<value>[a-z0-9-]+)\s*$", re.MULTILINE)


def _suffix_ids(text: str, suffix: str) -> str:
    return _ID_LINE.sub(lambda m: f"{m['lead']}{m['key']}: {m['value']}{suffix}", text)


def make_synthetic(source: Path, target: Path, factor: int) -> Path:
    """Write a course ``factor`` times the size of ``source`` into ``target``."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("modules", "anki-state.json"))
    course = yaml.safe_load((source / "course.yaml").read_text("utf-8"))
    folders = []
    for copy in range(factor):
        for folder in course["modules"]:
            name = Path(folder).name
            new = f"modules/{copy:03d}-{name}"
            shutil.copytree(source / folder, target / new)
            suffix = "" if copy == 0 else f"-x{copy}"
            if suffix:
                for path in (target / new).rglob("*"):
                    if path.suffix in (".yaml", ".md"):
                        path.write_text(_suffix_ids(path.read_text("utf-8"), suffix), "utf-8")
            folders.append(new)
    # Replace the module list wholesale: it is the only block that changes.
    lines = (target / "course.yaml").read_text("utf-8").splitlines()
    out, skipping = [], False
    for line in lines:
        if line.startswith("modules:"):
            out.append("modules:")
            out.extend(f"  - {folder}" for folder in folders)
            skipping = True
            continue
        if skipping and (line.startswith("  ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    (target / "course.yaml").write_text("\n".join(out) + "\n", "utf-8")
    return target
