"""Reads a module's session plan (``session.yaml``: what the workshop contains, in order), or
makes the default plan when the module has none. The authoring guide documents the format.

A plan is a list of parts; each part is a mapping named by one key:

- ``lesson: <lesson id>`` — the lesson's section slide and all its sections;
- ``check: [<quiz item id>, ...]`` — one to three plenary check questions;
- ``case: <vignette id>`` with ``form``, ``minutes`` (work), ``discussion``, ``task``, ``essentials``;
- ``break: <minutes>``;
- ``closing: <minutes>`` with ``messages`` (key messages) and ``reflection`` — the last part.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Diagnostics
from ..model import BreakPart, CasePart, CheckPart, ClosingPart, GroupForm, LessonPart, Module, SessionPlan, SourceLoc
from .fields import Field, Fields
from .files import SourceTree
from .markdown_source import MarkdownReader
from .yamlsource import YMap, load_yaml

FILE = "session.yaml"
DEFAULT_LIMIT = 180  # minutes a session may take unless the plan says ``duration``
DEFAULT_OPENING = 5  # title, agenda and objectives
CHECK_MINUTES = 3  # per plenary check question
CASE_WORK_MINUTES = 10
CASE_DISCUSSION_MINUTES = 10
BREAK_MINUTES = 15
BREAK_AFTER = 90  # a default session longer than this gets a break
CLOSING_MINUTES = 10
DEFAULT_CASES = 2
MAX_CHECK_ITEMS = 3
MAX_CASES = 2
MAX_ESSENTIAL_WORDS = 70  # what the situation slide holds at 24 pt
MAX_MESSAGES = 5
FORMS: dict[str, GroupForm] = {"alone": "alone", "pairs": "pairs", "groups": "groups"}

PLAN = {
    "duration": Field("int", False, "The longest the session may take, in minutes (default 180); check warns above it."),
    "opening": Field("int", False, "Minutes for the title, agenda and objectives (default 5)."),
    "parts": Field("list", True, "The parts of the session, in order."),
}

PARTS = {
    "lesson": {
        "lesson": Field("str", True, "Id of a lesson of this module: its section slide and all its sections."),
    },
    "check": {
        "check": Field("strlist", True, "One to three quiz item ids of this module, asked plenary."),
        "minutes": Field("int", False, "Minutes for the questions (default 3 per question)."),
    },
    "case": {
        "case": Field("str", True, "Id of a vignette of this module."),
        "form": Field("str", True, "How participants work: alone, pairs or groups.", ("alone", "pairs", "groups")),
        "minutes": Field("int", True, "Minutes of work on the assignment."),
        "discussion": Field("int", False, "Minutes of plenary discussion afterwards (default 10)."),
        "task": Field("strlist", False, "The assignment's questions on the slide (default: the case's questions)."),
        "essentials": Field("str", False, "What the situation slide shows when the whole situation is too long (Markdown)."),
    },
    "break": {
        "break": Field("int", True, "Minutes of the break."),
    },
    "closing": {
        "closing": Field("int", True, "Minutes of the closing."),
        "messages": Field("strlist", False, "The key messages of the module (at most 5; default: its objectives)."),
        "reflection": Field("str", False, "One reflection question (default: the standard question)."),
    },
}


def with_session(tree: SourceTree, folder: Path, module: Module, md: MarkdownReader, diag: Diagnostics) -> Module:
    """``module`` with its session plan."""
    return replace(module, session=read_session(tree, folder, module, md, diag))


def read_session(tree: SourceTree, folder: Path, module: Module, md: MarkdownReader, diag: Diagnostics) -> SessionPlan:
    """The module's plan from ``session.yaml``, or its default plan when there is no such file."""
    path = folder / FILE
    if not tree.inside(path) or not path.is_file():
        plan = default_plan(module, SourceLoc(f"{tree.rel(folder)}/{FILE}"))
        _check_duration(plan, diag, SourceLoc(module.loc.path, 1, 1))
        return plan
    rel = tree.rel(path)
    # a file of the module that failed to load has been reported: its ids are not "unknown"
    broken = {d.loc.path for d in diag._items if d.severity == "error"}
    text = tree.read_text(path, diag)
    raw = None
    if text is not None:
        raw, problems = load_yaml(text, rel)
        diag.extend(problems)
    plan = SessionReader(module, md, diag, rel, broken).plan(raw, SourceLoc(rel))
    return plan


def _check_duration(plan: SessionPlan, diag: Diagnostics, loc: SourceLoc) -> None:
    if plan.minutes > plan.limit:
        where = "its default session plan" if plan.default else "the session plan"
        diag.warning(
            loc,
            f"{where} takes {plan.minutes} minutes, more than the {plan.limit} minutes the module allows "
            f"(shorten it, or raise 'duration' in {FILE})",
        )


