"""Target 'slides': one workshop deck (.pptx) per module, and one for the whole course.

``slides/<module-id>.pptx`` for every module and, with ``course_deck: true``,
``slides/<course-id>.pptx``. The decks are built on a real .pptx master with named layouts
(``templates/slides/default.pptx``, or the institute's own through ``template:``); long text
continues on "(vervolg)" slides by measuring it with the template's fonts.

The parts, each with one job:

- ``wording``  — the words on slides and in notes (``templates/slides/strings.yaml``);
- ``blocks``   — Markdown tokens → paragraphs of runs, tables, pictures;
- ``outline``  — the course model → slide specs (what each slide says, which layout);
- ``template`` — the .pptx master: layouts with fallbacks, placeholder geometry and styles;
- ``package``  — the template's finished parts and the package bookkeeping of a deck;
- ``prepared`` — both as plain data, once per process and kept between builds (JSON);
- ``measure``  — font metrics and line wrapping;
- ``paginate`` — fitting specs into placeholders, splitting onto follow-up slides;
- ``writer``   — slides and notes as XML text, repeatable bytes.

Problems the build can work around (a layout the template lacks, an SVG image) are reported
by ``check()`` as diagnostics and, during a build, as ``SlidesWarning`` through Python's
``warnings`` module, since ``plan()`` has no channel for them.
"""

from __future__ import annotations

import dataclasses
import warnings
from functools import partial
from pathlib import Path

from ...diagnostics import Diagnostic
from ...loader.fields import Field
from ...model import CasePart, CheckPart, Course, FrozenDict, Module, SourceLoc
from ...outputs import BuildContext, Output, cache_folder
from ...paths import TEMPLATES_DIR
from .template import TemplateError, TemplateSource, check_template, font_substitutions, template_source

SETTINGS = {
    "template": Field(
        "str", False, "'default' or a .pptx file relative to course.yaml with the institute's layouts.", default="default"
    ),
    "course_deck": Field("bool", False, "Also write one deck with every module.", default=True),
    "question_bank": Field(
        "str",
        False,
        "'appendix': also one deck per module with every quiz item (question and answer); "
        "'none' (default): only the session's check questions.",
        ("none", "appendix"),
        default="none",
    ),
    "notes_only_citations": Field(
        "strlist",
        False,
        "Bibliography keys whose citations the slides leave out and the notes name (e.g. a review every sentence draws on).",
        default=(),
    ),
}

QUESTION_BANK_SUFFIX = "vragenbank"


class SlidesWarning(UserWarning):
    """Something in the course or template the slides work around; the message names it."""


# -- checks ------------------------------------------------------------------------------------


def _markdowns(module: Module):
    """Every Markdown text of ``module`` a slide may show: all of them but the cards', found by
    walking the model (a case's essentials, an option's feedback, ... none can be forgotten)."""
    from ...model import Markdown

    def walk(value):
        if isinstance(value, Markdown):
            yield value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                yield from walk(getattr(value, field.name))
        elif isinstance(value, (tuple, list)):
            for item in value:
                yield from walk(item)

    yield from walk(dataclasses.replace(module, flashcards=()))


def _images(course: Course, modules) -> list[str]:
    from .blocks import image_paths

    paths = image_paths(md for module in modules for md in _markdowns(module))
    if course.theme.logo and course.theme.logo not in paths:
        paths.append(course.theme.logo)
    return paths


def check(course: Course, source_dir: Path, templates_dir: Path = TEMPLATES_DIR, out_dir: Path | None = None) -> list[Diagnostic]:
    """What the slides cannot do as written: template errors, missing layouts, SVG images, and
    session slides the room must read as one (a check question, its answer, a case's
    situation or assignment) that do not fit on one slide.

    ``out_dir``: a build's output folder, where the fit of each module's session slides is
    kept (by the key of what it is fitted from), so that a rebuild does not fit them again."""
    found = _template_problems(course, source_dir, templates_dir)
    if any(d.severity == "error" for d in found):
        return found
    cache_dir = cache_folder(out_dir, "slides") if out_dir is not None else None
    return found + _session_fit_problems(course, Path(source_dir), Path(templates_dir), cache_dir)


