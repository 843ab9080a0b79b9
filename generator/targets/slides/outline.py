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

from dataclasses import dataclass, field, replace

from ...model import Course, Lesson, Markdown, Module, QuizItem, Vignette
from ...shuffle import shown_matches, shown_options
from .blocks import Block, Break, Bullet, Para, Picture, Run, Table, inline_runs, to_blocks
from .wording import Wording

CONTENT_MIN = 20.0  # a section shrinks to this body size before it continues on a follow-up slide
QUIZ_MIN = 18.0  # a quiz question, a case: read as a whole, so they shrink further
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

    # -- decks -----------------------------------------------------------------
    def module_deck(self, module: Module) -> list[SlideSpec]:
        w = self.words
        label = w("label_joiner").join([w("module_label", number=module.number), w("minutes", minutes=module.minutes)])
        slides = [SlideSpec(
            "title", module.title,
            subtitle=(_p(self.course.title), _p(label)),
            logo=self.course.theme.logo,
            notes=tuple(self._module_notes(module)),
        )]
        slides += self._module_body(module)
        slides += self._references(self._citations([module]))
        return slides

    def course_deck(self) -> list[SlideSpec]:
        w = self.words
        course = self.course
        minutes = sum(m.minutes for m in course.modules)
        notes = [_p(w("notes_title_course", title=course.title, modules=len(course.modules)))]
        notes += [_p(w("notes_programme_item", title=f"{w('module_label', number=m.number)}: {m.title}", minutes=m.minutes), depth=1)
                  for m in course.modules]
        notes += _md_paras(course.description)
        subtitle = [_p(course.subtitle)] if course.subtitle else []
        subtitle.append(_p(w("minutes", minutes=minutes)))
        slides = [SlideSpec("title", course.title, subtitle=tuple(subtitle), logo=course.theme.logo, notes=tuple(notes))]
        for module in course.modules:
            label = w("label_joiner").join([w("module_label", number=module.number), w("minutes", minutes=module.minutes)])
            # a module opens like a deck of its own (title layout), its lessons with section slides
            slides.append(SlideSpec("title", module.title, subtitle=(_p(label),), notes=tuple(self._module_notes(module))))
            slides += self._module_body(module)
        slides += self._references(self._citations(course.modules))
        return slides

    # -- parts -----------------------------------------------------------------
    def _module_notes(self, module: Module) -> list[Para]:
        w = self.words
        notes = [_p(w("notes_title_module", number=module.number, title=module.title, minutes=module.minutes))]
        notes += [_p(w("notes_programme_item", title=f"{w('lesson_label', number=i)}: {lesson.title}", minutes=lesson.minutes), depth=1)
                  for i, lesson in enumerate(module.lessons, start=1)]
        notes += _md_paras(module.description)
        return notes

    def _module_body(self, module: Module) -> list[SlideSpec]:
        w = self.words
        slides: list[SlideSpec] = []
        objectives = module.objectives or tuple(o for lesson in module.lessons for o in lesson.objectives)
        if objectives:
            slides.append(SlideSpec("content", w("objectives"), body=tuple(_bullets(objectives)),
                                    notes=(_p(w("notes_objectives")),)))
        attached = {lesson.id: [v for v in module.vignettes if v.lesson == lesson.id] for lesson in module.lessons}
        for number, lesson in enumerate(module.lessons, start=1):
            slides += self._lesson(lesson, number)
            for vignette in attached[lesson.id]:
                slides += self._vignette(vignette)
        for vignette in module.vignettes:
            if vignette.lesson not in attached:
                slides += self._vignette(vignette)
        if module.quiz:
            slides.append(SlideSpec("section", w("quiz"), subtitle=(_p(module.title),),
                                    notes=(_p(w("notes_quiz_question")),)))
            for number, item in enumerate(module.quiz, start=1):
                slides += self._quiz(item, number, len(module.quiz))
        return slides

    def _lesson(self, lesson: Lesson, number: int) -> list[SlideSpec]:
        w = self.words
        label = w("label_joiner").join([w("lesson_label", number=number), w("minutes", minutes=lesson.minutes)])
        notes = [_p(w("notes_lesson", title=lesson.title, minutes=lesson.minutes))]
        if lesson.objectives:
            notes.append(_p(w("notes_lesson_objectives")))
            notes += [_p(o, depth=1) for o in lesson.objectives]
        concepts = self.course.concepts
        labels = [concepts[c].label for c in lesson.concepts if c in concepts]
        if labels:
            notes.append(_p(w("notes_concepts", concepts=", ".join(labels))))
        slides = [SlideSpec("section", lesson.title, subtitle=(_p(label),), notes=tuple(notes))]
        for section in lesson.sections:
            blocks = [self._showable(b) for b in to_blocks(section.body)]
            pictures = tuple(b for b in blocks if isinstance(b, Picture))
            text = tuple(b for b in blocks if not isinstance(b, Picture))
            notes = []
            if section.notes is not None:
                if section.notes.minutes:
                    notes.append(Para((Run(w("notes_timing", minutes=section.notes.minutes), bold=True),)))
                notes += _md_paras(section.notes.script)
            if not notes:
                notes = [_p(w("notes_none"))]
            continued = (_p(w("notes_continued", title=section.title)),)
            if pictures and text:  # text on the left, pictures on the right
                slides.append(SlideSpec("two-content", section.title, body=text, side=pictures, notes=tuple(notes),
                                        continued_notes=continued, shrink_to=CONTENT_MIN))
            else:
                slides.append(SlideSpec("content", section.title, body=tuple(blocks), notes=tuple(notes),
                                        continued_notes=continued, shrink_to=CONTENT_MIN))
        return slides

    def _showable(self, block: Block) -> Block:
        """A picture a slide cannot show (SVG; reported by ``check``) becomes its description."""
        if isinstance(block, Picture):
            image = self.course.images.get(block.path)
            if image is None or image.media_type == "image/svg+xml":
                return Para((Run(self.words("image_missing", alt=block.alt or block.path), italic=True),))
        return block

    def _vignette(self, vignette: Vignette) -> list[SlideSpec]:
        w = self.words
        setting = " — ".join(part for part in (vignette.setting, vignette.role) if part)
        answer = [Para((Run(w("notes_model_answer"), bold=True),))] + _md_paras(vignette.model_answer)
        intro = _p(w("notes_vignette_situation", setting=vignette.setting.rstrip("."), role=vignette.role).strip())
        questions = tuple(Para(inline_runs(q), depth=1, bullet=Bullet("auto", scheme="arabicPeriod", start=i))
                          for i, q in enumerate(vignette.questions, start=1))
        return [
            SlideSpec("vignette", vignette.title, kicker=w("vignette"), subtitle=(_p(setting),) if setting else (),
                      body=tuple(self._showable(b) for b in to_blocks(vignette.situation)), notes=tuple([intro] + answer),
                      shrink_to=QUIZ_MIN),
            SlideSpec("vignette", vignette.title, kicker=w("label_joiner").join([w("vignette"), w("discuss")]),
                      body=questions, notes=tuple(answer), shrink_to=QUIZ_MIN),
        ]

    def _quiz(self, item: QuizItem, number: int, total: int) -> list[SlideSpec]:
        w = self.words
        kicker = w("quiz_kicker", number=number, total=total)
        question: list[Block] = [self._showable(b) for b in to_blocks(item.question)]
        question = [replace(b, keep_with_next=True) if isinstance(b, Para) else b for b in question]
        options: list[Para] = []
        answer: list[Para] = []
        notes_answer: list[Para] = []
        alpha = lambda i: Bullet("auto", scheme="alphaUcPeriod", start=i)  # noqa: E731
        if item.type in ("single", "multiple"):
            for i, option in enumerate(shown_options(item), start=1):
                options.append(Para(inline_runs(option.text), depth=1, bullet=alpha(i)))
                letter = chr(ord("A") + i - 1)
                runs = (Run(f"{letter}. ", bold=option.correct),) + tuple(
                    Run(r.text, r.bold or option.correct, r.italic, r.strike, r.code, r.href) for r in inline_runs(option.text))
                answer.append(Para(runs, depth=1, bullet=CHECK if option.correct else CROSS, keep_with_next=bool(option.feedback)))
                if option.feedback:
                    answer.append(Para(tuple(Run(r.text, r.bold, True, r.strike, r.code, r.href) for r in inline_runs(option.feedback)),
                                       depth=1, role="small"))
                notes_answer.append(Para((Run(f"{letter}. {'✓' if option.correct else '✗'} "),) + inline_runs(option.text), depth=1))
                if option.feedback:
                    notes_answer.append(Para(inline_runs(option.feedback), depth=2))
        elif item.type == "truefalse":
            correct = next((o for o in item.options if o.correct), item.options[0])
            for i, option in enumerate(shown_options(item), start=1):
                options.append(Para((Run(w(option.id)),), depth=1, bullet=alpha(i)))
            label = w(correct.id)
            answer.append(Para((Run(w("correct_answer", answer=label), bold=True),), depth=1, bullet=CHECK,
                               keep_with_next=bool(correct.feedback)))
            if correct.feedback:
                answer.append(Para(inline_runs(correct.feedback), depth=1, role="small"))
            notes_answer.append(_p(w("correct_answer", answer=label)))
            for option in item.options:
                if option.feedback:
                    notes_answer.append(Para((Run(f"{w(option.id)}: "),) + inline_runs(option.feedback), depth=1))
        elif item.type == "order":
            for i, option in enumerate(shown_options(item), start=1):
                options.append(Para(inline_runs(option.text), depth=1, bullet=alpha(i)))
            answer.append(Para((Run(w("correct_order"), bold=True),), keep_with_next=True))
            for i, option in enumerate(item.options, start=1):
                answer.append(Para(inline_runs(option.text), depth=1, bullet=Bullet("auto", scheme="arabicPeriod", start=i)))
            notes_answer += [Para(inline_runs(o.text), depth=1) for o in item.options]
        elif item.type == "match":
            for i, option in enumerate(item.options, start=1):
                options.append(Para(inline_runs(option.text), depth=1, bullet=Bullet("auto", scheme="arabicPeriod", start=i)))
            for i, option in enumerate(shown_matches(item), start=1):
                options.append(Para(inline_runs(option.match or ""), depth=1, bullet=alpha(i),
                                    keep_with_next=False))
            answer.append(Para((Run(w("correct_pairs"), bold=True),), keep_with_next=True))
            for option in item.options:
                answer.append(Para(inline_runs(w("pair", left=option.text, right=option.match or "")), depth=1, bullet=CHECK))
            notes_answer += [_p(w("pair", left=o.text, right=o.match or ""), depth=1) for o in item.options]
        if item.type in ("order", "match"):
            explanation = item.feedback_incorrect or item.feedback_correct
            if explanation:
                answer.append(Para(inline_runs(explanation), role="small"))
        feedback = [f for f in (item.feedback_correct, item.feedback_incorrect) if f]
        notes_answer += [_p(f) for f in feedback]
        body: list[Block] = [*question, *options]
        if item.type == "match" and options:
            # a gap between the left column (numbered) and the right column (lettered), where
            # the question continues on a second slide when it does not fit on one
            split = len(question) + len(item.options)
            body[split] = Para(options[len(item.options)].runs, depth=1, bullet=options[len(item.options)].bullet, role="gap")
            body.insert(split, Break(soft=True))
        question_slide = SlideSpec(
            "quiz question", w(f"instruction_{item.type}"), kicker=kicker,
            body=tuple(body),
            notes=tuple([_p(w("notes_quiz_question"))] + notes_answer),
            continued_notes=tuple([_p(w("notes_quiz_question"))] + notes_answer),
            shrink_to=QUIZ_MIN,
        )
        answer_slide = SlideSpec(
            "quiz answer", w("answer"), kicker=kicker,
            body=tuple(answer),
            notes=tuple([_p(w("notes_quiz_answer"))] + notes_answer),
            continued_notes=tuple([_p(w("notes_quiz_answer"))] + notes_answer),
            shrink_to=QUIZ_MIN,
        )
        return [question_slide, answer_slide]

    # -- references --------------------------------------------------------------
    def _citations(self, modules) -> list[str]:
        keys: dict[str, None] = {}
        for module in modules:
            for group in (module.lessons, module.vignettes, module.quiz):
                for item in group:
                    for key in item.citations:
                        keys.setdefault(key, None)
        return [k for k in keys if k in self.course.references]

    def _references(self, keys: list[str]) -> list[SlideSpec]:
        if not keys:
            return []
        refs = sorted((self.course.references[k] for k in keys), key=lambda r: (r.apa.casefold(), r.key))
        body = tuple(Para(inline_runs(ref.apa), bullet=None) for ref in refs)
        w = self.words
        return [SlideSpec("references", w("references"), body=body, notes=(_p(w("notes_references")),),
                          continued_notes=(_p(w("notes_references")),))]


def cited_keys(course: Course, modules) -> list[str]:
    return Outliner(course, None)._citations(modules)  # type: ignore[arg-type]


def used_concepts(modules) -> list[str]:
    seen: dict[str, None] = {}
    for module in modules:
        for lesson in module.lessons:
            for concept in lesson.concepts:
                seen.setdefault(concept, None)
    return sorted(seen)