def lesson_minutes(module: Module, lesson_id: str) -> int:
    """A lesson's time in the room: the minutes of its sections' notes (its ``minutes`` if none has any)."""
    lesson = next(x for x in module.lessons if x.id == lesson_id)
    noted = [s.notes.minutes for s in lesson.sections if s.notes is not None and s.notes.minutes]
    return sum(noted) if noted else lesson.minutes


def default_plan(module: Module, loc: SourceLoc) -> SessionPlan:
    """Every lesson, each followed by one check question (its first quiz item, else the next
    item that belongs to no lesson) and (up to two in all) its first case; a break halfway in
    a session over 90 minutes; the closing."""
    parts: list = []
    cases = 0
    lesson_ids = {lesson.id for lesson in module.lessons}
    loose = [q for q in module.quiz if q.lesson not in lesson_ids]  # items of no lesson stand in where a lesson has none
    for lesson in module.lessons:
        parts.append(LessonPart(lesson.id, lesson_minutes(module, lesson.id), loc))
        item = next((q for q in module.quiz if q.lesson == lesson.id), None) or (loose.pop(0) if loose else None)
        if item is not None:
            parts.append(CheckPart((item.id,), CHECK_MINUTES, loc))
        vignette = next((v for v in module.vignettes if v.lesson == lesson.id), None)
        if vignette is not None and cases < DEFAULT_CASES:
            parts.append(
                CasePart(vignette.id, vignette.questions, "groups", CASE_WORK_MINUTES, CASE_DISCUSSION_MINUTES, None, loc)
            )
            cases += 1
    total = DEFAULT_OPENING + sum(p.minutes for p in parts) + CLOSING_MINUTES
    if total > BREAK_AFTER and len(parts) > 1:
        elapsed, at = DEFAULT_OPENING, len(parts) - 1
        for index, part in enumerate(parts):
            elapsed += part.minutes
            if elapsed >= total / 2 and index < len(parts) - 1:
                at = index + 1
                # a check or case belongs with the lesson before it: the break comes after them
                while at < len(parts) and parts[at].kind in ("check", "case"):
                    at += 1
                break
        parts.insert(at, BreakPart(BREAK_MINUTES, loc))
    parts.append(ClosingPart((), "", CLOSING_MINUTES, loc))
    return SessionPlan(DEFAULT_OPENING, tuple(parts), DEFAULT_LIMIT, True, loc)


