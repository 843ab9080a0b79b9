"""The e-learning web pages: one HTML document per module SCO, a course overview, the theme CSS.

Templates live in ``templates/scorm/`` (jinja2, autoescaping on, ``StrictUndefined``);
static CSS and the runtime scripts in ``templates/scorm/assets/`` are copied unchanged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from ...model import Course
from .colours import theme_palette
from .content import ImageCollector, block, media_path
from .pages import module_view, shared_config, version_config

ASSETS = ("course.css", "diagrams.css", "lms.js", "quiz.js", "state.js", "notes.js", "sco.js", "overview.js")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Where a module page's runtime config goes until the package's version is known. No course
# text can produce it: text is escaped or sanitised (comments stripped), JSON escapes "<".
CONFIG_SLOT = "<!--coursegen:sco-config-->"


class _ConfigSlot:
    """The ``config`` a module page is rendered with: ``json_script`` writes ``CONFIG_SLOT``."""


_CONFIG = _ConfigSlot()


@lru_cache(maxsize=4)
def environment(templates_dir: Path):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir / "scorm")),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fmt"] = _fmt
    env.globals["count"] = _count
    env.filters["json_script"] = json_script
    return env


def _fmt(template: str, **values) -> str:
    """Fill ``{name}`` placeholders of a UI string (the same syntax the runtime script uses)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m[1], m[0])), template)


def _count(strings: dict[str, str], key: str, n: int) -> str:
    """A counted phrase: ``key`` + ``_one`` for one, ``key`` otherwise ('1 les', '3 lessen')."""
    return _fmt(strings.get(f"{key}_one", strings[key]) if n == 1 else strings[key], n=n)


def json_script(value) -> Markup:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``
    survives, so source text can never close the element or open a comment."""
    if value is _CONFIG:
        return Markup(CONFIG_SLOT)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def ui_strings(templates_dir: Path, language: str) -> dict[str, str]:
    """The interface text for ``language`` (re-read when the file changes, for ``coursegen watch``)."""
    from ...yamlfile import read_yaml

    data = read_yaml(templates_dir / "scorm" / "strings.yaml")
    return dict(data.get(language) or data["en"])


def _common(course: Course, strings: dict[str, str], root: str) -> dict:
    return {
        "course": course,
        "s": strings,
        "root": root,
        "logo": (root + media_path(course.theme.logo)) if course.theme.logo else None,
    }


@dataclass(frozen=True)
class ModulePage:
    """A module's page as both packages share it: the HTML with ``CONFIG_SLOT`` where the
    runtime config goes, the config without its version fields, the images the page shows."""

    html: bytes  # UTF-8
    config: dict
    images: tuple[str, ...]

    def for_version(self, version: str) -> bytes:
        """The page of the ``version`` package ('1.2' or '2004')."""
        config = json_script({**self.config, **version_config(version)})
        return self.html.replace(CONFIG_SLOT.encode(), config.encode("utf-8"), 1)


def render_module(course: Course, module, passing_score: int, templates_dir: Path) -> ModulePage:
    """Render one module's page (the expensive part of a package; cached, see cache.py)."""
    strings = ui_strings(templates_dir, course.language)
    images = ImageCollector("../")
    view = module_view(course, module, strings, images)
    config = shared_config(course, view, passing_score, strings)
    html = (
        environment(templates_dir)
        .get_template("module.html")
        .render(
            **_common(course, strings, "../"),
            view=view,
            module=module,
            config=_CONFIG,
            passing_score=passing_score,
        )
    )
    if html.count(CONFIG_SLOT) != 1:
        raise RuntimeError(
            f"the page of module '{module.id}' must hold the runtime config exactly once "
            "(templates/scorm/module.html: {{ config|json_script }})"
        )
    return ModulePage(html.encode("utf-8"), config, tuple(sorted(images.used)))


def render_overview(course: Course, templates_dir: Path, images: ImageCollector) -> bytes:
    strings = ui_strings(templates_dir, course.language)
    html = (
        environment(templates_dir)
        .get_template("index.html")
        .render(
            **_common(course, strings, ""),
            description=block(course.description, images, top_heading=2),
            modules=[{"module": m, "href": f"{m.id}/index.html", "key": f"coursegen:{course.id}:{m.id}"} for m in course.modules],
            strings_json={k: strings[k] for k in strings if k.startswith("status_")},
        )
    )
    return html.encode("utf-8")


def render_theme(course: Course, templates_dir: Path) -> bytes:
    palette = theme_palette(course.theme.primary, course.theme.accent)
    return environment(templates_dir).get_template("theme.css").render(palette=palette).encode("utf-8")


def asset(templates_dir: Path, name: str) -> bytes:
    return (templates_dir / "scorm" / "assets" / name).read_bytes()
