"""The template as rendering needs it: layout choices with their frames and the finished
package parts, as plain data.

Opening a template with python-pptx and reading its layouts costs a render process about a
fifth of a second (python-pptx's import included), more than fitting and writing a module's
deck. So it is done once per process, and between builds the result is kept in
``OUT/.coursegen-cache/slides/`` under a key of everything it is made from: a one-lesson edit
then builds its deck without python-pptx at all. ``build --clean`` neither reads nor keeps it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ...outputs import write_atomic
from .package import BasePackage
from .template import LayoutChoice, TemplateSource

if TYPE_CHECKING:
    from pptx.slide import SlideLayout

FORMAT = 1  # raise when what is stored changes shape
_CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PreparedTemplate:
    choices: dict[str, LayoutChoice]  # logical layout → choice; ``layout`` is the layout's partname
    base: BasePackage


def _key(source: TemplateSource, templates_dir: Path, primary: str, accent: str) -> str:
    from importlib.util import find_spec

    # python-pptx, by its installed file: reading its version would cost more than the lookup saves
    spec = find_spec("pptx")
    assert spec is not None and spec.origin is not None  # a dependency, imported by Template
    pptx_file = Path(spec.origin).stat()
    digest = hashlib.sha256(f"{FORMAT}:{pptx_file.st_size}:{pptx_file.st_mtime_ns}:{primary}:{accent}:{source.is_default}".encode())
    digest.update(source.data)
    digest.update((templates_dir / "slides" / "layouts.yaml").read_bytes())
    digest.update(_code_digest())
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """This target's code, read once per process (asked for every deck)."""
    digest = hashlib.sha256()
    for path in sorted(_CODE.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.digest()


def _open(source: TemplateSource, templates_dir: Path, primary: str, accent: str) -> PreparedTemplate:
    from .template import Template

    template = Template(source, templates_dir)
    if source.is_default:
        template.apply_colours(primary, accent)
    template.remove_slides()
    choices = {logical: dataclasses.replace(choice, layout=_partname(choice.layout))
               for logical, choice in template.choices.items()}
    return PreparedTemplate(choices, BasePackage(template.prs))


def _partname(layout: SlideLayout | str) -> str:
    assert not isinstance(layout, str)  # a Template's choices hold pptx layouts
    return str(layout.part.partname)


# Kept per process by key, not by arguments: ``coursegen watch`` builds in one process, and an
# edited layouts.yaml must not be answered with the template as it was.
_PREPARED: dict[str, PreparedTemplate] = {}


def prepared_template(source: TemplateSource, templates_dir: Path, primary: str, accent: str,
                      cache_dir: Path | None = None) -> PreparedTemplate:
    """The template in the course colours, without example slides; from ``cache_dir`` when an
    earlier build left it there."""
    templates_dir = Path(templates_dir)
    key = _key(source, templates_dir, primary, accent)
    prepared = _PREPARED.get(key)
    if prepared is not None:
        return prepared
    prepared = _cached(key, cache_dir)
    if prepared is None:
        prepared = _open(source, templates_dir, primary, accent)
        if cache_dir is not None:
            _store(key, cache_dir, prepared)
    _PREPARED[key] = prepared
    return prepared


def _cached(key: str, cache_dir: Path | None) -> PreparedTemplate | None:
    if cache_dir is None:
        return None
    try:
        prepared = pickle.loads((cache_dir / f"template-{key}.pickle").read_bytes())
    except Exception:  # missing, old or damaged: only costs opening the template
        return None
    return prepared if isinstance(prepared, PreparedTemplate) else None


def _store(key: str, cache_dir: Path, prepared: PreparedTemplate) -> None:
    path = cache_dir / f"template-{key}.pickle"
    try:
        for old in cache_dir.glob("template-*.pickle"):
            old.unlink(missing_ok=True)
        write_atomic(path, pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass
