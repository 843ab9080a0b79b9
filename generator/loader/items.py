"""Reads one module folder: module.yaml, lessons/*.md, vignettes.yaml, quiz.yaml, cards.yaml."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ..diagnostics import Diagnostic, Diagnostics
from ..model import (
    CardType,
    FacilitatorNotes,
    Flashcard,
    FrozenDict,
    Image,
    Lesson,
    Markdown,
    Module,
    Option,
    QuizItem,
    QuizType,
    Reference,
    Section,
    SourceLoc,
    Vignette,
)
from ..portable import files_named
from ..quiztypes import QUIZ_TYPES, TYPE_FIELDS, QuizTypeSpec
from ..suggest import did_you_mean
from . import schema
from .fields import ID_PATTERN, Fields, read_setting
from .files import SourceTree
from .inventory import is_editor_or_system_file
from .markdown_source import MarkdownReader, split_front_matter, split_sections
from .session import with_session
from .yamlsource import YList, load_yaml

MAX_OPTIONS = 20
CHECK_FENCE = re.compile(r"^ {0,3}```\s*check\s+(?P<id>\S+)\s*$")
CLOSING_FENCE = re.compile(r"^ {0,3}```\s*$")
CLOZE = re.compile(r"\{\{c(\d+)::(.+?)\}\}", re.DOTALL)


@dataclass(frozen=True)
class ModuleInputs:
    """Everything reading a module folder consults besides the source files it reads."""

    language: str
    references: dict[str, Reference]
    concept_ids: frozenset[str]
    # The target settings a module.yaml may override: ((target, ((key, Field), ...)), ...)
    settings: tuple = ()


def module_settings(schemas: dict[str, dict]) -> tuple:
    """The per-module target settings of every target (``Field.per_module``), for ModuleInputs."""
    return tuple(
        (name, tuple((key, field) for key, field in sorted(spec.items()) if field.per_module))
        for name, spec in sorted(schemas.items())
    )


@dataclass(frozen=True)
class ModuleParse:
    """What reading one module folder produced, independent of every other module."""

    module: Module
    diagnostics: tuple[Diagnostic, ...]  # in the order they were found
    images: tuple[Image, ...]  # every valid image its Markdown uses
    cited: tuple[tuple[str, SourceLoc], ...]  # each bibliography key cited, with its first citation
    consulted: frozenset[str]  # every source path (relative) it read or looked for
    digests: tuple[tuple[str, str], ...] = ()  # (path, SHA-256) of every file it read


def check_module_folder(tree: SourceTree, folder: Path, loc: SourceLoc, diag: Diagnostics) -> bool:
    """Whether ``folder`` (listed at ``loc`` in course.yaml) can be read as a module; reports why not."""
    rel = tree.rel(folder)
    if not tree.inside(folder):
        diag.error(loc, f"module folder '{rel}' lies outside the course source folder")
        return False
    if not folder.is_dir():
        diag.error(loc, f"module folder '{rel}' not found")
        return False
    if not (folder / "module.yaml").is_file():
        diag.error(loc, f"module folder '{rel}' has no module.yaml")
        return False
    return True


def read_module(root: Path, folder: Path, number: int, inputs: ModuleInputs) -> ModuleParse:
    """Read the module in ``folder`` (which passed ``check_module_folder``) on its own: its
    own diagnostics, images and citations, which the course loader merges in order."""
    tree = SourceTree(root)
    diag = Diagnostics()
    reader = MarkdownReader(tree, inputs.references, inputs.language, diag)
    module = ItemReader(tree, reader, diag, inputs.concept_ids, dict(inputs.settings)).module(folder, number)
    module = with_session(tree, folder, module, reader, diag)
    return ModuleParse(
        module=module,
        diagnostics=tuple(diag._items),  # found order; ``Diagnostics.items`` sorts
        images=tuple(reader.images.values()),
        cited=tuple(reader.cited.items()),
        consulted=frozenset(tree.consulted),
        digests=tuple(sorted(tree.digests.items())),
    )


class ItemReader:
    def __init__(
        self,
        tree: SourceTree,
        reader: MarkdownReader,
        diag: Diagnostics,
        concept_ids: set[str] | frozenset[str],
        settings: dict[str, tuple] | None = None,
    ) -> None:
        self.tree = tree
        self.settings = settings or {}
        self.checks: list[tuple[str, SourceLoc]] = []  # formative checks named in the lessons
        self.md = reader
        self.diag = diag
        self.concept_ids = concept_ids
        self.lesson_ids: set[str] = set()
        self.lessons_complete = True

    # -- helpers -------------------------------------------------------------
    def _yaml(self, path: Path):
        text = self.tree.read_text(path, self.diag)
        if text is None:
            return None
        value, problems = load_yaml(text, self.tree.rel(path))
        self.diag.extend(problems)
        return value

    def _list_file(self, path: Path, what: str) -> list[tuple[object, SourceLoc]]:
        if not path.exists():
            return []
        raw = self._yaml(path)
        rel = self.tree.rel(path)
        if raw is None:
            return []
        if not isinstance(raw, YList):
            self.diag.error(SourceLoc(rel), f"{rel} must be a list of {what}s, each starting with '- id: ...'")
            return []
        if len(raw) > 1000:
            self.diag.error(raw.loc, f"{rel} has {len(raw)} {what}s; at most 1000 fit in one file")
            return []
        return [(entry, raw.loc_of(i)) for i, entry in enumerate(raw)]

    def _text(self, f: Fields, key: str, rel: str, citations: list[str]) -> Markdown:
        return self.md.read(f.str(key), rel, f.loc_of(key), citations)

    def _cite(self, f: Fields, citations: list[str]) -> None:
        for key, loc in f.strlist("cite"):
            self.md.cite(key, loc, citations)

    def _item(self, raw: object, loc: SourceLoc, spec: dict, what: str) -> tuple[Fields, str, list[str]]:
        """The checked fields of one YAML item, its file, and its citations (from ``cite``)."""
        f = Fields(raw, spec, what, self.diag, loc)
        citations: list[str] = []
        if f.ok:
            self._cite(f, citations)
        return f, loc.path, citations

    def _concepts(self, f: Fields) -> tuple[str, ...]:
        result = []
        named = f.strlist("concepts")  # once: reading the field reports its type errors
        for concept_id, loc in named:
            if concept_id not in self.concept_ids:
                hint = did_you_mean(concept_id, self.concept_ids) or " (concepts are defined in concepts/*.yaml)"
                self.diag.error(loc, f"unknown concept '{concept_id}'{hint}", about=f"concept:{concept_id}")
            elif concept_id not in result:
                result.append(concept_id)
        if f.ok and f.has("concepts") and not result and not named:
            self.diag.error(f.loc_of("concepts"), f"{f.what} names no concepts")
        return tuple(result)

    def _lesson(self, f: Fields) -> str | None:
        lesson_id = f.str("lesson") or None
        if lesson_id and lesson_id not in self.lesson_ids and self.lessons_complete:
            hint = did_you_mean(lesson_id, self.lesson_ids) or " (it must be a lesson of the same module)"
            self.diag.error(f.loc_of("lesson"), f"unknown lesson '{lesson_id}'{hint}")
        return lesson_id

    # -- module --------------------------------------------------------------
    def module(self, folder: Path, number: int) -> Module:
        """The module in ``folder``, which has passed ``check_module_folder``."""
        rel = self.tree.rel(folder)
        raw = self._yaml(folder / "module.yaml")
        f = Fields(raw, schema.MODULE, "module", self.diag, SourceLoc(f"{rel}/module.yaml"))
        lesson_dir = folder / "lessons"
        lessons = []
        lesson_files = [p for p in files_named(lesson_dir, ".md") if not is_editor_or_system_file(p.name)]
        for path in lesson_files:
            lesson = self.lesson(path)
            if lesson is not None:
                lessons.append(lesson)
        # A lesson file that failed to load has been reported; don't pile follow-on errors on it.
        self.lessons_complete = len(lessons) == len(lesson_files)
        if not lesson_files:
            self.diag.error(f.loc, f"module '{rel}' has no lessons (add Markdown files to {rel}/lessons/)")
        self.lesson_ids = {lesson.id for lesson in lessons}
        quiz = tuple(q for q in (self.quiz_item(e, loc) for e, loc in self._list_file(folder / "quiz.yaml", "quiz item")) if q)
        self._check_checks(quiz)
        return Module(
            id=f.id(),
            number=number,
            title=f.str("title"),
            description=self.md.read(f.str("description"), f"{rel}/module.yaml", f.loc_of("description")),
            objectives=tuple(text for text, _ in f.strlist("objectives")),
            lessons=tuple(lessons),
            vignettes=tuple(
                v for v in (self.vignette(e, loc) for e, loc in self._list_file(folder / "vignettes.yaml", "vignette")) if v
            ),
            quiz=quiz,
            flashcards=tuple(c for c in (self.card(e, loc) for e, loc in self._list_file(folder / "cards.yaml", "card")) if c),
            loc=f.loc_of("id"),
            targets=self._module_targets(f),
        )

    def _module_targets(self, f: Fields) -> FrozenDict:
        """module.yaml ``targets.<name>``: the target settings this module overrides (only
        those a target marks ``per_module``); the course's values hold for the rest."""
        raw = f.map("targets")
        result: dict[str, FrozenDict] = {}
        if raw is None:
            return FrozenDict()
        for name in raw:
            spec = dict(self.settings.get(name, ()))
            if name not in self.settings:
                self.diag.error(raw.key_loc(name), f"unknown target '{name}' (known targets: {', '.join(sorted(self.settings))})")
                continue
            if not spec:
                self.diag.error(raw.key_loc(name), f"target '{name}' has no settings a module can override")
                continue
            section = Fields(raw.get(name), spec, f"targets.{name} of the module", self.diag, raw.loc_of(name))
            result[name] = FrozenDict({key: read_setting(section, key, field) for key, field in spec.items() if section.has(key)})
        return FrozenDict(result)

    def _check_checks(self, quiz: tuple[QuizItem, ...]) -> None:
        """Each ```check <id>``` block names a quiz item of this module, and no item twice."""
        items = {item.id for item in quiz}
        seen: dict[str, SourceLoc] = {}
        for item_id, loc in self.checks:
            if item_id not in items:
                self.diag.error(loc, f"knowledge check names quiz item '{item_id}', which is not in this module's quiz.yaml")
            elif item_id in seen:
                self.diag.error(loc, f"quiz item '{item_id}' is already a knowledge check at {seen[item_id]}")
            seen.setdefault(item_id, loc)

    # -- lesson --------------------------------------------------------------
    def lesson(self, path: Path) -> Lesson | None:
        rel = self.tree.rel(path)
        text = self.tree.read_text(path, self.diag)
        if text is None:
            return None
        front, body, body_line = split_front_matter(text, rel, self.diag)
        if front is None:
            return None
        raw, problems = load_yaml(front, rel, line_offset=1)
        self.diag.extend(problems)
        if raw is None and problems:
            return None
        f = Fields(raw, schema.LESSON, "lesson front matter", self.diag, SourceLoc(rel, 2, 1))
        citations: list[str] = []
        sections = []
        seen: dict[str, SourceLoc] = {}
        for raw_section in split_sections(body, body_line, rel, self.diag):
            if raw_section.id:
                if not ID_PATTERN.match(raw_section.id):
                    self.diag.error(
                        raw_section.loc, f"section id '{raw_section.id}' may only contain lowercase letters, digits and hyphens"
                    )
                elif raw_section.id in seen:
                    self.diag.error(
                        raw_section.loc, f"duplicate section id '{raw_section.id}' (first defined at {seen[raw_section.id]})"
                    )
                seen.setdefault(raw_section.id, raw_section.loc)
            if not raw_section.body.strip():
                self.diag.error(raw_section.loc, f"section '{raw_section.title}' is empty")
            notes = None
            if raw_section.notes is not None:
                if not raw_section.notes.strip():
                    self.diag.error(SourceLoc(rel, raw_section.notes_line - 1, 1), "facilitator notes are empty")
                notes = FacilitatorNotes(
                    raw_section.notes_minutes,
                    self.md.read(raw_section.notes, rel, SourceLoc(rel, raw_section.notes_line, 1), citations),
                )
            body, checks = self._take_checks(raw_section.body, rel, raw_section.body_line)
            sections.append(
                Section(
                    id=raw_section.id,
                    title=raw_section.title,
                    body=self.md.read(body, rel, SourceLoc(rel, raw_section.body_line, 1), citations),
                    notes=notes,
                    loc=raw_section.loc,
                    checks=checks,
                )
            )
        if not sections:
            self.diag.error(SourceLoc(rel, body_line, 1), "lesson is empty: add at least one section ('## Titel {#id}')")
        return Lesson(
            id=f.id(),
            title=f.str("title"),
            minutes=f.int("minutes", 0, minimum=1) or 0,
            objectives=tuple(text for text, _ in f.strlist("objectives")),
            concepts=self._concepts(f),
            sections=tuple(sections),
            citations=tuple(citations),
            loc=f.loc_of("id"),
        )

    def _take_checks(self, body: str, rel: str, first_line: int) -> tuple[str, tuple[str, ...]]:
        """Knowledge checks out of a section's Markdown: a fenced block ```check <quiz item id>```
        (opening and closing fence, nothing between). Their lines become blank, so every other
        line keeps its number for later diagnostics."""
        lines = body.split("\n")
        found: list[str] = []
        index = 0
        while index < len(lines):
            match = CHECK_FENCE.match(lines[index])
            if not match:
                index += 1
                continue
            loc = SourceLoc(rel, first_line + index, 1)
            end = index + 1
            while end < len(lines) and not CLOSING_FENCE.match(lines[end]):
                end += 1
            if end == len(lines):
                self.diag.error(loc, "knowledge check block is not closed (add a line with ``` after it)")
                return body, tuple(found)
            if any(line.strip() for line in lines[index + 1 : end]):
                self.diag.error(
                    SourceLoc(rel, first_line + index + 1, 1),
                    "a knowledge check block holds only the quiz item id, on the ```check line",
                )
            item_id = match["id"]
            if not ID_PATTERN.match(item_id):
                self.diag.error(loc, f"knowledge check: '{item_id}' is not a quiz item id")
            else:
                found.append(item_id)
                self.checks.append((item_id, loc))
            for blank in range(index, end + 1):
                lines[blank] = ""
            index = end + 1
        return "\n".join(lines), tuple(found)

    # -- vignette ------------------------------------------------------------
    def vignette(self, raw: object, loc: SourceLoc) -> Vignette | None:
        f, rel, citations = self._item(raw, loc, schema.VIGNETTE, "vignette")
        if not f.ok:
            return None
        questions = tuple(self.md.read(text, rel, qloc, citations).text for text, qloc in f.strlist("questions"))
        if f.has("questions") and not questions:
            self.diag.error(f.loc_of("questions"), "vignette has no discussion questions")
        return Vignette(
            id=f.id(),
            title=f.str("title"),
            setting=f.str("setting"),
            role=f.str("role"),
            situation=self._text(f, "situation", rel, citations),
            questions=questions,
            model_answer=self._text(f, "model_answer", rel, citations),
            concepts=self._concepts(f),
            lesson=self._lesson(f),
            citations=tuple(citations),
            loc=f.loc_of("id"),
        )

    # -- quiz item -----------------------------------------------------------
    def quiz_item(self, raw: object, loc: SourceLoc) -> QuizItem | None:
        f, rel, citations = self._item(raw, loc, schema.QUIZ, "quiz item")
        if not f.ok:
            return None
        kind = f.str("type")
        item_id = f.id()
        options = self._options(f, kind, item_id, rel, citations)
        return QuizItem(
            id=item_id,
            type=cast(QuizType, kind or "single"),  # f.str checked kind against schema.QUIZ["type"].choices
            question=self._text(f, "question", rel, citations),
            options=options,
            feedback_correct=self.md.read(f.str("feedback_correct"), rel, f.loc_of("feedback_correct"), citations).text,
            feedback_incorrect=self.md.read(f.str("feedback_incorrect"), rel, f.loc_of("feedback_incorrect"), citations).text,
            concepts=self._concepts(f),
            lesson=self._lesson(f),
            citations=tuple(citations),
            loc=f.loc_of("id"),
            shuffle=f.bool("shuffle", True),
        )

    def _forbid(self, f: Fields, kind: str, keys: tuple[str, ...]) -> None:
        for key in keys:
            if f.has(key):
                self.diag.error(f.raw.key_loc(key), f"field '{key}' does not belong in a {kind} item")

    def _options(self, f: Fields, kind: str, item_id: str, rel: str, citations: list[str]) -> tuple[Option, ...]:
        """The options of an item of type ``kind``, read the way its record in
        generator/quiztypes.py says they are written; the fields of other types refused."""
        spec = QUIZ_TYPES.get(kind)
        if spec is None:  # an unknown type, already reported against schema.QUIZ["type"].choices
            return ()
        # Only options can keep the author's order: true/false is always "true, false", and
        # order and match items would give their answer away unscrambled.
        self._forbid(f, kind, tuple(key for key in TYPE_FIELDS if key not in spec.fields))
        read = getattr(self, f"_{spec.source}_source")

        def text(value: str, loc: SourceLoc) -> str:
            return self.md.read(value, rel, loc, citations).text

        options: tuple[Option, ...] = read(f, spec, item_id, text)
        for key in spec.required:
            if not f.has(key):
                self.diag.error(f.loc, f"{spec.label} item '{item_id}' is missing the required field '{key}'")
        return options

    def _options_source(self, f: Fields, spec: QuizTypeSpec, item_id: str, text) -> tuple[Option, ...]:
        """``options``: each with text, correct and feedback (``one_answer``: exactly one correct)."""
        raw_options = f.list("options")
        options: list[Option] = []
        ids: set[str] = set()
        # An option whose 'correct' is reported as unreadable: "no correct answer" would be its echo.
        unreadable = False
        for index, entry in enumerate(raw_options):
            unreadable = unreadable or not isinstance(entry, dict) or not isinstance(entry.get("correct", False), bool)
            o = Fields(entry, schema.OPTION, f"option {index + 1} of '{item_id}'", self.diag, raw_options.loc_of(index))
            option_id = o.id() if o.has("id") else string.ascii_lowercase[index % 26] + ("" if index < 26 else str(index // 26))
            if option_id in ids:
                self.diag.error(o.loc_of("id"), f"duplicate option id '{option_id}' in quiz item '{item_id}'")
            ids.add(option_id)
            options.append(
                Option(
                    option_id,
                    text(o.str("text"), o.loc_of("text")),
                    o.bool("correct"),
                    text(o.str("feedback"), o.loc_of("feedback")),
                )
            )
        if len(options) > MAX_OPTIONS:
            self.diag.error(
                f.loc_of("options"), f"quiz item '{item_id}' has {len(options)} options; at most {MAX_OPTIONS} are allowed"
            )
        correct = sum(1 for o in options if o.correct)
        if len(raw_options) < 2 and f.ok:
            self.diag.error(f.loc, f"quiz item '{item_id}' needs at least two options")
        elif spec.one_answer and correct == 0 and not unreadable:
            self.diag.error(f.loc, f"quiz item '{item_id}' has no correct answer (mark one option 'correct: true')")
        elif spec.one_answer and correct > 1:
            self.diag.error(
                f.loc, f"{spec.label} item '{item_id}' has {correct} correct answers; mark exactly one, or use type: multiple"
            )
        elif not spec.one_answer and correct == 0 and not unreadable:
            self.diag.error(f.loc, f"quiz item '{item_id}' has no correct answer (mark at least one option 'correct: true')")
        return tuple(options)

    def _answer_source(self, f: Fields, spec: QuizTypeSpec, item_id: str, text) -> tuple[Option, ...]:
        """``answer``: a statement, true or false; the options "true" and "false" with their feedback."""
        if not f.has("answer"):
            self.diag.error(f.loc, f"{spec.label} item '{item_id}' has no correct answer (add 'answer: true' or 'answer: false')")
        answer = f.bool("answer")
        return (
            Option("true", "", answer, text(f.str("feedback_true"), f.loc_of("feedback_true"))),
            Option("false", "", not answer, text(f.str("feedback_false"), f.loc_of("feedback_false"))),
        )

    def _items_source(self, f: Fields, spec: QuizTypeSpec, item_id: str, text) -> tuple[Option, ...]:
        """``items``: texts listed in the correct order."""
        items = f.strlist("items")
        if len(items) > MAX_OPTIONS:
            self.diag.error(
                f.loc_of("items"), f"{spec.label} item '{item_id}' has {len(items)} items; at most {MAX_OPTIONS} are allowed"
            )
        if len(items) < 2 and f.ok:
            self.diag.error(f.loc, f"{spec.label} item '{item_id}' needs at least two items, listed in the correct order")
        return tuple(Option(str(i + 1), text(value, loc), True, "") for i, (value, loc) in enumerate(items))

    def _pairs_source(self, f: Fields, spec: QuizTypeSpec, item_id: str, text) -> tuple[Option, ...]:
        """``pairs``: left and right; left i belongs with right i."""
        pairs = f.list("pairs")
        if len(pairs) > MAX_OPTIONS:
            self.diag.error(
                f.loc_of("pairs"), f"{spec.label} item '{item_id}' has {len(pairs)} pairs; at most {MAX_OPTIONS} are allowed"
            )
        result = []
        for index, entry in enumerate(pairs):
            p = Fields(entry, schema.PAIR, f"pair {index + 1} of '{item_id}'", self.diag, pairs.loc_of(index))
            result.append(
                Option(str(index + 1), text(p.str("left"), p.loc_of("left")), True, "", text(p.str("right"), p.loc_of("right")))
            )
        if len(result) < 2 and f.ok:
            self.diag.error(f.loc, f"{spec.label} item '{item_id}' needs at least two pairs")
        rights = [o.match for o in result]
        if len(set(rights)) != len(rights):
            self.diag.error(f.loc_of("pairs"), f"{spec.label} item '{item_id}' has two pairs with the same right-hand side")
        return tuple(result)

    # -- flashcard -----------------------------------------------------------
    def card(self, raw: object, loc: SourceLoc) -> Flashcard | None:
        f, rel, citations = self._item(raw, loc, schema.CARD, "card")
        if not f.ok:
            return None
        kind = f.str("type")
        card_id = f.id()
        if kind == "cloze":
            self._forbid(f, "cloze card", ("front", "back"))
            if not f.has("text"):
                self.diag.error(f.loc, f"cloze card '{card_id}' is missing the required field 'text'")
            elif not CLOZE.search(f.str("text")):
                self.diag.error(f.loc_of("text"), f"cloze card '{card_id}' has no deletion; write them as {{{{c1::...}}}}")
            front = self._text(f, "text", rel, citations)
            back = Markdown("", front.base, front.loc)
        else:
            self._forbid(f, f"{kind} card", ("text",))
            for key in ("front", "back"):
                if not f.has(key):
                    self.diag.error(f.loc, f"{kind} card '{card_id}' is missing the required field '{key}'")
            front = self._text(f, "front", rel, citations)
            back = self._text(f, "back", rel, citations)
        tags = []
        for tag, tag_loc in f.strlist("tags"):
            if not re.match(r"^[\w:-]+\Z", tag):
                self.diag.error(tag_loc, f"tag {tag[:60]!r} may only contain letters, digits, '_', ':' and '-' (no spaces)")
            tags.append(tag)
        return Flashcard(
            id=card_id,
            type=cast(CardType, kind or "basic"),  # f.str checked kind against schema.CARD["type"].choices
            front=front,
            back=back,
            extra=self._text(f, "extra", rel, citations),
            tags=tuple(tags),
            concepts=self._concepts(f),
            citations=tuple(citations),
            loc=f.loc_of("id"),
        )
