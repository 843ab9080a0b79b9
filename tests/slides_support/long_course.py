"""A course that does not fit on one slide anywhere: long lists, paragraphs, tables, titles,
cases, quiz items and reference lists — built in a temporary folder from the valid fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

WORDS = (
    "ouders leerkracht school samenwerking kind gesprek vertrouwen betrokkenheid thuis "
    "ondersteuning communicatie partnerschap ouder-kindrelatie jeugdhulpverlener afspraak "
    "huisbezoek nieuwsbrief rapport leesbevordering opvoeding"
).split()


def words(count: int, seed: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(count))


def long_lesson() -> str:
    items = []
    for i in range(1, 31):
        items.append(f"- Punt {i}: {words(6 + i % 9, i)}")
        if i % 5 == 0:
            items.append(f"  - detail {i}a: {words(8, i + 1)}")
            items.append(f"    - nog dieper {i}b: {words(12, i + 2)}")
            items.append(f"      - diepste niveau {i}c: {words(5, i + 3)}")
    numbered = "\n".join(f"{i}. Stap {i}: {words(9 + i % 4, i + 40)}" for i in range(1, 16))
    paragraph = " ".join(f"Zin {i} gaat over {words(10, i + 60)}." for i in range(1, 40))
    rows = "\n".join(f"| Rij {i} | {words(3, i)} | {words(14 + i % 6, i + 80)} |" for i in range(1, 19))
    url = "https://example.org/een/heel/lang/pad/dat/nergens/past/zonder/breken/" + "x" * 40
    return f"""---
id: les-lang
title: Een heel lange les om het splitsen te testen
minutes: 30
objectives:
  - Je ziet dat lange tekst netjes doorloopt op een volgende dia.
concepts: [epstein-ouderschap]
---

## Een lange lijst met geneste punten die niet op één dia past {{#lijst}}

Inleiding bij de lijst [@epstein-1991]:

{chr(10).join(items)}

::: notes 10 min
Loop de lijst door. **Groepswerk:** kies drie punten.
:::

## Genummerde stappen {{#stappen}}

{numbered}

::: notes 5 min
Bespreek de stappen.
:::

## Een heel lange alinea {{#alinea}}

{paragraph}

Een link naar [de bron]({url}) en `code` en ~~doorgehaald~~ en een harde  
regelafbreking.

::: notes
Vat de alinea samen.
:::

## Een lange tabel met tekst erna {{#tabel}}

Vooraf een zin.

| Nummer | Onderwerp | Toelichting |
|--------|:---------:|------------:|
{rows}

Tekst na de tabel, die in een eigen tekstvak onder de tabel komt.

> Een citaat van een ouder over {words(20, 5)}.

### Een tussenkop

```
code regel 1
    code regel 2 met inspringing
```

::: notes 5 min
Laat de tabel zien.
:::

## Een beeld alleen {{#beeld}}

![Logo van de cursus](../../../images/logo.png)

::: notes 1 min
Alleen een afbeelding.
:::

## Handmatige dia-einden {{#einden}}

Eerste deel.

---

Tweede deel, op een eigen dia.

::: notes 2 min
Twee dia's.
:::
"""


def long_extras() -> tuple[str, str, str]:
    situation = "\n\n".join(f"Alinea {i}: {words(40, i + 100)}." for i in range(1, 7))
    vignettes = f"""- id: vig-lang
  title: Een casus met een heel lange beschrijving die over meerdere regels van de titel loopt
  setting: Basisschool, groep 7, tijdens een drukke ouderavond in het voorjaar
  role: Je bent leerkracht en je hebt net een moeilijk gesprek gehad met een ouder.
  concepts: [epstein-communiceren]
  situation: |
{chr(10).join("    " + line for line in situation.splitlines())}
  questions:
{chr(10).join(f'    - "Vraag {i}: {words(15, i + 200)}?"' for i in range(1, 9))}
  model_answer: |
    {words(60, 300)}
"""
    options = "\n".join(
        f"""    - text: Optie {i} {words(12, i + 400)}
      correct: {"true" if i in (2, 5) else "false"}
      feedback: Feedback {i} {words(25, i + 500)}"""
        for i in range(1, 8)
    )
    quiz = f"""- id: q-lang
  type: multiple
  concepts: [epstein-ouderschap]
  cite: [epstein-1991]
  question: |
    {words(45, 600)}?
  options:
{options}
- id: q-lang-volgorde
  type: order
  concepts: [epstein-ouderschap]
  cite: [epstein-1991]
  question: Zet in de goede volgorde.
  items:
{chr(10).join(f"    - Stap {i} {words(8, i + 700)}" for i in range(1, 10))}
  feedback_correct: Goed.
  feedback_incorrect: {words(30, 800)}.
"""
    refs = "\n".join(
        f"""- key: bron-{i:02d}
  cite: Auteur{i}
  year: "20{i:02d}"
  apa: "{_apa(i)}"
"""
        for i in range(1, 26)
    )
    return vignettes, quiz, refs


def make_long_course(root: Path, fixtures: Path, name: str = "long-source") -> Path:
    """The valid fixture plus a long lesson, case, quiz items and 25 more references, in ``root/name``."""
    target = root / name
    shutil.copytree(fixtures / "valid", target)
    module = target / "modules" / "01-basis"
    (module / "lessons" / "02-lang.md").write_text(long_lesson(), encoding="utf-8")
    vignettes, quiz, refs = long_extras()
    with open(module / "vignettes.yaml", "a", encoding="utf-8") as handle:
        handle.write(vignettes)
    with open(module / "quiz.yaml", "a", encoding="utf-8") as handle:
        handle.write(quiz)
    with open(target / "references.yaml", "a", encoding="utf-8") as handle:
        handle.write(refs)
    # cite every new reference from the long lesson, so that the reference list is long too
    lesson = module / "lessons" / "02-lang.md"
    text = lesson.read_text(encoding="utf-8")
    cites = "; ".join(f"@bron-{i:02d}" for i in range(1, 26))
    lesson.write_text(
        text.replace("Inleiding bij de lijst [@epstein-1991]:", f"Inleiding bij de lijst [@epstein-1991; {cites}]:"),
        encoding="utf-8",
    )
    # a session with the long case and the long questions in it (the default plan would leave them out)
    (module / "session.yaml").write_text(SESSION, encoding="utf-8")
    return target


SESSION = """parts:
  - lesson: les-epstein
  - check: [q-epstein-type]
  - case: vig-groep3-moeder
    form: pairs
    minutes: 5
  - lesson: les-lang
  - check: [q-lang, q-lang-volgorde]
  - case: vig-lang
    form: groups
    minutes: 15
  - break: 10
  - closing: 10
"""


def _apa(i: int) -> str:
    return (
        f"Auteur{i}, A. B., Tweede, C. D., & Derde, E. F. (20{i:02d}). *{words(14, i + 900)}*. "
        f"Tijdschrift voor {words(4, i)}, {i}(2), 1-20. https://doi.org/10.1000/{'abcdefghij' * 3}{i}"
    )
