"""The ``coursegen`` command line: check, build, coverage, new, watch, serve."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .registry import TARGETS

EXIT_OK, EXIT_SOURCE_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 on usage errors, as we want; keep the text short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"coursegen: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="coursegen", description="Compile a course source into slides, SCORM packages and Anki decks.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def source(p):
        p.add_argument("--source", type=Path, default=Path("course_source"), help="course source folder (default: course_source)")

    p = sub.add_parser("check", help="load and check the source; write nothing")
    source(p)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")

    p = sub.add_parser("build", help="check, then build the outputs")
    source(p)
    p.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    p.add_argument("--target", action="append", choices=sorted(TARGETS), help="build only this target (repeatable)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--clean", action="store_true", help="ignore the cache and rebuild everything")
    p.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    p.add_argument("--jobs", "-j", type=int, default=None, help="render on this many processes (default: one per core)")

    p = sub.add_parser("coverage", help="which lessons, vignettes, quiz items and cards serve each concept")
    source(p)
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("new", help="add a stub lesson, vignette, quiz item or card to a module")
    source(p)
    p.add_argument("kind", choices=("lesson", "vignette", "quiz", "card"))
    p.add_argument("--module", required=True, help="module folder, e.g. modules/01-definities")
    p.add_argument("--id", required=True, help="id of the new item")

    for name, help_text in (("watch", "rebuild on every save"), ("serve", "rebuild on save and preview the e-learning")):
        p = sub.add_parser(name, help=help_text)
        source(p)
        p.add_argument("--out", type=Path, default=Path("output"))
        p.add_argument("--target", action="append", choices=sorted(TARGETS))
        p.add_argument("--port", type=int, default=8000)
    return parser


def _print_diagnostics(result, strict: bool) -> None:
    for diagnostic in result.diagnostics.items:
        text = str(diagnostic)
        if strict and diagnostic.severity == "warning":
            text = text.replace(": warning: ", ": error: ", 1)
        print(text, file=sys.stderr)


def _load(source: Path, strict: bool, cache_dir: Path | None = None):
    from .loader import load_course

    if cache_dir is not None:
        from .loader.cache import load_course_cached

        result = load_course_cached(source, cache_dir)
    else:
        result = load_course(source)
    _print_diagnostics(result, strict)
    return result


def cmd_check(args) -> int:
    result = _load(args.source, args.strict)
    if not result.ok(args.strict):
        return EXIT_SOURCE_ERRORS
    course = result.course
    from .registry import target_module

    failed = False
    for name in TARGETS:
        target_check = getattr(target_module(name), "check", None)
        for diagnostic in target_check(course, args.source) if target_check else ():
            text = str(diagnostic)
            if args.strict and diagnostic.severity == "warning":
                text = text.replace(": warning: ", ": error: ", 1)
            print(text, file=sys.stderr)
            failed = failed or diagnostic.severity == "error" or args.strict
    if failed:
        return EXIT_SOURCE_ERRORS
    counts = _counts(course)
    print(f"{args.source}: ok: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return EXIT_OK


def _counts(course) -> dict[str, int]:
    return {
        "modules": len(course.modules),
        "lessons": sum(len(m.lessons) for m in course.modules),
        "vignettes": sum(len(m.vignettes) for m in course.modules),
        "quiz items": sum(len(m.quiz) for m in course.modules),
        "cards": sum(len(m.flashcards) for m in course.modules),
        "concepts": sum(len(g.concepts) for g in course.concept_groups),
    }


def cmd_build(args) -> int:
    from .build import FolderError, build_course, check_folders
    from .progress import BuildProgress

    try:
        check_folders(args.source, args.out)
    except FolderError as error:
        print(f"coursegen: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    result = _load(args.source, args.strict, None if args.clean else args.out)
    if not result.ok(args.strict):
        print("coursegen: build stopped: fix the errors above; the previous outputs are unchanged", file=sys.stderr)
        return EXIT_SOURCE_ERRORS
    progress = BuildProgress(quiet=args.quiet)
    from .outputs import TargetError

    try:
        reports = build_course(result.course, args.source, args.out, args.target, clean=args.clean,
                               on_target_done=progress.target_done, jobs=args.jobs)
    except TargetError as error:
        print(f"coursegen: error: {error}", file=sys.stderr)
        return EXIT_SOURCE_ERRORS
    progress.summary(reports, args.out)
    if args.strict and any(report.warnings for report in reports):
        return EXIT_SOURCE_ERRORS
    return EXIT_OK


def cmd_coverage(args) -> int:
    from .coverage import gaps, coverage

    result = _load(args.source, False)
    if not result.ok():
        return EXIT_SOURCE_ERRORS
    matrix = coverage(result.course)
    if args.format == "json":
        print(json.dumps(matrix, ensure_ascii=False, indent=2))
        return EXIT_OK
    for group in matrix["groups"]:
        print(f"{group['id']}  {group['label']}")
        for concept in group["concepts"]:
            cells = "  ".join(f"{kind[:4]} {len(concept[kind]):2d}" for kind in ("lessons", "vignettes", "quiz", "flashcards"))
            print(f"  {concept['id']:<40} {cells}")
    missing = gaps(matrix)
    print()
    if missing:
        print(f"{len(missing)} concepts lack something:")
        for group_id, concept_id, kinds in missing:
            print(f"  {group_id}/{concept_id}: no {', '.join(kinds)}")
    else:
        print("no gaps: every concept is covered as required")
    return EXIT_OK


def cmd_new(args) -> int:
    from .scaffold import scaffold

    return scaffold(args.source, args.kind, args.module, args.id)


def cmd_watch(args, serve: bool = False) -> int:
    from .watch import watch

    return watch(args.source, args.out, args.target, serve=serve, port=args.port)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "build":
            return cmd_build(args)
        if args.command == "coverage":
            return cmd_coverage(args)
        if args.command == "new":
            return cmd_new(args)
        if args.command in ("watch", "serve"):
            return cmd_watch(args, serve=args.command == "serve")
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # an unwritable output folder, a full disk: the user's to fix
        where = f" '{error.filename}'" if error.filename else ""
        print(f"coursegen: error: cannot read or write{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_SOURCE_ERRORS
    return EXIT_USAGE
