"""The two documents of a module, from its workshop session plan:

- the facilitator guide (draaiboek): goals, the timetable, per part the facilitator notes, per
  check question the answer and why, per case the situation, assignment and model answer,
  the references;
- the participant handout (werkboek): goals, per part the key messages (the lesson text),
  the check questions without answers, per case the situation and the assignment with ruled
  space, the key messages and reflection question of the closing, the references.

Nothing that answers a question (a correct option, feedback, a model answer) is written into
the handout; tests/test_docx.py holds that.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Course, Module
from . import checks
from .markdown import MarkdownWriter, bold, inline
from .session import check_numbers, cited_keys, clock, lesson_numbers, session_of, timetable
from .wording import Wording
from .writer import DocWriter, Span

LINES_PER_QUESTION = 5
LINES_FOR_NOTES = 4
LINES_FOR_REFLECTION = 6


@dataclass
class Context:
    course: Course
    module: Module
    words: Wording
    writer: DocWriter
    md: MarkdownWriter
    start: str
    slides_name: str

    @property
    def plan(self):
        return session_of(self.module)


# -- shared parts -------------------------------------------------------------------------------


def _title(ctx: Context, kind: str) -> None:
    w, writer = ctx.words, ctx.writer
    writer.paragraph(ctx.module.title, "Title")
    label = w("module_label", number=ctx.module.number)
    writer.paragraph(w("label_joiner").join([w(kind), label, ctx.course.title]), "Subtitle")


def _goals(ctx: Context) -> None:
    ctx.writer.heading(ctx.words("goals"), 1)
    for objective in ctx.module.objectives:
        ctx.writer.list_item(inline(objective), 0, ctx.writer.bullets)


def _references(ctx: Context) -> None:
    keys = cited_keys(ctx.module, ctx.plan)
    references = sorted(
        (ctx.course.references[k] for k in keys if k in ctx.course.references), key=lambda r: (r.apa.lower(), r.key)
    )
    if not references:
        return
    heading = ctx.writer.heading(ctx.words("references"), 1)
    heading.paragraph_format.page_break_before = True
    for reference in references:
        ctx.writer.paragraph(inline(reference.apa), "Reference")


def _case_head(ctx: Context, vignette) -> None:
    w, writer = ctx.words, ctx.writer
    writer.paragraph((Span(w("case_setting", setting=vignette.setting), italic=True),), keep_with_next=True)
    writer.paragraph((Span(w("case_role", role=vignette.role), italic=True),), keep_with_next=True)
    writer.heading(w("case_situation"), 3)
    ctx.md.write(vignette.situation)


def _options(ctx: Context, item) -> None:
    shown = checks.shown(item, ctx.words)
    for label, text in shown.options:
        ctx.writer.paragraph((Span(f"{label}.  ", bold=True),) + inline(text), "List Paragraph")
    if shown.answers:
        ctx.writer.paragraph("")
        for label, text in shown.answers:
            ctx.writer.paragraph((Span(f"{label}.  ", bold=True),) + inline(text), "List Paragraph")


def _minutes(ctx: Context, minutes: int) -> str:
    return ctx.words("minutes", minutes=minutes)


# -- the facilitator guide ----------------------------------------------------------------------


def write_guide(ctx: Context) -> None:
    w, writer, plan, module = ctx.words, ctx.writer, ctx.plan, ctx.module
    _title(ctx, "guide")
    rows = timetable(module, plan, w)
    lessons = sum(1 for p in plan.parts if p.kind == "lesson")
    check_count = len(check_numbers(plan))
    cases = sum(1 for p in plan.parts if p.kind == "case")
    facts = [
        (
            w("facts_duration"),
            w("facts_duration_value", minutes=plan.minutes, start=ctx.start, end=clock(ctx.start, plan.minutes)),
        ),
        (w("facts_parts"), w("facts_parts_value", lessons=lessons, checks=check_count, cases=cases)),
        (w("facts_materials"), w("facts_materials_value", deck=ctx.slides_name)),
    ]
    for label, value in facts:
        writer.paragraph((Span(label + ": ", bold=True), Span(value)))
    if getattr(plan, "default", False):
        writer.paragraph((Span(w("facts_default_plan"), italic=True),))
    _goals(ctx)

    writer.heading(w("timetable"), 1)
    writer.paragraph(w("timetable_intro", start=ctx.start), "Instruction")
    header = [w("col_time"), w("col_minutes"), w("col_activity"), w("col_form"), w("col_slides"), w("col_materials")]
    table_rows = [[clock(ctx.start, r.start), _minutes(ctx, r.minutes), r.activity, r.form, r.slides, r.materials] for r in rows]
    total = sum(r.minutes for r in rows)
    table_rows.append([clock(ctx.start, total), _minutes(ctx, total), w("row_end"), "", "", ""])
    writer.table(header, table_rows, [9, 9, 30, 15, 19, 18], bold_last=True)

    heading = writer.heading(w("course_of_action"), 1)
    heading.paragraph_format.page_break_before = True
    writer.heading(f"{w('row_opening')} ({_minutes(ctx, plan.opening_minutes)})", 2)
    writer.paragraph(w("opening_tip"))
    numbers = lesson_numbers(module)
    check_no = check_numbers(plan)
    lessons_by_id = {lesson.id: lesson for lesson in module.lessons}
    vignettes = {v.id: v for v in module.vignettes}
    quiz = {q.id: q for q in module.quiz}
    for part in plan.parts:
        if part.kind == "lesson":
            _guide_lesson(ctx, lessons_by_id[part.lesson], numbers[part.lesson], part.minutes)
        elif part.kind == "check":
            for item_id in part.items:
                _guide_check(ctx, quiz[item_id], check_no[item_id], part)
        elif part.kind == "case":
            _guide_case(ctx, vignettes[part.vignette], part)
        elif part.kind == "break":
            writer.heading(w("break_heading", minutes=_minutes(ctx, part.minutes)), 2)
            writer.paragraph(w("break_text"))
        elif part.kind == "closing":
            _guide_closing(ctx, part)
    _references(ctx)


def _guide_lesson(ctx: Context, lesson, number: int, minutes: int) -> None:
    w, writer = ctx.words, ctx.writer
    label = w("lesson_label", number=number)
    writer.heading(f"{label}: {lesson.title} ({_minutes(ctx, minutes)})", 2)
    if lesson.objectives:
        writer.paragraph((Span(w("lesson_objectives"), bold=True),), keep_with_next=True)
        for objective in lesson.objectives:
            writer.list_item(inline(objective), 0, writer.bullets)
    for section in lesson.sections:
        notes = section.notes
        title = section.title
        if notes is not None and notes.minutes:
            title = w("section_minutes", title=title, minutes=_minutes(ctx, notes.minutes))
        writer.heading(title, 3)
        ctx.md.diagrams(section.body)  # the model the participants see, beside what to say about it
        if notes is not None and notes.script:
            ctx.md.write(notes.script)
        else:
            writer.paragraph((Span(w("no_notes"), italic=True),))


def _guide_check(ctx: Context, item, number: int, part) -> None:
    w, writer = ctx.words, ctx.writer
    writer.heading(w("check_heading", number=number), 2)
    mark = writer.mark()
    writer.paragraph(w("check_instruction"), "Instruction")
    ctx.md.write(item.question)
    writer.paragraph((Span(w(f"instruction_{item.type}"), italic=True),), keep_with_next=True)
    _options(ctx, item)
    answer = checks.key(item, w)
    writer.paragraph((Span(answer.label, bold=True),), "Answer", keep_with_next=True)
    for line in answer.answers:
        writer.paragraph(inline(line), "Answer")
    if answer.why:
        writer.paragraph((Span(w("why_label") + " ", bold=True),) + inline(answer.why), "Answer")
    writer.keep_together(mark)  # the question, its options and the answer on one page
    if answer.feedback:
        writer.paragraph((Span(w("feedback_label"), italic=True),), keep_with_next=True)
        for label, feedback in answer.feedback:
            writer.paragraph((Span(f"{label}: ", bold=True),) + inline(feedback), "List Paragraph")


def _guide_case(ctx: Context, vignette, part) -> None:
    w, writer = ctx.words, ctx.writer
    writer.heading(f"{w('case_heading', title=vignette.title)} ({_minutes(ctx, part.minutes)})", 2)
    writer.paragraph(
        w("case_work", form=w(f"form_{part.form}"), minutes=part.work_minutes, discussion=part.discussion_minutes), "Instruction"
    )
    if getattr(part, "essentials", None):
        writer.paragraph(w("case_essentials"), "Instruction")
    _case_head(ctx, vignette)
    writer.heading(w("case_assignment"), 3)
    numbering = writer.new_numbering()
    for question in part.task:
        writer.list_item(inline(question), 0, numbering)
    writer.heading(w("case_model_answer"), 3)
    writer.paragraph(w("case_discussion_tip"), "Instruction")
    ctx.md.write(vignette.model_answer, "Answer")


def _messages(ctx: Context, part) -> list:
    messages = list(getattr(part, "messages", ()) or ())
    if messages:
        return messages
    return list(ctx.module.objectives)


def _guide_closing(ctx: Context, part) -> None:
    w, writer = ctx.words, ctx.writer
    writer.heading(w("closing_heading", minutes=_minutes(ctx, part.minutes)), 2)
    writer.paragraph(w("closing_tip"), "Instruction")
    writer.paragraph((Span(w("closing_messages"), bold=True),), keep_with_next=True)
    for message in _messages(ctx, part):
        spans = inline(message.text if hasattr(message, "text") else message)
        writer.list_item(spans, 0, writer.bullets)
    writer.paragraph((Span(w("closing_reflection"), bold=True),), keep_with_next=True)
    writer.paragraph(getattr(part, "reflection", "") or w("default_reflection"))


# -- the participant handout --------------------------------------------------------------------


def write_handout(ctx: Context) -> None:
    w, writer, plan, module = ctx.words, ctx.writer, ctx.plan, ctx.module
    _title(ctx, "handout")
    writer.paragraph(w("handout_intro"))
    _goals(ctx)
    numbers = lesson_numbers(module)
    check_no = check_numbers(plan)
    lessons_by_id = {lesson.id: lesson for lesson in module.lessons}
    vignettes = {v.id: v for v in module.vignettes}
    quiz = {q.id: q for q in module.quiz}
    for part in plan.parts:
        if part.kind == "lesson":
            _handout_lesson(ctx, lessons_by_id[part.lesson], numbers[part.lesson])
        elif part.kind == "check":
            for item_id in part.items:
                _handout_check(ctx, quiz[item_id], check_no[item_id])
        elif part.kind == "case":
            _handout_case(ctx, vignettes[part.vignette], part)
        elif part.kind == "closing":
            _handout_closing(ctx, part)
    _references(ctx)


def _handout_lesson(ctx: Context, lesson, number: int) -> None:
    w, writer = ctx.words, ctx.writer
    heading = writer.heading(f"{w('lesson_label', number=number)}: {lesson.title}", 1)
    heading.paragraph_format.page_break_before = True
    for section in lesson.sections:
        writer.heading(section.title, 2)
        ctx.md.write(section.body)
    writer.paragraph((Span(w("notes_space"), bold=True),), keep_with_next=True)
    writer.writing_lines(LINES_FOR_NOTES)


def _handout_check(ctx: Context, item, number: int) -> None:
    w, writer = ctx.words, ctx.writer
    writer.heading(w("check_handout_heading", number=number), 2)
    mark = writer.mark()
    ctx.md.write(item.question)
    writer.paragraph((Span(w(f"instruction_{item.type}"), italic=True),), keep_with_next=True)
    _options(ctx, item)
    writer.keep_together(mark)


def _handout_case(ctx: Context, vignette, part) -> None:
    w, writer = ctx.words, ctx.writer
    writer.heading(w("case_heading", title=vignette.title), 2)
    _case_head(ctx, vignette)
    writer.heading(w("case_assignment"), 3)
    writer.paragraph(w("case_work_handout", form=w(f"form_{part.form}"), minutes=part.work_minutes), "Instruction")
    for index, question in enumerate(part.task, start=1):
        writer.paragraph((Span(f"{index}.  ", bold=True),) + inline(question), keep_with_next=True)
        writer.writing_lines(LINES_PER_QUESTION)


def _handout_closing(ctx: Context, part) -> None:
    w, writer = ctx.words, ctx.writer
    heading = writer.heading(w("reflection_heading"), 1)
    heading.paragraph_format.page_break_before = True
    writer.heading(w("reflection_module_messages"), 2)
    for message in _messages(ctx, part):
        spans = inline(message.text if hasattr(message, "text") else message)
        writer.list_item(spans, 0, writer.bullets)
    writer.heading(w("closing_reflection"), 2)
    writer.paragraph(bold(inline(getattr(part, "reflection", "") or w("default_reflection"))), keep_with_next=True)
    writer.writing_lines(LINES_FOR_REFLECTION)
