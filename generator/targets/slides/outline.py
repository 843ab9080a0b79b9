"""What the slides of a deck say, in order: course model → slide specs (no PowerPoint here).

A module deck: title, learning objectives, then per lesson a section slide, one slide per
section (more when it does not fit; the paginator decides), and the vignettes that belong to
that lesson; then the other vignettes, the quiz (question slide, answer slide), and the
references cited in the deck. The course deck strings the modules together: the course's
title slide, then each module opening with a title-layout slide of its own, and one reference
list at the end.

Quiz slides are for plenary use: the question slide lists the options (A, B, ...; for
true/false the "Waar"/"Niet waar" labels; an order item in a fixed shuffle; a matching item
as a numbered and a lettered column), the answer slide marks what is right and gives the
feedback. Notes: a section's facilitator script and timing; a case's model answer; a quiz
item's answer and feedback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ...model import (
    BreakPart,
    CasePart,
    CheckPart,
    ClosingPart,
    Course,
    Lesson,
    LessonPart,
    Markdown,
    Module,
    QuizItem,
    SessionPlan,
    Vignette,
)
from ...shuffle import shown_matches, shown_options
from .blocks import Block, Bullet, Para, Picture, Run, Table, inline_runs, to_blocks
from .citations import SlideCitations
from .wording import Wording

CONTENT_MIN = 20.0  # a section shrinks to this body size before it continues on a follow-up slide
QUIZ_MIN = 18.0  # a quiz question, an assignment: read as a whole, so they shrink further
CASE_MIN = 24.0  # a case's situation is read from the back of the room: it never shrinks below 24 pt
MIN_AGENDA = 18.0
CHECK = Bullet("char", char="✓", font="DejaVu Sans", colour="accent1")
CROSS = Bullet("char", char="✗", font="DejaVu Sans", colour="tx1:lumMod=50000,lumOff=50000")


@dataclass
class SlideSpec:
    """One slide before it is fitted: which layout, and the text for each placeholder role.

    ``side`` holds pictures shown beside the body (the two-content layout). ``notes`` are the
    speaker notes; ``continued_notes`` replace them on follow-up slides ("(vervolg)")."""

    layout: str
    title: str
    kicker: str = ""
    subtitle: tuple[Para, ...] = ()
    body: tuple[Block, ...] = ()
    side: tuple[Picture, ...] = ()
    notes: tuple[Para, ...] = ()
    logo: str | None = None
    continued_notes: tuple[Para, ...] = field(default_factory=tuple)
    shrink_to: float | None = None  # smallest body size (pt) tried before splitting onto a follow-up slide
    body2: tuple[Block, ...] = ()  # text of the second column (two-content), fitted beside ``body``
    fallbacks: tuple[tuple[Block, ...], ...] = ()  # shorter bodies, tried in order when ``body`` needs two slides
    wide_layout: str | None = None  # where ``body`` and ``body2`` go one under the other when they do not fit side by side
    must_fit: tuple | None = None  # (what, id, SourceLoc) of a slide the room reads as one: ``check`` warns when it is continued


def _p(text: str, **kw) -> Para:
    return Para((Run(text),), **kw) if text else Para(())


def _md_paras(md: Markdown | str) -> list[Para]:
    """Markdown as paragraphs only (for notes): tables become rows of text, pictures their alt."""
    paras: list[Para] = []
    for block in to_blocks(md):
        if isinstance(block, Para):
            paras.append(block)
        elif isinstance(block, Table):
            for row in block.rows:
                runs: list[Run] = []
                for index, cell in enumerate(row):
                    if index:
                        runs.append(Run(" | "))
                    runs.extend(cell)
                paras.append(Para(tuple(runs)))
        elif isinstance(block, Picture) and block.alt:
            paras.append(_p(f"[{block.alt}]"))
    return paras


def _bullets(items, depth: int = 1) -> list[Para]:
    return [Para(inline_runs(item), depth=depth, bullet=Bullet("level")) for item in items if str(item).strip()]


class Outliner:
    def __init__(self, course: Course, words: Wording) -> None:
        self.course = course
        self.words = words
        self.citations = SlideCitations([course.references[k] for k in notes_only_keys(course) if k in course.references])

    # -- decks -----------------------------------------------------------------
    def module_deck(self, module: Module) -> list[SlideSpec]:
        """The workshop of one module, as its session plan has it."""
        session = _session(module)
        w = self.words
        label = w("label_joiner").join([w("module_label", number=module.number), w("minutes", minutes=session.minutes)])
        slides = [
            SlideSpec(
                "title",
                module.title,
                subtitle=(_p(self.course.title), _p(label)),
                logo=self.course.theme.logo,
                notes=tuple(self._module_notes(module)),
            )
        ]
        slides += self._session_body(module)
        slides += self._references(self._session_citations([module]))
        return slides

    def course_deck(self) -> list[SlideSpec]:
        w = self.words
        course = self.course
        minutes = sum(_session(m).minutes for m in course.modules)
        notes = [_p(w("notes_title_course", title=course.title, modules=len(course.modules)))]
        notes += [
            _p(
                w("notes_programme_item", title=f"{w('module_label', number=m.number)}: {m.title}", minutes=_session(m).minutes),
                depth=1,
            )
            for m in course.modules
        ]
        notes += _md_paras(course.description)
        subtitle = [_p(course.subtitle)] if course.subtitle else []
        subtitle.append(_p(w("minutes", minutes=minutes)))
        slides = [SlideSpec("title", course.title, subtitle=tuple(subtitle), logo=course.theme.logo, notes=tuple(notes))]
        for module in course.modules:
            label = w("label_joiner").join(
                [w("module_label", number=module.number), w("minutes", minutes=_session(module).minutes)]
            )
            # a module opens like a deck of its own (title layout), its lessons with section slides
            slides.append(SlideSpec("title", module.title, subtitle=(_p(label),), notes=tuple(self._module_notes(module))))
            slides += self._session_body(module)
        slides += self._references(self._session_citations(course.modules))
        return slides

    def question_bank_deck(self, module: Module) -> list[SlideSpec]:
        """Every quiz item of the module, question and answer, for trainers who want them all."""
        w = self.words
        slides = [
            SlideSpec(
                "title",
                w("label_joiner").join([w("question_bank"), module.title]),
                subtitle=(_p(self.course.title), _p(w("module_label", number=module.number))),
                logo=self.course.theme.logo,
                notes=(_p(w("notes_quiz_question")),),
            )
        ]
        for number, item in enumerate(module.quiz, start=1):
            slides += self._quiz(item, w("quiz_kicker", number=number, total=len(module.quiz)))
        return slides

    # -- the session -------------------------------------------------------------
    def _module_notes(self, module: Module) -> list[Para]:
        w = self.words
        session = _session(module)
        notes = [_p(w("notes_title_module", number=module.number, title=module.title, minutes=session.minutes))]
        notes += [_p(w("notes_programme_item", title=title, minutes=minutes), depth=1) for title, minutes in self._agenda(module)]
        notes += _md_paras(module.description)
        return notes

    def _agenda(self, module: Module) -> list[tuple[str, int]]:
        """The programme: (what, minutes) per part; checks count with the lesson before them."""
        w = self.words
        lessons = {lesson.id: lesson for lesson in module.lessons}
        vignettes = {v.id: v for v in module.vignettes}
        rows: list[list] = [[w("agenda_opening"), _session(module).opening_minutes, "opening"]]
        for part in _session(module).parts:
            if isinstance(part, LessonPart):
                rows.append([w("agenda_lesson", title=lessons[part.lesson].title), part.minutes, "lesson"])
            elif isinstance(part, CheckPart):
                if rows[-1][2] in ("lesson", "lesson+check"):
                    rows[-1][1] += part.minutes
                    if rows[-1][2] == "lesson":
                        rows[-1][0] = w("agenda_lesson_checks", title=rows[-1][0])
                        rows[-1][2] = "lesson+check"
                else:
                    rows.append([w("agenda_check"), part.minutes, "check"])
            elif isinstance(part, CasePart):
                rows.append([w("agenda_case", title=vignettes[part.vignette].title), part.minutes, "case"])
            elif isinstance(part, BreakPart):
                rows.append([w("agenda_break"), part.minutes, "break"])
            elif isinstance(part, ClosingPart):
                rows.append([w("agenda_closing"), part.minutes, "closing"])
        return [(title, minutes) for title, minutes, _ in rows]

    def _session_body(self, module: Module) -> list[SlideSpec]:
        w = self.words
        session = _session(module)
        agenda = self._agenda(module)
        rows = [((Run(w("agenda_part"), bold=True),), (Run(w("agenda_minutes"), bold=True),))]
        rows += [((Run(title),), (Run(str(minutes)),)) for title, minutes in agenda]
        rows.append(((Run(w("agenda_total"), bold=True),), (Run(str(session.minutes), bold=True),)))
        slides = [
            SlideSpec(
                "content",
                w("label_joiner").join([w("agenda"), w("minutes", minutes=session.minutes)]),
                body=(Table(tuple(rows), True, ("l", "r")),),
                notes=(_p(w("notes_agenda", minutes=session.minutes)),),
                shrink_to=MIN_AGENDA,
            )
        ]
        objectives = module.objectives or tuple(o for lesson in module.lessons for o in lesson.objectives)
        if objectives:
            slides.append(
                SlideSpec(
                    "content",
                    w("objectives"),
                    body=tuple(_bullets(objectives)),
                    notes=(_p(w("notes_objectives")),),
                    shrink_to=CONTENT_MIN,
                )
            )
        lessons = {lesson.id: lesson for lesson in module.lessons}
        numbers = {lesson.id: n for n, lesson in enumerate(module.lessons, start=1)}
        vignettes = {v.id: v for v in module.vignettes}
        quiz = {q.id: q for q in module.quiz}
        total = sum(len(p.items) for p in session.parts if isinstance(p, CheckPart))
        asked = 0
        for part in session.parts:
            self.citations.take_removed()
            if isinstance(part, LessonPart):
                slides += self._lesson(lessons[part.lesson], numbers[part.lesson], part.minutes)
            elif isinstance(part, CheckPart):
                for item_id in part.items:
                    asked += 1
                    question, answer = self._quiz(quiz[item_id], w("check_kicker", number=asked, total=total))
                    slides += [
                        replace(question, must_fit=("question", item_id, part.loc)),
                        replace(answer, must_fit=("answer", item_id, part.loc)),
                    ]
            elif isinstance(part, CasePart):
                situation, assignment, discussion = self._case(part, vignettes[part.vignette])
                slides += [
                    replace(situation, must_fit=("situation", part.vignette, part.loc)),
                    replace(assignment, must_fit=("assignment", part.vignette, part.loc)),
                    discussion,
                ]
            elif isinstance(part, BreakPart):
                slides.append(
                    SlideSpec(
                        "section",
                        w("break_title"),
                        subtitle=(_p(w("minutes", minutes=part.minutes)),),
                        notes=(_p(w("notes_break", minutes=part.minutes)),),
                    )
                )
            elif isinstance(part, ClosingPart):
                slides.append(self._closing(module, part))
        return slides

    def _case(self, part, vignette: Vignette) -> list[SlideSpec]:
        """Three slides: the situation; the assignment, which stays up while people work; the
        discussion, with the model answer in its notes (and nowhere else)."""
        w = self.words
        setting = " — ".join(x for x in (vignette.setting, vignette.role) if x)
        intro = _p(w("notes_vignette_situation", setting=vignette.setting.rstrip("."), role=vignette.role).strip())
        full = [Para((Run(w("notes_case_full"), bold=True),))] + _md_paras(vignette.situation)
        situation = [self._showable(b) for b in to_blocks(self.for_slide(part.essentials or vignette.situation))]
        fallbacks = []
        if part.essentials is None:
            # too long for one slide at 24 pt: the first paragraphs that fit, and where the rest is
            paras = [b for b in situation if isinstance(b, Para)]
            pointer = Para((Run(w("case_full_in_handout"), italic=True),), role="small")
            for keep in range(len(paras) - 1, 0, -1):
                fallbacks.append(tuple(paras[:keep]) + (pointer,))
        form = w(f"form_{part.form}")
        questions = tuple(
            Para(inline_runs(self.for_slide(q)), depth=1, bullet=Bullet("auto", scheme="arabicPeriod", start=i))
            for i, q in enumerate(part.task, start=1)
        )
        answer = [Para((Run(w("notes_model_answer"), bold=True),))] + _md_paras(vignette.model_answer)
        return [
            SlideSpec(
                "vignette",
                vignette.title,
                kicker=w("vignette"),
                subtitle=(_p(setting),) if setting else (),
                body=tuple(situation),
                fallbacks=tuple(fallbacks),
                notes=tuple([intro] + full),
                shrink_to=CASE_MIN,
            ),
            SlideSpec(
                "vignette",
                vignette.title,
                kicker=w("label_joiner").join([w("vignette"), w("case_assignment")]),
                subtitle=(_p(w("case_work", form=form, minutes=part.work_minutes)),),
                body=questions,
                notes=(_p(w("notes_case_assignment", form=form.lower(), minutes=part.work_minutes)),),
                shrink_to=QUIZ_MIN,
            ),
            SlideSpec(
                "vignette",
                vignette.title,
                kicker=w("label_joiner").join([w("vignette"), w("case_discussion")]),
                subtitle=(_p(w("case_plenary", minutes=part.discussion_minutes)),),
                body=questions,
                notes=tuple([_p(w("notes_case_discussion", minutes=part.discussion_minutes))] + answer),
                shrink_to=QUIZ_MIN,
            ),
        ]

    def _closing(self, module: Module, part) -> SlideSpec:
        w = self.words
        if part.messages:
            title, items = w("closing_title"), [self.for_slide(m) for m in part.messages]
        else:
            title, items = w("closing_objectives_title"), list(module.objectives)
        reflection = part.reflection or w("default_reflection")
        messages = tuple(Para(inline_runs(m), depth=1, bullet=Bullet("level")) for m in items)
        ask = Para(
            (Run(w("reflection") + " ", bold=True, colour="accent2"),) + inline_runs(self.for_slide(reflection)), role="gap"
        )
        notes = [_p(w("notes_closing")), _p(reflection)]
        removed = self.citations.take_removed()
        if removed:
            notes.append(_p(w("notes_sources", sources="; ".join(removed))))
        return SlideSpec("content", title, body=messages + (ask,), notes=tuple(notes), shrink_to=QUIZ_MIN)

    def _lesson(self, lesson: Lesson, number: int, minutes: int) -> list[SlideSpec]:
        w = self.words
        label = w("label_joiner").join([w("lesson_label", number=number), w("minutes", minutes=minutes)])
        notes = [_p(w("notes_lesson", title=lesson.title, minutes=minutes))]
        if lesson.objectives:
            notes.append(_p(w("notes_lesson_objectives")))
            notes += [_p(o, depth=1) for o in lesson.objectives]
        concepts = self.course.concepts
        labels = [concepts[c].label for c in lesson.concepts if c in concepts]
        if labels:
            notes.append(_p(w("notes_concepts", concepts=", ".join(labels))))
        slides = [SlideSpec("section", lesson.title, subtitle=(_p(label),), notes=tuple(notes))]
        for section in lesson.sections:
            self.citations.take_removed()
            blocks = [self._showable(b) for b in to_blocks(self.for_slide(section.body))]
            removed = self.citations.take_removed()
            pictures = tuple(b for b in blocks if isinstance(b, Picture))
            text = tuple(b for b in blocks if not isinstance(b, Picture))
            notes = []
            if section.notes is not None:
                if section.notes.minutes:
                    notes.append(Para((Run(w("notes_timing", minutes=section.notes.minutes), bold=True),)))
                notes += _md_paras(section.notes.script)
            if removed:
                notes.append(_p(w("notes_sources", sources="; ".join(removed))))
            if not notes:
                notes = [_p(w("notes_none"))]
            continued = (_p(w("notes_continued", title=section.title)),)
            if pictures and text:  # text on the left, pictures on the right
                slides.append(
                    SlideSpec(
                        "two-content",
                        section.title,
                        body=text,
                        side=pictures,
                        notes=tuple(notes),
                        continued_notes=continued,
                        shrink_to=CONTENT_MIN,
                    )
                )
            else:
                slides.append(
                    SlideSpec(
                        "content",
                        section.title,
                        body=tuple(blocks),
                        notes=tuple(notes),
                        continued_notes=continued,
                        shrink_to=CONTENT_MIN,
                    )
                )
        return slides

    def _showable(self, block: Block) -> Block:
        """A picture a slide cannot show (SVG; reported by ``check``) becomes its description."""
        if isinstance(block, Picture):
            image = self.course.images.get(block.path)
            if image is None or image.media_type == "image/svg+xml":
                return Para((Run(self.words("image_missing", alt=block.alt or block.path), italic=True),))
        return block

    def _quiz(self, item: QuizItem, kicker: str) -> list[SlideSpec]:
        """A question for the room: the question slide (options lettered in the order of
        ``generator.shuffle``), then one answer slide with the correct answer and why. The
        feedback on each option is in the notes only, never on a slide. What differs per
        quiz item type is its ``QuizFace`` (``QUIZ_VIEWS``)."""
        w = self.words
        question: list[Block] = [self._showable(b) for b in to_blocks(self.for_slide(item.question))]
        question = [replace(b, keep_with_next=True) if isinstance(b, Para) else b for b in question]
        face = QUIZ_VIEWS[item.type](self, item)
        notes_answer = list(face.notes_answer)
        feedback = [f for f in (item.feedback_correct, item.feedback_incorrect) if f]
        notes_answer += [_p(f) for f in feedback]
        why_paras: tuple[Para, ...] = ()
        if face.why:
            why_paras = (
                Para((Run(w("why"), bold=True),), keep_with_next=True),
                Para(inline_runs(self.for_slide(_without_verdict(face.why))), role="small"),
            )
        # too long for one slide: first without the why, then the answer in letters only (the
        # question slide before it shows what each letter stands for)
        short: list[Para] = []
        if face.letters:
            short = [Para((Run(w("correct_letters", letters=face.letters), bold=True),), depth=1, bullet=CHECK)]
        notes_question = [_p(w("notes_check_question"))]
        if face.trainer_key:  # for the trainer's eyes only: the room sees the answer on the next slide
            notes_question.append(_p(face.trainer_key))
        if face.right:
            question_slide = SlideSpec(
                "two-content",
                w(f"instruction_{item.type}"),
                kicker=kicker,
                body=tuple(question) + face.options,
                body2=face.right,
                wide_layout="quiz question",
                notes=tuple(notes_question),
                shrink_to=QUIZ_MIN,
            )
        else:
            question_slide = SlideSpec(
                "quiz question",
                w(f"instruction_{item.type}"),
                kicker=kicker,
                body=tuple(question) + face.options,
                notes=tuple(notes_question),
                shrink_to=QUIZ_MIN,
            )
        fallbacks = [face.answer] if why_paras else []
        if short:
            fallbacks += [tuple(short) + why_paras, tuple(short)] if why_paras else [tuple(short)]
        answer_slide = SlideSpec(
            "quiz answer",
            w("answer"),
            kicker=kicker,
            body=face.answer + why_paras,
            fallbacks=tuple(fallbacks),
            notes=tuple([_p(w("notes_check_answer"))] + notes_answer),
            shrink_to=QUIZ_MIN,
        )
        return [question_slide, answer_slide]

    # -- one face per quiz item type (generator/quiztypes.py; QUIZ_VIEWS below) -------------
    def _choice_face(self, item: QuizItem) -> QuizFace:
        shown = shown_options(item)
        letters = {o.id: _letter(i) for i, o in enumerate(shown, start=1)}
        correct = sorted((o for o in item.options if o.correct), key=lambda o: letters[o.id])
        options = tuple(
            Para(inline_runs(self.for_slide(o.text)), depth=1, bullet=_alpha(i)) for i, o in enumerate(shown, start=1)
        )
        answer = tuple(
            Para((Run(f"{letters[o.id]}. ", bold=True),) + _bold(inline_runs(self.for_slide(o.text))), depth=1, bullet=CHECK)
            for o in correct
        )
        if item.feedback_correct:
            why = item.feedback_correct
        elif len(correct) == 1:
            why = correct[0].feedback
        else:  # the correct options' own explanations, where they say more than "this is one"
            reasons = [_without_verdict(o.feedback) for o in item.options if o.correct and o.feedback]
            why = " ".join(r for r in reasons if len(re.sub(r"\([^()]*\)", "", r).split()) >= 6)
        notes: list[Para] = []
        for option in shown:
            notes.append(
                Para((Run(f"{letters[option.id]}. {'✓' if option.correct else '✗'} "),) + inline_runs(option.text), depth=1)
            )
            if option.feedback:
                notes.append(Para(inline_runs(option.feedback), depth=2))
        return self._face(options, answer, why, notes, ", ".join(letters[o.id] for o in correct))

    def _truefalse_face(self, item: QuizItem) -> QuizFace:
        w = self.words
        shown = shown_options(item)
        correct = [o for o in item.options if o.correct]
        options = tuple(Para((Run(w(o.id)),), depth=1, bullet=_alpha(i)) for i, o in enumerate(shown, start=1))
        right_option = correct[0] if correct else item.options[0]
        answer = (Para((Run(w("correct_answer", answer=w(right_option.id)), bold=True),), depth=1, bullet=CHECK),)
        notes = [_p(w("correct_answer", answer=w(right_option.id)))]
        for option in item.options:
            if option.feedback:
                notes.append(Para((Run(f"{w(option.id)}: "),) + inline_runs(option.feedback), depth=1))
        return QuizFace(
            options,
            answer,
            right_option.feedback or item.feedback_correct,
            tuple(notes),
            trainer_key=w("correct_answer", answer=w((correct[0] if correct else item.options[0]).id)),
        )

    def _order_face(self, item: QuizItem) -> QuizFace:
        shown = shown_options(item)
        letters = {o.id: _letter(i) for i, o in enumerate(shown, start=1)}
        options = tuple(
            Para(inline_runs(self.for_slide(o.text)), depth=1, bullet=_alpha(i)) for i, o in enumerate(shown, start=1)
        )
        answer = [Para((Run(self.words("correct_order"), bold=True),), keep_with_next=True)]
        for i, option in enumerate(item.options, start=1):
            answer.append(
                Para(
                    (Run(f"{letters[option.id]}. ", bold=True),) + inline_runs(self.for_slide(option.text)),
                    depth=1,
                    bullet=Bullet("auto", scheme="arabicPeriod", start=i),
                )
            )
        notes = [Para(inline_runs(o.text), depth=1) for o in item.options]
        return self._face(options, tuple(answer), item.feedback_correct, notes, " → ".join(letters[o.id] for o in item.options))

    def _match_face(self, item: QuizItem) -> QuizFace:
        w = self.words
        options = tuple(
            Para(inline_runs(self.for_slide(o.text)), depth=1, bullet=Bullet("auto", scheme="arabicPeriod", start=i))
            for i, o in enumerate(item.options, start=1)
        )
        matches = shown_matches(item)
        match_letter = {o.id: _letter(i) for i, o in enumerate(matches, start=1)}
        right = tuple(
            Para(inline_runs(self.for_slide(o.match or "")), depth=1, bullet=_alpha(i)) for i, o in enumerate(matches, start=1)
        )
        answer = [Para((Run(w("correct_pairs"), bold=True),), keep_with_next=True)]
        for i, option in enumerate(item.options, start=1):
            answer.append(
                Para(
                    (Run(f"{i} → {match_letter[option.id]}: ", bold=True),) + inline_runs(self.for_slide(option.match or "")),
                    depth=1,
                    bullet=CHECK,
                )
            )
        notes = [_p(w("pair", left=o.text, right=o.match or ""), depth=1) for o in item.options]
        letters = ", ".join(f"{i} → {match_letter[o.id]}" for i, o in enumerate(item.options, start=1))
        return replace(self._face(options, tuple(answer), item.feedback_correct, notes, letters), right=right)

    def _face(self, options: tuple[Para, ...], answer: tuple[Para, ...], why: str, notes: list[Para], letters: str) -> QuizFace:
        """A face whose answer can be said in letters ("B, D"; "C → A → B"; "1 → B, 2 → A")."""
        trainer_key = self.words("correct_letters", letters=letters) if letters else ""
        return QuizFace(options, answer, why, tuple(notes), letters=letters, trainer_key=trainer_key)

    def for_slide(self, text: Markdown | str) -> Markdown | str:
        """The text as a slide shows it: citations of the course's notes-only keys left out."""
        return self.citations.for_slide(text)

    # -- references --------------------------------------------------------------
    def _citations(self, modules) -> list[str]:
        """Every key the modules cite anywhere but in their cards (what a deck may depend on)."""
        keys: dict[str, None] = {}
        for module in modules:
            for group in (module.lessons, module.vignettes, module.quiz):
                for item in group:
                    for key in item.citations:
                        keys.setdefault(key, None)
            for key in _session(module).citations if module.session else ():
                keys.setdefault(key, None)
        return [k for k in keys if k in self.course.references]

    def _session_citations(self, modules) -> list[str]:
        """The keys cited in what the sessions show, without the notes-only ones."""
        notes_only = set(notes_only_keys(self.course))
        keys: dict[str, None] = {}
        for module in modules:
            session = _session(module)
            used = {p.lesson for p in session.parts if isinstance(p, LessonPart)}
            used |= {p.vignette for p in session.parts if isinstance(p, CasePart)}
            used |= {i for p in session.parts if isinstance(p, CheckPart) for i in p.items}
            for group in (module.lessons, module.vignettes, module.quiz):
                for item in group:
                    if item.id in used:
                        for key in item.citations:
                            keys.setdefault(key, None)
            for key in session.citations:
                keys.setdefault(key, None)
        return [k for k in keys if k in self.course.references and k not in notes_only]

    def _references(self, keys: list[str]) -> list[SlideSpec]:
        """One slide: the sources in short form ("Author (year)"); the full list is in the handout."""
        if not keys:
            return []
        w = self.words
        refs = sorted((self.course.references[k] for k in keys), key=lambda r: (r.cite.casefold(), r.year, r.key))
        short = " · ".join(f"{ref.cite} ({ref.year})" for ref in refs)
        # depth 1: the block indented as a whole, not the references layout's hanging indent
        body = (Para((Run(w("references_short"), italic=True),), depth=1), Para((Run(short),), depth=1))
        return [
            SlideSpec(
                "references",
                w("references"),
                body=body,
                notes=(_p(w("notes_references_short")),),
            )
        ]


