"""Basel-Landschaft's KIP 3 money, for the embedded default and the demos.

Public [V] (domain brief §5.2): the Landrat's one-time expenditure of CHF 3,392,068 for 2024–2027, decided on
8 June 2023 by 60:20 [BZ-LR23], [SDA-LR23]; the Confederation's "further CHF 3.5 Mio" [BZ-LR23]; "more than
CHF 7 Mio" in all [SDA-LR23]; about 4/5 of the money for information and counselling, language and early
childhood [SDA-LR23]. Not public: the yearly split, the split by funding area, the communes' share, the service
agreements' amounts, disbursements, spending and payments. Those are illustrative, flagged so, and chosen to be
consistent with the public figures: canton CHF 848,017 a year (= 3,392,068 / 4), federal integration credit
CHF 875,000 a year (= 3.5 Mio / 4), communes CHF 27,000 a year, so the match holds every year with CHF 17 to spare.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

YEARS = (2024, 2025, 2026, 2027)
IFK, CANTON, COMMUNES = "federal_integration_credit", "canton", "communes"

PLAN_NOTE = (
    "Illustrative split consistent with [BZ-LR23]/[SDA-LR23]: canton CHF 3,392,068 over 2024–2027 (848,017 a year), "
    "Confederation about CHF 3.5 Mio (875,000 a year), communes so the match holds; about 4/5 to information and "
    "counselling, language and early childhood. BL's real split by year and area is not public."
)

#: Yearly plan per funding area code and source (CHF).
YEARLY_PLAN: dict[str, dict[str, Decimal]] = {
    "information_needs_assessment_counselling": {
        CANTON: Decimal(280_000),
        IFK: Decimal(290_000),
        COMMUNES: Decimal(15_000),
    },
    "language": {CANTON: Decimal(250_000), IFK: Decimal(260_000)},
    "training_and_employability": {CANTON: Decimal(50_000), IFK: Decimal(55_000)},
    "early_childhood": {CANTON: Decimal(150_017), IFK: Decimal(150_000)},
    "living_together_participation": {CANTON: Decimal(40_000), IFK: Decimal(40_000), COMMUNES: Decimal(12_000)},
    "diversity_discrimination_protection": {CANTON: Decimal(38_000), IFK: Decimal(40_000)},
    "interpreting": {CANTON: Decimal(40_000), IFK: Decimal(40_000)},
}

#: Revisions of the plan: (year, area, source, new amount, reason). They shift money, the totals stay.
REVISIONS: list[tuple[int, str, str, Decimal, str]] = [
    (2025, "language", CANTON, Decimal(260_000), "Illustrative: more subsidised German course places."),
    (2025, "interpreting", CANTON, Decimal(30_000), "Illustrative: fewer interpreting hours needed."),
]

CREDIT: dict[str, Any] = {
    "key": "BL-KIP3/landrat-2023",
    "body": "Landrat Basel-Landschaft",
    "decision_date": dt.date(2023, 6, 8),
    "reference": None,
    "votes_for": 60,
    "votes_against": 20,
    "amount": Decimal("3392068.00"),
    "first_year": 2024,
    "last_year": 2027,
    "sources": [CANTON],
    "note": "One-time expenditure (Ausgabenbewilligung) for KIP 3, subject to optional referendum.",
    "illustrative": False,
    "source_note": "[BZ-LR23], [SDA-LR23]. The Landratsvorlage's number and date were not found.",
}

AGREEMENT_NOTE = "Illustrative amounts: BL's service agreements are not public; the partners are [BL-KIP3]."
_START, _END = dt.date(2024, 1, 1), dt.date(2027, 12, 31)

#: Agreements: partner slug, reference, measures, yearly amount per (area, source).
AGREEMENTS: list[dict[str, Any]] = [
    {
        "partner": "ald",
        "reference": "LV-KIP3-ALD",
        "title": "Information und Beratung 2024–2027",
        "measures": ["BL-1.02"],
        "yearly": {
            ("information_needs_assessment_counselling", CANTON): Decimal(180_000),
            ("information_needs_assessment_counselling", IFK): Decimal(180_000),
        },
    },
    {
        "partner": "srk-bl",
        "reference": "LV-KIP3-SRK",
        "title": "«mitten unter uns» 2024–2027",
        "measures": ["BL-4.01"],
        "yearly": {("early_childhood", CANTON): Decimal(60_000), ("early_childhood", IFK): Decimal(60_000)},
    },
    {
        "partner": "heks-bb",
        "reference": "LV-KIP3-HEKS",
        "title": "Linguadukt und Koordinationsstelle Flucht und Ankommen 2024–2027",
        "measures": ["BL-7.01", "BL-1.04"],
        "yearly": {
            ("interpreting", CANTON): Decimal(30_000),
            ("interpreting", IFK): Decimal(30_000),
            ("information_needs_assessment_counselling", CANTON): Decimal(40_000),
            ("information_needs_assessment_counselling", IFK): Decimal(40_000),
        },
    },
]
for _a in AGREEMENTS:
    _a.update(start=_START, end=_END)

SIGNED_AT = dt.datetime(2023, 12, 15, 10, 0, tzinfo=dt.UTC)
SIGNER = "seed:bl-integration-head"
FINANCE = "seed:bl-finance"

#: Disbursements: key, partner slug, year, area, source, amount, value date, status.
DISBURSEMENTS: list[tuple[str, str, int, str, str, Decimal, dt.date, str]] = [
    (
        "ald-2024-1",
        "ald",
        2024,
        "information_needs_assessment_counselling",
        CANTON,
        Decimal(90_000),
        dt.date(2024, 3, 29),
        "paid",
    ),
    (
        "ald-2024-2",
        "ald",
        2024,
        "information_needs_assessment_counselling",
        CANTON,
        Decimal(90_000),
        dt.date(2024, 9, 30),
        "paid",
    ),
    (
        "ald-2024-ifk",
        "ald",
        2024,
        "information_needs_assessment_counselling",
        IFK,
        Decimal(180_000),
        dt.date(2024, 6, 28),
        "paid",
    ),
    ("srk-2024", "srk-bl", 2024, "early_childhood", CANTON, Decimal(60_000), dt.date(2024, 4, 30), "paid"),
    (
        "ald-2025-1",
        "ald",
        2025,
        "information_needs_assessment_counselling",
        CANTON,
        Decimal(90_000),
        dt.date(2025, 3, 31),
        "approved",
    ),
    ("heks-2025-1", "heks-bb", 2025, "interpreting", CANTON, Decimal(15_000), dt.date(2025, 4, 15), "requested"),
]

SPENDING_NOTE = "Illustrative: BL's actual spending per area is not public."
#: Actual spending 2024 per area and source (CHF).
SPENDING_2024: dict[str, dict[str, Decimal]] = {
    "information_needs_assessment_counselling": {
        CANTON: Decimal(275_000),
        IFK: Decimal(285_000),
        COMMUNES: Decimal(15_000),
    },
    "language": {CANTON: Decimal(248_000), IFK: Decimal(255_000)},
    "training_and_employability": {CANTON: Decimal(47_500), IFK: Decimal(50_000)},
    "early_childhood": {CANTON: Decimal(150_017), IFK: Decimal(148_000)},
    "living_together_participation": {CANTON: Decimal(38_000), IFK: Decimal(39_000), COMMUNES: Decimal(11_000)},
    "diversity_discrimination_protection": {CANTON: Decimal(36_500), IFK: Decimal(35_000)},
    "interpreting": {CANTON: Decimal(40_000), IFK: Decimal(38_000)},
}

#: Federal payments: key, year, source, amount, value date.
PAYMENTS: list[tuple[str, int, str, Decimal, dt.date]] = [
    ("ifk-2024", 2024, IFK, Decimal(875_000), dt.date(2024, 6, 28)),
    ("ifk-2025-1", 2025, IFK, Decimal(437_500), dt.date(2025, 6, 30)),
]
PAYMENT_NOTE = "Illustrative: SEM's payment dates and instalments to BL are not public."

#: SEM's federal allocation (programme agreement). The period's CHF 3.5 Mio is public [BZ-LR23]; the yearly split,
#: the agreement's reference and its date are not, so they are illustrative (875,000 = 3.5 Mio / 4).
ALLOCATION: dict[str, Any] = {
    "reference": "PV KIP 3 BL (illustrative reference)",
    "agreement_date": dt.date(2023, 12, 1),
    "period_amount": Decimal("3500000.00"),
    "years": {year: Decimal(875_000) for year in YEARS},
    "illustrative": True,
    "source_note": "Period amount: the Confederation's 'further CHF 3.5 Mio' [BZ-LR23]. Yearly split, reference "
    "and date illustrative: SEM's programme agreement with BL is not public.",
}
