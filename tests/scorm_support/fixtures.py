"""pytest fixtures for the SCORM browser tests. Import them into a test module with
``from scorm_support.fixtures import *``.

One Chromium (Debian's, as ``real-consumers.md`` describes) and one web server serve the
whole test session, however many modules use them; both are closed when pytest ends.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.outputs import BuildContext
from generator.paths import TEMPLATES_DIR
from generator.targets import scorm

from .sco import Sco
from .server import PROJECT, TestServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
SCORM_AGAIN = PROJECT / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js"
VERSIONS = {"1.2": "12", "2004": "2004"}

_shared: dict = {}

__all__ = ["browser", "site", "lms", "Site", "Lms", "VERSIONS", "AXE"]


def _shared_browser(config):
    if "browser" not in _shared:
        if not Path(CHROMIUM).exists():
            pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
        if not SCORM_AGAIN.exists() or not AXE.exists():
            pytest.skip("scorm-again and axe-core are not installed (npm ci)")
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def close():
            _shared.pop("browser").close()
            _shared.pop("playwright").stop()

        config.add_cleanup(close)
    return _shared["browser"]


@dataclass
class Site:
    """The web server's folder: each course's packages unpacked under ``<name>/<12|2004>/``."""

    root: Path
    server: TestServer
    courses: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def add(self, name: str, course) -> Path:
        """Build ``course``'s packages (through the target's plan) and unpack them; cached by name."""
        if name not in self.courses:
            target = self.root / name
            shutil.rmtree(target, ignore_errors=True)
            context = BuildContext(self.root, self.root, TEMPLATES_DIR)
            for output in scorm.plan(course, context):
                version = "12" if output.path.endswith("scorm12.zip") else "2004"
                with zipfile.ZipFile(io.BytesIO(output.render())) as archive:
                    archive.extractall(target / version)
            self.courses[name] = target
        return self.courses[name]


def _shared_site(config, factory) -> Site:
    if "site" not in _shared:
        root = factory.mktemp("scorm-site")
        server = TestServer(root)
        _shared["site"] = Site(root, server)

        def close():
            _shared.pop("site").server.close()

        config.add_cleanup(close)
    return _shared["site"]


@pytest.fixture
def browser(request):
    return _shared_browser(request.config)


@pytest.fixture
def site(request, tmp_path_factory, valid_course) -> Site:
    result = _shared_site(request.config, tmp_path_factory)
    result.add("fixture", valid_course)
    return result


class Lms:
    """The test LMS page in one browser tab, and what it saw."""

    def __init__(self, page, site: Site) -> None:
        self.page = page
        self.site = site
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("console", lambda message: message.type == "error" and self.errors.append(f"console: {message.text}"))
        page.goto(site.url + "/lms/index.html")

    def launch(
        self,
        version: str,
        module: str,
        course: str = "fixture",
        resume: dict | None = None,
        commit_url: bool = False,
        mastery: int | None = None,
        fail_initialize: bool = False,
        wait: bool = True,
        learner: str | None = None,
        moodle: dict | None = None,
    ) -> Sco | None:
        """Open ``module``; ``moodle`` (e.g. ``{"strict12": True}``) makes the LMS keep the
        record the way Moodle does (lms/moodle.js)."""
        options = {
            "moodle": moodle,
            "version": version,
            "url": f"/{course}/{VERSIONS[version]}/{module}/index.html",
            "resume": resume,
            "commitUrl": "/lms/commit" if commit_url else False,
            "failInitialize": fail_initialize,
            "learnerId": learner,
        }
        if mastery is not None:
            options["masteryScore"] = mastery
        self.page.evaluate("options => harness.launch(options)", options)
        return Sco.in_lms(self.page) if wait else None

    def close(self) -> dict:
        """Unload the SCO; returns {cmi, record, calls} and, with ``moodle``, {uploads, stored}
        (see lms/harness.js and lms/moodle.js)."""
        return self.page.evaluate("harness.close()")

    def get(self, element: str) -> str:
        """Read a CMI element the way an LMS report would (from the API's data, not via GetValue)."""
        return self.page.evaluate("path => path.split('.').reduce((o, k) => o == null ? o : o[k], harness.api)", element)

    def calls(self, name: str) -> int:
        return self.page.evaluate("name => harness.calls[name] || 0", name)


@pytest.fixture
def lms(browser, site):
    """A fresh browser context at 1280 x 900 with the test LMS open."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Lms(page, site)
    context.close()