class SessionReader:
    def __init__(
        self, module: Module, md: MarkdownReader, diag: Diagnostics, rel: str, broken: set[str] | frozenset[str] = frozenset()
    ) -> None:
        self.module = module
        self.md = md
        self.diag = diag
        self.rel = rel
        self.citations: list[str] = []
        self.lessons = {lesson.id for lesson in module.lessons}
        self.quiz = {q.id: q for q in module.quiz}
        self.vignettes = {v.id: v for v in module.vignettes}
        folder = rel.rsplit("/", 1)[0]
        self.quiz_complete = f"{folder}/quiz.yaml" not in broken
        self.vignettes_complete = f"{folder}/vignettes.yaml" not in broken
        self.lessons_complete = not any(p.startswith(f"{folder}/lessons/") for p in broken)

    def plan(self, raw: object, loc: SourceLoc) -> SessionPlan:
        if raw is None:  # unreadable or empty: reported; the default keeps the build going
            return default_plan(self.module, loc)
        f = Fields(raw, PLAN, "session plan", self.diag, loc)
        limit = f.int("duration", DEFAULT_LIMIT, minimum=1) or DEFAULT_LIMIT
        opening = f.int("opening", DEFAULT_OPENING, minimum=0) or 0
        entries = f.list("parts")
        parts = []
        closings = []  # where each closing is among all the parts written, valid or not
        for index, entry in enumerate(entries):
            if isinstance(entry, YMap) and "closing" in entry:
                closings.append((index, entries.loc_of(index)))
            part = self.part(entry, entries.loc_of(index))
            if part is not None:
                parts.append(part)
        where = f.loc_of("parts") if f.has("parts") else f.loc
        self._check_order(parts, where)
        if entries and not closings:
            self.diag.error(where, "the session plan has no closing (add '- closing: 10' as its last part)")
        elif closings and [i for i, _ in closings] != [len(entries) - 1]:
            self.diag.error(closings[0][1], "the closing must be the last part of the session plan, and there is one")
        plan = SessionPlan(opening, tuple(parts), limit, False, f.loc, tuple(self.citations))
        if f.ok and f.has("parts"):
            _check_duration(plan, self.diag, f.loc_of("duration") if f.has("duration") else f.loc)
        return plan

    def part(self, raw: object, loc: SourceLoc):
        kinds = [k for k in PARTS if isinstance(raw, YMap) and k in raw]
        if not isinstance(raw, YMap) or len(kinds) != 1:
            found = f"{', '.join(kinds)}" if kinds else "none"
            self.diag.error(
                loc,
                f"a part of the session plan starts with one of {', '.join(PARTS)} (e.g. '- lesson: <lesson id>'); found {found}",
            )
            return None
        kind = kinds[0]
        f = Fields(raw, PARTS[kind], f"{kind} part", self.diag, loc)
        return getattr(self, f"_{kind}")(f)

    def _lesson(self, f: Fields):
        lesson_id = f.str("lesson")
        if lesson_id not in self.lessons:
            if not self.lessons_complete:
                return None
            self.diag.error(
                f.loc_of("lesson"),
                f"unknown lesson '{lesson_id}' (it must be a lesson of this module: {', '.join(sorted(self.lessons))})",
            )
            return None
        return LessonPart(lesson_id, lesson_minutes(self.module, lesson_id), f.loc)

    def _check(self, f: Fields):
        items = []
        for item_id, loc in f.strlist("check"):
            if item_id not in self.quiz:
                if self.quiz_complete:
                    self.diag.error(loc, f"unknown quiz item '{item_id}' (it must be a quiz item of this module)")
            elif item_id in items:
                self.diag.error(loc, f"quiz item '{item_id}' is named twice in this check")
            else:
                items.append(item_id)
        if not 1 <= len(f.strlist("check")) <= MAX_CHECK_ITEMS:
            self.diag.error(f.loc_of("check"), f"a check asks 1 to {MAX_CHECK_ITEMS} questions, not {len(f.strlist('check'))}")
        if not items:
            return None
        return CheckPart(
            tuple(items), f.int("minutes", CHECK_MINUTES * len(items), minimum=1) or CHECK_MINUTES * len(items), f.loc
        )

    def _case(self, f: Fields):
        vignette_id = f.str("case")
        vignette = self.vignettes.get(vignette_id)
        form: GroupForm = FORMS.get(f.str("form", "groups"), "groups")  # read first: its mistakes count even for an unknown case
        if vignette is None:
            if self.vignettes_complete:
                self.diag.error(f.loc_of("case"), f"unknown case '{vignette_id}' (it must be a vignette of this module)")
            return None
        if f.has("task"):
            task = tuple(self.md.read(text, self.rel, loc, self.citations).text for text, loc in f.strlist("task"))
        else:
            task = vignette.questions
        essentials = None
        if f.has("essentials"):
            essentials = self.md.read(f.str("essentials"), self.rel, f.loc_of("essentials"), self.citations)
            words = len(re.findall(r"\w+", essentials.text))
            if words > MAX_ESSENTIAL_WORDS:
                self.diag.warning(
                    f.loc_of("essentials"),
                    f"the essentials of case '{vignette_id}' have {words} words; at most "
                    f"{MAX_ESSENTIAL_WORDS} fit on the situation slide at 24 pt",
                )
        return CasePart(
            vignette_id,
            task,
            form,
            f.int("minutes", CASE_WORK_MINUTES, minimum=1) or 1,
            f.int("discussion", CASE_DISCUSSION_MINUTES, minimum=0) or 0,
            essentials,
            f.loc,
        )

    def _break(self, f: Fields):
        return BreakPart(f.int("break", BREAK_MINUTES, minimum=1) or BREAK_MINUTES, f.loc)

    def _closing(self, f: Fields):
        messages = tuple(self.md.read(text, self.rel, loc, self.citations) for text, loc in f.strlist("messages"))
        if len(messages) > MAX_MESSAGES:
            self.diag.error(f.loc_of("messages"), f"a closing has at most {MAX_MESSAGES} key messages, not {len(messages)}")
        reflection = (
            self.md.read(f.str("reflection"), self.rel, f.loc_of("reflection"), self.citations).text
            if f.has("reflection")
            else ""
        )
        return ClosingPart(
            messages[:MAX_MESSAGES], reflection, f.int("closing", CLOSING_MINUTES, minimum=1) or CLOSING_MINUTES, f.loc
        )

    def _check_order(self, parts: list, loc: SourceLoc) -> None:
        seen_lessons: set[str] = set()
        seen_items: set[str] = set()
        seen_cases: set[str] = set()
        for part in parts:
            if part.kind == "lesson":
                if part.lesson in seen_lessons:
                    self.diag.error(part.loc, f"lesson '{part.lesson}' is in the session plan twice")
                seen_lessons.add(part.lesson)
            elif part.kind == "check":
                for item_id in part.items:
                    if item_id in seen_items:
                        self.diag.warning(part.loc, f"quiz item '{item_id}' is asked twice in the session")
                    seen_items.add(item_id)
            elif part.kind == "case":
                if part.vignette in seen_cases:
                    self.diag.error(part.loc, f"case '{part.vignette}' is in the session plan twice")
                seen_cases.add(part.vignette)
        if not any(p.kind == "lesson" for p in parts) and self.lessons_complete:
            self.diag.error(loc, "the session plan has no lesson (add '- lesson: <lesson id>')")
        cases = sum(1 for p in parts if p.kind == "case")
        if cases > MAX_CASES:
            self.diag.warning(loc, f"the session plan has {cases} cases; a session has room for 1 or 2")