def notes_only_keys(course: Course) -> tuple[str, ...]:
    """The bibliography keys whose citations the slides leave to the notes (a setting)."""
    keys = course.settings("slides").get("notes_only_citations", ()) or ()
    return tuple(str(k) for k in keys) if isinstance(keys, (list, tuple)) else ()


def _session(module: Module) -> SessionPlan:
    """The module's session plan (the loader always sets one)."""
    assert module.session is not None, f"module {module.id} has no session plan"
    return module.session


def _letter(number: int) -> str:
    return chr(ord("A") + number - 1)


def _alpha(number: int) -> Bullet:
    """The bullet "A.", "B.", ... of the ``number``th option shown."""
    return Bullet("auto", scheme="alphaUcPeriod", start=number)


@dataclass(frozen=True)
class QuizFace:
    """How the slides show one quiz item: what differs per type."""

    options: tuple[Para, ...]  # on the question slide, below the question
    answer: tuple[Para, ...]  # the answer slide's body (before the why)
    why: str  # why that is the answer (its verdict is taken off)
    notes_answer: tuple[Para, ...]  # the answer slide's notes: every option with its feedback
    letters: str = ""  # the answer in letters, for an answer slide too long to show it whole
    trainer_key: str = ""  # the answer, in the question slide's notes
    right: tuple[Para, ...] = ()  # match: the right-hand answers, in a second column