MUST_FIT = {
    "question": "check question '{id}' needs {n} slides in the workshop; a question the room answers together must fit on "
    "one (choose a shorter item for the session)",
    "answer": "the answer to check question '{id}' needs {n} slides even in letters only; shorten the item's feedback or "
    "choose another item for the session",
    "situation": "the situation of case '{id}' needs {n} slides at 24 pt; shorten its 'essentials'",
    "assignment": "the assignment of case '{id}' needs {n} slides; it stays on screen while people work, so it must fit on "
    "one (shorten 'task')",
}


def _session_fit_problems(course: Course, source_dir: Path, templates_dir: Path, cache_dir: Path | None) -> list[Diagnostic]:
    from ...fingerprint import environment_digest
    from .fit_cache import fit_key, read_fit, write_fit

    source = template_source(course.settings("slides").get("template", "default"), source_dir, templates_dir)
    environment = environment_digest(templates_dir) if cache_dir is not None else ""
    found = []
    keys = set()
    for module in course.modules:
        if module.session is None:
            continue
        fit = partial(session_fit, fit_view(course, module), templates_dir, source, module.id, cache_dir)
        key = fit_key(fit, environment) if cache_dir is not None else None
        problems = read_fit(cache_dir, key) if cache_dir is not None and key is not None else None
        if problems is None:
            problems = fit()
            if cache_dir is not None and key is not None:
                write_fit(cache_dir, key, problems)
        keys.add(key)
        found += [Diagnostic(SourceLoc(*loc), "warning", message) for loc, message in problems]
    if cache_dir is not None:
        from .fit_cache import prune_fits

        prune_fits(cache_dir, {k for k in keys if k is not None})
    return found


def fit_view(course: Course, module: Module) -> Course:
    """The course as the session slides the room reads as one (``session_fit``) read it: of
    ``module`` its session plan, the quiz items its checks ask and the vignettes its cases
    use (whole), its lessons only as the ids the plan names in their order (the agenda and
    "Les 2" need them; their titles, objectives, sections and notes are left out); of the
    rest the language, theme, settings, the notes-only references (the slides take their
    citations out) and the images those items and cases show. Module and course titles stay.

    The check keys its kept fit by this value (fit_cache.py), so an edit of a lesson's text
    does not fit the session slides again. A test holds the fit on this view to the fit on
    the whole course, and the must-fit slides' specs to theirs."""
    from .blocks import image_paths
    from .outline import notes_only_keys

    session = module.session
    parts = session.parts if session is not None else ()
    asked = {item for p in parts if isinstance(p, CheckPart) for item in p.items}
    cases = {p.vignette for p in parts if isinstance(p, CasePart)}
    lessons = tuple(
        dataclasses.replace(x, title="", objectives=(), concepts=(), sections=(), citations=()) for x in module.lessons
    )
    quiz = tuple(q for q in module.quiz if q.id in asked)
    vignettes = tuple(v for v in module.vignettes if v.id in cases)
    shown = [q.question for q in quiz] + [md for v in vignettes for md in (v.situation, v.model_answer)]
    shown += [p.essentials for p in parts if isinstance(p, CasePart) and p.essentials is not None]
    images = set(image_paths(shown))
    if course.theme.logo:
        images.add(course.theme.logo)
    notes_only = set(notes_only_keys(course))
    view = dataclasses.replace(
        module,
        description=dataclasses.replace(module.description, text=""),
        lessons=lessons,
        vignettes=vignettes,
        quiz=quiz,
        flashcards=(),
    )
    return dataclasses.replace(
        course,
        modules=(view,),
        description=dataclasses.replace(course.description, text=""),
        concept_groups=(),
        references=FrozenDict({k: r for k, r in course.references.items() if k in notes_only}),
        images=FrozenDict({p: i for p, i in course.images.items() if p in images}),
        targets=FrozenDict({"slides": course.settings("slides")}),
    )


