"""Property tests: whatever text an author writes, the loader answers with diagnostics, never a crash."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.loader import load_course

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
LESSON = "modules/01-basis/lessons/01-epstein.md"
QUIZ = "modules/01-basis/quiz.yaml"

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(min_size=1, max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
markdown_pieces = st.sampled_from(
    [
        "## Kop {#kop}\n",
        "## Kop\n",
        "::: notes 5 min\n",
        ":::\n",
        "- punt\n",
        "  - sub\n",
        "1. een\n",
        "**vet**",
        "*schuin*",
        "[@epstein-1991]",
        "[@onbekend-2000]",
        "@knof-swick-2007",
        "![x](../x.png)",
        "[a](javascript:x)",
        "<b>",
        "| a | b |\n|---|---|\n",
        "```\n",
        "\t",
        "\n",
        "tekst ",
        "{{c1::x}}",
        "---\n",
        "\x00",
        "é",
        "\r\n",
    ]
)

_work = Path(tempfile.mkdtemp(prefix="coursegen-prop-"))
_source = _work / "source"
shutil.copytree(FIXTURE, _source)


def assert_answered_well(result, edited: str, text: str) -> None:
    """What every load must give: a course exactly when there is no error, each diagnostic once,
    each at a real place (a file of the source, a line that exists in it), and an accepted
    lesson or quiz that is really in the course."""
    errors = result.diagnostics.errors
    assert (result.course is None) == bool(errors), [str(d) for d in errors]
    shown = [str(d) for d in result.diagnostics.items]
    assert len(shown) == len(set(shown)), shown
    for diagnostic in result.diagnostics.items:
        loc = diagnostic.loc
        file = _source / loc.path
        assert loc.line >= 1 and loc.col >= 1, diagnostic
        if loc.path == edited:
            lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
            assert loc.line <= lines + 1, (diagnostic, lines)
        else:
            assert file.exists(), diagnostic
    if result.course is not None and edited == LESSON:
        assert any(lesson.loc.path == LESSON for m in result.course.modules for lesson in m.lessons)


def _load_with(path: str, text: str):
    target = _source / path
    original = (FIXTURE / path).read_text("utf-8")
    try:
        target.write_text(text, "utf-8", errors="surrogatepass")
        return load_course(_source)
    finally:
        target.write_text(original, "utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    front=st.dictionaries(
        st.sampled_from(["id", "title", "minutes", "objectives", "concepts", "extra"]), yaml_values, max_size=6
    ),
    body=st.lists(markdown_pieces, max_size=25).map("".join),
)
def test_random_lessons_never_crash(front, body):
    import yaml

    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    result = _load_with(LESSON, text)
    assert_answered_well(result, LESSON, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=yaml_values)
def test_random_quiz_files_never_crash(data):
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True)
    result = _load_with(QUIZ, text)
    assert_answered_well(result, QUIZ, text)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_random_text_as_lesson_never_crashes(text):
    result = _load_with(LESSON, text)
    assert_answered_well(result, LESSON, text)


prefilter_pieces = st.sampled_from(
    [
        "tekst ",
        "&",
        "&amp;",
        "&lt;b&gt;",
        "&#60;",
        "&#x3C;script&#x3E;",
        "<",
        ">",
        "[",
        "]",
        "(",
        ")",
        ":",
        "!",
        "javascript:",
        "<b>",
        "<https://example.org>",
        "<javascript:x>",
        "[a]",
        "(b)",
        "![a]",
        "\n[a]: https://example.org/x.png\n",
        "- ",
        "      - ",
        "\t",
        "\n",
        "`",
        "*",
        "Knof & Swick",
        "](",
        "]:",
        "][",
        "x.png",
        "https://example.org",
    ]
)


@settings(max_examples=400, deadline=None)
@given(text=st.lists(prefilter_pieces, max_size=30).map("".join))
def test_text_the_prefilter_skips_has_nothing_to_report(text):
    """The loader parses a text for its checks only when NEEDS_PARSE says it could fail one;
    whatever it skips, the full check must find nothing in either."""
    from generator.diagnostics import Diagnostics
    from generator.loader import markdown_source
    from generator.model import SourceLoc

    if markdown_source.NEEDS_PARSE.search(text):
        return
    diag = Diagnostics()
    reader = markdown_source.MarkdownReader.__new__(markdown_source.MarkdownReader)
    reader.diag, reader.images, reader.tree = diag, {}, None
    original = markdown_source.NEEDS_PARSE
    markdown_source.NEEDS_PARSE = re.compile(r"")  # matches everything: always parse
    try:
        reader._check(text, text, "", SourceLoc("les.md", 1, 1))
    finally:
        markdown_source.NEEDS_PARSE = original
    assert not diag.items, [str(d) for d in diag.items]
