"""The workshop session of a module as the documents follow it, and the guide's timetable.

The session plan is the model's (``Module.session``: lesson parts, checks, cases, breaks, the
closing, in order, with their minutes). The timetable turns it into rows with clock times from
the start time in course.yaml; the rows' minutes add up to the plan's computed duration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model import Module


def session_of(module: Module):
    """The module's session plan (the loader always sets one; a module without ``session.yaml``
    gets its default plan)."""
    plan = getattr(module, "session", None)
    return plan if plan is not None else derived_plan(module)


# -- a plan derived from the model, for a model without session plans ---------------------------


@dataclass(frozen=True)
class _Part:
    kind: str
    minutes: int = 0
    lesson: str = ""
    items: tuple[str, ...] = ()
    vignette: str = ""
    task: tuple[str, ...] = ()
    form: str = "groups"
    work_minutes: int = 0
    discussion_minutes: int = 0
    messages: tuple = ()
    reflection: str = ""


@dataclass(frozen=True)
class _Plan:
    opening_minutes: int
    parts: tuple[_Part, ...]
    default: bool = True

    @property
    def minutes(self) -> int:
        return self.opening_minutes + sum(part.minutes for part in self.parts)


def derived_plan(module: Module) -> _Plan:
    """Every lesson in order, each with one check question and its first case: what the
    documents follow when the model carries no session plan."""
    parts: list[_Part] = []
    for lesson in module.lessons:
        noted = [s.notes.minutes for s in lesson.sections if s.notes is not None and s.notes.minutes]
        parts.append(_Part("lesson", sum(noted) if noted else lesson.minutes, lesson=lesson.id))
        item = next((q for q in module.quiz if q.lesson == lesson.id), None)
        if item is not None:
            parts.append(_Part("check", 3, items=(item.id,)))
        vignette = next((v for v in module.vignettes if v.lesson == lesson.id), None)
        if vignette is not None:
            parts.append(_Part("case", 20, vignette=vignette.id, task=vignette.questions, work_minutes=10, discussion_minutes=10))
    parts.append(_Part("closing", 10))
    return _Plan(5, tuple(parts))


@dataclass(frozen=True)
class Row:
    """One line of the timetable: starts ``start`` minutes after the session starts."""

    start: int
    minutes: int
    activity: str
    form: str
    slides: str
    materials: str


def clock(start: str, offset: int) -> str:
    """``start`` ('HH:MM') plus ``offset`` minutes, as 'HH:MM' (past midnight wraps round)."""
    hours, minutes = (int(part) for part in start.split(":"))
    total = (hours * 60 + minutes + offset) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def lesson_numbers(module: Module) -> dict[str, int]:
    """A lesson's number in its module (1-based, in the module's order), as the slides count it."""
    return {lesson.id: number for number, lesson in enumerate(module.lessons, start=1)}


def check_numbers(plan) -> dict[str, int]:
    """Each check question's number in the session (1-based, in the order asked)."""
    numbers: dict[str, int] = {}
    for part in plan.parts:
        if part.kind == "check":
            for item_id in part.items:
                numbers.setdefault(item_id, len(numbers) + 1)
    return numbers


def timetable(module: Module, plan, words: Callable[..., str]) -> list[Row]:
    """The rows of the guide's timetable, in order; their minutes sum to ``plan.minutes``."""
    lessons = {lesson.id: lesson for lesson in module.lessons}
    vignettes = {vignette.id: vignette for vignette in module.vignettes}
    numbers = lesson_numbers(module)
    checks = check_numbers(plan)
    rows: list[Row] = []
    elapsed = 0

    def add(minutes: int, activity: str, form: str, slides: str, materials: str) -> None:
        nonlocal elapsed
        rows.append(Row(elapsed, minutes, activity, form, slides, materials))
        elapsed += minutes

    add(plan.opening_minutes, words("row_opening"), words("form_plenary"), words("slides_opening"), words("materials_opening"))
    for part in plan.parts:
        if part.kind == "lesson":
            lesson = lessons[part.lesson]
            label = words("lesson_label", number=numbers[lesson.id])
            add(
                part.minutes,
                words("row_lesson", label=label, title=lesson.title),
                words("form_lesson"),
                words("slides_lesson", sections=len(lesson.sections)),
                words("materials_lesson", label=label),
            )
        elif part.kind == "check":
            asked = [str(checks[item_id]) for item_id in part.items]
            key = "row_check" if len(asked) == 1 else "row_checks"
            add(
                part.minutes,
                words(key, numbers=_joined(asked, words)),
                words("form_plenary"),
                words("slides_check"),
                words("materials_check"),
            )
        elif part.kind == "case":
            title = vignettes[part.vignette].title
            add(
                part.work_minutes,
                words("row_case_work", title=title),
                words(f"form_{part.form}"),
                words("slides_case_work"),
                words("materials_case_work"),
            )
            if part.discussion_minutes:
                add(
                    part.discussion_minutes,
                    words("row_case_discussion", title=title),
                    words("form_plenary"),
                    words("slides_case_discussion"),
                    words("materials_case_discussion"),
                )
        elif part.kind == "break":
            add(part.minutes, words("row_break"), words("empty"), words("slides_break"), words("empty"))
        elif part.kind == "closing":
            add(part.minutes, words("row_closing"), words("form_plenary"), words("slides_closing"), words("materials_closing"))
    return rows


def _joined(numbers: list[str], words: Callable[..., str]) -> str:
    if len(numbers) <= 1:
        return "".join(numbers)
    return ", ".join(numbers[:-1]) + words("and") + numbers[-1]


def cited_keys(module: Module, plan) -> list[str]:
    """The bibliography keys the documents' text cites: the plan's lessons, cases and check
    questions, and the plan's own text (key messages, essentials)."""
    lessons = {p.lesson for p in plan.parts if p.kind == "lesson"}
    cases = {p.vignette for p in plan.parts if p.kind == "case"}
    items = {i for p in plan.parts if p.kind == "check" for i in p.items}
    keys: dict[str, None] = {}
    for group, chosen in ((module.lessons, lessons), (module.vignettes, cases), (module.quiz, items)):
        for item in group:
            if item.id in chosen:
                for key in item.citations:
                    keys.setdefault(key, None)
    for key in getattr(plan, "citations", ()):
        keys.setdefault(key, None)
    return list(keys)
