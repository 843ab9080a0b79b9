"""The template as rendering needs it: layout choices with their frames and the finished
package parts, as plain data.

Opening a template with python-pptx and reading its layouts costs a render process about a
seventh of a second (python-pptx's import included), more than fitting and writing a module's
deck. So it is done once per process, and between builds the result is kept as plain JSON
(``generator.plaindata``: only the classes below come back, no code) in
``OUT/.coursegen-cache/slides/template-<key>.json``. The key is derived like an output's
(generator/fingerprint.py): the environment digest and the call that makes it, ``_open``
with all its arguments written out. A missing, damaged or foreign file only costs opening the
template; ``build --clean`` empties the folder first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ...outputs import write_atomic
from .package import BasePackage, LayoutParts, Rel
from .template import Frame, LayoutChoice, LevelStyle, TemplateSource

PREFIX, SUFFIX = "template-", ".json"


@dataclass(frozen=True)
class PreparedTemplate:
    choices: dict[str, LayoutChoice]  # logical layout → choice; ``layout`` is the layout's partname
    base: BasePackage


# What a stored template may hold: these records, and plain data.
_CLASSES: dict[str, type] = {
    cls.__name__: cls for cls in (PreparedTemplate, LayoutChoice, Frame, LevelStyle, BasePackage, LayoutParts, Rel)
}


def _open(source: TemplateSource, templates_dir: Path, primary: str, accent: str) -> PreparedTemplate:
    from .template import Template

    template = Template(source, templates_dir)
    if source.is_default:
        template.apply_colours(primary, accent)
    template.remove_slides()
    choices = {
        logical: dataclasses.replace(choice, layout=str(choice.layout.part.partname))  # type: ignore[union-attr]
        for logical, choice in template.choices.items()
    }
    return PreparedTemplate(choices, BasePackage(template.prs))


def _key(source: TemplateSource, templates_dir: Path, primary: str, accent: str) -> str:
    from ...fingerprint import digest, environment_digest

    call = partial(_open, source, Path(templates_dir), primary, accent)
    return hashlib.sha256(environment_digest(templates_dir).encode() + digest(call, {})).hexdigest()[:40]


# Kept per process by key, not by arguments: ``coursegen watch`` builds in one process, and an
# edited layouts.yaml must not be answered with the template as it was.
_PREPARED: dict[str, PreparedTemplate] = {}


def prepared_template(
    source: TemplateSource, templates_dir: Path, primary: str, accent: str, cache_dir: Path | None = None
) -> PreparedTemplate:
    """The template in the course colours, without example slides; from ``cache_dir`` when an
    earlier build left it there."""
    templates_dir = Path(templates_dir)
    key = _key(source, templates_dir, primary, accent)
    prepared = _PREPARED.get(key) or _cached(key, cache_dir)
    if prepared is None:
        prepared = _open(source, templates_dir, primary, accent)
        if cache_dir is not None:
            _store(key, cache_dir, prepared)
    _PREPARED[key] = prepared
    return prepared


def _cached(key: str, cache_dir: Path | None) -> PreparedTemplate | None:
    from ...plaindata import decode

    if cache_dir is None:
        return None
    try:
        head, _, body = (cache_dir / f"{PREFIX}{key}{SUFFIX}").read_bytes().partition(b"\n")
        if json.loads(head) != {"key": key, "body": hashlib.sha256(body).hexdigest()}:
            return None
        prepared = decode(body, _CLASSES)
    except Exception:  # noqa: BLE001 (missing, damaged or not ours: only costs opening the template)
        return None
    return prepared if type(prepared) is PreparedTemplate and type(prepared.base) is BasePackage else None


def _store(key: str, cache_dir: Path, prepared: PreparedTemplate) -> None:
    from ...plaindata import encode

    try:
        body = json.dumps(encode(prepared, _CLASSES), separators=(",", ":")).encode()
        head = json.dumps({"key": key, "body": hashlib.sha256(body).hexdigest()}, sort_keys=True).encode()
        for old in cache_dir.glob(f"{PREFIX}*{SUFFIX}"):
            old.unlink(missing_ok=True)
        write_atomic(cache_dir / f"{PREFIX}{key}{SUFFIX}", head + b"\n" + body)
    except (OSError, TypeError, ValueError):
        pass  # no cache, only a slower next build
