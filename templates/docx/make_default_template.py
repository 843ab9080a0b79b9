"""Builds ``templates/docx/default.docx``, the Word template of the ``docx`` target.

Run it from anywhere: ``python templates/docx/make_default_template.py``. The package is
written part by part (no library defaults), so every style in it is one the documents use:

- an A4 page with 2 cm margins and a footer (the build writes course, module and page number
  into it);
- Calibri 11 pt (LibreOffice shows it with its metric twin Carlito), Dutch proofing language
  (``w:lang nl-NL``) in the document defaults and in every style;
- Title, Subtitle and Heading 1-3 with outline levels, so that Word's navigation pane and a
  PDF's bookmarks list the headings;
- ``Course Table`` (a grid whose first row is the header row, repeated on every page),
  ``Writing Lines`` (ruled lines to write on), and the paragraph styles ``Answer`` (answer keys
  and model answers), ``Instruction`` (time, form, materials), ``Reference`` (APA, hanging
  indent), ``Table Text`` and ``List Paragraph``; lists are numbered through ``numbering.xml``.

The colours ``1D4E89`` (primary) and ``B5521B`` (accent) are replaced at build time by
``theme:`` in course.yaml (in the default template only; an institute's template keeps its own).
The output is byte-for-byte repeatable (fixed zip times and core properties).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # for generator.outputs when run as a script

from generator.outputs import zip_bytes  # noqa: E402

PRIMARY = "1D4E89"
ACCENT = "B5521B"
FONT = "Calibri"
LANG = "nl-NL"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _rpr(extra: str = "") -> str:
    """A style's run properties: ``extra`` (in schema order, before the language) and nl-NL."""
    return f'<w:rPr>{extra}<w:lang w:val="{LANG}"/></w:rPr>'


