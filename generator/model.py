"""The course model: the one validated, immutable picture of a course source.

Everything here is plain frozen data. The loader (``generator.loader``) is the only
producer; the targets (``generator.targets.*``) are the only consumers. Nothing in this
module performs I/O or knows about any output format.

Every item carries a stable, human-readable ``id`` written in the source and a
``loc`` that says where it came from, so that later checks can point at the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal


class FrozenDict(dict):
    """A read-only dict: the model's mappings (references, images, settings) cannot change."""

    def _read_only(self, *args, **kwargs):
        raise TypeError("the course model is immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only

    def __reduce__(self):
        return (FrozenDict, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


@dataclass(frozen=True, slots=True)
class SourceLoc:
    """A position in the course source: path relative to the source root, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Markdown:
    """A piece of Markdown text from the source.

    ``text`` has citations (``[@key]``) already resolved to "(Author, year)" text.
    ``base`` is the folder (relative to the source root, POSIX) that relative image
    paths in the text are resolved against; ``loc`` is where the text starts.
    """

    text: str
    base: str
    loc: SourceLoc

    def __bool__(self) -> bool:
        return bool(self.text.strip())


@dataclass(frozen=True, slots=True)
class Image:
    """An image file referenced by the source; ``path`` is relative to the source root."""

    path: str
    data: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class Reference:
    """A bibliography entry. ``cite`` is the short form used in running text, e.g. 'Knof & Swick'."""

    key: str
    cite: str
    year: str
    apa: str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Concept:
    """Something the course must teach: a competence, strategy, indicator, recommendation, ..."""

    id: str
    label: str
    group: str
    description: str
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class ConceptGroup:
    id: str
    label: str
    concepts: tuple[Concept, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class FacilitatorNotes:
    """What the workshop facilitator says and does during one section."""

    minutes: int | None
    script: Markdown


@dataclass(frozen=True, slots=True)
class Section:
    """One ``##`` section of a lesson: a slide (or several) and an e-learning page."""

    id: str
    title: str
    body: Markdown
    notes: FacilitatorNotes | None
    loc: SourceLoc
    # Quiz item ids placed in the section as formative knowledge checks (```check <id>```),
    # in the order written; the body no longer holds those blocks.
    checks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    concepts: tuple[str, ...]
    sections: tuple[Section, ...]
    citations: tuple[str, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Vignette:
    """A case from practice for group discussion (slides) or reflection (e-learning)."""

    id: str
    title: str
    setting: str
    role: str
    situation: Markdown
    questions: tuple[str, ...]
    model_answer: Markdown
    concepts: tuple[str, ...]
    lesson: str | None
    citations: tuple[str, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Option:
    """An answer option. For ``order`` items the options are listed in the correct order;
    for ``match`` items ``match`` holds the right-hand side that belongs to ``text``."""

    id: str
    text: str
    correct: bool
    feedback: str
    match: str | None = None


QuizType = Literal["single", "multiple", "truefalse", "order", "match"]


@dataclass(frozen=True, slots=True)
class QuizItem:
    id: str
    type: QuizType
    question: Markdown
    options: tuple[Option, ...]
    feedback_correct: str
    feedback_incorrect: str
    concepts: tuple[str, ...]
    lesson: str | None
    citations: tuple[str, ...]
    loc: SourceLoc
    # False: the options are shown in the author's order (e.g. a scale, or "beide"). Only
    # single and multiple items may opt out; see generator/shuffle.py.
    shuffle: bool = True


CardType = Literal["basic", "reversed", "cloze"]


@dataclass(frozen=True, slots=True)
class Flashcard:
    """A flashcard. ``front``/``back`` for basic and reversed; ``front`` holds the cloze
    text (Anki ``{{c1::...}}`` syntax) for cloze cards and ``back`` is then empty."""

    id: str
    type: CardType
    front: Markdown
    back: Markdown
    extra: Markdown
    tags: tuple[str, ...]
    concepts: tuple[str, ...]
    citations: tuple[str, ...]
    loc: SourceLoc


# -- the workshop's session plan ----------------------------------------------------------------

GroupForm = Literal["alone", "pairs", "groups"]


@dataclass(frozen=True, slots=True)
class LessonPart:
    """A lesson taught in the session: its section slide and every section; ``minutes`` is the
    sum of its sections' facilitator-note minutes (the lesson's ``minutes`` when none has any)."""

    lesson: str
    minutes: int
    loc: SourceLoc
    kind: Literal["lesson"] = "lesson"


@dataclass(frozen=True, slots=True)
class CheckPart:
    """One to three plenary check questions (quiz item ids), asked after a part."""

    items: tuple[str, ...]
    minutes: int
    loc: SourceLoc
    kind: Literal["check"] = "check"


@dataclass(frozen=True, slots=True)
class CasePart:
    """A case worked on in the room: the situation, the assignment (``task``: the questions
    on the assignment slide), how long and in which form, then a plenary discussion.
    ``essentials`` is what the situation slide shows when the whole situation is too long
    for it (None: the whole situation)."""

    vignette: str
    task: tuple[str, ...]
    form: GroupForm
    work_minutes: int
    discussion_minutes: int
    essentials: Markdown | None
    loc: SourceLoc
    kind: Literal["case"] = "case"

    @property
    def minutes(self) -> int:
        return self.work_minutes + self.discussion_minutes


@dataclass(frozen=True, slots=True)
class BreakPart:
    minutes: int
    loc: SourceLoc
    kind: Literal["break"] = "break"


@dataclass(frozen=True, slots=True)
class ClosingPart:
    """The close: the module's key messages (empty: its objectives stand in) and one
    reflection question (empty: the wording's standard question)."""

    messages: tuple[Markdown, ...]
    reflection: str
    minutes: int
    loc: SourceLoc
    kind: Literal["closing"] = "closing"


SessionPart = LessonPart | CheckPart | CasePart | BreakPart | ClosingPart


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """What the workshop of one module contains, in order (the e-learning keeps everything).

    ``opening_minutes`` covers the title, agenda and objectives; ``limit`` is the longest the
    module says its session may take; ``default`` is true when the module has no plan and the
    loader made one (every lesson, one check per lesson, at most two cases, a break, closing)."""

    opening_minutes: int
    parts: tuple[SessionPart, ...]
    limit: int
    default: bool
    loc: SourceLoc
    citations: tuple[str, ...] = ()  # keys cited in the plan's own text (essentials, key messages)

    @property
    def minutes(self) -> int:
        """The session's computed duration."""
        return self.opening_minutes + sum(part.minutes for part in self.parts)


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    number: int
    title: str
    description: Markdown
    objectives: tuple[str, ...]
    lessons: tuple[Lesson, ...]
    vignettes: tuple[Vignette, ...]
    quiz: tuple[QuizItem, ...]
    flashcards: tuple[Flashcard, ...]
    loc: SourceLoc
    session: SessionPlan | None = None  # the workshop; always set by the loader
    # Target settings this module overrides (module.yaml ``targets``), by target name.
    targets: Mapping[str, Mapping[str, object]] = field(default_factory=lambda: FrozenDict())

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)

    @property
    def citations(self) -> tuple[str, ...]:
        """Every bibliography key cited anywhere in the module, in first-cited order."""
        seen: dict[str, None] = {}
        for group in (self.lessons, self.vignettes, self.quiz, self.flashcards):
            for item in group:
                for key in item.citations:
                    seen.setdefault(key, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Theme:
    primary: str
    accent: str
    logo: str | None


@dataclass(frozen=True, slots=True)
class Course:
    """The whole course. ``targets`` holds each target's validated settings by target name."""

    id: str
    title: str
    subtitle: str
    language: str
    version: str
    authors: tuple[str, ...]
    licence: str
    description: Markdown
    theme: Theme
    modules: tuple[Module, ...]
    concept_groups: tuple[ConceptGroup, ...]
    references: Mapping[str, Reference]
    images: Mapping[str, Image]
    targets: Mapping[str, Mapping[str, object]]
    loc: SourceLoc = field(default_factory=lambda: SourceLoc("course.yaml"))

    @property
    def concepts(self) -> dict[str, Concept]:
        return {c.id: c for g in self.concept_groups for c in g.concepts}

    def settings(self, target: str) -> Mapping[str, object]:
        return self.targets.get(target, {})
