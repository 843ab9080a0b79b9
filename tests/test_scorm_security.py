"""Nothing in a course source can run script in the SCORM module.

Three layers, each tested: the loader refuses raw HTML; every Markdown text is rendered with
raw HTML off and then sanitised with nh3; plain fields (titles, roles) are autoescaped and
the runtime JSON is escaped for a <script> element. The browser test below bypasses the
pages' Content-Security-Policy, so that it proves the rendering alone is safe.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from scorm_support.fixtures import *  # noqa: F401,F403 (fixtures: browser, site, lms)
from scorm_support.fixtures import Lms

from generator.loader import load_course
from generator.model import Markdown

HOSTILE = '<img src=x onerror="window.__xss=1"></script><script>window.__xss=2</script>'


def test_loader_refuses_raw_html(valid_source):
    lesson = valid_source / "modules" / "01-basis" / "lessons" / "01-epstein.md"
    lesson.write_text(
        lesson.read_text("utf-8").replace(
            "Ouders maken leren mogelijk", "Ouders <img src=x onerror=alert(1)> maken leren mogelijk"
        ),
        "utf-8",
    )
    result = load_course(valid_source)
    assert result.course is None
    assert any("raw HTML" in d.message for d in result.diagnostics.errors)


def _hostile_source(source):
    """Crafted text the loader accepts: HTML in plain fields, tricks in legal Markdown."""

    def edit(path, old, new):
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")

    edit(source / "course.yaml", "title: Mini-cursus partnerschap", f"title: '{HOSTILE}'")
    edit(source / "modules" / "01-basis" / "module.yaml", "title: Basisbegrippen", f"title: '{HOSTILE}'")
    lesson = source / "modules" / "01-basis" / "lessons" / "01-epstein.md"
    edit(lesson, "title: De typen van Epstein", f"title: '{HOSTILE}'")
    edit(lesson, "## Ouderschap {#ouderschap}", f"## Ouderschap {HOSTILE} {{#ouderschap}}")
    edit(
        lesson,
        "![Logo van de cursus](../../../images/logo.png)",
        '![Logo" onerror="window.__xss=3](../../../images/logo.png "t\\" onload=\\"window.__xss=4")\n\n'
        '[klik](https://example.org/"onmouseover="window.__xss=5 "x\\" onclick=\\"window.__xss=6")\n\n'
        '[mail](mailto:a@b.nl?subject="><script>window.__xss=7</script>)',
    )
    vignettes = source / "modules" / "01-basis" / "vignettes.yaml"
    edit(vignettes, "setting: Basisschool, groep 3", f"setting: '{HOSTILE}'")
    edit(vignettes, "role: Je bent pabo-stagiair in groep 3.", f"role: '{HOSTILE}'")
    edit(vignettes, "title: Een moeder die niet komt", f"title: '{HOSTILE}'")
    return source


def _inject_raw_html(course):
    """Past the loader: raw HTML and a javascript: link straight into the model's Markdown."""
    module = course.modules[0]
    raw = Markdown(
        f'{HOSTILE}\n\n<iframe src="javascript:window.__xss=8"></iframe>\n\n'
        f'[x](javascript:window.__xss=9) <a href="javascript:window.__xss=10">y</a>',
        "",
        module.description.loc,
    )
    item = dataclasses.replace(
        module.quiz[0],
        question=raw,
        options=tuple(dataclasses.replace(o, text=HOSTILE, feedback=HOSTILE) for o in module.quiz[0].options),
    )
    module = dataclasses.replace(module, description=raw, quiz=(item, *module.quiz[1:]))
    return dataclasses.replace(course, modules=(module, *course.modules[1:]))


@pytest.fixture
def hostile_course(valid_source):
    result = load_course(_hostile_source(valid_source))
    assert result.course is not None, [str(d) for d in result.diagnostics.errors]
    return _inject_raw_html(result.course)


def test_no_script_from_course_text_runs(browser, site, hostile_course):
    site.add("hostile", hostile_course)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        lms = Lms(page, site)
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        sco = lms.launch("2004", "m01-basis", course="hostile")
        frame = sco.frame
        for index in range(len(sco.config["pages"])):
            sco.go(index)
            if sco.kind == "question":
                sco.answer(right=False)
            # Hover and focus everything, open every disclosure: any handler would fire now.
            frame.evaluate("""() => {
                for (const el of document.querySelectorAll('body *')) {
                    for (const type of ['mouseover', 'focus', 'load', 'error']) el.dispatchEvent(new Event(type));
                }
                document.querySelectorAll('details').forEach(d => d.open = true);
            }""")
        page.wait_for_timeout(300)
        assert frame.evaluate("window.__xss") is None and page.evaluate("window.__xss") is None
        assert dialogs == []
        found = frame.evaluate("""() => ({
            handlers: [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
                .filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name)),
            scripts: [...document.scripts].map(s => s.src ? new URL(s.src).pathname.split('/').pop() : s.type),
            active: [...document.querySelectorAll(
                'iframe, object, embed, svg, style, base, form[action], meta[http-equiv=refresh]')].length,
            jsLinks: [...document.querySelectorAll('body [href], body [src]')]
                .map(el => el.getAttribute('href') || el.getAttribute('src'))
                .filter(url => /^\\s*(javascript|data|vbscript):/i.test(url)),
            title: document.querySelector('.course-title').textContent,
        })""")
        assert found["handlers"] == []
        assert found["scripts"] == ["lms.js", "quiz.js", "state.js", "notes.js", "sco.js", "application/json"]
        assert found["active"] == 0
        assert found["jsLinks"] == []
        assert found["title"] == HOSTILE, "plain fields are shown as text, not dropped"
        lms.close()
    finally:
        context.close()


def test_runtime_json_cannot_close_its_script_element(site, hostile_course):
    folder = site.add("hostile", hostile_course)
    html = (folder / "2004" / "m01-basis" / "index.html").read_text("utf-8")
    body = html.split('<script type="application/json" id="sco-config">', 1)[1].split("</script>", 1)[0]
    assert "<" not in body and ">" not in body
    assert re.findall(r"<script\b[^>]*>", html) == [
        '<script src="../shared/lms.js" defer>',
        '<script src="../shared/quiz.js" defer>',
        '<script src="../shared/state.js" defer>',
        '<script src="../shared/notes.js" defer>',
        '<script src="../shared/sco.js" defer>',
        '<script type="application/json" id="sco-config">',
    ]
    from lxml import html as lxml_html

    document = lxml_html.fromstring(html)
    assert [el.tag for el in document.iter() if isinstance(el.tag, str) and any(a.startswith("on") for a in el.attrib)] == []
    assert document.xpath("//img[@src='x'] | //iframe | //a[starts-with(@href, 'javascript:')]") == []
