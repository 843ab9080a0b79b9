"""Slides are measured with font files that travel with the package (or with the template),
never with the machine's fonts: the same source gives the same decks on every OS."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.loader import load_course
from generator.paths import TEMPLATES_DIR
from generator.targets import slides
from generator.targets.slides import measure
from generator.targets.slides.fonts import FontLibrary, cmap_characters, template_fonts

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
OPEN_SANS_FILES = FIXTURES / "fonts" / "open-sans"

# Run the CLI with every system font and fontconfig out of reach, and log what was refused.
HIDE_SYSTEM_FONTS = r"""
import builtins, ctypes, ctypes.util, io, os, sys
BLOCKED = ("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", os.path.expanduser("~/.fonts"),
           os.path.expanduser("~/.local/share/fonts"), "/Library/Fonts", "C:\\Windows\\Fonts")
refused = []
real_open, real_cdll, real_find = io.open, ctypes.CDLL, ctypes.util.find_library
def guarded_open(file, *args, **kwargs):
    if isinstance(file, (str, os.PathLike)) and os.path.abspath(os.fspath(file)).startswith(BLOCKED):
        refused.append(os.fspath(file))
        raise FileNotFoundError(file)
    return real_open(file, *args, **kwargs)
builtins.open = io.open = guarded_open
class NoFontconfig(real_cdll):
    def __init__(self, name, *args, **kwargs):
        if name and "fontconfig" in str(name):
            refused.append(str(name))
            raise OSError("no fontconfig on this machine")
        super().__init__(name, *args, **kwargs)
ctypes.CDLL = NoFontconfig
ctypes.util.find_library = lambda name: None if "fontconfig" in name else real_find(name)
from generator.cli import main
code = main(sys.argv[1:])
with real_open(os.environ["REFUSED_LOG"], "w") as log:
    log.write("\n".join(refused))
sys.exit(code)
"""


def build_without_system_fonts(source: Path, out: Path, tmp: Path) -> list[str]:
    """Build the slides in a process that has no fontconfig, no fc-* programs and no system fonts."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    python = bin_dir / "python3"
    if not python.exists():
        python.symlink_to(sys.executable)
    script = tmp / "hide_fonts.py"
    script.write_text(HIDE_SYSTEM_FONTS, encoding="utf-8")
    log = tmp / "refused.txt"
    env = {
        "PATH": str(bin_dir),
        "HOME": str(tmp),
        "FONTCONFIG_FILE": "/nonexistent",
        "FONTCONFIG_PATH": str(tmp),
        "PYTHONPATH": str(ROOT),
        "REFUSED_LOG": str(log),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [
            str(python),
            str(script),
            "build",
            "--source",
            str(source),
            "--out",
            str(out),
            "--target",
            "slides",
            "--clean",
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert shutil.which("fc-match", path=env["PATH"]) is None
    return [line for line in log.read_text(encoding="utf-8").splitlines() if line]


def build_normally(source: Path, out: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--source",
            str(source),
            "--out",
            str(out),
            "--target",
            "slides",
            "--clean",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr


def deck_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "slides").glob("*.pptx"))}


def institute_course(tmp: Path) -> Path:
    """The valid fixture on an institute template whose theme font is Open Sans, with its font files."""
    source = tmp / "institute-source"
    shutil.copytree(FIXTURES / "valid", source)
    with (
        zipfile.ZipFile(TEMPLATES_DIR / "slides" / "default.pptx") as default,
        zipfile.ZipFile(source / "huisstijl.pptx", "w") as copy,
    ):
        for item in default.infolist():
            data = default.read(item.filename)
            if item.filename.startswith("ppt/theme/"):
                data = data.replace(b'typeface="Calibri"', b'typeface="Open Sans"')
            copy.writestr(item, data)
    shutil.copytree(OPEN_SANS_FILES, source / "fonts")
    course_yaml = source / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    assert "template: default" in text
    course_yaml.write_text(text.replace("template: default", "template: huisstijl.pptx"), encoding="utf-8")
    return source


