"""Examples in the OpenAPI document: Basel-Landschaft's KIP 3 as the seed holds it (`funding.seed_data`).

Amounts are decimal strings of CHF as the wire carries them: ald's yearly CHF 180,000 from the canton and as much
from the federal integration credit for information and counselling, the first 2024 payment of CHF 90,000, and
the plan's CHF 280,000 a year for that area. The ids are the seed's, so an example can be tried on `make run`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pydantic import ConfigDict

from kit.ids import seed_uuid

if TYPE_CHECKING:
    from pydantic.config import JsonDict

PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
AREA = str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"))
ALD = str(seed_uuid("partner", "ald"))
AGREEMENT = str(seed_uuid("agreement", "BL-KIP3/ald"))
MEASURE = str(seed_uuid("measure", "BL-KIP3/BL-1.02"))
PLAN_NOTE = "Illustrative split consistent with the Landrat's CHF 3,392,068 for 2024–2027 [BZ-LR23]."

BUDGET_LINE: dict[str, Any] = {
    "id": str(seed_uuid("budget-line", "BL-KIP3/2025/information_needs_assessment_counselling/canton")),
    "programme_id": PROGRAMME,
    "year": 2025,
    "funding_area_id": AREA,
    "source": "canton",
    "original": "280000.00",
    "in_force": "280000.00",
    "current_revision": 1,
    "illustrative": True,
    "source_note": PLAN_NOTE,
    "version": 1,
}

BUDGET_LINE_DETAIL: dict[str, Any] = {
    **BUDGET_LINE,
    "revisions": [
        {
            "number": 1,
            "amount": "280000.00",
            "reason": "KIP 3 plan as approved.",
            "author": "seed:bl-integration",
            "created_at": "2023-12-15T10:00:00Z",
        }
    ],
    "warnings": [],
}

_LINES = [
    {"year": year, "funding_area_id": AREA, "source": source, "amount": "180000.00"}
    for year in (2024, 2025, 2026, 2027)
    for source in ("canton", "federal_integration_credit")
]

AGREEMENT_READ: dict[str, Any] = {
    "id": AGREEMENT,
    "programme_id": PROGRAMME,
    "canton": "BL",
    "partner_id": ALD,
    "reference": "LV-KIP3-ALD",
    "status": "signed",
    "current_version": 1,
    "signed_version": 1,
    "current": {
        "number": 1,
        "title": "Information und Beratung 2024–2027",
        "start_date": "2024-01-01",
        "end_date": "2027-12-31",
        "measure_ids": [MEASURE],
        "cost_cap": None,
        "text": None,
        "reason": None,
        "created_by": "seed:bl-integration",
        "created_at": "2023-12-15T10:00:00Z",
        "signed_by": "seed:bl-integration-head",
        "signed_at": "2023-12-15T10:00:00Z",
        "lines": _LINES,
        "total": "1440000.00",
    },
    "illustrative": True,
    "source_note": "Illustrative amounts: BL's service agreements are not public; the partners are [BL-KIP3].",
    "version": 1,
    "warnings": [],
}

DISBURSEMENT_READ: dict[str, Any] = {
    "id": str(seed_uuid("disbursement", "BL-KIP3/ald-2024-1")),
    "agreement_id": AGREEMENT,
    "programme_id": PROGRAMME,
    "canton": "BL",
    "partner_id": ALD,
    "year": 2024,
    "funding_area_id": AREA,
    "source": "canton",
    "amount": "90000.00",
    "lines": [{"funding_area_id": AREA, "source": "canton", "amount": "90000.00"}],
    "value_date": "2024-03-29",
    "status": "paid",
    "note": None,
    "requested_by": "seed:bl-integration",
    "requested_at": "2024-03-01T09:00:00Z",
    "decided_by": "seed:bl-integration-head",
    "decided_at": "2024-03-08T09:00:00Z",
    "rejection_reason": None,
    "paid_by": "seed:bl-finance",
    "paid_at": "2024-03-29T09:00:00Z",
    "illustrative": True,
    "source_note": "Illustrative: BL's payments to its partners are not public.",
    "version": 3,
}


def examples(*values: dict[str, Any]) -> ConfigDict:
    """`model_config` for a response model with these examples (pydantic's `json_schema_extra`)."""
    return ConfigDict(json_schema_extra=cast("JsonDict", {"examples": list(values)}))
