"""The SCORM packages without a browser: outputs, bytes, files, pages, strings, colours."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import SCRATCH_OUT
from lxml import etree
from lxml import html as lxml_html
from scorm_support.server import PROJECT

from generator.build import build_course
from generator.cli import main as cli
from generator.outputs import BuildContext
from generator.paths import TEMPLATES_DIR
from generator.targets import scorm
from generator.targets.scorm import colours, content, pages, site

FIXTURE = PROJECT / "tests" / "fixtures" / "valid"
CONTEXT = BuildContext(FIXTURE, SCRATCH_OUT, TEMPLATES_DIR)


def render(course, version: str = "1.2") -> zipfile.ZipFile:
    output = next(o for o in scorm.plan(course, CONTEXT) if o.path.endswith(f"scorm{version.replace('.', '')}.zip"))
    return zipfile.ZipFile(io.BytesIO(output.render()))


def with_settings(course, **scorm_settings):
    return dataclasses.replace(course, targets={**course.targets, "scorm": scorm_settings})


def test_one_package_per_version(valid_course):
    assert [o.path for o in scorm.plan(valid_course, CONTEXT)] == [
        "scorm/mini-partnerschap-scorm12.zip",
        "scorm/mini-partnerschap-scorm2004.zip",
    ]
    only = with_settings(valid_course, versions=("2004",), passing_score=70)
    assert [o.path for o in scorm.plan(only, CONTEXT)] == ["scorm/mini-partnerschap-scorm2004.zip"]
    # per module: a start page, its sections, vignettes and questions, and a result page
    assert [o.counts for o in scorm.plan(valid_course, CONTEXT)] == [
        {"packages": 1, "pages": (2 + 2 + 1 + 2) + (2 + 1 + 0 + 3), "quiz items": 5},
        {"packages": 1},
    ]


def test_same_source_same_bytes(valid_course):
    first = [(o.path, repr(o.fingerprint), o.render()) for o in scorm.plan(valid_course, CONTEXT)]
    second = [(o.path, repr(o.fingerprint), o.render()) for o in scorm.plan(valid_course, CONTEXT)]
    assert first == second


def test_fingerprint_follows_what_the_package_shows(valid_course):
    base = repr(scorm.plan(valid_course, CONTEXT)[0].fingerprint)
    assert (
        repr(scorm.plan(with_settings(valid_course, versions=("1.2", "2004"), passing_score=80), CONTEXT)[0].fingerprint) != base
    )
    renamed = dataclasses.replace(
        valid_course, modules=(dataclasses.replace(valid_course.modules[0], title="Anders"), *valid_course.modules[1:])
    )
    assert repr(scorm.plan(renamed, CONTEXT)[0].fingerprint) != base


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_package_layout(valid_course, version):
    archive = render(valid_course, version)
    names = archive.namelist()
    assert names[0] == "imsmanifest.xml"
    assert {
        "index.html",
        "m01-basis/index.html",
        "m02-school/index.html",
        "media/images/logo.png",
        "shared/course.css",
        "shared/theme.css",
        "shared/lms.js",
        "shared/state.js",
        "shared/notes.js",
        "shared/sco.js",
    } <= set(names)
    assert archive.read("media/images/logo.png") == valid_course.images["images/logo.png"].data
    # Every file of the package (but the manifest and its schemas) is declared in the manifest.
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    declared = {unquote(f.get("href")) for f in manifest.iter("{*}file")}
    content_files = {n for n in names if n != "imsmanifest.xml" and not n.endswith((".xsd", ".dtd"))}
    assert declared == content_files


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_every_reference_is_local_and_present(valid_course, version):
    """Nothing loads from the network: every src/href of the pages is a file in the package
    (links in the course text may point to the web; they open in a new tab)."""
    archive = render(valid_course, version)
    names = set(archive.namelist())
    for name in (n for n in names if n.endswith(".html")):
        document = lxml_html.fromstring(archive.read(name))
        for element in document.iter():
            for attribute in ("src", "href"):
                url = element.get(attribute) if isinstance(element.tag, str) else None
                if not url or url.startswith("#") or url == "data:,":
                    continue
                if urlsplit(url).scheme:
                    assert element.tag == "a" and element.get("target") == "_blank", f"{name}: {element.tag} {url}"
                    continue
                assert _normalise(name, url) in names, f"{name}: {url} is not in the package"
    for name in (n for n in names if n.endswith((".css", ".js"))):
        text = archive.read(name).decode()
        assert not re.search(r"https?://|@import|url\((?!data:)", text), f"{name} refers to something outside the package"
        assert "XMLHttpRequest" not in text and "fetch(" not in text


def _normalise(base: str, url: str) -> str:
    parts = list(PurePosixPath(base).parent.parts)
    for part in unquote(url).split("/"):
        if part == "..":
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def test_pages_in_learning_order(valid_course):
    strings = site.ui_strings(TEMPLATES_DIR, "nl")
    view = pages.module_view(valid_course, valid_course.modules[0], strings, lambda p: p)
    assert [(p.location, p.kind) for p in view.pages] == [
        ("start", "start"),
        ("s:les-epstein.ouderschap", "section"),
        ("s:les-epstein.communiceren", "section"),
        ("v:vig-groep3-moeder", "vignette"),
        ("q:q-epstein-type", "question"),
        ("q:q-epstein-waar", "question"),
        ("result", "result"),
    ]
    assert [g.label for g in view.groups] == ["Start", "Les 1: De typen van Epstein", "Toets", "Resultaat"]


def test_answer_encoding_of_each_quiz_type(valid_course):
    strings = site.ui_strings(TEMPLATES_DIR, "nl")
    questions = {}
    for module in valid_course.modules:
        view = pages.module_view(valid_course, module, strings, lambda p: p)
        questions.update({q.item.id: q for q in view.question_list})
    assert questions["q-epstein-type"].correct == "0"
    assert questions["q-epstein-waar"].correct == "0"  # options: true, false
    assert questions["q-ks-meer"].correct == "02"
    assert questions["q-ks-volgorde"].correct == "012"
    assert [o.index for o in questions["q-ks-volgorde"].display] != [0, 1, 2], "order items never start right"
    assert questions["q-ks-koppel"].correct == "01"
    # The right-hand choices are shuffled (generator/shuffle.py), never in row order.
    assert [o.index for o in questions["q-ks-koppel"].display] == [1, 0]


def test_short_keys_are_stable_and_unique():
    ids = [f"q-{i}" for i in range(400)]
    keys = pages.short_keys(ids)
    assert len(set(keys.values())) == 400 and all(len(k) >= 3 for k in keys.values())
    assert pages.short_keys(list(reversed(ids))) == keys, "a key does not depend on the item's position"
    assert pages.short_keys(["q-epstein-type"]) == {"q-epstein-type": "woa"}


def test_reflection_limit_keeps_suspend_data_within_scorm12():
    question = lambda i, n: pages.Question(i, None, f"k{i:02d}", 0, "", "", [None] * n, [], "", "", "")  # noqa: E731
    reflection = lambda i: pages.Reflection(None, f"r{i:02d}", 0, "", [], "")  # noqa: E731
    many = [question(i, 36) for i in range(60)]
    checks = [question(i, 4) for i in range(60, 70)]
    state = pages.state_size(120, many, checks, len(many))
    limit = pages.reflection_limit(state, [reflection(i) for i in range(10)])
    # Every answer at its longest and also mid-way through its tries, every check done, the
    # largest attempt number and score, the learner seed (state.js's format).
    worst = (
        len('{"v":2,"p":"","a":{},"t":{},"n":999,"b":99.99,"c":"","k":"12345678","r":{}}')
        + 20
        + sum(len(f'"{q.key}":"{"x" * 36}",') + len(f'"{q.key}":9,') for q in many)
        + sum(len(q.key) + 1 for q in checks)
        + sum(len(f'"r{i:02d}":"{"x" * limit}",') for i in range(10))
    )
    assert 0 < limit < pages.MAX_REFLECTION and worst <= 4096
    assert pages.state_size(120, many, checks, 5) < state, "a pool of 5 stores at most 5 answers"
    assert pages.reflection_limit(pages.state_size(120, many * 3, [], 180), [reflection(0)]) == 0, (
        "no room: notes are not kept (and the page says so)"
    )
    assert pages.reflection_limit(pages.state_size(10, [], [], 0), [reflection(0)]) == pages.MAX_REFLECTION
    assert pages.reflection_limit(pages.state_size(10, [], [], 0), []) == 0


def test_reflection_limit_2004_shares_its_budget_equally():
    """SCORM 2004: the notes share SUSPEND_BUDGET_2004 (not 64,000: see docs/scorm.md), equally."""
    question = lambda i, n: pages.Question(i, None, f"k{i:02d}", 0, "", "", [None] * n, [], "", "", "")  # noqa: E731
    reflection = lambda i: pages.Reflection(None, f"r{i:02d}", 0, "", [], "")  # noqa: E731
    many = [question(i, 6) for i in range(36)]
    notes = [reflection(i) for i in range(8)]
    state = pages.state_size(80, many, [], len(many))
    limit_12 = pages.reflection_limit(state, notes)
    limit_2004 = pages.reflection_limit(state, notes, pages.SUSPEND_BUDGET_2004, pages.MAX_REFLECTION_2004)
    worst = state + sum(len(f'"r{i:02d}":"{"x" * limit_2004}",') for i in range(8))
    assert 2 * limit_12 <= limit_2004 < pages.MAX_REFLECTION_2004 and worst <= pages.SUSPEND_BUDGET_2004
    empty = pages.state_size(10, [], [], 0)
    assert (
        pages.reflection_limit(empty, [reflection(0)], pages.SUSPEND_BUDGET_2004, pages.MAX_REFLECTION_2004)
        == pages.MAX_REFLECTION_2004
    )


def test_too_many_options_is_refused(valid_course):
    item = valid_course.modules[1].quiz[0]
    big = dataclasses.replace(item, options=tuple(dataclasses.replace(item.options[0], id=str(i)) for i in range(37)))
    module = dataclasses.replace(valid_course.modules[1], quiz=(big,))
    with pytest.raises(ValueError, match="at most 36"):
        pages.module_view(valid_course, module, site.ui_strings(TEMPLATES_DIR, "nl"), lambda p: p)


def test_ui_strings_complete_in_both_languages():
    strings = yaml.safe_load((TEMPLATES_DIR / "scorm" / "strings.yaml").read_text("utf-8"))
    assert set(strings) == {"nl", "en"}
    assert set(strings["nl"]) == set(strings["en"])
    placeholder = re.compile(r"\{(\w+)\}")
    for key in strings["nl"]:
        assert set(placeholder.findall(strings["nl"][key])) == set(placeholder.findall(strings["en"][key])), key
    used = set()
    pattern = re.compile(r"\bs\.(\w+)|\bS\.(\w+)|count\(s, \"(\w+)\"")
    for path in (TEMPLATES_DIR / "scorm").rglob("*"):
        if path.suffix in (".html", ".js"):
            used |= {key for groups in pattern.findall(path.read_text("utf-8")) for key in groups if key}
    missing = {k for k in used if k not in strings["nl"] and k + "_one" not in strings["nl"]}
    assert not missing, missing


def test_english_course_gets_english_interface(valid_course):
    english = dataclasses.replace(valid_course, language="en")
    page = render(english).read("m02-school/index.html").decode()
    assert '<html lang="en">' in page and "Check answer" in page and "Controleer" not in page
    assert "Question 1 of 3" in page and "1 lesson · 15 minutes" in page


def test_theme_colours_meet_wcag_aa():
    default = colours.theme_palette("#1d4e89", "#b5521b")
    assert default["primary"] == "#1d4e89", "a colour that passes is kept"
    assert default["accent"] == "#b1501a", "#b5521b on the tinted backgrounds needs a touch darker"
    for primary, accent in (("#ffcc00", "#7fdbff"), ("#ffffff", "#eeeeee"), ("#3fa34d", "#ff851b")):
        palette = colours.theme_palette(primary, accent)
        for name in ("primary", "accent"):
            for background in ("#ffffff", palette["primary_tint"], palette["accent_tint"]):
                assert colours.contrast(palette[name], background) >= 4.5, (primary, name, background)
        assert colours.contrast("#ffffff", palette["primary"]) >= 4.5, "white text on primary buttons"


def test_theme_css_carries_the_palette(valid_course):
    css = render(valid_course).read("shared/theme.css").decode()
    assert "--primary: #1d4e89;" in css and "--accent: #b1501a;" in css


def test_markdown_is_sanitised():
    nasty = (
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) "
        '<a href="javascript:alert(2)">b</a> ![c" onerror="alert(3)](x.png) [d](https://e.org)'
    )
    rendered = str(content.block(nasty, lambda p: "../media/" + p))
    fragment = lxml_html.fragment_fromstring(rendered, create_parent="div")
    assert fragment.xpath("//script") == []
    assert [a.get("href") for a in fragment.iter("a")] == ["https://e.org"]
    assert [img.get("src") for img in fragment.iter("img")] == ["../media/x.png"]
    assert not [el for el in fragment.iter() if any(name.startswith("on") for name in el.attrib)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered, "raw HTML is shown as text"
    assert '<a href="https://e.org" target="_blank" rel="noopener noreferrer">d</a>' in rendered
    assert '<img src="../media/x.png" alt="c&quot; onerror=&quot;alert(3)">' in rendered
    assert str(content.block("### Kop\n\ntekst", None, top_heading=2)).startswith("<h2>Kop</h2>")


def test_runtime_json_is_safe_in_a_script_element():
    text = str(site.json_script({"a": "</script><!-- & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


def test_element_ids_are_unique_and_references_resolve(valid_course):
    archive = render(valid_course)
    for name in ("m01-basis/index.html", "m02-school/index.html"):
        document = lxml_html.fromstring(archive.read(name))
        ids = [el.get("id") for el in document.iter() if isinstance(el.tag, str) and el.get("id")]
        assert len(ids) == len(set(ids)), name
        for attribute in ("for", "aria-labelledby", "aria-describedby", "aria-controls"):
            for element in document.xpath(f"//*[@{attribute}]"):
                for target in element.get(attribute).split():
                    assert target in ids, f"{name}: {attribute}={target}"


def test_no_inline_script_or_style(valid_course):
    """The pages' Content-Security-Policy allows no inline code; the pages need none."""
    archive = render(valid_course)
    for name in ("index.html", "m01-basis/index.html", "m02-school/index.html"):
        document = lxml_html.fromstring(archive.read(name))
        assert document.xpath("//script[not(@src) and not(@type='application/json')]") == []
        assert document.xpath("//style | //*[@style]") == []
        csp = document.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
        assert "script-src 'self'" in csp and "unsafe" not in csp


def test_build_command(tmp_path, valid_course):
    out = tmp_path / "out"
    assert cli(["build", "--source", str(FIXTURE), "--out", str(out), "--target", "scorm"]) == 0
    assert sorted(p.name for p in (out / "scorm").iterdir()) == [
        "mini-partnerschap-scorm12.zip",
        "mini-partnerschap-scorm2004.zip",
    ]
    first = (out / "scorm" / "mini-partnerschap-scorm12.zip").read_bytes()
    report = build_course(valid_course, FIXTURE, out, ["scorm"])[0]
    assert report.written == [] and len(report.cached) == 2, "unchanged source: nothing rebuilt"
    assert (out / "scorm" / "mini-partnerschap-scorm12.zip").read_bytes() == first
