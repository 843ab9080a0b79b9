"""The template as rendering needs it: layout choices with their frames and the finished
package parts, as plain data.

Opening a template with python-pptx and reading its layouts costs a render process about a
fifth of a second (python-pptx's import included), more than fitting and writing a module's
deck. So it is done once per process (kept by a key of everything it is made from). It is
not kept between builds: that cache was a pickle in the output folder, and nothing there
may be unpickled (bench/RESULTS.md has what it cost).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .package import BasePackage
from .template import LayoutChoice, TemplateSource

FORMAT = 1  # raise when what is stored changes shape
_CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PreparedTemplate:
    choices: dict[str, LayoutChoice]  # logical layout → choice; ``layout`` is the layout's partname
    base: BasePackage


def _key(source: TemplateSource, templates_dir: Path, primary: str, accent: str) -> str:
    from importlib.util import find_spec

    # python-pptx, by its installed file: reading its version would cost more than the lookup saves
    pptx_file = Path(find_spec("pptx").origin).stat()
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
    choices = {logical: dataclasses.replace(choice, layout=str(choice.layout.part.partname))
               for logical, choice in template.choices.items()}
    return PreparedTemplate(choices, BasePackage(template.prs))


# Kept per process by key, not by arguments: ``coursegen watch`` builds in one process, and an
# edited layouts.yaml must not be answered with the template as it was.
_PREPARED: dict[str, PreparedTemplate] = {}


def prepared_template(source: TemplateSource, templates_dir: Path, primary: str, accent: str) -> PreparedTemplate:
    """The template in the course colours, without example slides."""
    templates_dir = Path(templates_dir)
    key = _key(source, templates_dir, primary, accent)
    prepared = _PREPARED.get(key)
    if prepared is not None:
        return prepared
    prepared = _PREPARED[key] = _open(source, templates_dir, primary, accent)
    return prepared