# How each quiz item type becomes slides; tests/test_quiztypes.py checks every type has one.
QUIZ_VIEWS: dict[str, Callable[[Outliner, QuizItem], QuizFace]] = {
    "single": Outliner._choice_face,
    "multiple": Outliner._choice_face,
    "truefalse": Outliner._truefalse_face,
    "order": Outliner._order_face,
    "match": Outliner._match_face,
}


def _bold(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    return tuple(replace(r, bold=True) for r in runs)


_VERDICT = re.compile(
    r"^\s*(Juist|Goed|Klopt|Terecht|Correct|Inderdaad|Precies|Ja|Right|Yes|Good|Exactly)"
    r"( gekoppeld| gedaan| zo)?\s*(?:[.!,]\s*|(?=\())",
    re.IGNORECASE,
)
_CITATION_ONLY = re.compile(r"^\s*(\([^()]*\)\s*)*[.!]?\s*$")


def _without_verdict(feedback: str) -> str:
    """Feedback without its opening verdict ("Juist.", "Klopt,"): on the answer slide it explains why."""
    rest = _VERDICT.sub("", feedback, count=1)
    if _CITATION_ONLY.match(rest):
        return ""
    leading = re.match(r"^\(([^()]*)\)[.:]?\s+(.+?)([.!?]?)$", rest, re.DOTALL)
    if leading:  # "Juist (Bron, 2015). Omdat ..." → "Omdat ... (Bron, 2015)."
        rest = f"{leading.group(2)} ({leading.group(1)}){leading.group(3) or '.'}"
    return rest[:1].upper() + rest[1:] if rest != feedback else rest


def cited_keys(course: Course, modules) -> list[str]:
    return Outliner(course, None)._citations(modules)  # type: ignore[arg-type]


def used_concepts(modules) -> list[str]:
    seen: dict[str, None] = {}
    for module in modules:
        for lesson in module.lessons:
            for concept in lesson.concepts:
                seen.setdefault(concept, None)
    return sorted(seen)
