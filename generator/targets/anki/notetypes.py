"""The note types of a course deck: basic, basic-and-reversed, cloze.

FROZEN: the field names, their order, the template names and the sort field are the note
types' schema in the student's Anki. Changing any of them makes Anki keep the old note type,
add a second one and stop updating the student's notes (see the package docstring,
"Frozen note types": if ever needed, only append, keep the ids, announce a merge import).
Template text and CSS live in ``templates/anki/`` and may change freely.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...yamlfile import read_yaml

if TYPE_CHECKING:
    import jinja2

from ...model import Course
from .ids import stable_id

FRONT_BACK_FIELDS = ("Front", "Back", "Extra", "Source", "Id")
CLOZE_FIELDS = ("Text", "Extra", "Source", "Id")
SORT_FIELD = 0  # Front / Text: what the student reads in the browser's sort column

# key (= Flashcard.type) -> (fields, ((template name, front file, back file), ...))
_LAYOUT: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]] = {
    "basic": (FRONT_BACK_FIELDS, (("Card 1", "basic-front.html", "basic-back.html"),)),
    "reversed": (
        FRONT_BACK_FIELDS,
        (("Card 1", "basic-front.html", "basic-back.html"), ("Card 2", "reversed-front.html", "reversed-back.html")),
    ),
    "cloze": (CLOZE_FIELDS, (("Cloze", "cloze-front.html", "cloze-back.html"),)),
}


@dataclass(frozen=True)
class NoteType:
    key: str
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, question format, answer format)
    css: str

    @property
    def content_hash(self) -> str:
        """What the student's Anki receives of this note type; a change moves its time on."""
        data = [self.name, self.cloze, self.fields, self.templates, self.css, SORT_FIELD]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def load_strings(templates_dir: Path, language: str) -> Mapping[str, object]:
    strings = read_yaml(templates_dir / "strings.yaml")
    return dict(strings.get(language) or strings["en"])


def _environment(templates_dir: Path) -> jinja2.Environment:
    import jinja2  # only when note types are made: a no-op build never needs it

    # Square-bracket delimiters: Anki's own {{Field}} syntax passes through untouched.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        block_start_string="[%",
        block_end_string="%]",
        variable_start_string="[[",
        variable_end_string="]]",
        comment_start_string="[#",
        comment_end_string="#]",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def _night(colour: str) -> str:
    """A lighter version of a theme colour that reads well on a dark background."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb(hue, max(lightness, 0.72), min(saturation, 0.75))
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


def build_note_types(course: Course, deck_name: str, templates_dir: Path) -> dict[str, NoteType]:
    """The three note types of ``course``, by key. Ids come from the course id and the key."""
    strings = load_strings(templates_dir, course.language)
    env = _environment(templates_dir)
    context = {
        "s": strings,
        "lang": course.language,
        "primary": course.theme.primary,
        "accent": course.theme.accent,
        "primary_night": _night(course.theme.primary),
        "accent_night": _night(course.theme.accent),
    }
    css = env.get_template("style.css").render(context).strip() + "\n"
    type_names = strings["note_types"]
    assert isinstance(type_names, Mapping)  # templates/anki/strings.yaml, read by the tests
    result = {}
    for key, (fields, layout) in _LAYOUT.items():
        templates = tuple(
            (name, env.get_template(front).render(context).strip(), env.get_template(back).render(context).strip())
            for name, front, back in layout
        )
        result[key] = NoteType(
            key=key,
            # Never add a version to the id: a new id makes every student's note conflict.
            id=stable_id(course.id, "notetype", key),
            name=f"{deck_name} · {type_names[key]}",
            cloze=key == "cloze",
            fields=fields,
            templates=templates,
            css=css,
        )
    return result
