"""Reading the project's own YAML files (templates' strings, layout tables) quickly.

Parsed with libyaml where available and cached by path, size and modification time, so a
build reads each file once, while ``coursegen watch`` still sees an edited template."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def read_yaml(path: Path):
    stat = Path(path).stat()
    return _read(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=32)
def _read(path: str, size: int, mtime_ns: int):
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
