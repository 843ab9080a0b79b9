"""One Anki note per flashcard: its fields, tags, deck and stable ids; the decks; the media.

Identity comes from the source only: the note guid is ``genanki.guid_for(course.id, card.id)``,
note and card ids are hashes of the guid, deck ids hashes of the module id. Editing a card's
text, moving it within its module or reordering modules never changes who it is.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass

from ...diagrams import diagram_of
from ...model import Course, Module
from .diagram_media import alt_text, render_svg
from .fields import CLOZE, media_name, render_field
from .ids import stable_id
from .source import source_field
from .tags import edition_tag, note_tags, tag_prefix


def _guid(*parts: str) -> str:
    import genanki  # only when notes are made: a no-op build never needs it

    return genanki.guid_for(*parts)


@dataclass(frozen=True)
class Deck:
    id: int
    name: str
    description: str


@dataclass(frozen=True)
class Note:
    key: str  # the card's source id; the key in the state file
    guid: str
    note_type: str  # 'basic', 'reversed' or 'cloze'
    deck_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    position: int  # 1-based order in the course: the order new cards are shown in

    @property
    def id(self) -> int:
        return stable_id("note", self.guid)

    def card_id(self, ordinal: int) -> int:
        return stable_id("card", self.guid, str(ordinal))

    @property
    def content_hash(self) -> str:
        """Everything the student's Anki takes from an updated note: note type, fields, tags."""
        data = [self.note_type, self.fields, self.tags]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]

    def ordinals(self) -> tuple[int, ...]:
        """The cards of the note: one per template, or one per cloze number."""
        if self.note_type == "cloze":
            return tuple(sorted({int(n) - 1 for n, _ in CLOZE.findall(self.fields[0]) if int(n) > 0})) or (0,)
        return (0, 1) if self.note_type == "reversed" else (0,)


def deck_name(course: Course) -> str:
    return str(course.settings("anki").get("deck_name") or "").strip() or course.title


def module_deck_name(top: str, module: Module) -> str:
    # A '::' inside a title would open one more deck level.
    return f"{top}::{module.number:02d} {module.title.replace('::', ':').strip()}"


def build_decks(course: Course) -> tuple[Deck, dict[str, Deck]]:
    """The top deck and a subdeck per module (by module id)."""
    top_name = deck_name(course)
    top = Deck(stable_id(course.id, "deck"), top_name, render_field(course.description))
    modules = {
        module.id: Deck(
            stable_id(course.id, "deck", module.id), module_deck_name(top_name, module), render_field(module.description)
        )
        for module in course.modules
    }
    return top, modules


class _Media:
    """The images the notes use, under their Anki media names."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.files: dict[str, bytes] = {}

    def diagram(self, info: str, content: str) -> str | None:
        """A diagram block as an SVG in the media, shown by an ``img`` with every text as its alt."""
        found = diagram_of(info, content)
        if found is None:
            return None
        data = render_svg(found, self.course.theme.primary, self.course.theme.accent)
        name = f"{self.course.id}-diagram-{hashlib.sha256(data).hexdigest()[:10]}.svg"
        self.files[name] = data
        return f'<p><img src="{html.escape(name)}" alt="{html.escape(alt_text(found))}"></p>\n'

    def url(self, path: str) -> str:
        image = self.course.images.get(path)
        if image is None:  # the loader reports missing images; keep the text readable anyway
            return path
        name = media_name(self.course.id, image)
        self.files[name] = image.data
        return name


def build_notes(
    course: Course, decks: Mapping[str, Deck], edition: int, strings: Mapping[str, object]
) -> tuple[tuple[Note, ...], dict[str, bytes]]:
    """Every flashcard of the course as a note, in course order, and the media they use.

    ``strings`` are the course language's labels (templates/anki/strings.yaml): the words
    of the edition tag, of "and" in a tag and of "and 3 more" in the source line."""
    media = _Media(course)
    prefix = tag_prefix(course)
    edition_label = edition_tag(prefix, str(strings["edition"]), edition)
    and_word, more = str(strings["and"]), str(strings["more_sources"])
    notes: list[Note] = []
    for module in course.modules:
        for card in module.flashcards:
            cloze = card.type == "cloze"
            front = render_field(card.front, media.url, cloze=cloze, fence=media.diagram)
            extra = render_field(card.extra, media.url, fence=media.diagram)
            source = source_field(card, course.references, more)
            fields: tuple[str, ...]
            if cloze:
                fields = (front, extra, source, card.id)
            else:
                fields = (front, render_field(card.back, media.url, fence=media.diagram), extra, source, card.id)
            notes.append(
                Note(
                    key=card.id,
                    guid=_guid(course.id, card.id),
                    note_type=card.type,
                    deck_id=decks[module.id].id,
                    fields=fields,
                    tags=note_tags(course, module, card, prefix, edition_label, and_word),
                    position=len(notes) + 1,
                )
            )
    return tuple(notes), dict(sorted(media.files.items()))
