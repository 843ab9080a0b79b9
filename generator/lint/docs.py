"""docs/item-rules.md, generated from the rule table: ``python -m generator.lint.docs > docs/item-rules.md``."""

from __future__ import annotations

from . import rules as R

INTRO = """\
# Schrijfregels voor toetsvragen en kaarten

`coursegen check` (en `coursegen build`) leest elke toetsvraag en elke kaart zoals een ervaren
toetsmaker dat doet, en waarschuwt bij elke regel hieronder met `bestand:regel` en de code van
de regel (Q1 … Q9 voor toetsvragen, C1 … C8 voor kaarten). Met `--strict` zijn de
waarschuwingen fouten en stopt de build. Waarschuwingen per vraag of kaart staan bij haar `id`;
waarschuwingen per module (Q2, Q8, Q9) staan bij `module.yaml`.

De grenzen en woordenlijsten staan op één plek in `generator/lint/rules.py`; dit bestand wordt
daaruit gemaakt (`python -m generator.lint.docs > docs/item-rules.md`) en een test houdt de
twee gelijk. Lengtes tellen tekens of woorden van de platte tekst: zonder Markdown en zonder
bronvermeldingen (`[@sleutel]`, "Knof en Swick (2007)").

`coursegen coverage` toont per module de verwachte score van iemand die niets weet, voor elke
strategie van regel Q9.
"""

OUTRO = """\
## Hoe de verwachte score zonder kennis (Q9) wordt berekend

- Opties worden per deelnemer geschud. Wie altijd de eerste optie kiest, verwacht bij een vraag
  met k opties dus 1/k. Een vraag met `shuffle: false` houdt de volgorde van de auteur; daar is
  "de eerste" de eerste optie in `quiz.yaml`.
- Waar/niet waar staat altijd als "Waar", "Niet waar": "altijd de eerste" kiest "Waar",
  "altijd de langste" en "de eerste, of niet waar" kiezen "Niet waar". Op andere vragen kiest
  "de eerste, of niet waar" de eerste optie (bij twee opties dus 1/2).
- "Altijd de langste" kiest de optie met de meeste tekens (zonder bronvermelding); bij gelijke
  lengte telt elke langste optie even zwaar.
- Meer juiste antwoorden (`multiple`): de strategie kiest alleen die ene optie; met deelscore
  (standaard) levert een juiste optie 1/(aantal juiste) op.
- Koppelen (`match`): in elke rij hetzelfde antwoord, dus precies één rij goed: 1/n bij n rijen
  met deelscore, anders 0. Volgorde (`order`): ingediend zoals getoond (geschud), dus 0.
- De modulescore is het gemiddelde van de vragen × 100. Alleen de vragen van de toets tellen:
  een vraag die een les als kennischeck gebruikt, telt niet mee. Deelscore volgt de instelling
  `partial_credit` van de SCORM-uitvoer (per module of voor de cursus; standaard aan).
"""


def _constants() -> list[str]:
    rows = []
    for name in dir(R):
        value = getattr(R, name)
        if not name.isupper() or name.startswith("_") or name in ("RULES", "RULES_BY_CODE", "TWEAKS"):
            continue
        if isinstance(value, (tuple, frozenset)):
            shown = ", ".join(f"`{v}`" for v in (sorted(value) if isinstance(value, frozenset) else value))
        else:
            shown = f"`{value}`"
        rows.append(f"| `{name}` | {shown.replace('|', '&#124;')} |")
    return rows


def render() -> str:
    lines = [INTRO, "## De regels", "", "| Code | Regel | Uitleg |", "|---|---|---|"]
    for rule in R.RULES:
        explanation = rule.explanation.replace("|", "\\|")
        lines.append(f"| {rule.code} | {rule.title} | {explanation} |")
    lines += [
        "",
        "## Aanpassingen na het lezen van de cursus",
        "",
        "Waar een regel letterlijk toegepast vooral ruis gaf, is de bedoeling gehouden en dit aangepast:",
        "",
    ]
    lines += [f"- **{code}**: {text}" for code, text in R.TWEAKS]
    lines += [
        "",
        OUTRO,
        "## Grenzen en woordenlijsten (`generator/lint/rules.py`)",
        "",
        "| Naam | Waarde |",
        "|---|---|",
        *_constants(),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
