"""The malformed-source corpus: each case edits a copy of tests/fixtures/valid and names the
exact diagnostics ``coursegen check`` must print for it (and nothing may crash).

A case is (name, edits); the expected diagnostics are golden files in
tests/malformed/expected/<name>.txt. Edits are applied in order:
- ("replace", path, old, new): replace text once (the old text must be there)
- ("write", path, text) / ("bytes", path, data): create or overwrite a file
- ("remove", path) / ("symlink", path, target) / ("fifo", path) / ("rename", path, new path)
- ("copy", folder, new folder) / ("files", folder, count): that many small files
"""

from __future__ import annotations

import struct
import zlib

L1 = "modules/01-basis/lessons/01-epstein.md"
Q1 = "modules/01-basis/quiz.yaml"
C1 = "modules/01-basis/cards.yaml"
V1 = "modules/01-basis/vignettes.yaml"
Q2 = "modules/02-school/quiz.yaml"
C2 = "modules/02-school/cards.yaml"
L2 = "modules/02-school/lessons/01-knof-swick.md"


def _png(width: int, height: int) -> bytes:
    """The first bytes of a PNG of this size: enough for a header check, nothing to decode."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'

ALIAS_BOMB = "  bom: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"  b{i}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(5)
)
BIG_LIST = "objectives:\n" + "".join(f"  - Doel {i}\n" for i in range(5000))
DEEP_LIST = "\n".join("  " * depth + "- niveau" for depth in range(8))

CASES = [
    ("yaml-syntax", [("replace", "course.yaml", "title: Mini-cursus partnerschap", "title: [Mini-cursus")]),
    ("yaml-tab", [("replace", "course.yaml", "  - Testauteur", "\t- Testauteur")]),
    ("front-matter-syntax", [("replace", L1, "minutes: 10", "minutes: : 10")]),
    ("front-matter-missing", [("replace", L1, "---\nid: les-epstein", "id: les-epstein")]),
    ("front-matter-unclosed", [("write", L1, "---\nid: les-epstein\ntitle: X\n")]),
    ("unknown-field", [("replace", Q1, "  type: single", "  type: single\n  difficulty: hard")]),
    ("missing-field", [("replace", L1, "minutes: 10\n", "")]),
    ("wrong-type-int", [("replace", L1, "minutes: 10", "minutes: tien")]),
    ("wrong-type-bool", [("replace", Q1, "      correct: true", "      correct: ja")]),
    (
        "wrong-type-list",
        [
            (
                "replace",
                "course.yaml",
                "modules:\n  - modules/01-basis\n  - modules/02-school",
                "modules:\n  first: modules/01-basis",
            )
        ],
    ),
    ("bad-choice", [("replace", "course.yaml", "language: nl", "language: fr")]),
    ("bad-scorm-version", [("replace", "course.yaml", 'versions: ["1.2", "2004"]', 'versions: ["1.3"]')]),
    ("unknown-target", [("replace", "course.yaml", "targets:\n", "targets:\n  epub:\n    x: 1\n")]),
    ("duplicate-id-across-files", [("replace", C2, "id: card-ks-relatie", "id: q-epstein-type")]),
    ("duplicate-concept", [("replace", "concepts/knof-swick.yaml", "id: ks-relatie", "id: epstein-ouderschap")]),
    ("duplicate-yaml-key", [("replace", Q1, "  type: single", "  type: single\n  type: multiple")]),
    ("duplicate-section-id", [("replace", L1, "## Communiceren {#communiceren}", "## Communiceren {#ouderschap}")]),
    ("section-without-id", [("replace", L1, "## Communiceren {#communiceren}", "## Communiceren")]),
    ("bad-id", [("replace", Q1, "id: q-epstein-type", "id: Q Epstein")]),
    ("unknown-concept", [("replace", C1, "concepts: [epstein-ouderschap]", "concepts: [epstein-ouderraad]")]),
    ("unknown-lesson", [("replace", V1, "lesson: les-epstein", "lesson: les-knof-swick")]),
    ("unknown-reference-inline", [("replace", L1, "[@epstein-1991]", "[@epstein-1992]")]),
    (
        "unknown-reference-cite",
        [("replace", Q2, "cite: [knof-swick-2007]\n  question: Zet", "cite: [knof-swick-2008]\n  question: Zet")],
    ),
    ("no-correct-answer", [("replace", Q1, "      correct: true\n", "")]),
    ("two-correct-single", [("replace", Q1, "    - text: Ouderraad\n", "    - text: Ouderraad\n      correct: true\n")]),
    (
        "option-without-feedback",
        [("replace", Q1, "      feedback: Nee, bij de ouderraad gaat het om een formele stem in besluiten.\n", "")],
    ),
    ("truefalse-no-answer", [("replace", Q1, "  answer: true\n", "")]),
    ("order-one-item", [("replace", Q2, "    - Belangstelling tonen\n    - Samen doelen stellen\n", "")]),
    ("cloze-without-deletion", [("replace", C1, "{{c1::ouderschap}} en {{c2::communiceren}}", "ouderschap en communiceren")]),
    (
        "empty-lesson",
        [
            (
                "write",
                L1,
                "---\nid: les-epstein\ntitle: Leeg\nminutes: 5\nobjectives: [x]\nconcepts: [epstein-ouderschap]\n---\n\n",
            )
        ],
    ),
    ("empty-section", [("replace", L1, "| Vorm | Voorbeeld |\n|------|-----------|\n| Gesprek | Tienminutengesprek |\n", "")]),
    ("text-before-section", [("replace", L1, "---\n\n## Ouderschap", "---\nInleiding zonder kop.\n\n## Ouderschap")]),
    ("notes-unclosed", [("replace", L1, "Laat de tabel zien.\n:::", "Laat de tabel zien.")]),
    ("notes-bad-timing", [("replace", L1, "::: notes 5 min", "::: notes vijf minuten")]),
    ("image-missing", [("replace", L1, "images/logo.png)", "images/foto.png)")]),
    ("image-outside-tree", [("replace", L1, "(../../../images/logo.png)", "(../../../../../../etc/passwd.png)")]),
    ("image-absolute", [("replace", L1, "(../../../images/logo.png)", "(/etc/logo.png)")]),
    ("image-windows-backslashes", [("replace", L1, "(../../../images/logo.png)", r"(..\..\..\images\logo.png)")]),
    ("image-windows-drive", [("replace", L1, "(../../../images/logo.png)", r"(C:\cursus\images\logo.png)")]),
    ("image-windows-drive-slashes", [("replace", L1, "(../../../images/logo.png)", "(C:/cursus/images/logo.png)")]),
    ("image-remote", [("replace", L1, "(../../../images/logo.png)", "(https://example.org/logo.png)")]),
    ("image-unsupported-type", [("write", "images/film.mp4", "x"), ("replace", L1, "images/logo.png)", "images/film.mp4)")]),
    (
        "image-symlink-out",
        [("symlink", "images/link.png", "/etc/hostname"), ("replace", L1, "images/logo.png)", "images/link.png)")],
    ),
    ("lesson-symlink-out", [("symlink", "modules/01-basis/lessons/02-extern.md", "/etc/hostname")]),
    ("non-utf8", [("bytes", C2, "- id: card-ks-relatie\n  type: basic\n  front: caf\xe9\n".encode("latin-1"))]),
    ("byte-order-mark", [("bytes", Q2, b"\xef\xbb\xbf- id: x\n")]),
    ("empty-file", [("write", C1, "")]),
    ("huge-file", [("write", C1, "# " + "x" * 10_000_000 + "\n")]),
    (
        "list-of-5000",
        [
            (
                "replace",
                "modules/02-school/module.yaml",
                "objectives:\n  - Je kunt een strategie van Knof & Swick toepassen.\n",
                BIG_LIST,
            )
        ],
    ),
    ("deeply-nested-list", [("replace", L2, "1. Leer de ouders kennen", DEEP_LIST + "\n\n1. Leer de ouders kennen")]),
    ("raw-script", [("replace", L1, "- *ondersteunen*", "- *ondersteunen*\n\n<script>alert(1)</script>")]),
    (
        "onerror-attribute",
        [("replace", L1, "Ouders maken leren mogelijk", 'Ouders <img src=x onerror="alert(1)"> maken leren mogelijk')],
    ),
    (
        "javascript-link",
        [("replace", L1, "Ouders maken leren mogelijk", "Ouders [klik](javascript:alert(1)) maken leren mogelijk")],
    ),
    ("no-modules", [("replace", "course.yaml", "modules:\n  - modules/01-basis\n  - modules/02-school\n", "modules: []\n")]),
    ("missing-module-folder", [("replace", "course.yaml", "  - modules/02-school", "  - modules/03-weg")]),
    ("module-outside-tree", [("replace", "course.yaml", "  - modules/02-school", "  - ../../etc")]),
    ("bad-colour", [("replace", "course.yaml", 'primary: "#1d4e89"', "primary: blauw")]),
    ("duplicate-reference", [("replace", "references.yaml", "key: knof-swick-2007", "key: epstein-1991")]),
    (
        "svg-with-script",
        [
            ("write", "images/kwaad.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
            ("replace", L1, "images/logo.png)", "images/kwaad.svg)"),
        ],
    ),
    ("passing-score-out-of-range", [("replace", "course.yaml", "passing_score: 70", "passing_score: 170")]),
    (
        "too-many-options",
        [
            (
                "replace",
                Q1,
                "    - text: Ouderraad\n",
                "".join(f"    - text: Optie {i}\n      feedback: Nee.\n" for i in range(25)) + "    - text: Ouderraad\n",
            )
        ],
    ),
    # issue 19, point 1: YAML read as the author wrote it
    ("yaml-binary-tag", [("replace", Q1, "    - text: Ouderraad", "    - text: !!binary aGVsbG8=")]),
    ("yaml-python-tag", [("replace", "course.yaml", "licence: CC BY-SA 4.0", "licence: !!python/object/apply:os.system [echo]")]),
    ("yaml-self-alias", [("replace", "course.yaml", "authors:\n  - Testauteur", "authors: &a\n  - *a")]),
    ("yaml-alias-bomb", [("replace", "course.yaml", "targets:\n", "bommen:\n" + ALIAS_BOMB + "targets:\n")]),
    ("yaml-deep-brackets", [("replace", "course.yaml", "licence: CC BY-SA 4.0", "licence: " + "[" * 5000 + "]" * 5000)]),
    (
        "yaml-two-documents",
        [
            (
                "replace",
                C1,
                "- id: ",
                "- id: x\n---\n- id: ",
            )
        ],
    ),
    ("yaml-yes-for-bool", [("replace", Q1, "      correct: true", "      correct: yes")]),
    (
        "yaml-error-in-block-scalar",
        [
            (
                "replace",
                V1,
                "    De moeder van Sem komt niet naar het tienminutengesprek.",
                "    De moeder van Sem komt niet\n    naar het <b>tienminutengesprek</b>.",
            )
        ],
    ),
    # issue 19, point 3: diagnostics that lead to the cause
    ("references-yaml-typo", [("replace", "references.yaml", "cite: Knof & Swick", "cite: Knof & Swick: 2007")]),
    ("concepts-yaml-typo", [("replace", "concepts/definities.yaml", "label: Ouderschap", "label: [Ouderschap")]),
    ("reference-key-renamed", [("replace", "references.yaml", "key: epstein-1991", "key: epstein-1990")]),
    (
        "module-listed-twice",
        [("replace", "course.yaml", "  - modules/02-school\n", "  - modules/02-school\n  - ./modules/01-basis/\n")],
    ),
    (
        "module-folder-copied",
        [
            ("copy", "modules/01-basis", "modules/03-kopie"),
            ("replace", "course.yaml", "  - modules/02-school\n", "  - modules/02-school\n  - modules/03-kopie\n"),
        ],
    ),
    ("unknown-target-typo", [("replace", "course.yaml", "  anki:\n", "  ankki:\n")]),
    ("unknown-field-typo", [("replace", Q1, "  type: single", "  typ: single")]),
    ("slides-template-backslashes", [("replace", "course.yaml", "template: default", r"template: sjablonen\huis.pptx")]),
    ("slides-template-absolute", [("replace", "course.yaml", "template: default", "template: /etc/huis.pptx")]),
    ("slides-template-outside", [("replace", "course.yaml", "template: default", "template: ../../huis.pptx")]),
    # issue 19, point 4: limits instead of crashes
    ("paragraph-too-long", [("replace", L1, "Ouders maken leren mogelijk", "Ouders maken leren mogelijk " + "heel " * 4000)]),
    (
        "markdown-list-of-10000",
        [
            (
                "replace",
                L2,
                "1. Leer de ouders kennen",
                "".join(f"- punt {i}\n" for i in range(10_000)) + "\n1. Leer de ouders kennen",
            )
        ],
    ),
    (
        "deep-block-quotes",
        [("replace", L1, "Ouders maken leren mogelijk", "> " * 30 + "verdwenen tekst\n\nOuders maken leren mogelijk")],
    ),
    ("image-huge-pixel-count", [("bytes", "images/logo.png", _png(30_000, 30_000))]),
    (
        "title-too-long",
        [("replace", "course.yaml", "title: Mini-cursus partnerschap", "title: Mini-cursus" + " partnerschap" * 500)],
    ),
    ("tag-with-newline", [("replace", C1, "  type: basic", '  type: basic\n  tags: ["epstein\\n"]')]),
    (
        "yaml-escaped-control-character",
        [("replace", "course.yaml", "title: Mini-cursus partnerschap", 'title: "Mini-cursus\\x07 partnerschap"')],
    ),
    (
        "yaml-escaped-lone-surrogate",
        [("replace", "course.yaml", "subtitle: Een kleine testcursus", 'subtitle: "Een kleine \\ud800 testcursus"')],
    ),
    ("too-many-files", [("files", "archief", 5001)]),
    # issue 19, point 5: every output valid
    ("id-with-trailing-newline", [("replace", "modules/01-basis/module.yaml", "id: m01-basis", 'id: "m01-basis\\n"')]),
    ("course-id-equals-module-id", [("replace", "course.yaml", "id: mini-partnerschap", "id: m01-basis")]),
    ("version-too-long", [("replace", "course.yaml", "version: 1.0.0", "version: 1.0.0-release-candidate-2026-12")]),
    # issue 19, point 6: images checked as what they are
    ("image-not-what-its-name-says", [("write", "images/logo.png", "GIF89a is not a PNG")]),
    ("image-not-an-image", [("write", "images/logo.png", "hallo")]),
    (
        "svg-prefixed-script",
        [
            (
                "write",
                "images/kwaad.svg",
                SVG_OPEN[:-1] + ' xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></svg>',
            ),
            ("replace", L1, "images/logo.png)", "images/kwaad.svg)"),
        ],
    ),
    (
        "svg-entity-javascript",
        [
            (
                "write",
                "images/kwaad.svg",
                '<!DOCTYPE svg [<!ENTITY j "javascript">]>' + SVG_OPEN + '<use xlink:href="&j;:alert(1)"/></svg>',
            ),
            ("replace", L1, "images/logo.png)", "images/kwaad.svg)"),
        ],
    ),
    (
        "svg-charref-javascript",
        [
            ("write", "images/kwaad.svg", SVG_OPEN + '<use href="&#106;avascript:alert(1)"/></svg>'),
            ("replace", L1, "images/logo.png)", "images/kwaad.svg)"),
        ],
    ),
    (
        "svg-link-element",
        [
            ("write", "images/kwaad.svg", SVG_OPEN + '<a href="#x"><rect width="1" height="1"/></a></svg>'),
            ("replace", L1, "images/logo.png)", "images/kwaad.svg)"),
        ],
    ),
    (
        "svg-external-style",
        [
            (
                "write",
                "images/kwaad.svg",
                SVG_OPEN + '<rect width="1" height="1" style="fill: url(https://example.org/x)"/></svg>',
            ),
            ("replace", L1, "images/logo.png)", "images/kwaad.svg)"),
        ],
    ),
    (
        "svg-event-handler",
        [
            ("write", "images/kwaad.svg", SVG_OPEN + '<rect width="1" height="1" onclick="alert(1)"/></svg>'),
            ("replace", L1, "images/logo.png)", "images/kwaad.svg)"),
        ],
    ),
    # issue 19, point 2: every file accounted for
    ("fifo-lesson", [("fifo", "modules/01-basis/lessons/02-pijp.md")]),
    ("fifo-elsewhere", [("fifo", "notities.txt")]),
    # issue 19, point 5: characters no output can hold
    ("control-character", [("replace", "course.yaml", "title: Mini-cursus partnerschap", "title: Mini-cursus\x07 partnerschap")]),
    ("unit-separator-in-card", [("replace", C1, "{{c1::ouderschap}}", "{{c1::ouder\x1fschap}}")]),
    (
        "line-separators-keep-lines",
        [
            ("replace", L1, "Ouders maken leren mogelijk", "Ouders\u2028maken\x85leren mogelijk"),
            ("replace", L1, "- *ondersteunen*", "- *ondersteunen*\n\n<script>alert(1)</script>"),
        ],
    ),
]

# Sources that load with warnings (tests/malformed/expected/warnings/<name>.txt).
LESSON = (
    "---\nid: les-extra\ntitle: Extra\nminutes: 5\nobjectives: [x]\nconcepts: [epstein-ouderschap]\n---\n\n"
    "## Extra {#extra}\n\nTekst.\n"
)
WARNING_CASES = [
    ("quiz-yml", [("rename", Q1, "modules/01-basis/quiz.yml")]),
    ("course-yml-beside", [("write", "references.yml", "- key: x\n")]),
    ("concepts-yml", [("write", "concepts/extra.yml", "id: x\n")]),
    ("lesson-upper-case-md", [("write", "modules/01-basis/lessons/02-extra.MD", LESSON)]),
    (
        "lesson-in-misnamed-folder",
        [("write", "modules/01-basis/lesson/02-extra.md", LESSON), ("write", "modules/01-basis/lesson/03-extra.md", LESSON)],
    ),
    (
        "module-not-listed",
        [("write", "modules/03-nieuw/module.yaml", "id: m03\n"), ("write", "modules/03-nieuw/quiz.yaml", "[]\n")],
    ),
    ("lesson-beside-lessons", [("write", "modules/01-basis/02-extra.md", LESSON)]),
    ("stray-file", [("write", "modules/02-school/notities.txt", "x\n")]),
    (
        "editor-files-ignored",
        [
            ("write", "modules/01-basis/lessons/.#01-epstein.md", "x"),
            ("write", "modules/01-basis/lessons/01-epstein.md~", "x"),
            ("write", "modules/01-basis/lessons/.01-epstein.md.swp", "x"),
            ("write", ".DS_Store", "x"),
            ("write", "images/Thumbs.db", "x"),
            ("write", "modules/01-basis/#quiz.yaml#", "x"),
        ],
    ),
]
