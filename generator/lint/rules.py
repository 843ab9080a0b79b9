"""The writing rules for quiz items (Q) and flashcards (C): every limit and word list in one place.

``coursegen check`` warns about each broken rule (an error under ``--strict``). The table
``RULES`` holds the Dutch explanation authors read; ``docs/item-rules.md`` is generated from it
(``python -m generator.lint.docs``) and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- quiz items ------------------------------------------------------------------------------
LONGEST_RATIO = 1.25  # Q1: correct ≥ 1.25 × the longest distractor ...
LONGEST_MARGIN = 10  # ... and ≥ 10 characters longer
LONGEST_SHARE_MAX = 0.40  # Q2: share of items whose correct option is strictly the longest
LONGEST_SHARE_MIN_ITEMS = 5  # Q2: only for modules with at least this many single/multiple items
ABSOLUTE_WORDS = (
    "alleen",
    "uitsluitend",
    "enkel",
    "nooit",
    "nimmer",
    "altijd",
    "steeds",
    "geen enkele",
    "volledig",
    "helemaal",
    "absoluut",
    "zeker",
    "per definitie",
)
# Q3: "niet alleen ... maar ook" and "alleen al" are not absolute claims.
ABSOLUTE_EXCEPTIONS = (
    "niet alleen",
    "alleen al",
    "niet enkel",
    "niet volledig",
    "niet altijd",
    "niet helemaal",
    "niet zeker",
    "niet steeds",
    "wel zeker",
)
# Q4. "Beide" / "geen van beide" are allowed: such an item keeps its order with shuffle: false.
ALL_OR_NONE_PHRASES = (
    "alle bovenstaande",
    "alle van bovenstaande",
    "geen van bovenstaande",
    "alle bovengenoemde",
    "geen van de bovenstaande",
    "alle antwoorden",
    "geen van de antwoorden",
    "alle opties",
    "geen van de opties",
)
NEGATIVE_WORDS = ("niet", "geen", "behalve")
KEY_WORD_MIN_LETTERS = 7  # Q7
# Q7: long words that a stem and an answer share without giving anything away.
KEY_WORD_STOP_WORDS = frozenset(
    """
    volgens welke waarom waardoor waarmee waarvan waarover wanneer daarom daarnaast daardoor
    daarbij daarmee daarvan bijvoorbeeld belangrijk belangrijke belangrijkste belangrijkst
    kinderen ouders professional professionals professionele onderzoek onderzoeken
    onderzoekers review reviews partnerschap samenwerking samenwerken manier manieren
    verschillende verschil anderen andere tussen hiervan hierbij hiermee hierover
    beschrijft beschrijven noemt noemen genoemd volgende eerste tweede derde vierde laatste
    ongeveer eigenlijk waarschijnlijk misschien mogelijk mogelijke misschien gewoonlijk
    gezinnen gezinnen jeugdhulp moeders vaders leerlingen schoolse voorschoolse
    effecten effectief effectieve invloed
    reactie reacties richtlijn aanbeveling aanbevelingen indicator indicatoren strategie
    strategieën verklaring verklaringen aanpak activiteit activiteiten uitspraak bewering
    stelling antwoord antwoorden betekenis betekenissen conclusie
