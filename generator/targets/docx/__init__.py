"""Target 'docx': per module a facilitator guide (draaiboek) and a participant handout
(werkboek) as Word documents that institutes edit and print.

``docx/<module-id>-draaiboek.docx`` and ``docx/<module-id>-werkboek.docx`` (file names from
``templates/docx/strings.yaml``), both following the module's workshop session plan, the plan
the slide decks follow. Built on ``templates/docx/default.docx`` (made by
``templates/docx/make_default_template.py``) or the institute's own .docx (``template:``).

The parts, each with one job:

- ``wording``   — the words the documents add (``templates/docx/strings.yaml``);
- ``session``   — the session plan and the guide's timetable (clock times, minutes);
- ``checks``    — a check question's shown options and its answer key;
- ``template``  — finding the template; the styles and list numbering it lacks;
- ``markdown``  — the model's Markdown → paragraphs, lists, tables, pictures;
- ``diagram_image`` — a diagram drawn as a PNG; ``diagram_cache`` — each drawn once, kept;
- ``writer``    — the Word document (python-docx), proofing language, repeatable bytes;
- ``documents`` — what the guide and the handout contain, in which order.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from functools import partial
from pathlib import Path

from ...diagnostics import Diagnostic
from ...loader.fields import Field
from ...model import Course, FrozenDict, SourceLoc
from ...outputs import BuildContext, Output
from ...paths import TEMPLATES_DIR

SETTINGS = {
    "template": Field(
        "str", False, "'default' or a .docx file relative to course.yaml whose styles the documents use.", default="default"
    ),
    "start_time": Field(
        "str", False, "Clock time the workshop starts (HH:MM), for the guide's timetable; default 09:00.", default="09:00"
    ),
}

KINDS = ("guide", "handout")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


class DocxWarning(UserWarning):
    """Something in the course or template the documents work around; the message names it."""


def start_time(course: Course) -> str:
    value = str(course.settings("docx").get("start_time") or "09:00").strip()
    hours, _, minutes = value.partition(":")
    return f"{int(hours):02d}:{minutes}" if _CLOCK.match(value) else "09:00"


def check(course: Course, source_dir: Path, templates_dir: Path = TEMPLATES_DIR, out_dir: Path | None = None) -> list:
    """What the documents cannot do as written: a wrong template path or start time (errors);
    styles an institute's template lacks (a warning: they are taken from the default)."""
    from .template import TemplateError, missing_styles, template_source

    loc = SourceLoc("course.yaml", course.loc.line, course.loc.col)
    settings = course.settings("docx")
    found = []
    value = str(settings.get("start_time") or "09:00").strip()
    if not _CLOCK.match(value):
        found.append(
            Diagnostic(
                loc,
                "error",
                f"targets.docx.start_time: '{value}' is not a clock time; write it as HH:MM, e.g. '09:00' or '13:30'",
            )
        )
    try:
        source = template_source(settings.get("template", "default"), Path(source_dir), Path(templates_dir))
    except TemplateError as error:
        return found + [Diagnostic(loc, "error", str(error))]
    if not source.is_default:
        missing = missing_styles(source.data)
        if missing:
            found.append(
                Diagnostic(
                    loc,
                    "warning",
                    f"docx template '{source.name}' has no style "
                    f"{', '.join(repr(m) for m in missing)}; the documents use the "
                    f"default template's",
                )
            )
    return found


def file_name(words, module_id: str, kind: str) -> str:
    return f"docx/{module_id}-{words('guide_file' if kind == 'guide' else 'handout_file')}.docx"


def document_course(course: Course, module) -> Course:
    """The course as one module's documents see it: that module without its cards, of the
    references those the documents cite, of the target settings docx's. The build keys the
    documents by this value (generator/fingerprint.py); a test renders them from it and from
    the whole course, byte for byte the same."""
    from .session import cited_keys, session_of

    cited = set(cited_keys(module, session_of(module)))
    return dataclasses.replace(
        course,
        modules=(dataclasses.replace(module, flashcards=()),),
        references=FrozenDict({k: r for k, r in course.references.items() if k in cited}),
        targets=FrozenDict({"docx": course.settings("docx")}),
    )


def plan(course: Course, context: BuildContext) -> list[Output]:
    """Two outputs per module: the guide and the handout."""
    from ...fingerprint import environment_digest
    from ...outputs import TargetError, cache_folder
    from .diagram_cache import forget_drawn, prune
    from .template import template_source
    from .wording import load_wording

    problems = check(course, context.source_dir, context.templates_dir)
    errors = [d for d in problems if d.severity == "error"]
    if errors:
        raise TargetError("; ".join(f"{d.loc}: {d.message}" for d in errors))
    for problem in problems:
        warnings.warn(str(problem), DocxWarning, stacklevel=2)
    source = template_source(course.settings("docx").get("template", "default"), context.source_dir, context.templates_dir)
    words = load_wording(Path(context.templates_dir), course.language)
    # The diagram pictures are kept beside the outputs (diagram_cache.py): those no diagram of
    # the course draws go, and on --clean all of them, before anything is rendered.
    views = {module.id: document_course(course, module) for module in course.modules}
    cache_dir = cache_folder(context.out_dir, "docx")
    if not context.use_cache:
        forget_drawn()
    if cache_dir is not None:
        environment = context.environment or environment_digest(context.templates_dir)
        modules = tuple(view.modules for view in views.values()) if context.use_cache else None
        prune(cache_dir, modules, course.theme.primary, environment)
    return [
        Output(
            file_name(words, module.id, kind),
            partial(render_document, views[module.id], Path(context.templates_dir), source, module.id, kind, cache_dir),
            counts={"documents": 1},
        )
        for module in course.modules
        for kind in KINDS
    ]


def render_document(
    course: Course, templates_dir: Path, source, module_id: str, kind: str, cache_dir: Path | None = None
) -> bytes:
    """The bytes of one module's guide or handout. ``cache_dir``: where the diagram pictures
    are kept between builds (diagram_cache.py); the bytes are the same without it."""
    from .diagram_cache import DiagramPictures
    from .documents import Context, write_guide, write_handout
    from .markdown import MarkdownWriter
    from .template import default_template, themed
    from .wording import load_wording
    from .writer import DocWriter

    words = load_wording(templates_dir, course.language)
    module = next(m for m in course.modules if m.id == module_id)
    default = default_template(templates_dir)
    template = themed(source.data, course.theme.primary, course.theme.accent) if source.is_default else source.data
    writer = DocWriter(template, default, words.proofing_language)
    pictures = DiagramPictures(templates_dir, cache_dir)
    md = MarkdownWriter(writer, course.images, lambda alt: words("image_missing", alt=alt), course.theme.primary, pictures.png)
    ctx = Context(course, module, words, writer, md, start_time(course), f"{module.id}.pptx")
    if kind == "guide":
        write_guide(ctx)
    else:
        write_handout(ctx)
    label = words("label_joiner").join([course.title, words("module_label", number=module.number), words(kind)])
    writer.footer(label, words("page"))
    title = words("label_joiner").join([words(kind), module.title])
    return writer.finish(title, "; ".join(course.authors), course.title)