def session_fit(
    course: Course, templates_dir: Path, source: TemplateSource, module_id: str, cache_dir: Path | None = None
) -> list:
    """((path, line, col), message) for each session slide of ``module_id`` the room reads as
    one that needs more than one slide. Only those slides are fitted. The check gives it
    ``fit_view``, and keys its result by what it is given."""
    from .outline import Outliner

    _, words, paginator = _deck_tools(course, templates_dir, source, cache_dir)
    module = next(m for m in course.modules if m.id == module_id)
    problems = []
    for spec in Outliner(course, words).module_deck(module):
        if spec.must_fit is None:
            continue
        n = len(paginator.pages(spec))
        if n > 1:
            what, item_id, loc = spec.must_fit
            problems.append(((loc.path, loc.line, loc.col), MUST_FIT[what].format(id=item_id, n=n)))
    return problems


def _template_problems(course: Course, source_dir: Path, templates_dir: Path = TEMPLATES_DIR) -> list[Diagnostic]:
    loc = SourceLoc("course.yaml", course.loc.line, course.loc.col)
    try:
        source, missing = check_template(course, Path(source_dir), Path(templates_dir))
    except TemplateError as error:
        return [Diagnostic(loc, "error", str(error))]
    found = [
        Diagnostic(
            loc,
            "warning",
            f"slides template '{source.name}' has no layout '{logical}'; those slides use its layout '{used}' instead",
        )
        for logical, used in missing
    ]
    for typeface, used in font_substitutions(source, Path(templates_dir)):
        found.append(
            Diagnostic(
                loc,
                "warning",
                f"slides template '{source.name}' uses the font '{typeface}', which neither "
                f"the package nor the template's fonts/ folder has; its text is measured with "
                f"'{used}', so it may fit differently (put the font files in a 'fonts' folder "
                f"beside the template)",
            )
        )
    from .outline import notes_only_keys

    for key in notes_only_keys(course):
        if key not in course.references:
            found.append(
                Diagnostic(loc, "error", f"targets.slides.notes_only_citations names '{key}', which is not in references.yaml")
            )
    for path in _images(course, course.modules):
        image = course.images.get(path)
        if image is not None and image.media_type == "image/svg+xml":
            found.append(
                Diagnostic(
                    SourceLoc(path),
                    "warning",
                    f"image '{path}' is SVG, which a .pptx slide cannot show; the slides show its description instead",
                )
            )
    return found


# -- plan --------------------------------------------------------------------------------------


def deck_course(course: Course, modules, kind: str) -> Course:
    """The course as a deck's render sees it: its modules without their cards, and of the rest
    only what the deck shows (concepts, references and images it uses; the description only
    in the course deck). The build keys the deck by this value (generator/fingerprint.py);
    a test renders every deck from it and from the whole course, byte for byte the same."""
    from .outline import cited_keys, used_concepts

    used = set(used_concepts(modules))
    groups = tuple(dataclasses.replace(g, concepts=tuple(c for c in g.concepts if c.id in used)) for g in course.concept_groups)
    cited = set(cited_keys(course, modules))
    images = set(_images(course, modules))
    return dataclasses.replace(
        course,
        modules=tuple(dataclasses.replace(m, flashcards=()) for m in modules),
        concept_groups=tuple(g for g in groups if g.concepts),
        references=FrozenDict({k: r for k, r in course.references.items() if k in cited}),
        images=FrozenDict({p: i for p, i in course.images.items() if p in images}),
        description=course.description if kind == "course" else dataclasses.replace(course.description, text=""),
        targets=FrozenDict({"slides": course.settings("slides")}),
    )