""".split()
)
TRUE_SHARE_MIN, TRUE_SHARE_MAX = 0.4, 0.6  # Q8: floor(0.4·n) ≤ true ≤ ceil(0.6·n)
NO_KNOWLEDGE_MAX = 45.0  # Q9: expected module score (%) under any no-knowledge strategy

# -- cards -----------------------------------------------------------------------------------
CLOZE_GAPS_MAX = 3  # C1
REVERSED_SIDE_MAX_CHARS = 80  # C2: front and back each, plain text
DOUBLE_QUESTION_PATTERNS = (
    r",\s*en\s+(?:waarom|hoe|wat|wie|wanneer|welke)\b",
    r"\ben\s+(?:waarom|hoe)\b",
    r"\ben\s+wat\s+(?:is|zijn|doe|doet|betekent|houdt)\b",
)
BACK_MAX_WORDS = 40  # C4: basic/reversed back
CLOZE_MAX_WORDS = 60  # C4: cloze text
EXTRA_MAX_WORDS = 50  # C4: "Toelichting"
UNSEEN_PATTERNS = (
    r"\btabel(?:\s+\d+(?:\.\d+)*)?\b",
    r"\bfiguur\b",
    r"\bfig\.\s*\d",
    r"\bzie\s+(?:hier)?boven\b",
    r"\bzie\s+hieronder\b",
    r"\bzie\s+(?:pagina|blz\.?|p\.)",
    r"\bp\.\s*\d+",
    r"\bblz\.\s*\d+",
    r"\bpagina\s+\d+",
    r"\bbijlage\s+\d+",
)
# C6: words that only introduce a citation ("Bron: …", "Zie ook …", "Samengesteld uit …")
CITATION_ONLY_LABELS = (
    "bron",
    "bronnen",
    "zie",
    "ook",
    "naar",
    "volgens",
    "geciteerd",
    "in",
    "en",
    "review",
    "onder",
    "meer",
    "samengesteld",
    "uit",
    "definitie",
    "de",
    "het",
    "van",
)
NEAR_DUPLICATE_RATIO = 0.85  # C7: difflib.SequenceMatcher ratio
GAP_ANSWER_MIN_CHARS = 4  # C8: shorter answers ("de", "en") occur anywhere


def _nl(number: float) -> str:
    """A number as Dutch text writes it: 1,25."""
    return f"{number:g}".replace(".", ",")


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # Dutch, short
    explanation: str  # Dutch: what the rule checks and why


RULES: tuple[Rule, ...] = (
    Rule(
        "Q1",
        "Juiste optie duidelijk de langste",
        f"Het juiste antwoord is minstens {_nl(LONGEST_RATIO)} × zo lang als de langste afleider en minstens "
        f"{LONGEST_MARGIN} tekens langer (tekst zonder bronvermelding; bij meer juiste antwoorden: het langste "
        "juiste antwoord). Wie niets weet, kiest de langste optie. Maak de afleiders even precies, "
        "of het juiste antwoord korter.",
    ),
    Rule(
        "Q2",
        "Juiste optie te vaak de langste",
        f"In meer dan {LONGEST_SHARE_MAX:.0%} van de meerkeuzevragen van een module is het (een) juiste "
        f"antwoord strikt het langst (bij toeval, met vier opties: ongeveer 25%). Geldt voor modules met minstens "
        f"{LONGEST_SHARE_MIN_ITEMS} meerkeuzevragen. Maak in een deel van de vragen een afleider het langst.",
    ),
    Rule(
        "Q3",
        "Absolute woorden alleen in afleiders",
        "Een afleider bevat een absoluut woord (" + ", ".join(ABSOLUTE_WORDS) + ") terwijl geen juist "
        "antwoord er een heeft: ervaren toetsmakers strepen zulke opties meteen weg. Formuleer de afleider "
        "zonder absoluut woord, of gebruik ook in een juist antwoord zo'n woord waar het klopt. "
        "Niet meegeteld: " + ", ".join(f"'{w}'" for w in ABSOLUTE_EXCEPTIONS) + ".",
    ),
    Rule(
        "Q4",
        "'Alle/geen van bovenstaande'",
        "Een optie als 'alle van bovenstaande', 'geen van bovenstaande', 'alle antwoorden' of 'geen van de "
        "antwoorden' werkt niet als de volgorde geschud wordt en meet vooral toetsvaardigheid. Gebruik een "
        "vraag met meer juiste antwoorden (type multiple). 'Beide' en 'geen van beide' mogen wel, in een "
        "vraag met `shuffle: false`.",
    ),
    Rule(
        "Q5",
        "Ontkennende vraag zonder nadruk",
        "De vraagzin bevat 'niet', 'geen' of 'behalve' zonder nadruk. Wie snel leest, mist de ontkenning. "
        "Formuleer de vraag positief, of zet het woord in **vet**, *cursief* of HOOFDLETTERS. Alleen de "
        "eigenlijke vraagzin telt (de laatste zin met een vraagteken, anders de laatste zin), niet de casus ervoor; "
        "waar/niet waar-stellingen tellen niet mee.",
    ),
    Rule(
        "Q6",
        "Twee gelijke opties",
        "Twee opties hebben (na weglaten van hoofdletters, leestekens en bronvermelding) dezelfde tekst. "
        "Maak ze verschillend of verwijder er een.",
    ),
    Rule(
        "Q7",
        "Kernwoord uit de vraag alleen in het juiste antwoord",
        f"Een woord uit de vraag van minstens {KEY_WORD_MIN_LETTERS} letters komt terug in het juiste antwoord "
        "en in geen enkele afleider: een klankcue die het antwoord verraadt. Gebruik het woord ook in een "
        "afleider, of formuleer het juiste antwoord anders. Veelgebruikte woorden van de cursus (zoals "
        "'kinderen', 'professionals', 'partnerschap') tellen niet mee; de lijst staat in generator/lint/rules.py.",
    ),
    Rule(
        "Q8",
        "Waar/niet waar uit balans",
        f"Van de n waar/niet waar-vragen in een module moet het aantal ware stellingen tussen "
        f"floor({_nl(TRUE_SHARE_MIN)}·n) en ceil({_nl(TRUE_SHARE_MAX)}·n) liggen. Anders scoort 'altijd niet waar' "
        "(of 'altijd waar') zonder kennis. Maak stellingen waar of onwaar tot de verhouding klopt.",
    ),
    Rule(
        "Q9",
        "Raden levert te veel op",
        f"De verwachte score van de module is hoger dan {NO_KNOWLEDGE_MAX:g}% voor een strategie zonder kennis: "
        "'altijd de eerste' (met schudden: 1/k bij k opties; bij waar/niet waar: 'Waar'), 'altijd de langste' "
        "(bij waar/niet waar: 'Niet waar') of 'de eerste, of niet waar bij waar/niet waar'. "
        "`coursegen coverage` toont deze scores per module. Pak eerst Q1, Q2 en Q8 aan.",
    ),
    Rule(
        "C1",
        "Meer dan drie gaten",
        f"Een clozekaart heeft meer dan {CLOZE_GAPS_MAX} verschillende gaten ({{{{c1::…}}}}, {{{{c2::…}}}}, …). Elke "
        "kaart toont dan de andere antwoorden. Splits een lange opsomming in meer kaarten met elk hoogstens "
        f"{CLOZE_GAPS_MAX} gaten en een contextregel die de lijst noemt, bv. 'Knof & Swick, strategieën 1–3 van 8'.",
    ),
    Rule(
        "C2",
        "Omkeerkaart met lange kant",
        f"Een omkeerkaart (reversed) mag alleen als voor- en achterkant elk hoogstens "
        f"{REVERSED_SIDE_MAX_CHARS} tekens platte tekst zijn (zonder Markdown en bronvermelding): een begrip en "
        "een korte omschrijving die op een telefoon past. Maak er anders een gewone kaart (basic) van.",
    ),
    Rule(
        "C3",
        "Twee vragen op één kaart",
        "De voorkant (van een gewone of omkeerkaart) bevat meer dan één vraagteken of een dubbele vraag: "
        "'…, en waarom/hoe/wat/wie/wanneer/welke …', 'en waarom', 'en hoe', 'en wat is/zijn/doe/betekent'. "
        "Een kaart vraagt één ding; maak er twee kaarten van.",
    ),
    Rule(
        "C4",
        "Antwoord te lang",
        f"De achterkant van een gewone of omkeerkaart heeft hoogstens {BACK_MAX_WORDS} woorden, een clozetekst "
        f"hoogstens {CLOZE_MAX_WORDS} woorden, een toelichting (extra) hoogstens {EXTRA_MAX_WORDS} woorden "
        "(platte tekst zonder bronvermelding). Kort in of splits.",
    ),
    Rule(
        "C5",
        "Verwijzing naar iets wat de student niet ziet",
        "De kaart noemt een tabel, figuur, bijlage of pagina ('Tabel 1.2', 'zie hierboven', 'p. 12') die "
        "de student in Anki niet ziet. Schrijf op wat er in die tabel staat, of laat de verwijzing weg.",
    ),
    Rule(
        "C6",
        "Toelichting is alleen een bronvermelding",
        "De toelichting (extra) bevat na weglaten van bronvermeldingen, leestekens, nummers en woorden die "
        "alleen een bron inleiden ('Bron:', 'Zie ook', 'Samengesteld uit', 'Definitie:') niets meer. "
        "De bron staat al onder de kaart; laat de toelichting weg of schrijf er iets in "
        "wat het antwoord verheldert.",
    ),
    Rule(
        "C7",
        "(Bijna) dubbele kaart",
        f"Twee kaarten in de hele cursus zijn (bijna) gelijk: de genormaliseerde tekst van voor- en "
        f"achterkant (kleine letters, zonder bronvermelding en leestekens) lijkt voor minstens "
        f"{NEAR_DUPLICATE_RATIO:.0%} op elkaar (difflib SequenceMatcher). Zulke kaarten storen elkaar bij het "
        "herhalen. Voeg ze samen of maak het verschil duidelijk. De melding staat bij beide kaarten.",
    ),
    Rule(
        "C8",
        "Gat verraden door de rest van de kaart",
        f"Het antwoord in een gat (minstens {GAP_ANSWER_MIN_CHARS} tekens) staat letterlijk elders op dezelfde "
        "kaart, buiten dat gat (ook in de antwoorden van de andere gaten, die Anki dan toont). Herformuleer of "
        "maak van beide plekken één gat met hetzelfde nummer.",
    ),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}

# Where a rule reads real text differently from its first, literal wording, and why.
TWEAKS: tuple[tuple[str, str], ...] = (
    (
        "Q3",
        "'niet alleen', 'alleen al', 'niet altijd' en dergelijke tellen niet als absoluut woord: ze beweren "
        "juist iets niet-absoluuts.",
    ),
    (
        "Q4",
        "'beide' en 'geen van beide' vallen er niet onder: een vraag met `shuffle: false` mag ze gebruiken. "
        "'alle/geen van de opties' wel.",
    ),
    (
        "Q5",
        "Alleen de vraagzin telt (de laatste zin met een vraagteken), niet de casus of een citaat ervoor; "
        "waar/niet waar-stellingen vallen erbuiten. In de cursus stond de ontkenning meestal in een citaat "
        "uit de casus.",
    ),
    (
        "Q7",
        "Woorden die bijna elke vraag en elk antwoord van de cursus delen ('kinderen', 'professionals', "
        "'richtlijn', 'reactie', 'aanbeveling' …) tellen niet mee; anders waarschuwt de regel bij vragen "
        "als 'Welke reactie past het best?'.",
    ),
    (
        "C3",
        "Naast '…, en waarom?', 'en hoe' en 'en wat' ook '…, en wie/wanneer/welke …'; 'en wat' alleen als "
        "vraag ('en wat is/zijn/doet/betekent'), niet in 'tussen X en wat Y doet'.",
    ),
    ("C5", "Ook 'bijlage 2', 'blz. 12', 'fig. 3', 'pagina 4' en 'zie hieronder'."),
    (
        "C6",
        "Woorden die alleen een bron inleiden ('Bron:', 'Zie ook', 'Samengesteld uit', 'Definitie:') en "
        "nummers tellen niet als inhoud.",
    ),
    (
        "C7",
        "Alleen paren die minstens de helft van hun woordstammen (eerste vier letters) delen, worden op "
        "tekens vergeleken: sneller, en een bijna-dubbele kaart deelt er veel meer. Elke kaart krijgt één "
        "melding, die hoogstens drie andere plekken noemt (en hoeveel er nog meer zijn).",
    ),
    ("C8", "Antwoorden korter dan 4 tekens ('de', 'en') tellen niet: die staan op elke kaart."),
)


def warning(loc, code: str, message: str):
    """A rule's warning at ``loc``: the code first, what to change, then where to read more."""
    from ..diagnostics import Diagnostic

    return Diagnostic(loc, "warning", f"{code}: {message} [{RULES_BY_CODE[code].title}; docs/item-rules.md]")
