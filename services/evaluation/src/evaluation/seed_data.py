"""Basel-Landschaft's KIP 3 evaluations, its indicators, and SEM's Integration Agenda goals, as seed data.

Sources are the keys of the domain brief (../shared/domain/brief.md). Every value that is not from a source is
marked `illustrative` and says so in its `source`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

PROGRAMME: dict[str, Any] = {"key": "BL-KIP3", "canton": "BL", "period": "KIP3", "first_year": 2024, "last_year": 2027}

EVALUATIONS: list[dict[str, Any]] = [
    {
        "key": "ald-information-counselling",
        "kind": "external_evaluation",
        "title": "Evaluation des ald-Angebots «Information und Beratung»",
        "questions": [
            "Erreicht das Informations- und Beratungsangebot des ald seine Zielgruppen?",
            "Wie wirksam ist die Beratung für die sprachliche, berufliche und soziale Integration?",
        ],
        "measures": ["BL-1.02"],
        "partners": ["ald"],
        "commissioned_by": "Fachabteilung Integration (AMIB)",
        "contractor": None,
        "budget": None,
        "status": "planned",
        "source": "Planned within KIP 3 [BL-KIP3]. Contractor and budget not found. The questions and the "
        "commissioning office are illustrative.",
        "illustrative": True,
    },
    {
        "key": "srk-mitten-unter-uns",
        "kind": "external_evaluation",
        "title": "Evaluation «mitten unter uns» (SRK Baselland)",
        "questions": ["Welche Wirkung haben die Tandems auf die Sprache und die soziale Integration der Kinder?"],
        "measures": ["BL-4.01"],
        "partners": ["srk-bl"],
        "commissioned_by": None,
        "contractor": None,
        "budget": None,
        "status": "planned",
        "source": "Planned within KIP 3 [BL-KIP3]. A ZHAW impact evaluation with pre-study and main study exists "
        "[ZHAW-MUU]; that it is the KIP 3 evaluation is inferred, so no contractor is named. The question is "
        "illustrative.",
        "illustrative": True,
    },
    {
        "key": "language-course-subsidies",
        "kind": "needs_assessment",
        "title": "Bedarfsstudie «Kantonal unterstützte Sprachförderung im Ausländerbereich BL»",
        "questions": [
            "Erreichen die subventionierten Deutschkurse die Zielgruppen?",
            "Ist der Subventionsschlüssel angemessen?",
            "Wie transparent ist der Markt der Sprachkurse?",
        ],
        "measures": ["BL-2.01"],
        "partners": ["bmh"],
        "commissioned_by": "Fachabteilung Integration (AMIB) mit der Bildungs-, Kultur- und Sportdirektion (BKSD)",
        "contractor": "ZHAW",
        "budget": Decimal("89457.00"),
        "planned_start": dt.date(2025, 1, 1),
        "actual_start": dt.date(2025, 1, 1),
        "status": "running",
        "source": "[ZHAW-SPRACHE]: commissioned by the Fachabteilung Integration with BKSD, started 01/2025, "
        "CHF 89,457, main study after a pre-study; evaluates target-group reach, the subsidy key and market "
        "transparency. Status 'running' is inferred from the start date.",
        "illustrative": False,
    },
]

NATIONAL_GOAL_SOURCE = "Paraphrase of the Integration Agenda's impact goals [IAS-ZIELE], [ALICE-IAS]."
NATIONAL_GOALS: list[dict[str, Any]] = [
    {
        "code": "IAS-1",
        "title": "Alle Flüchtlinge und vorläufig Aufgenommenen erreichen drei Jahre nach der Einreise "
        "mindestens Sprachniveau A1.",
        "indicator": "Anteil mit mindestens A1 nach 3 Jahren",
        "target": "100",
    },
    {
        "code": "IAS-2",
        "title": "80 % der Kinder, die im Alter von 0–4 Jahren einreisen, können sich beim Start der "
        "obligatorischen Schulzeit in der Sprache am Wohnort verständigen.",
        "indicator": "Anteil der Kinder mit Verständigung in der Ortssprache bei Schulbeginn",
        "target": "80",
    },
    {
        "code": "IAS-3",
        "title": "Zwei Drittel der 16- bis 25-Jährigen befinden sich fünf Jahre nach der Einreise in "
        "einer postobligatorischen Ausbildung.",
        "indicator": "Anteil der 16–25-Jährigen in postobligatorischer Ausbildung nach 5 Jahren",
        "target": "66.67",
    },
    {
        "code": "IAS-4",
        "title": "Die Hälfte der Erwachsenen ist sieben Jahre nach der Einreise nachhaltig im ersten "
        "Arbeitsmarkt integriert.",
        "indicator": "Anteil der Erwachsenen nachhaltig im ersten Arbeitsmarkt nach 7 Jahren",
        "target": "50",
    },
    {
        "code": "IAS-5",
        "title": "Alle sind sieben Jahre nach der Einreise mit den schweizerischen Lebensgewohnheiten "
        "vertraut und haben soziale Kontakte zur lokalen Bevölkerung.",
        "indicator": "Anteil mit Kontakten zur lokalen Bevölkerung nach 7 Jahren",
        "target": None,
    },
]
NATIONAL_INDICATOR_SOURCE = (
    "Indicator wording assigned by the seed; the goal value is the Integration Agenda's [IAS-ZIELE]. SEM monitors "
    "the five goals since 2024, but two of them lack measurable indicators [EFK-2024]."
)
IAS5_NOTE = " No target is seeded for IAS-5: the goal names no measurable value."

_ILLUSTRATIVE = "Illustrative target set by the seed; BL's real targets were not found."
INDICATORS: list[dict[str, Any]] = [
    {
        "code": "BL-1.01-a",
        "measure": "BL-1.01",
        "goal": "KIP3/1.1",
        "level": "output",
        "unit": "count",
        "title": "Erstinformationsgespräche mit Neuzuziehenden",
        "baseline": "1250",
        "baseline_year": 2017,
        "source": "Baseline: about 5,000 first-information interviews in KIP 1 (2014–17) [BL-MM-2018], "
        "averaged over 4 years (illustrative). " + _ILLUSTRATIVE,
        "illustrative": True,
        "target": "1200",
    },
    {
        "code": "BL-1.02-a",
        "measure": "BL-1.02",
        "goal": "KIP3/1.3",
        "level": "output",
        "unit": "count",
        "title": "Beratene Klientinnen und Klienten (ald)",
        "baseline": "1642",
        "baseline_year": 2019,
        "source": "Baseline: 1,642 counselling clients in 2019 [ALD-ABOUT]. " + _ILLUSTRATIVE,
        "illustrative": True,
        "target": "1650",
    },
    {
        "code": "BL-2.01-a",
        "measure": "BL-2.01",
        "goal": "KIP3/2.1",
        "level": "output",
        "unit": "count",
        "title": "Teilnehmende an subventionierten Deutschkursen",
        "baseline": "1050",
        "baseline_year": 2017,
        "source": "Baseline: more than 4,200 subsidised German courses in KIP 1 [BL-MM-2018], averaged over 4 "
        "years and read as participants (illustrative). " + _ILLUSTRATIVE,
        "illustrative": True,
        "target": "1100",
    },
    {
        "code": "BL-2.01-b",
        "measure": "BL-2.01",
        "goal": "KIP3/2.1",
        "level": "outcome",
        "unit": "count",
        "title": "Abschlüsse subventionierter Deutschkurse",
        "baseline": None,
        "baseline_year": None,
        "source": _ILLUSTRATIVE,
        "illustrative": True,
        "target": "880",
    },
    {
        "code": "BL-4.01-a",
        "measure": "BL-4.01",
        "goal": "KIP3/4.1",
        "level": "output",
        "unit": "count",
        "title": "Erreichte Kinder in der frühen Kindheit («mitten unter uns»)",
        "baseline": None,
        "baseline_year": None,
        "source": _ILLUSTRATIVE,
        "illustrative": True,
        "target": "60",
    },
]
RULES = [("BL-2.01-b", "BL-2.01-a", "Kursabschlüsse ≤ Kursteilnehmende")]

VALUE_SOURCE = "Illustrative value set by the seed; BL's reported figures were not found."
#: (indicator code, year, dimension, category, value, status, entering partner slug)
VALUES: list[tuple[str, int, str, str, str, str, str | None]] = [
    ("BL-1.01-a", 2024, "", "", "1180", "confirmed", "amib"),
    ("BL-1.01-a", 2025, "", "", "1240", "reported", "amib"),
    ("BL-1.02-a", 2024, "", "", "1610", "confirmed", "ald"),
    ("BL-2.01-a", 2024, "", "", "1085", "confirmed", "bmh"),
    ("BL-2.01-a", 2024, "sex", "female", "640", "confirmed", "bmh"),
    ("BL-2.01-a", 2024, "sex", "male", "445", "confirmed", "bmh"),
    ("BL-2.01-b", 2024, "", "", "812", "confirmed", "bmh"),
    ("BL-4.01-a", 2024, "", "", "54", "confirmed", "srk-bl"),
    ("BL-4.01-a", 2025, "", "", "58", "reported", "srk-bl"),
    ("IAS-1", 2024, "", "", "61.5", "confirmed", None),
]