def _style(
    kind: str,
    style_id: str,
    name: str,
    *,
    based: str | None = "Normal",
    next_: str | None = None,
    ppr: str = "",
    rpr: str = "",
    default: bool = False,
    extra: str = "",
    ui: int | None = None,
    q: bool = True,
    link: str | None = None,
) -> str:
    attrs = f'w:type="{kind}" w:styleId="{style_id}"' + (' w:default="1"' if default else "")
    parts = [f'<w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    if next_:
        parts.append(f'<w:next w:val="{next_}"/>')
    if link:
        parts.append(f'<w:link w:val="{link}"/>')
    if ui is not None:
        parts.append(f'<w:uiPriority w:val="{ui}"/>')
    if q:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    parts.append(_rpr(rpr))
    parts.append(extra)
    return f"<w:style {attrs}>{''.join(parts)}</w:style>"


def _heading(level: int, size: int, before: int, after: int, colour: str) -> str:
    return _style(
        "paragraph",
        f"Heading{level}",
        f"heading {level}",
        next_="Normal",
        ui=9,
        ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/><w:outlineLvl w:val="{level - 1}"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{colour}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
    )


def _border(side: str, val: str = "single", size: int = 4, colour: str = "A6A6A6", space: int = 0) -> str:
    if val == "nil":
        return f'<w:{side} w:val="nil"/>'
    return f'<w:{side} w:val="{val}" w:sz="{size}" w:space="{space}" w:color="{colour}"/>'


def styles_xml() -> str:
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val="22"/><w:szCs w:val="22"/>'
        f'<w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
        f"</w:pPrDefault></w:docDefaults>"
    )
    grid = "".join(_border(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    lines = (
        "".join(_border(s, "nil") for s in ("top", "left"))
        + _border("bottom", colour="7F7F7F")
        + _border("right", "nil")
        + _border("insideH", colour="7F7F7F")
        + _border("insideV", "nil")
    )
    cell_margins = (
        '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
    )
    styles = [
        _style("paragraph", "Normal", "Normal", based=None, default=True),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", based=None, default=True, ui=1, q=False),
        _style(
            "table",
            "TableNormal",
            "Normal Table",
            based=None,
            default=True,
            ui=99,
            q=False,
            extra='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
            '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>',
        ),
        _style("numbering", "NoList", "No List", based=None, default=True, ui=99, q=False),
        _style(
            "paragraph",
            "Title",
            "Title",
            next_="Subtitle",
            ui=10,
            ppr='<w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/><w:contextualSpacing/>',
            rpr=f'<w:b/><w:bCs/><w:color w:val="{PRIMARY}"/><w:kern w:val="28"/><w:sz w:val="52"/><w:szCs w:val="52"/>',
        ),
        _style(
            "paragraph",
            "Subtitle",
            "Subtitle",
            next_="Normal",
            ui=11,
            ppr='<w:spacing w:after="360"/>',
            rpr='<w:color w:val="595959"/><w:sz w:val="28"/><w:szCs w:val="28"/>',
        ),
        _heading(1, 32, 360, 120, PRIMARY),
        _heading(2, 26, 280, 100, PRIMARY),
        _heading(3, 22, 200, 60, "262626"),
        _style(
            "paragraph",
            "ListParagraph",
            "List Paragraph",
            ui=34,
            ppr='<w:spacing w:after="60"/><w:ind w:left="720"/><w:contextualSpacing/>',
        ),
        _style(
            "paragraph",
            "Instruction",
            "Instruction",
            ui=20,
            ppr='<w:keepNext/><w:spacing w:before="60" w:after="120"/>',
            rpr=f'<w:color w:val="{ACCENT}"/><w:sz w:val="20"/><w:szCs w:val="20"/>',
        ),
        _style(
            "paragraph",
            "Answer",
            "Answer",
            ui=21,
            ppr=f"<w:pBdr>{_border('left', size=18, colour=ACCENT, space=8)}</w:pBdr>"
            f'<w:shd w:val="clear" w:color="auto" w:fill="F4F1EE"/><w:spacing w:after="80"/><w:ind w:left="198" w:right="113"/>',
        ),
        _style(
            "paragraph", "Reference", "Reference", ui=37, ppr='<w:spacing w:after="120"/><w:ind w:left="567" w:hanging="567"/>'
        ),
        _style(
            "paragraph",
            "TableText",
            "Table Text",
            ui=38,
            ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            rpr='<w:sz w:val="19"/><w:szCs w:val="19"/>',
        ),
        _style(
            "paragraph",
            "Footer",
            "footer",
            ui=99,
            q=False,
            ppr='<w:tabs><w:tab w:val="right" w:pos="9638"/></w:tabs><w:spacing w:after="0"/>',
            rpr='<w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/>',
        ),
        _style(
            "character",
            "Hyperlink",
            "Hyperlink",
            based="DefaultParagraphFont",
            ui=99,
            q=False,
            rpr='<w:color w:val="0563C1"/><w:u w:val="single"/>',
        ),
        _style(
            "table",
            "CourseTable",
            "Course Table",
            based="TableNormal",
            ui=39,
            ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            extra=f"<w:tblPr><w:tblBorders>{grid}</w:tblBorders>{cell_margins}</w:tblPr>"
            f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
            f"<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>"
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{PRIMARY}"/></w:tcPr></w:tblStylePr>',
        ),
        _style(
            "table",
            "WritingLines",
            "Writing Lines",
            based="TableNormal",
            ui=40,
            ppr='<w:spacing w:after="0"/>',
            extra=f"<w:tblPr><w:tblBorders>{lines}</w:tblBorders></w:tblPr>",
        ),
    ]
    return f'{DECL}<w:styles xmlns:w="{W}">{defaults}{"".join(styles)}</w:styles>'


def _level(index: int, fmt: str, text: str) -> str:
    left = 360 + 360 * index
    rpr = ""
    return (
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr>{rpr}</w:lvl>'
    )


BULLETS = ("\u2022", "\u2013", "\u25aa", "\u2022")
NUMBERS = (("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3."), ("decimal", "%4."))


def numbering_xml() -> str:
    bullet_levels = "".join(_level(i, "bullet", char) for i, char in enumerate(BULLETS))
    number_levels = "".join(_level(i, fmt, text) for i, (fmt, text) in enumerate(NUMBERS))
    return (
        f'{DECL}<w:numbering xmlns:w="{W}">'
        f'<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>'
        f'<w:name w:val="Course Bullets"/>{bullet_levels}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="hybridMultilevel"/>'
        f'<w:name w:val="Course Numbers"/>{number_levels}</w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        f'<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
        f"</w:numbering>"
    )


def settings_xml() -> str:
    return (
        f'{DECL}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/>'
        f'<w:hyphenationZone w:val="425"/><w:characterSpacingControl w:val="doNotCompress"/>'
        f'<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        f'</w:compat><w:themeFontLang w:val="{LANG}"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>'
        f"</w:settings>"
    )


def document_xml() -> str:
    # A4 portrait, 2 cm margins; the footer is filled in by the build.
    return (
        f'{DECL}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:p/>'
        f'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/>'
        f'<w:pgSz w:w="11906" w:h="16838"/>'
        f'<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/>'
        f'<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr></w:body></w:document>'
    )


def footer_xml() -> str:
    return f'{DECL}<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p></w:ftr>'


WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def content_types_xml() -> str:
    overrides = {
        "/word/document.xml": f"{WML}.document.main+xml",
        "/word/styles.xml": f"{WML}.styles+xml",
        "/word/settings.xml": f"{WML}.settings+xml",
        "/word/numbering.xml": f"{WML}.numbering+xml",
        "/word/footer1.xml": f"{WML}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    body = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
    return (
        f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{body}</Types>'
    )


def _rels(entries: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in entries)
    return f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'


def package_rels_xml() -> str:
    return _rels(
        [
            ("rId1", f"{REL}/officeDocument", "word/document.xml"),
            (
                "rId2",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                "docProps/core.xml",
            ),
            ("rId3", f"{REL}/extended-properties", "docProps/app.xml"),
        ]
    )


def document_rels_xml() -> str:
    return _rels(
        [
            ("rIdStyles", f"{REL}/styles", "styles.xml"),
            ("rIdSettings", f"{REL}/settings", "settings.xml"),
            ("rIdNumbering", f"{REL}/numbering", "numbering.xml"),
            ("rIdFooter1", f"{REL}/footer", "footer1.xml"),
        ]
    )


def core_xml() -> str:
    return (
        f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>coursegen</dc:title><dc:language>{LANG}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>'
        f"</cp:coreProperties>"
    )


def app_xml() -> str:
    return (
        f'{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>coursegen</Application></Properties>"
    )


def build_default_template() -> bytes:
    parts = {
        "[Content_Types].xml": content_types_xml(),
        "_rels/.rels": package_rels_xml(),
        "word/document.xml": document_xml(),
        "word/_rels/document.xml.rels": document_rels_xml(),
        "word/styles.xml": styles_xml(),
        "word/settings.xml": settings_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/footer1.xml": footer_xml(),
        "docProps/core.xml": core_xml(),
        "docProps/app.xml": app_xml(),
    }
    return zip_bytes({name: text.encode("utf-8") for name, text in parts.items()}, first=("[Content_Types].xml",))


def main() -> None:
    target = HERE / "default.docx"
    target.write_bytes(build_default_template())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