@pytest.mark.parametrize("course", ["shipped", "institute"])
def test_same_bytes_with_and_without_system_fonts(tmp_path, course):
    source = ROOT / "course_source" if course == "shipped" else institute_course(tmp_path)
    build_normally(source, tmp_path / "normal")
    refused = build_without_system_fonts(source, tmp_path / "bare", tmp_path)
    normal, bare = deck_bytes(tmp_path / "normal"), deck_bytes(tmp_path / "bare")
    assert normal and normal.keys() == bare.keys()
    assert [name for name in normal if normal[name] != bare[name]] == []
    assert refused == []  # nothing even tried to reach a system font or fontconfig


def test_office_fonts_are_measured_with_their_bundled_metric_twins():
    library = FontLibrary()
    assert library.font("Calibri").name == "Carlito-Regular.ttf"
    assert library.font("calibri", bold=True, italic=True).name == "Carlito-BoldItalic.ttf"
    assert library.font("Arial", bold=True).name == "LiberationSans-Bold.ttf"
    assert library.font("Courier New").name == "LiberationMono-Regular.ttf"
    assert library.substitute("Calibri") is None
    assert library.substitute("Een lettertype dat niet bestaat") == "Carlito"


def test_the_default_template_names_calibri_for_powerpoint():
    with zipfile.ZipFile(TEMPLATES_DIR / "slides" / "default.pptx") as deck:
        theme = deck.read("ppt/theme/theme1.xml")
    assert b'<a:latin typeface="Calibri"/>' in theme and b"Carlito" not in theme


def test_character_table_is_read_from_the_font_file():
    carlito = (ROOT / "generator" / "data" / "fonts" / "Carlito-Regular.ttf").read_bytes()
    characters = cmap_characters(carlito)
    assert {ord(c) for c in "aéëï€–“”"} <= characters
    assert 0x6F22 not in characters  # 漢: measured with the fallback font
    assert cmap_characters(b"not a font") == set()


def test_missing_characters_are_measured_with_the_fallback_font():
    library = FontLibrary()
    measure.use_fonts(library)
    assert 0x2713 not in library.font("Calibri").characters  # ✓
    assert measure.text_width("✓", 20, "Calibri") > 0
    assert measure.text_width("a✓b", 20, "Calibri") == pytest.approx(
        measure.text_width("a", 20, "Calibri")
        + measure.text_width("b", 20, "Calibri")
        + measure.text_width("✓", 20, "DejaVu Sans")
    )


def test_template_fonts_come_before_the_bundled_ones(tmp_path):
    source = institute_course(tmp_path)
    fonts = template_fonts(source / "huisstijl.pptx")
    assert sorted(f.name for f in fonts) == sorted(p.name for p in OPEN_SANS_FILES.glob("*.ttf"))
    library = FontLibrary(fonts)
    assert library.font("Open Sans", bold=True).name == "OpenSans-Bold.ttf"
    assert library.substitute("Open Sans") is None
    course = load_course(source).course
    assert not [d for d in slides.check(course, source) if "font" in d.message]


def test_a_template_font_nobody_has_is_named_once(tmp_path):
    source = institute_course(tmp_path)
    shutil.rmtree(source / "fonts")
    course = load_course(source).course
    notices = [d for d in slides.check(course, source) if "Open Sans" in d.message]
    assert len(notices) == 1 and notices[0].severity == "warning"
    assert "measured with 'Carlito'" in notices[0].message and notices[0].loc.path == "course.yaml"


def test_template_fonts_are_part_of_the_fingerprint(tmp_path):
    from generator.outputs import BuildContext

    source = institute_course(tmp_path)
    course = load_course(source).course
    context = BuildContext(source, tmp_path / "out", TEMPLATES_DIR)
    before = [o.fingerprint for o in slides.plan(course, context)]
    font = source / "fonts" / "OpenSans-Regular.ttf"
    font.write_bytes(font.read_bytes() + b"\0")
    after = [o.fingerprint for o in slides.plan(course, context)]
    assert all(a != b for a, b in zip(before, after, strict=True))
