"""Random YAML and Markdown mutations of the fixture course (issue 19): ``coursegen check`` and
``coursegen build`` never raise a traceback or an internal error, never hang (a time limit
per case), and every output a build writes passes its own validator (each zip readable,
each XML part in it well-formed).

Bounded (60 examples, one shared output folder so builds are incremental) to keep the suite
fast; HYPOTHESIS_EXAMPLES=500 runs a longer search."""

from __future__ import annotations

import io
import os
import shutil
import signal
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "valid"
FILES = sorted(p.relative_to(FIXTURE).as_posix() for p in FIXTURE.rglob("*") if p.suffix in (".yaml", ".md"))
CHECK_SECONDS, BUILD_SECONDS = 20, 90

NASTY = [
    "1:30",
    "1.10",
    "2001-12-14",
    "yes",
    "~",
    "!!binary aGk=",
    "!!python/object:os.system x",
    "&a [*a]",
    "*a",
    "&a x\n",
    "{",
    "}",
    "[" * 300,
    "]",
    ": ",
    "- ",
    "? ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "#",
    "\t",
    "\u2028",
    "\u2029",
    "\x85",
    "\x1f",
    "\x07",
    "\x00",
    "\ufeff",
    "\ufffe",
    "'",
    '"',
    "\\",
    "\n",
    "<script>x</script>",
    "<b>",
    "](javascript:x)",
    "![x](../../../images/logo.png)",
    "![x](nope.svg)",
    "> " * 30,
    "  " * 12 + "- diep\n",
    "- x\n" * 50,
    "{{c1::",
    "{{c9::x}}",
    "}}",
    "@epstein-1991",
    "[@nope-2000]",
    "[@epstein-1991; @knof-swick-2007]",
    "\n## Kop {#kop}\n",
    "## \n",
    "::: notes 5 min\n",
    ":::\n",
    "```\n",
    "| a | b |\n|---|---|\n",
    "x" * 12_000,
    "é",
    "😀",
    "\u202e",
    "&#106;",
    "&lt;",
    '"a\\x07b"',
    '"a\\x1fb"',
    '"a\\u2028b"',
    '"a\\N"',
    '"m01-basis\\n"',
    '"\\ud800"',
    "1e400",
    "-.inf",
    "0x1F",
    "m01-basis",
    "mini-partnerschap",
    "&a [*a]",
    "&a {x: *a}",
]

_text = st.text(
    alphabet=st.sampled_from(list("ab :-[]{}&*!|>#'\"\n\t\\@<%~,?") + ["\u2028", "\x85", "\x1f", "é"]), min_size=1, max_size=30
)
_snippet = st.one_of(st.sampled_from(NASTY), _text)


@st.composite
def mutations(draw):
    """(file, kind, position fraction, length, snippet); kind: insert, delete, duplicate (a line),
    replace, truncate, or value (the value of a 'key: value' line becomes the snippet)."""
    kinds = ["value", "value", "value", "insert", "insert", "delete", "duplicate", "replace", "truncate"]
    return (
        draw(st.sampled_from(FILES)),
        draw(st.sampled_from(kinds)),
        draw(st.floats(0, 1)),
        draw(st.integers(1, 60)),
        draw(_snippet),
    )


def mutate(text: str, kind: str, where: float, length: int, snippet: str) -> str:
    at = int(where * len(text))
    if kind == "insert":
        return text[:at] + snippet + text[at:]
    if kind == "delete":
        return text[:at] + text[at + length :]
    if kind == "replace":
        return text[:at] + snippet + text[at + len(snippet) :]
    if kind == "truncate":
        return text[:at]
    if kind == "value":
        lines = text.split("\n")
        keyed = [i for i, line in enumerate(lines) if ": " in line]
        if keyed:
            line = keyed[int(where * (len(keyed) - 1))]
            lines[line] = lines[line].split(": ", 1)[0] + ": " + snippet
            return "\n".join(lines)
    lines = text.split("\n")
    line = int(where * (len(lines) - 1))
    return "\n".join(lines[:line] + [lines[line]] * (1 + length % 5) + lines[line:])


class _Hang(BaseException):  # not an Exception: passes through the CLI's last-resort handler
    pass


def _run(argv: list[str], seconds: int) -> int:
    def alarm(*_):
        raise _Hang(f"{' '.join(argv[:1])} took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return main(argv)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _validate_outputs(out: Path) -> None:
    for path in sorted(out.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(out).parts):
            continue
        if path.suffix in (".zip", ".pptx", ".apkg"):
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                assert archive.testzip() is None, f"{path.name}: a damaged member"
                for name in archive.namelist():
                    if name.endswith((".xml", ".rels")):
                        try:
                            ElementTree.fromstring(archive.read(name))
                        except ElementTree.ParseError as error:
                            raise AssertionError(f"{path.name}/{name} is not well-formed: {error}") from None


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("mutations")


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM for the time limit")
@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=mutations())
def test_mutated_source_never_crashes_hangs_or_writes_invalid_output(mutation, workdir, capsys):
    source, out = workdir / "source", workdir / "out"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(FIXTURE, source)
    path, kind, where, length, snippet = mutation
    file = source / path
    file.write_bytes(mutate(file.read_text("utf-8"), kind, where, length, snippet).encode("utf-8", "surrogatepass"))

    code = _run(["check", "--source", str(source)], CHECK_SECONDS)
    err = capsys.readouterr().err
    assert code in (0, 1), err[-2000:]
    assert "Traceback" not in err and "internal error" not in err, err[-2000:]
    if code != 0:
        return
    code = _run(["build", "--source", str(source), "--out", str(out), "--jobs", "1", "--quiet"], BUILD_SECONDS)
    err = capsys.readouterr().err
    assert code in (0, 1), err[-2000:]
    assert "Traceback" not in err and "internal error" not in err, err[-2000:]
    if code == 0:
        _validate_outputs(out)
