"""The tags of a note: words a student can click in Anki's browser, nothing internal.

Every note gets, under the course's tag prefix (``targets.anki.tag_prefix``, default the
course id)::

    Partnerschap::05-School::Strategieën-van-Knof-en-Swick   module, then topic
    Partnerschap::editie::3                                   the edition (see ``state``)

The module part is the module number and the words of the module id
(``m05-school`` → ``05-School``); the topic is the label of the concept group of each concept
the card drills, in the course language (one topic tag per group; usually one). Anki's
search ``tag:Partnerschap::05-School`` finds the topics below it, so the module tag alone is
given only to a card without a topic. An author's
own ``tags:`` of a card are added as written. Ids of concepts and groups never appear: they
are for authors, not for students.

Anki separates tags by spaces, reads ``::`` as a level and ``*``/``_`` as wildcards in a search,
and compares tags without regard to case; so a tag holds letters, digits and '-' only, and
'&' becomes the course language's word for "and".

Changing this scheme is safe for students: an update replaces a note's tags, reviews stay
(``tests/test_anki_upgrade.py`` proves it with the real Anki, from the deck before this
scheme). Tags that no note uses any more stay in the sidebar until the student chooses
"Clear Unused Tags" (docs/anki-students.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ...model import Course, Flashcard, Module

_UNSAFE = re.compile(r"[^\w:-]+")
_NOT_A_WORD = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"[\s_-]+")
_MODULE_NUMBER = re.compile(r"^m?\d+[-_]*", re.IGNORECASE)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def tag_words(text: str, and_word: str) -> str:
    """A label as one tag level: 'Strategieën van Knof & Swick' → 'Strategieën-van-Knof-en-Swick'."""
    text = unicodedata.normalize("NFC", text).replace("&", f" {and_word} ").replace("'", "").replace("’", "")
    text = _SPACES.sub("-", _NOT_A_WORD.sub(" ", text)).strip("-")
    return _capitalise(text)


def safe_tag(tag: str) -> str:
    return _UNSAFE.sub("-", unicodedata.normalize("NFC", tag)).strip("-")


def tag_prefix(course: Course) -> str:
    raw = str(course.settings("anki").get("tag_prefix") or "") or course.id
    return safe_tag(raw) or course.id


def module_tag(prefix: str, module: Module) -> str:
    words = tag_words(_MODULE_NUMBER.sub("", module.id), "-")
    return f"{prefix}::{module.number:02d}" + (f"-{words}" if words else "")


def edition_tag(prefix: str, edition_word: str, edition: int) -> str:
    return f"{prefix}::{safe_tag(edition_word)}::{edition}"


def _topics(course: Course, card: Flashcard) -> Iterable[str]:
    concepts = course.concepts
    groups = {group.id: group for group in course.concept_groups}
    for concept_id in card.concepts:
        concept = concepts.get(concept_id)
        group = groups.get(concept.group) if concept is not None else None
        if group is not None:
            yield group.label


def note_tags(course: Course, module: Module, card: Flashcard, prefix: str, edition: str, and_word: str) -> tuple[str, ...]:
    """The tags of ``card``'s note, sorted; ``edition`` is the whole edition tag."""
    module_part = module_tag(prefix, module)
    # A search for the module tag finds its topics too, so the module alone only without one.
    tags = {f"{module_part}::{tag_words(label, and_word)}" for label in _topics(course, card)} or {module_part}
    tags.add(edition)
    tags.update(safe_tag(tag) for tag in card.tags)
    return tuple(sorted(tag for tag in tags if tag))
