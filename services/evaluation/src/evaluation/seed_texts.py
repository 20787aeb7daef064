"""Seeded report texts of BL KIP 3 for 2024 and 2025: coordination and cooperation, financial supervision.

Every text here is illustrative: written by the seed from the public facts of the domain brief (§5.1, §5.4),
not BL's own report; each says so in its `source` and carries `illustrative`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SOURCE = "Illustrative text written by the seed from public sources [BL-KIP3], [BL-PARTNER]; not BL's report."
YEARS = (2024, 2025)

#: (funding area key or None for overall, Markdown text, partner slugs, regular structures)
COORDINATION: list[tuple[str | None, str, list[str], list[str]]] = [
    (
        None,
        "## Koordination und Zusammenarbeit\n\n"
        "Die Fachabteilung Integration (AMIB) steuert das KIP mit einem strategischen Steuerungsgremium, in dem "
        "die Gemeinden vertreten sind, und stimmt sich im «Forum» mit dem Kantonalen Sozialamt ab (illustrativ).",
        ["ald", "srk-bl", "heks-bb"],
        ["Kantonales Sozialamt (KSA)", "Gemeinden", "Amt für Berufsbildung (BMH)"],
    ),
    (
        "language",
        "Die Sprachförderung für Erwachsene wird mit dem BMH abgestimmt; subventionierte Deutschkurse folgen dem "
        "fide-Ansatz (illustrativ).",
        ["bmh"],
        ["Amt für Berufsbildung (BMH)", "Bildungsdirektion (BKSD)"],
    ),
    (
        "early_childhood",
        "«mitten unter uns» wird mit den Gemeinden umgesetzt; die Spielgruppen-Deutschförderung ist mit den "
        "Gemeinden koordiniert (illustrativ).",
        ["srk-bl"],
        ["Gemeinden", "Spielgruppen"],
    ),
]

SUPERVISION_TEXT = (
    "## Finanzaufsicht\n\n"
    "Risikoorientiert: Leistungsvereinbarungen mit Kostendach, Jahresrechnung und Leistungsbericht jedes "
    "Partners, Stichproben vor Ort bei den grössten Beträgen (illustrativ)."
)


def supervision_checks(year: int) -> list[dict[str, Any]]:
    return [
        {
            "check_date": dt.date(year + 1, 3, 15).isoformat(),
            "subject": "Jahresrechnung und Leistungsbericht ald",
            "kind": "desk_review",
            "result": "Ohne Beanstandung (illustrativ).",
            "partner_id": None,
        },
        {
            "check_date": dt.date(year, 11, 20).isoformat(),
            "subject": "Stichprobe Belege Deutschkurse",
            "kind": "on_site",
            "result": "Zwei Belege nachgefordert und erhalten (illustrativ).",
            "partner_id": None,
        },
    ]
