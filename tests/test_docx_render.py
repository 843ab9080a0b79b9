"""Target 'docx' through LibreOffice Writer: every guide and handout of the shipped course (and
the fixture course on an institute's template) converts to PDF, its bookmarks are exactly
the document's headings (so Word's navigation pane and a PDF reader show the same outline),
and no page is empty (a page with only its footer)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx_support import norm, pdf_bookmarks, pdf_pages_text, read_docx
from slides_support import TOOLS_MISSING, convert_to_pdf
from test_docx import FIXTURES, SHIPPED, build_docx, institute_template, needs_diagrams, source_with_diagram, with_docx_settings

MISSING = TOOLS_MISSING + ([] if shutil.which("pdftohtml") else ["pdftohtml"])
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)} (tests/run.sh installs them)")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[Path, Path]:
    root = tmp_path_factory.mktemp("docx-render")
    documents = build_docx(SHIPPED, root / "shipped").documents
    institute = root / "institute-source"
    shutil.copytree(FIXTURES / "valid", institute)
    institute_template(institute / "instituut.docx")
    with_docx_settings(institute, "    template: instituut.docx\n")
    documents += build_docx(institute, root / "institute").documents
    return convert_to_pdf(documents, root / "pdf", processes=2)


def test_the_shipped_course_renders_sixteen_documents(rendered):
    assert len([d for d in rendered if "shipped" in str(d)]) == 16


def test_every_heading_is_a_pdf_bookmark_and_nothing_else_is(rendered):
    for document, pdf in rendered.items():
        headings = [norm(text) for _, text in read_docx(document).headings]
        assert pdf_bookmarks(pdf) == headings, document.name


def test_no_page_is_empty(rendered):
    for document, pdf in rendered.items():
        for number, page in enumerate(pdf_pages_text(pdf), start=1):
            lines = [line for line in page.splitlines() if line.strip()]
            # the footer is the last line: course · module · kind, then "pagina N"
            assert lines and re.search(rf"pagina {number}\s*$", lines[-1]), (document.name, number, lines[-1:])
            assert len(lines) >= 2, f"{document.name}: page {number} holds only its footer"


@needs_diagrams
def test_libreoffice_shows_the_diagram_picture_in_both_documents(tmp_path):
    import subprocess

    built = build_docx(source_with_diagram(tmp_path / "source"), tmp_path / "out")
    module = built.course.modules[0]
    documents = [built.document(module, "guide"), built.document(module, "handout")]
    pdfs = convert_to_pdf(documents, tmp_path / "pdf", processes=1)
    for document in documents:
        listing = subprocess.run(["pdfimages", "-list", str(pdfs[document])], check=True, capture_output=True, text=True).stdout
        widths = [int(line.split()[3]) for line in listing.splitlines()[2:] if line.split()[2] == "image"]
        assert 1240 in widths, (document.name, listing)
