"""The authorization matrix as data: for every operation of every service, what each caller gets.

A row is `"<service> <METHOD> <path>": Row(expected, request)`. `expected` lists, in the order of `ROLES`
(bl_editor, bl_viewer, bs_editor, sem, partner_a, partner_b), one outcome per caller:

- `ok`  — not refused: a 2xx, or a 409/412 from the business rules (writes send a stale `If-Match`, so a caller
  who passes authorization gets 412 and nothing changes);
- `401` — refused as unauthenticated; `403` — refused for the caller's role or canton;
- `404` — the resource is not visible to the caller, answered exactly like a missing one;
- `422` — an id in the body is not visible to the caller, refused exactly like an unknown id (the field is named).

The seven bad tokens (see authz_callers) get 401 on every `/v1` operation and `ok` on health checks; they are
cells too. Path parameters take the ids of `PATH_IDS` (partner A's records where a partner is concerned), so
partner B and canton BS are the foreign callers. Strings in bodies and queries starting with `$` name an id; the
first one named is the one a missing id replaces when a 404/422 is compared with the answer for an unknown id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class Row:
    expected: str
    request: Request = field(default_factory=Request)


def row(expected: str, body: Any = None, **query: str) -> Row:
    return Row(expected, Request(query, body))


#: Which id fills which path parameter.
PATH_IDS = {
    "programme_id": "$programme",
    "period_id": "$period",
    "area_id": "$area",
    "goal_id": "$goal",
    "measure_id": "$measure_a",
    "partner_id": "$partner_a",
    "line_id": "$budget_line",
    "credit_id": "$credit",
    "agreement_id": "$agreement_a",
    "disbursement_id": "$disbursement_a",
    "spending_id": "$spending",
    "evaluation_id": "$evaluation_a",
    "milestone_id": "$milestone",
    "recommendation_id": "$recommendation_a",
    "action_id": "$action",
    "indicator_id": "$indicator_a",
    "value_id": "$value_a",
    "year": "2024",
    "number": "1",
    "period_code": "KIP3",
}

ALL = "ok ok ok ok ok ok"
CANTON_READ = "ok ok ok ok 403 403"  # lists of canton money: filtered by canton; partners refused
READ_BL = "ok ok 404 ok 404 404"  # a BL record partners have nothing to do with
READ_A = "ok ok 404 ok ok 404"  # a BL record of partner A
EDIT_BL = "ok 403 404 403 404 404"
EDIT_A = "ok 403 404 403 403 404"  # partner A sees it but may not change it
CREATE_BL = "ok 403 422 403 422 422"  # the BL programme in the body: invisible to BS and to partners
# The programme service answers an invisible programme named in the body with 404 (its documented convention).
CREATE_IN_PROGRAMME = "ok 403 404 403 404 404"
SEM_ONLY = "403 403 403 ok 403 403"
EDITORS_ONLY = "ok 403 422 403 403 403"  # role refused first; a BS editor meets the invisible BL programme

PROGRAMME = {
    "programme GET /healthz": row(ALL),
    "programme GET /readyz": row(ALL),
    "programme GET /v1/programmes": row("ok ok ok ok 403 403"),
    "programme POST /v1/programmes": row(
        "ok 403 403 403 403 403", {"canton": "BL", "period": "KIP3", "title": "Zweites Programm"}
    ),
    "programme GET /v1/programmes/{programme_id}": row(READ_BL),
    "programme PATCH /v1/programmes/{programme_id}": row(EDIT_BL, {"note": "geprüft"}),
    "programme GET /v1/programmes/{programme_id}/funding-areas": row(READ_BL),
    "programme GET /v1/programmes/{programme_id}/outline": row(READ_BL),
    "programme PUT /v1/programmes/{programme_id}/funding-areas/{area_id}": row(EDIT_BL, {"is_priority": True}),
    "programme GET /v1/periods": row(ALL),
    "programme POST /v1/periods": row(
        SEM_ONLY, {"code": "KIP9", "title": "KIP 9", "first_year": 2040, "last_year": 2043}
    ),
    "programme GET /v1/periods/{period_id}": row(ALL),
    "programme GET /v1/funding-areas": row(ALL),
    "programme POST /v1/funding-areas": row(
        SEM_ONLY,
        {
            "period_id": "$period",
            "code": "new_area",
            "position": 8,
            "name": {"de": "Neu", "fr": "Nouveau", "it": "Nuovo"},
            "pillar": 3,
        },
    ),
    "programme GET /v1/funding-areas/{area_id}": row(ALL),
    "programme PATCH /v1/funding-areas/{area_id}": row(SEM_ONLY, {"name": {"fr": "Langue (PIC 3)"}}),
    "programme GET /v1/goals": row(READ_BL, programme_id="$programme"),
    "programme POST /v1/goals": row(
        CREATE_IN_PROGRAMME,
        {
            "programme_id": "$programme",
            "funding_area_id": "$area",
            "level": "outcome",
            "code": "1.9",
            "title": "Neues Ziel",
        },
    ),
    "programme GET /v1/programmes/{programme_id}/goals": row(READ_BL),
    "programme GET /v1/goals/{goal_id}": row(ALL),
    "programme PATCH /v1/goals/{goal_id}": row(SEM_ONLY, {"description": "präzisiert"}),
    "programme GET /v1/measures": row(ALL),
    "programme POST /v1/measures": row(
        CREATE_IN_PROGRAMME,
        {"programme_id": "$programme", "funding_area_id": "$area", "code": "BL-1.09", "title": "Neue Massnahme"},
    ),
    "programme GET /v1/measures/{measure_id}": row(READ_A),
    "programme PATCH /v1/measures/{measure_id}": row(EDIT_A, {"description": "präzisiert"}),
    "programme GET /v1/partners": row(ALL),
    "programme POST /v1/partners": row(
        "ok 403 403 403 403 403",
        {"name": "Verein Neu", "short_name": "Neu", "kind": "association", "canton": "BL", "slug": "neu"},
    ),
    "programme GET /v1/partners/{partner_id}": row(READ_A),
    "programme PATCH /v1/partners/{partner_id}": row(EDIT_A, {"town": "Liestal"}),
    "programme GET /v1/audit": row(ALL),
    "programme GET /v1/audit/verify": row(CANTON_READ),
    "programme GET /v1/events": row(ALL),
}

_LINES = [{"year": 2024, "funding_area_id": "$area", "source": "canton", "amount": "10.00"}]
_AGREEMENT = {"title": "LV ald", "start_date": "2024-01-01", "end_date": "2027-12-31", "measure_ids": ["$measure_a"]}

FUNDING = {
    "funding GET /healthz": row(ALL),
    "funding GET /readyz": row(ALL),
    "funding GET /v1/audit": row(ALL),
    "funding GET /v1/audit/verify": row(CANTON_READ),
    "funding GET /v1/events": row(ALL),
    "funding GET /v1/budget-lines": row(CANTON_READ),
    "funding POST /v1/budget-lines": row(
        CREATE_BL,
        {
            "programme_id": "$programme",
            "year": 2027,
            "funding_area_id": "$area_language",
            "source": "communes",
            "amount": "1000.00",
            "reason": "Nachtrag",
        },
    ),
    "funding GET /v1/budget-lines/{line_id}": row(READ_BL),
    "funding POST /v1/budget-lines/{line_id}/revisions": row(EDIT_BL, {"amount": "1.00", "reason": "Korrektur"}),
    "funding GET /v1/credits": row(CANTON_READ),
    "funding POST /v1/credits": row(
        CREATE_BL,
        {
            "programme_id": "$programme",
            "body": "Landrat",
            "decision_date": "2024-01-10",
            "amount": "1000.00",
            "first_year": 2024,
            "last_year": 2027,
            "sources": ["canton"],
        },
    ),
    "funding GET /v1/credits/{credit_id}": row(READ_BL),
    "funding PATCH /v1/credits/{credit_id}": row(EDIT_BL, {"note": "berichtigt"}),
    "funding GET /v1/agreements": row(ALL),
    "funding POST /v1/agreements": row(
        CREATE_BL, {**_AGREEMENT, "programme_id": "$programme", "partner_id": "$partner_a", "lines": _LINES}
    ),
    "funding GET /v1/agreements/{agreement_id}": row(READ_A),
    "funding GET /v1/agreements/{agreement_id}/versions": row(READ_A),
    "funding POST /v1/agreements/{agreement_id}/versions": row(
        EDIT_A, {**_AGREEMENT, "lines": _LINES, "reason": "Nachtrag"}
    ),
    "funding POST /v1/agreements/{agreement_id}/sign": row(EDIT_A),
    "funding POST /v1/agreements/{agreement_id}/terminate": row(EDIT_A),
    "funding POST /v1/agreements/{agreement_id}/close": row(EDIT_A),
    "funding GET /v1/disbursements": row(ALL),
    "funding GET /v1/disbursements/totals": row(ALL),
    "funding POST /v1/disbursements": row(
        "ok 403 422 403 ok 422",
        {
            "agreement_id": "$agreement_a",
            "year": 2024,
            "funding_area_id": "$area",
            "source": "canton",
            "amount": "1.00",
            "value_date": "2024-06-30",
        },
    ),
    "funding GET /v1/disbursements/{disbursement_id}": row(READ_A),
    "funding POST /v1/disbursements/{disbursement_id}/approve": row(EDIT_A),
    "funding POST /v1/disbursements/{disbursement_id}/reject": row(EDIT_A, {"reason": "Beleg fehlt"}),
    "funding POST /v1/disbursements/{disbursement_id}/pay": row(EDIT_A, {}),
    "funding GET /v1/spending": row(CANTON_READ),
    "funding POST /v1/spending": row(
        CREATE_BL,
        {"programme_id": "$programme", "year": 2025, "funding_area_id": "$area", "source": "canton", "amount": "5.00"},
    ),
    "funding GET /v1/spending/{spending_id}": row(READ_BL),
    "funding PATCH /v1/spending/{spending_id}": row(EDIT_BL, {"note": "berichtigt"}),
    "funding GET /v1/federal-payments": row(CANTON_READ),
    "funding POST /v1/federal-payments": row(
        SEM_ONLY,
        {
            "programme_id": "$programme",
            "year": 2024,
            "source": "federal_integration_credit",
            "amount": "5.00",
            "value_date": "2024-05-01",
        },
    ),
    "funding GET /v1/programmes/{programme_id}/financial-report": row(READ_BL),
    "funding GET /v1/programmes/financial-totals": row(CANTON_READ, year="2024"),
    "funding GET /v1/programmes/{programme_id}/matching": row(READ_BL),
    "funding GET /v1/programmes/{programme_id}/budget-grid": row("ok ok 404 ok 403 403"),
    # The grid comes back as a workbook: the JSON body sent here is refused as not a workbook (422, the same for an
    # unknown programme) once the role passed; the canton is checked with the programme, after the file.
    "funding POST /v1/programmes/{programme_id}/budget-grid": row("422 403 422 403 403 403", dry_run="true"),
    "funding PUT /v1/programmes/{programme_id}/budget-grid": row(
        "ok 403 422 403 403 403", {"reason": "Jahresplanung", "lines": _LINES}
    ),
    "funding GET /v1/programmes/{programme_id}/settlement": row(READ_BL),
    "funding GET /v1/programmes/{programme_id}/settlement/decisions": row(READ_BL),
    "funding POST /v1/programmes/{programme_id}/settlement/decisions": row(
        SEM_ONLY, {"carry_over_amount": "0.00", "refund_amount": "0.00", "reasons": "Kein Rest"}
    ),
    "funding GET /v1/programmes/{programme_id}/settlement/decisions/{number}": row(READ_BL),
    "funding POST /v1/programmes/{programme_id}/settlement/decisions/{number}/acknowledgement": row(EDIT_BL, {}),
    "funding POST /v1/programmes/{programme_id}/settlement/decisions/{number}/repayment": row(
        SEM_ONLY, {"repaid_on": "2028-06-01"}
    ),
    "funding GET /v1/programmes/{programme_id}/funding-settings": row(READ_BL),
    # Whether third parties count toward the match is SEM's decision: everyone else is refused for the role.
    "funding PUT /v1/programmes/{programme_id}/funding-settings": row(
        SEM_ONLY, {"third_parties_count_toward_match": False}
    ),
    "funding GET /v1/programmes/{programme_id}/federal-allocation": row(READ_BL),
    "funding GET /v1/programmes/{programme_id}/warnings": row(READ_BL),
    "funding PUT /v1/programmes/{programme_id}/federal-allocation": row(
        SEM_ONLY,
        {
            "reference": "PV",
            "agreement_date": "2023-12-01",
            "period_amount": "3500000.00",
            "years": [{"year": 2024, "amount": "875000.00"}],
        },
    ),
}

#: A report with every section the completeness checks ask for, and the warnings the seed raises acknowledged.
COMPLETE_REPORT = {
    "year": 2024,
    **{section: [] for section in ("goals", "evaluations", "key_figures")},
    **{section: {"text": "…"} for section in ("finances", "coordination", "financial_supervision")},
}
ACK = ["national_value_missing", "illustrative_figures"]
PROGRAMME_FIGURES = "ok ok 404 ok 403 403"  # canton and SEM; partners refused for their role

EVALUATION = {
    "evaluation GET /healthz": row(ALL),
    "evaluation GET /readyz": row(ALL),
    "evaluation GET /v1/audit": row(ALL),
    "evaluation GET /v1/audit/verify": row(CANTON_READ),
    "evaluation GET /v1/events": row(ALL),
    "evaluation GET /v1/evaluations": row(ALL),
    "evaluation POST /v1/evaluations": row(
        EDITORS_ONLY, {"programme_id": "$programme", "kind": "study", "title": "Studie Sprachkurse"}
    ),
    "evaluation GET /v1/evaluations/{evaluation_id}": row(READ_A),
    "evaluation PATCH /v1/evaluations/{evaluation_id}": row(EDIT_A, {"contractor": "ZHAW"}),
    "evaluation GET /v1/evaluations/{evaluation_id}/milestones": row(READ_A),
    "evaluation POST /v1/evaluations/{evaluation_id}/milestones": row(
        EDIT_A, {"title": "Schlussbericht", "due_date": "2027-01-31"}
    ),
    "evaluation PATCH /v1/milestones/{milestone_id}": row(EDIT_A, {"title": "Zwischenbericht (verschoben)"}),
    "evaluation GET /v1/evaluations/{evaluation_id}/findings": row(READ_A),
    "evaluation POST /v1/evaluations/{evaluation_id}/findings": row(EDIT_A, {"text": "Gute Erreichbarkeit."}),
    "evaluation GET /v1/recommendations": row(ALL),
    "evaluation POST /v1/evaluations/{evaluation_id}/recommendations": row(
        EDIT_A, {"text": "Abendtermine anbieten.", "addressee_partner_id": "$partner_a"}
    ),
    "evaluation GET /v1/recommendations/{recommendation_id}": row(READ_A),
    "evaluation PUT /v1/recommendations/{recommendation_id}/response": row(
        "ok 403 404 403 ok 404", {"decision": "accepted", "reasons": "Machbar."}
    ),
    "evaluation GET /v1/recommendations/{recommendation_id}/actions": row(READ_A),
    "evaluation POST /v1/recommendations/{recommendation_id}/actions": row(
        EDIT_A,
        {
            "title": "Abendtermine",
            "owner": "ald",
            "due_date": "2026-12-31",
            "target_kind": "measure",
            "target_id": "$measure_a",
        },
    ),
    "evaluation PATCH /v1/actions/{action_id}": row(EDIT_A, {"status": "in_progress"}),
    "evaluation GET /v1/national-goals": row(ALL),
    "evaluation GET /v1/indicators": row(ALL),
    "evaluation POST /v1/indicators": row(
        EDITORS_ONLY,
        {
            "programme_id": "$programme",
            "measure_id": "$measure_a",
            "goal_id": "$goal",
            "code": "BL-1.02-z",
            "title": "Neuer Indikator",
            "level": "output",
            "unit": "count",
        },
    ),
    "evaluation GET /v1/indicators/{indicator_id}": row(READ_A),
    "evaluation PATCH /v1/indicators/{indicator_id}": row(EDIT_A, {"source": "Jahresbericht ald"}),
    "evaluation GET /v1/indicators/{indicator_id}/targets": row(READ_A),
    "evaluation PUT /v1/indicators/{indicator_id}/targets/{year}": row(EDIT_A, {"value": "1700"}),
    "evaluation GET /v1/indicators/{indicator_id}/rules": row(READ_A),
    "evaluation POST /v1/indicator-rules": row(
        "ok 403 422 403 422 422",
        {"lower_indicator_id": "$indicator_lower", "upper_indicator_id": "$indicator_upper", "description": "≤"},
    ),
    "evaluation GET /v1/indicators/{indicator_id}/values": row(READ_A),
    "evaluation POST /v1/indicators/{indicator_id}/values": row("ok 403 404 403 ok 404", {"year": 2026, "value": "10"}),
    # A CSV or XLSX body: the JSON sent here is refused as not a valid file (422) once the role passed.
    "evaluation POST /v1/indicator-values/upload": row(
        "422 403 422 403 422 422", {"indicator_id": "$indicator_a"}, dry_run="true"
    ),
    "evaluation GET /v1/indicator-values/{value_id}": row(READ_A),
    "evaluation PATCH /v1/indicator-values/{value_id}": row("ok 403 404 403 ok 404", {"evidence": "Liste"}),
    "evaluation POST /v1/indicator-values/{value_id}/confirm": row(EDIT_A),
    "evaluation GET /v1/programmes/{programme_id}/goal-achievement": row(PROGRAMME_FIGURES, year="2024"),
    "evaluation GET /v1/programmes/{programme_id}/key-figures": row(PROGRAMME_FIGURES, year="2024"),
    "evaluation GET /v1/due": row(ALL),
    "evaluation GET /v1/annual-reports": row(CANTON_READ),
    # Role first; then the programme service's answer: invisible to BS is 422 naming `path.programme_id`.
    "evaluation POST /v1/programmes/{programme_id}/annual-reports/{year}": row(
        "ok 403 422 403 403 403", {"content": {**COMPLETE_REPORT, "note": "ergänzt"}, "acknowledged_warnings": ACK}
    ),
    "evaluation GET /v1/programmes/{programme_id}/annual-reports/{year}": row(PROGRAMME_FIGURES),
    "evaluation GET /v1/programmes/{programme_id}/annual-reports/{year}/versions/{number}": row(PROGRAMME_FIGURES),
    "evaluation GET /v1/programmes/{programme_id}/annual-reports/{year}/versions/latest": row(PROGRAMME_FIGURES),
    "evaluation GET /v1/programmes/{programme_id}/annual-reports/{year}/diff": row(
        PROGRAMME_FIGURES, **{"from": "1", "to": "1"}
    ),
    "evaluation GET /v1/annual-report-deadlines/{period_code}": row(ALL),
    "evaluation PUT /v1/annual-report-deadlines/{period_code}": row(SEM_ONLY, {"due_month": 4, "due_day": 30}),
    "evaluation GET /v1/annual-reports/states": row(CANTON_READ, year="2024"),
    "evaluation GET /v1/programmes/{programme_id}/annual-reports/{year}/state": row(PROGRAMME_FIGURES),
    "evaluation POST /v1/programmes/{programme_id}/annual-reports/{year}/decisions": row(
        SEM_ONLY, {"decision": "received"}
    ),
    "evaluation GET /v1/programmes/{programme_id}/evaluation-report": row(PROGRAMME_FIGURES),
    "evaluation GET /v1/programmes/{programme_id}/annual-report-sections/{year}": row(PROGRAMME_FIGURES),
    "evaluation POST /v1/programmes/{programme_id}/report-texts/{year}/coordination": row(
        EDITORS_ONLY, {"text": "Koordination"}
    ),
    "evaluation GET /v1/programmes/{programme_id}/report-texts/{year}/coordination": row(PROGRAMME_FIGURES),
    "evaluation GET /v1/programmes/{programme_id}/report-texts/{year}/coordination/versions": row(PROGRAMME_FIGURES),
    "evaluation POST /v1/programmes/{programme_id}/report-texts/{year}/financial-supervision": row(
        EDITORS_ONLY, {"text": "Aufsicht"}
    ),
    "evaluation GET /v1/programmes/{programme_id}/report-texts/{year}/financial-supervision": row(PROGRAMME_FIGURES),
    "evaluation GET /v1/programmes/{programme_id}/report-texts/{year}/financial-supervision/versions": row(
        PROGRAMME_FIGURES
    ),
}

MATRIX: dict[str, Row] = {**PROGRAMME, **FUNDING, **EVALUATION}
