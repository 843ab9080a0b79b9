"""The pages of one module SCO, in the order the learner walks them, ready for the templates.

A module becomes: a start page; per lesson its ``##`` sections, each a page, followed by the
vignettes that belong to that lesson; the vignettes without a lesson; one page per quiz
item; a result page. Every page has a ``location`` — the stable bookmark the LMS stores in
``cmi.core.lesson_location`` / ``cmi.location`` — built from source ids, so a learner who
resumes after the course was updated lands on the same page.

The runtime keeps the learner's answers in ``cmi.suspend_data`` keyed by a short,
stable key per quiz item and vignette (``short_keys``); ``reflection_limit`` works out how
long a reflection may be and still fit, with every question answered, in SCORM 1.2's 4,096
characters, and in the SCORM 2004 budget (``SUSPEND_BUDGET_2004``).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from ...model import Course, Lesson, Module, QuizItem, Section, Vignette
from .content import block, inline, inline_and_plain, plain, text_of
from .quiz_views import QUIZ_VIEWS, QuizView
from .settings import module_settings

SUSPEND_LIMIT_12 = 4096  # SCORM 1.2 cmi.suspend_data: CMIString4096
SUSPEND_LIMIT_2004 = 64000  # SCORM 2004 4th Edition: characterstring SPM 64000
SUSPEND_SAFETY = 96  # head room for the format's fixed parts
MAX_REFLECTION = 1000  # SCORM 1.2: no reflection keeps more than this in suspend_data
# SCORM 2004 allows 64,000 characters, but Moodle uploads the whole data model on every Commit
# and Terminate, by sendBeacon (64 KiB in flight) when the page closes: the module's
# suspend_data is kept within 8,000 characters so that the largest module's data model stays
# well under 32 KB (docs/scorm.md, "Moodle").
SUSPEND_BUDGET_2004 = 8000
MAX_REFLECTION_2004 = 2000  # SCORM 2004: no reflection keeps more than this
MAX_OPTIONS = 36  # answers are stored one base-36 digit per option
SEED_LENGTH = 8  # the learner seed kept when the LMS gives no learner id (state.js)
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass
class Page:
    index: int
    location: str
    kind: str  # start | section | vignette | question | result
    title: str  # plain text, for the table of contents
    group: int  # index into ModuleView.groups


@dataclass
class Option:
    index: int
    id: str
    html: Markup
    plain: str
    correct: bool
    feedback: Markup
    match: Markup  # match items: the right-hand side that belongs to this option
    match_plain: str


@dataclass
class Question:
    number: int  # 1-based, within the module quiz
    item: QuizItem
    key: str
    page: int
    html: Markup
    plain: str
    options: list[Option]
    display: list[Option]  # the build-time order shown (generator/shuffle.py); match: the right-hand choices
    correct: str  # the right answer in the runtime's answer encoding
    feedback_correct: Markup
    feedback_incorrect: Markup
    check: bool = False  # a formative knowledge check on a lesson page: ungraded, never reported

    @property
    def type(self) -> str:
        return self.item.type

    @property
    def view(self) -> QuizView:
        return QUIZ_VIEWS[self.item.type]


@dataclass
class Reflection:
    vignette: Vignette
    key: str
    page: int
    situation: Markup
    questions: list[Markup]
    model_answer: Markup


@dataclass
class SectionView:
    lesson: Lesson
    lesson_number: int
    section: Section
    first: bool
    body: Markup
    objectives: list[Markup]
    checks: list[Question] = field(default_factory=list)


@dataclass
class Group:
    label: str
    pages: list[Page] = field(default_factory=list)


@dataclass
class ModuleView:
    module: Module
    pages: list[Page]
    groups: list[Group]
    sections: dict[int, SectionView]
    reflections: dict[int, Reflection]
    questions: dict[int, Question]
    description: Markup
    objectives: list[Markup]
    references: list[Markup]
    reflection_limit: int  # SCORM 1.2 (and the page's text without JavaScript)
    reflection_limit_2004: int = 0
    test: dict = field(default_factory=dict)  # the test settings (TEST_DEFAULTS' keys)
    review: dict = field(default_factory=dict)  # concept id -> [label, page index or None]

    @property
    def question_list(self) -> list[Question]:
        """The graded questions, in page order."""
        return [self.questions[i] for i in sorted(self.questions)]

    @property
    def check_list(self) -> list[Question]:
        """The formative knowledge checks, in page order."""
        return [q for i in sorted(self.sections) for q in self.sections[i].checks]

    @property
    def asked(self) -> int:
        """How many graded questions one attempt asks (the pool, or all)."""
        pool = self.test.get("pool", 0)
        return min(pool, len(self.questions)) if pool else len(self.questions)


def short_keys(ids: list[str]) -> dict[str, str]:
    """Short, stable keys for ids: the first base-36 digits of their SHA-256, as few as make
    them unique among ``ids`` (at least 3). Stable across builds and across reordering."""
    for length in range(3, 14):
        keys = {item_id: _base36(item_id)[:length] for item_id in ids}
        if len(set(keys.values())) == len(keys):
            return keys
    return {item_id: str(i) for i, item_id in enumerate(ids)}  # pragma: no cover (needs a SHA-256 collision)


def _base36(text: str) -> str:
    number = int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")
    digits = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(BASE36[rest])
    return "".join(digits)


def _question(
    number: int, item: QuizItem, key: str, page: int, strings: dict[str, str], images: Callable[[str], str]
) -> Question:
    if len(item.options) > MAX_OPTIONS:
        raise ValueError(
            f"{item.loc}: quiz item '{item.id}' has {len(item.options)} options; the SCORM package supports at most {MAX_OPTIONS}"
        )
    view = QUIZ_VIEWS[item.type]
    options = []
    for index, option in enumerate(item.options):
        text = strings[f"answer_{option.id}"] if view.labels else option.text
        text_html, text_plain = inline_and_plain(text)
        match_html, match_plain = inline_and_plain(option.match or "")
        options.append(
            Option(index, option.id, text_html, text_plain, option.correct, inline(option.feedback), match_html, match_plain)
        )
    # The page shows the build-time order of generator/shuffle.py; the runtime re-orders per
    # learner. Answers are kept and reported by source index, whatever the order shown. The
    # right answer: the correct options (order and match: every option, in the listed order,
    # which for match pairs left i with right i).
    by_id = {o.id: o for o in options}
    correct = "".join(BASE36[o.index] for o in options if o.correct)
    display = [by_id[o.id] for o in view.shown(item)]
    question_html = block(item.question, images, top_heading=2)
    return Question(
        number=number,
        item=item,
        key=key,
        page=page,
        # The plain text of the rendered question is that of its Markdown (no second parse).
        html=question_html,
        plain=text_of(question_html),
        options=options,
        display=display,
        correct=correct,
        feedback_correct=inline(item.feedback_correct),
        feedback_incorrect=inline(item.feedback_incorrect),
    )


def state_size(pages: int, questions: list[Question], checks: list[Question], asked: int) -> int:
    """The longest suspend_data of a module without its reflections' texts: every page visited,
    the ``asked`` graded questions with the longest answers, each also mid-way through its
    tries, every knowledge check done, the largest attempt number and score, the learner seed.
    Mirrors the runtime's encoding (templates/scorm/assets/state.js):
    ``{"v":2,"p":"<visited>","a":{"key":"answer",...},"t":{"key":9,...},"n":999,"b":99.99,
    "c":"key key ...","k":"<seed>","r":{"key":"text",...}}``."""
    fixed = len('{"v":2,"p":"","a":{},"t":{},"n":999,"b":99.99,"c":"","k":"","r":{}}') + math.ceil(pages / 6) + SEED_LENGTH
    longest = sorted((len(q.key) + 6 + max(1, len(q.options)) + len(q.key) + 5 for q in questions), reverse=True)
    return fixed + sum(longest[:asked]) + sum(len(q.key) + 1 for q in checks)


def reflection_limit(
    state: int, reflections: list[Reflection], budget: int = SUSPEND_LIMIT_12, maximum: int = MAX_REFLECTION
) -> int:
    """How many characters one reflection may take so that suspend_data, at its largest
    (``state_size``) and with every reflection at the limit, stays within ``budget`` (SCORM
    1.2's 4,096 characters by default). The room is shared equally: every note of the module
    gets the same limit, at most ``maximum``."""
    if not reflections:
        return 0
    overhead = sum(len(r.key) + 6 for r in reflections)
    room = budget - SUSPEND_SAFETY - state - overhead
    return max(0, min(maximum, room // len(reflections)))


def module_view(course: Course, module: Module, strings: dict[str, str], images: Callable[[str], str]) -> ModuleView:
    pages: list[Page] = []
    groups: list[Group] = []
    sections: dict[int, SectionView] = {}
    reflections: dict[int, Reflection] = {}
    questions: dict[int, Question] = {}
    reflection_keys = short_keys([v.id for v in module.vignettes])
    question_keys = short_keys([q.id for q in module.quiz])

    def add(location: str, kind: str, title: str) -> int:
        if len(location) > 255:  # SCORM 1.2 lesson_location is a CMIString255
            location = f"p:{len(pages)}"
        page = Page(len(pages), location, kind, title, len(groups) - 1)
        pages.append(page)
        groups[-1].pages.append(page)
        return page.index

    def add_vignette(vignette: Vignette) -> None:
        index = add(f"v:{vignette.id}", "vignette", vignette.title)
        reflections[index] = Reflection(
            vignette,
            reflection_keys[vignette.id],
            index,
            block(vignette.situation, images, top_heading=3),
            [inline(q) for q in vignette.questions],
            block(vignette.model_answer, images, top_heading=3),
        )

    items = {item.id: item for item in module.quiz}
    checked = {item_id for lesson in module.lessons for section in lesson.sections for item_id in section.checks}
    groups.append(Group(strings["start"]))
    add("start", "start", module.title)
    for number, lesson in enumerate(module.lessons, start=1):
        groups.append(Group(f"{strings['lesson_n'].format(n=number)}: {lesson.title}"))
        for position, section in enumerate(lesson.sections):
            index = add(f"s:{lesson.id}.{section.id}", "section", section.title)
            sections[index] = SectionView(
                lesson,
                number,
                section,
                position == 0,
                block(section.body, images, top_heading=2),
                [inline(o) for o in lesson.objectives] if position == 0 else [],
                [
                    replace(_question(0, items[item_id], question_keys[item_id], index, strings, images), check=True)
                    for item_id in section.checks
                    if item_id in items
                ],
            )
        for vignette in module.vignettes:
            if vignette.lesson == lesson.id:
                add_vignette(vignette)
    loose = [v for v in module.vignettes if v.lesson not in {lesson.id for lesson in module.lessons}]
    if loose:
        groups.append(Group(strings["vignettes"]))
        for vignette in loose:
            add_vignette(vignette)
    # An item used as a knowledge check in a lesson is not in the graded test.
    graded = [item for item in module.quiz if item.id not in checked]
    if graded:
        groups.append(Group(strings["quiz"]))
        total = len(graded)
        for number, item in enumerate(graded, start=1):
            index = add(f"q:{item.id}", "question", strings["question_n"].format(n=number, total=total))
            questions[index] = _question(number, item, question_keys[item.id], index, strings, images)
    groups.append(Group(strings["result"]))
    add("result", "result", strings["result"])

    references = [inline(course.references[key].apa) for key in module.citations if key in course.references]
    view = ModuleView(
        module=module,
        pages=pages,
        groups=groups,
        sections=sections,
        reflections=reflections,
        questions=questions,
        description=block(module.description, images, top_heading=2),
        objectives=[inline(o) for o in module.objectives],
        references=references,
        reflection_limit=0,
        test=test_config(module_settings(course, module)),
        review=_review(course, module, sections),
    )
    state = state_size(len(pages), view.question_list, view.check_list, view.asked)
    view.reflection_limit = reflection_limit(state, list(reflections.values()))
    view.reflection_limit_2004 = reflection_limit(state, list(reflections.values()), SUSPEND_BUDGET_2004, MAX_REFLECTION_2004)
    return view


def test_config(settings: dict) -> dict:
    """The test settings as the runtime reads them (docs/scorm.md, "Test settings")."""
    pool, retakes = settings["pool"], settings["retakes"]
    return {
        "pool": 0 if pool == "all" else int(pool),  # 0: every graded item
        "tries": int(settings["tries"]),
        "retakes": -1 if retakes == "unlimited" else int(retakes),  # -1: no limit
        "counting": settings["retake_score"],
        "unlock": bool(settings["unlock_after_lessons"]),
        "partial": bool(settings["partial_credit"]),
    }


def _review(course: Course, module: Module, sections: dict[int, SectionView]) -> dict:
    """Per concept a quiz item tests: its label and the first page of the lesson that teaches
    it (None when no lesson of this module does), for the result page's "review" list."""
    first_page: dict[str, int] = {}
    for index in sorted(sections):
        for concept in sections[index].lesson.concepts:
            first_page.setdefault(concept, index)
    concepts = course.concepts
    review = {}
    for item in module.quiz:
        for concept in item.concepts:
            label = concepts[concept].label if concept in concepts else concept
            review[concept] = [plain(label), first_page.get(concept)]
    return review


def version_config(version: str) -> dict:
    """The part of the runtime config that differs between the SCORM 1.2 and 2004 packages."""
    return {"scorm": version, "suspendLimit": SUSPEND_LIMIT_12 if version == "1.2" else SUSPEND_LIMIT_2004}


def shared_config(course: Course, view: ModuleView, passing_score: int, strings: dict[str, str]) -> dict:
    """The runtime config without ``version_config``: the same in every package."""
    language = course.language
    return {
        "course": course.id,
        "module": view.module.id,
        "language": language,
        "storageKey": f"coursegen:{course.id}:{view.module.id}",
        "passingScore": passing_score,
        "test": view.test,
        "review": view.review,
        "reflectionLimit": view.reflection_limit,
        # Per package version: the runtime takes the one of config.scorm (state.js noteLimit).
        "reflectionLimits": {"1.2": view.reflection_limit, "2004": view.reflection_limit_2004},
        "pages": [{"location": p.location, "kind": p.kind, "title": p.title} for p in view.pages],
        # The graded questions, then the knowledge checks ("check": true, on lesson pages).
        "questions": [
            {
                "id": q.item.id,
                "key": q.key,
                "type": q.type,
                "interaction": q.view.interaction,
                "page": q.page,
                "count": len(q.options),
                "ids": [o.id for o in q.options],
                "correct": q.correct,
                "check": q.check,
                "shuffle": q.item.shuffle,
                "concepts": list(q.item.concepts),
            }
            for q in view.question_list + view.check_list
        ],
        "reflections": [{"key": r.key, "page": r.page} for r in (view.reflections[i] for i in sorted(view.reflections))],
        "strings": strings,
    }