def plan(course: Course, context: BuildContext) -> list[Output]:
    """One output per module deck, plus the course deck when ``course_deck`` is on."""
    problems = _template_problems(course, context.source_dir, context.templates_dir)
    errors = [d for d in problems if d.severity == "error"]
    if errors:
        raise TemplateError("; ".join(f"{d.loc}: {d.message}" for d in errors))
    for problem in problems:
        warnings.warn(str(problem), SlidesWarning, stacklevel=2)
    settings = course.settings("slides")
    source = template_source(settings.get("template", "default"), context.source_dir, context.templates_dir)
    # The prepared template is kept beside the outputs (prepared.py); --clean starts afresh.
    cache_dir = cache_folder(context.out_dir, "slides")
    if cache_dir is not None and not context.use_cache:
        for old in cache_dir.glob("template-*"):
            old.unlink(missing_ok=True)
    outputs = []
    for module in course.modules:
        counts = {"decks": 1}
        if module.session is not None and module.session.default:
            counts["default session plans"] = 1  # the build summary says which decks follow no plan of their own
        outputs.append(
            Output(
                f"slides/{module.id}.pptx",
                partial(
                    render_deck, deck_course(course, [module], "module"), context.templates_dir, source, module.id, cache_dir
                ),
                counts=counts,
            )
        )
    if settings.get("question_bank", "none") == "appendix":
        for module in course.modules:
            if module.quiz:
                outputs.append(
                    Output(
                        f"slides/{module.id}-{QUESTION_BANK_SUFFIX}.pptx",
                        partial(
                            render_deck,
                            deck_course(course, [module], "question bank"),
                            context.templates_dir,
                            source,
                            module.id,
                            cache_dir,
                            True,
                        ),
                        counts={"decks": 1},
                    )
                )
    if settings.get("course_deck", True):
        outputs.append(
            Output(
                f"slides/{course.id}.pptx",
                partial(
                    render_deck, deck_course(course, course.modules, "course"), context.templates_dir, source, None, cache_dir
                ),
                counts={"decks": 1},
            )
        )
    return outputs


# -- render ------------------------------------------------------------------------------------


def build_pages(
    course: Course,
    templates_dir: Path,
    source: TemplateSource,
    module_id: str | None,
    cache_dir: Path | None = None,
    question_bank: bool = False,
):
    """The prepared template and the fitted pages of one deck (the module's, or the course's)."""
    from .outline import Outliner

    template, words, paginator = _deck_tools(course, templates_dir, source, cache_dir)
    outliner = Outliner(course, words)
    if module_id is None:
        specs = outliner.course_deck()
    else:
        module = next(m for m in course.modules if m.id == module_id)
        specs = outliner.question_bank_deck(module) if question_bank else outliner.module_deck(module)
    pages = [page for spec in specs for page in paginator.pages(spec)]
    return template, words, pages


def _deck_tools(course: Course, templates_dir: Path, source: TemplateSource, cache_dir: Path | None):
    """What fitting a deck's text needs: the template's fonts measuring, the prepared template,
    the wording and a paginator."""
    from . import measure
    from .fonts import FontLibrary
    from .paginate import Paginator
    from .prepared import prepared_template
    from .wording import load_wording

    measure.use_fonts(FontLibrary(source.fonts))
    words = load_wording(Path(templates_dir), course.language)
    template = prepared_template(source, Path(templates_dir), course.theme.primary, course.theme.accent, cache_dir)
    return template, words, Paginator(template, words, course.images)


def render_deck(
    course: Course,
    templates_dir: Path,
    source: TemplateSource,
    module_id: str | None,
    cache_dir: Path | None = None,
    question_bank: bool = False,
) -> tuple[bytes, dict]:
    """The deck's bytes, and how many slides it has (known only once the text is fitted)."""
    from .writer import DeckWriter

    template, words, pages = build_pages(course, templates_dir, source, module_id, cache_dir, question_bank)
    if module_id is None:
        title, footer = course.title, course.title
    else:
        module = next(m for m in course.modules if m.id == module_id)
        title = module.title
        footer = words("label_joiner").join([course.title, words("module_label", number=module.number)])
    writer = DeckWriter(template.base, course.images, words.proofing_language, footer)
    for page in pages:
        writer.add(page)
    return writer.finish(title, "; ".join(course.authors), course.title), {"slides": len(pages)}
