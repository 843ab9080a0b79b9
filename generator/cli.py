"""The ``coursegen`` command line: check, build, coverage, new, watch, serve."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .registry import TARGETS

EXIT_OK, EXIT_SOURCE_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


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


class _Counts:
    """Diagnostics printed so far, for the closing line ``N errors, M warnings``."""

    errors = 0
    warnings = 0

    @classmethod
    def line(cls) -> str:
        return f"{cls.errors} error{'' if cls.errors == 1 else 's'}, {cls.warnings} warning{'' if cls.warnings == 1 else 's'}"


def _print_diagnostic(diagnostic, strict: bool) -> None:
    text = str(diagnostic)
    if strict and diagnostic.severity == "warning":
        text = text.replace(": warning: ", ": error: ", 1)
    if ": error: " in text:
        _Counts.errors += 1
    else:
        _Counts.warnings += 1
    print(text, file=sys.stderr)


def _print_diagnostics(result, strict: bool) -> None:
    for diagnostic in result.diagnostics.items:
        _print_diagnostic(diagnostic, strict)


def _target_diagnostics(course, source: Path, out_dir: Path | None = None, targets: list[str] | None = None) -> list:
    """What each target's ``check`` finds that it cannot build as written (a slide template
    outside the source, ...): run by ``check``, and by ``build`` before it writes anything
    (``out_dir``: where a target may keep what its check worked out, by key; ``targets``: the
    ones built, default all: a slides template does not stop a build of the Anki deck)."""
    from .registry import target_module

    found: list = []
    for name in targets or TARGETS:
        target_check = getattr(target_module(name), "check", None)
        if target_check is None:
            continue
        found.extend(target_check(course, source, out_dir=out_dir))
    return found


def _load(source: Path, strict: bool, cache_dir: Path | None = None, lint: bool = False, keep=None):
    from .loader import load_course

    if cache_dir is not None:
        from .loader.cache import load_course_cached

        result = load_course_cached(source, cache_dir, keep)
    else:
        result = load_course(source)
    if lint and result.course is not None:
        from .lint import with_lint_warnings
        from .lintcache import lint_cached

        allowed = keep(result) if keep is not None else True  # e.g. the targets' checks passed
        result = with_lint_warnings(result, lint_cached(result.course, cache_dir, keep=not strict and allowed))
    _print_diagnostics(result, strict)
    return result


def cmd_check(args) -> int:
    result = _load(args.source, args.strict, lint=True)
    if not result.ok(args.strict):
        print(_Counts.line(), file=sys.stderr)
        return EXIT_SOURCE_ERRORS
    course = result.course
    failed = False
    for diagnostic in _target_diagnostics(course, args.source):
        _print_diagnostic(diagnostic, args.strict)
        failed = failed or diagnostic.severity == "error" or args.strict
    print(_Counts.line(), file=sys.stderr)
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
    checked: list = []
    verdict: dict[str, bool] = {}

    def targets_can_build(loaded) -> bool:  # asked once, before any cache is written into --out
        if "ok" not in verdict:
            checked[:] = _target_diagnostics(loaded.course, args.source, None if args.clean else args.out, args.target)
            verdict["ok"] = not any(d.severity == "error" for d in checked)
        return verdict["ok"]

    result = _load(args.source, args.strict, None if args.clean else args.out, lint=True, keep=targets_can_build)
    if result.ok(args.strict):
        targets_can_build(result)
        for diagnostic in checked:
            _print_diagnostic(diagnostic, args.strict)
    if not result.ok(args.strict) or any(d.severity == "error" or args.strict for d in checked):
        print("coursegen: build stopped: fix the errors above; the previous outputs are unchanged", file=sys.stderr)
        print(_Counts.line(), file=sys.stderr)
        return EXIT_SOURCE_ERRORS
    progress = BuildProgress(quiet=args.quiet)
    from .outputs import TargetError

    try:
        reports = build_course(
            result.course,
            args.source,
            args.out,
            args.target,
            clean=args.clean,
            on_target_done=progress.target_done,
            jobs=args.jobs,
        )
    except TargetError as error:
        print(f"coursegen: error: {error}", file=sys.stderr)
        _Counts.errors += 1
        print(_Counts.line(), file=sys.stderr)
        return EXIT_SOURCE_ERRORS
    progress.summary(reports, args.out)
    _Counts.warnings += sum(len(report.warnings) for report in reports)
    print(_Counts.line(), file=sys.stderr)
    if args.strict and any(report.warnings for report in reports):
        return EXIT_SOURCE_ERRORS
    return EXIT_OK


def cmd_coverage(args) -> int:
    from .coverage import coverage, gaps

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
    _print_no_knowledge(matrix["modules"])
    missing = gaps(matrix)
    print()
    if missing:
        print(f"{len(missing)} concepts lack something:")
        for group_id, concept_id, kinds in missing:
            print(f"  {group_id}/{concept_id}: no {', '.join(kinds)}")
    else:
        print("no gaps: every concept is covered as required")
    return EXIT_OK


def _print_no_knowledge(modules: list[dict]) -> None:
    from .lint.expected import STRATEGIES
    from .lint.rules import NO_KNOWLEDGE_MAX

    print()
    print(f"expected score without knowledge (rule Q9: at most {NO_KNOWLEDGE_MAX:g}%)")
    print(f"  {'module':<40} {'items':>5}  " + "  ".join(f"{label:>22}" for label in STRATEGIES.values()))
    for module in modules:
        cells = "  ".join(
            f"{module['no_knowledge'][s]:>21.1f}%" + ("!" if module["no_knowledge"][s] > NO_KNOWLEDGE_MAX else " ")
            for s in STRATEGIES
        )
        print(f"  {module['id']:<40} {module['graded']:>5}  {cells}")


def cmd_new(args) -> int:
    from .scaffold import scaffold

    return scaffold(args.source, args.kind, args.module, args.id)


def cmd_watch(args, serve: bool = False) -> int:
    from .watch import watch

    return watch(args.source, args.out, args.target, serve=serve, port=args.port)


def _tolerant_stdout() -> None:
    """Output to a file or a pipe is encoded in the system's code page (cp1252 on a Dutch or
    English Windows); a character outside it (an arrow in a folder's name, a quote from the
    course) stopped the command with UnicodeEncodeError. It is written as ``\\u2192`` instead,
    as Python already does on stderr."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None and getattr(sys.stdout, "errors", None) == "strict":
        reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _tolerant_stdout()
    args = _parser().parse_args(argv)
    _Counts.errors = _Counts.warnings = 0
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
    except Exception as error:  # a bug: say so briefly; outputs are only ever replaced whole, so none is touched
        _report_internal_error(error)
        return EXIT_INTERNAL
    return EXIT_USAGE


def _report_internal_error(error: BaseException) -> None:
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = f" (in {Path(last.filename).name}:{last.lineno}, {last.name})"
    message = str(error).splitlines()[0][:200] if str(error) else ""
    print(f"coursegen: internal error: {type(error).__name__}: {message}{where}", file=sys.stderr)
    print(
        "coursegen: this is a bug in coursegen, not in your course; the previous outputs are unchanged. "
        "Please report it with the command you ran and the file you last edited.",
        file=sys.stderr,
    )
