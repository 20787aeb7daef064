"""Basel-Landschaft's KIP as published, for the embedded default and the demos.

Facts carry their source key (see the project's domain brief); anything inferred is flagged `illustrative`
with the reason. Ids are deterministic (`kit.ids.seed_uuid`) so the other services and `kip token` name the same
records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

PERIODS: list[dict[str, Any]] = [
    {"code": "KIP1", "title": "KIP 1 (2014–2017)", "first_year": 2014, "last_year": 2017},
    {"code": "KIP2", "title": "KIP 2 (2018–2021)", "first_year": 2018, "last_year": 2021},
    {"code": "KIP2bis", "title": "KIP 2bis (2022–2023)", "first_year": 2022, "last_year": 2023},
    {"code": "KIP3", "title": "KIP 3 (2024–2027)", "first_year": 2024, "last_year": 2027},
]

# KIP 2/2bis: eight areas, codes as used by ZH [ZH-2BIS], names as in SEM's interim report [SEM-ZB16].
KIP2BIS_AREAS: list[dict[str, Any]] = [
    {"code": "1.1", "position": 1, "pillar": 1, "de": "Erstinformation und Integrationsförderbedarf"},
    {"code": "1.2", "position": 2, "pillar": 1, "de": "Beratung"},
    {"code": "1.3", "position": 3, "pillar": 1, "de": "Schutz vor Diskriminierung"},
    {"code": "2.1", "position": 4, "pillar": 2, "de": "Sprache"},
    {"code": "2.2", "position": 5, "pillar": 2, "de": "Frühe Kindheit"},
    {"code": "2.3", "position": 6, "pillar": 2, "de": "Ausbildungs- und Arbeitsmarktfähigkeit"},
    {"code": "3.1", "position": 7, "pillar": 3, "de": "Interkulturelles Dolmetschen und Vermitteln"},
    {"code": "3.2", "position": 8, "pillar": 3, "de": "Zusammenleben"},
]
KIP2BIS_NOTE = "Names and codes: [ZH-2BIS], [ZH-KIP2], [SEM-ZB16]."

# KIP 3: seven areas, official German names [ZH-KIP], [KDK-THEMA]; predecessors per the 8→7 mapping.
KIP3_AREAS: list[dict[str, Any]] = [
    {
        "code": "information_needs_assessment_counselling",
        "position": 1,
        "pillar": 1,
        "de": "Information, Abklärung Integrationsbedarf und Beratung",
        "aliases": ["Information und Beratung", "Information und Abklärung zum Integrationsbedarf"],
        "predecessors": ["1.1", "1.2"],
    },
    {"code": "language", "position": 2, "pillar": 2, "de": "Sprache", "aliases": [], "predecessors": ["2.1"]},
    {
        "code": "training_and_employability",
        "position": 3,
        "pillar": 2,
        "de": "Ausbildungs- und Arbeitsmarktfähigkeit",
        "aliases": ["Vorbereitung auf Berufsbildung und Arbeitsmarkt"],
        "predecessors": ["2.3"],
    },
    {
        "code": "early_childhood",
        "position": 4,
        "pillar": 2,
        "de": "Frühe Kindheit",
        "aliases": [],
        "predecessors": ["2.2"],
    },
    {
        "code": "living_together_participation",
        "position": 5,
        "pillar": 3,
        "de": "Zusammenleben und Partizipation",
        "aliases": ["Zusammenleben"],
        "predecessors": ["3.2"],
    },
    {
        "code": "diversity_discrimination_protection",
        "position": 6,
        "pillar": 1,
        "de": "Umgang mit Vielfalt und Diskriminierungsschutz",
        "aliases": ["Diskriminierungsschutz"],
        "predecessors": ["1.3"],
    },
    {"code": "interpreting", "position": 7, "pillar": 3, "de": "Dolmetschen", "aliases": [], "predecessors": ["3.1"]},
]
KIP3_NOTE = (
    "Official German name [ZH-KIP], [KDK-THEMA]. Pillar assignment inferred from KIP 2 (not verified). "
    "No official French or Italian name was found; the KdK French release names the areas only descriptively."
)

# SEM's long-standing strategic goals per KIP 3 area, paraphrased [ARGE-SG], [SG-KIP3], [INFOBOX-DE/FR], [KJP-FK].
STRATEGIC_GOALS: dict[str, list[str]] = {
    "information_needs_assessment_counselling": [
        "Neuzuziehende mit längerfristigem Aufenthalt fühlen sich willkommen und kennen Lebensbedingungen und "
        "Integrationsangebote.",
        "Personen mit besonderem Integrationsbedarf werden so früh wie möglich, spätestens nach einem Jahr, "
        "geeigneten Massnahmen zugewiesen.",
        "Migrantinnen und Migranten werden zu Sprache, Alltag sowie beruflicher und sozialer Integration beraten.",
    ],
    "language": [
        "Migrantinnen und Migranten verständigen sich im Alltag und im Beruf; Kurse erfüllen Qualitätsstandards."
    ],
    "training_and_employability": [
        "Personen mit Potenzial werden auf Berufsbildung und Arbeitsmarkt vorbereitet, auch mit innovativen Ansätzen."
    ],
    "early_childhood": [
        "Migrantenfamilien kennen und nutzen Angebote der Gesundheit, Familienunterstützung und frühen Förderung."
    ],
    "living_together_participation": [
        "Migrantinnen und Migranten nehmen aktiv am gesellschaftlichen Leben teil; ihre Partizipation wird gestärkt."
    ],
    "diversity_discrimination_protection": [
        "Institutionen der Regelstrukturen sind informiert und beraten; von Diskriminierung Betroffene erhalten "
        "kompetente Beratung und Unterstützung."
    ],
    "interpreting": ["Für Gespräche werden qualifizierte interkulturelle Dolmetschende eingesetzt."],
}
STRATEGIC_GOAL_SOURCE = (
    "Paraphrase of SEM's strategic goals [ARGE-SG], [SG-KIP3], [INFOBOX-DE], [INFOBOX-FR], [KJP-FK]; "
    "the concretised KIP 3 wording was not obtained. Goal numbering assigned by the seed."
)

PROGRAMMES: list[dict[str, Any]] = [
    {
        "key": "BL-KIP3",
        "canton": "BL",
        "period": "KIP3",
        "title": "Kantonales Integrationsprogramm Basel-Landschaft KIP 3 (2024–2027)",
        "status": "agreed",
        "working_language": "de",
        "note": "Landrat approved the one-time expenditure on 8 June 2023 by 60:20 [BZ-LR23], [SDA-LR23]. "
        "Status 'agreed' is inferred from the programme running since 2024; the SEM agreement's reference and "
        "date were not found.",
        "priorities": ["information_needs_assessment_counselling", "language", "early_childhood"],
    },
    {
        "key": "BL-KIP2bis",
        "canton": "BL",
        "period": "KIP2bis",
        "title": "Kantonales Integrationsprogramm Basel-Landschaft KIP 2bis (2022–2023)",
        "status": "closed",
        "working_language": "de",
        "note": "Landrat approved CHF 1,498,188 on 20 May 2021 (61:22) [KIPPIC-BL]; confirmed by referendum on "
        "28 Nov 2021 with 58.9% yes [SRF-21]. 27 measures in 8 areas [BAZ-2BIS].",
        "priorities": ["1.2", "2.1", "2.2"],
    },
]

PARTNERS: list[dict[str, Any]] = [
    {
        "slug": "ald",
        "name": "Ausländerdienst Baselland",
        "short_name": "ald",
        "kind": "association",
        "website": "https://www.ald-bl.ch",
        "source": "Association founded 1964; counselling in 13 languages, interpreting, German courses "
        "[KIRCHE-ALD], [ALD-ABOUT], [BL-PARTNER]. UID and address not in the sources.",
    },
    {
        "slug": "srk-bl",
        "name": "Schweizerisches Rotes Kreuz Baselland",
        "short_name": "SRK BL",
        "kind": "association",
        "website": "https://www.srk-baselland.ch",
        "source": "Runs «mitten unter uns» [SRK-MUU], [BL-NL-MUU]. UID and address not in the sources.",
    },
    {
        "slug": "heks-bb",
        "name": "HEKS Geschäftsstelle beider Basel",
        "short_name": "HEKS beider Basel",
        "kind": "association",
        "source": "Linguadukt interpreting, Koordinationsstelle Flucht und Ankommen BL [BS-PARTNER], [HEKS-KOORD]. "
        "Legal form recorded as association without verification; UID and address not in the sources.",
        "illustrative": True,
    },
    {
        "slug": "amib",
        "name": "Amt für Migration, Integration und Bürgerrecht, Fachabteilung Integration",
        "short_name": "AMIB Integration",
        "kind": "cantonal_office",
        "town": "Pratteln",
        "source": "Formed 1 Jan 2025 from the Fachbereich Integration and the AFMB; runs the greeting team "
        "[FRICKTAL-AMIB].",
    },
    {
        "slug": "bmh",
        "name": "BMH (Berufsbildung, Mittelschulen und Hochschulen)",
        "short_name": "BMH",
        "kind": "cantonal_office",
        "source": "Steers language support for adult migrants [BL-PARTNER]. Full official name not verified.",
        "illustrative": True,
    },
    {
        "slug": "ksa",
        "name": "Kantonales Sozialamt Basel-Landschaft",
        "short_name": "KSA",
        "kind": "cantonal_office",
        "source": "Uses the federal lump sum for refugees and provisionally admitted persons [BL-PARTNER].",
    },
]

_KIP3_START = dt.date(2024, 1, 1)
_KIP3_END = dt.date(2027, 12, 31)
_CODE_NOTE = " Measure code assigned by the seed; BL's own list of 34 measures is not public."

MEASURES: list[dict[str, Any]] = [
    {
        "code": "BL-1.01",
        "area": "information_needs_assessment_counselling",
        "title": "Erstinformationsgespräche des Begrüsserteams",
        "description": "Begrüssungs- und Erstinformationsgespräche mit allen nicht deutschsprachigen Neuzuziehenden "
        "aus dem Ausland.",
        "partner": "amib",
        "target_groups": ["newcomers", "eu_efta", "third_countries", "family_reunification"],
        "source": "[FRICKTAL-AMIB]; KIP 1 held about 5,000 such interviews in 12 languages [BL-MM-2018].",
    },
    {
        "code": "BL-1.02",
        "area": "information_needs_assessment_counselling",
        "title": "Information und Beratung des Ausländerdienstes",
        "description": "Beratung in 13 Sprachen zu Alltag, Sprache, Arbeit und Aufenthalt.",
        "partner": "ald",
        "target_groups": ["newcomers", "eu_efta", "third_countries", "recognised_refugees", "provisionally_admitted"],
        "source": "[BL-KIP3], [ALD-ABOUT]; evaluated in KIP 3 [BL-KIP3].",
    },
    {
        "code": "BL-1.03",
        "area": "information_needs_assessment_counselling",
        "title": "communis – kommunale Integrationsstrategie",
        "description": "Gemeinden erarbeiten eine Integrationsstrategie über alle KIP-Bereiche (communis) oder "
        "ausgewählte Bereiche (communis light); die Gemeinden tragen die Personalzeit.",
        "partner": None,
        "target_groups": ["regular_structures"],
        "source": "[BL-GEM]. Its assignment to funding area 1 is inferred.",
        "illustrative": True,
    },
    {
        "code": "BL-1.04",
        "area": "information_needs_assessment_counselling",
        "title": "Koordinationsstelle Flucht und Ankommen BL",
        "description": "Koordination der Angebote für Geflüchtete; Pilot seit 1. Dezember 2022.",
        "partner": "heks-bb",
        "target_groups": ["recognised_refugees", "provisionally_admitted", "status_s"],
        "source": "[HEKS-KOORD]. Its funding through KIP 3 and area 1 are inferred.",
        "illustrative": True,
    },
    {
        "code": "BL-2.01",
        "area": "language",
        "title": "Subventionierte Deutschkurse für Erwachsene",
        "description": "Vergünstigte Deutschkurse für selbstzahlende Erwachsene; Subventionsschlüssel wird in "
        "KIP 3 mit einer Bedarfsstudie überprüft.",
        "partner": "bmh",
        "target_groups": ["eu_efta", "third_countries", "family_reunification"],
        "source": "[SDA-LR23], [BL-PARTNER], [ZHAW-SPRACHE].",
    },
    {
        "code": "BL-4.01",
        "area": "early_childhood",
        "title": "«mitten unter uns»",
        "description": "Freiwillige Gotti oder Gastfamilien treffen fremdsprachige Kinder oder Mütter mit kleinen "
        "Kindern wöchentlich oder vierzehntäglich für mindestens sechs Monate.",
        "partner": "srk-bl",
        "target_groups": ["children_and_families"],
        "source": "[SRK-MUU], [BL-NL-MUU]; evaluated in KIP 3 [BL-KIP3]. Its assignment to area 4 is inferred.",
        "illustrative": True,
    },
    {
        "code": "BL-4.02",
        "area": "early_childhood",
        "title": "Deutschförderung in Spielgruppen",
        "description": "Sprachförderung für Kinder im Vorschulalter in Spielgruppen.",
        "partner": None,
        "target_groups": ["children_and_families"],
        "source": "Early German support is a KIP 3 focus [BL-KIP3]; KIP 1 supported ~1,500 children in "
        "playgroups [BL-MM-2018]. Its form in KIP 3 is inferred.",
        "illustrative": True,
    },
    {
        "code": "BL-7.01",
        "area": "interpreting",
        "title": "Linguadukt – interkulturelles Dolmetschen und Vermitteln",
        "description": "Pool von rund 140 Dolmetschenden in über 50 Sprachen nach INTERPRET-Standards.",
        "partner": "heks-bb",
        "target_groups": ["regular_structures"],
        "source": "[BS-PARTNER]. Its funding through BL's KIP 3 is inferred.",
        "illustrative": True,
    },
]
for _m in MEASURES:
    _m["source"] = _m["source"] + _CODE_NOTE
    _m.setdefault("start", _KIP3_START)
    _m.setdefault("end", _KIP3_END)
