"""The programme service's national data: a KIP 3 programme per canton with its seven funding areas, partners,
outcome goals beneath SEM's strategic goals, and about 35 measures (Basel-Landschaft's seeded ones stay)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bench import common as c
from programme.funding_area.models import FundingArea  # noqa: F401  (mapper configuration)
from programme.goal.models import Goal
from programme.measure.models import Measure, measure_goal
from programme.partner.models import Partner
from programme.programme.models import Programme, ProgrammeArea
from programme.seed_data import KIP3_AREAS

KINDS = ("association", "foundation", "cantonal_office", "commune", "private_company")
PRIORITY = {"information_needs_assessment_counselling", "language", "early_childhood"}


def generate(period_id: Any) -> dict[str, int]:
    positions = {a["code"]: a["position"] for a in KIP3_AREAS}
    programmes: list[dict[str, Any]] = []
    areas: list[dict[str, Any]] = []
    partners: list[dict[str, Any]] = []
    goals: list[dict[str, Any]] = []
    measures: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for canton in c.CANTONS:
        pid = c.programme_id(canton)
        if canton != "BL":  # BL's programme is seeded
            programmes.append(
                {
                    "id": pid,
                    "canton": canton,
                    "period_id": period_id,
                    "title": f"Kantonales Integrationsprogramm {canton} 2024–2027",
                    "status": "agreed",
                    "agreement_reference": f"KIP3-{canton}",
                    "agreement_date": dt.date(2023, 12, 1),
                    "note": "Generated for the benchmark.",
                }
            )
            areas.extend(
                {"programme_id": pid, "funding_area_id": c.area_id(code), "is_priority": code in PRIORITY}
                for code in c.AREAS
            )
        for n in range(c.PARTNERS_PER_CANTON):
            partners.append(
                {
                    "id": c.partner_id(canton, n),
                    "canton": canton,
                    "slug": f"bench-{canton.lower()}-{n}",
                    "name": f"Integrationspartner {canton} {n}",
                    "short_name": f"{canton}-P{n}",
                    "kind": KINDS[n % len(KINDS)],
                    "town": f"Ort {canton}",
                    "source": "Generated for the benchmark.",
                }
            )
        for code in c.AREAS:
            pos = positions[code]
            goals.append(
                {
                    "id": c.outcome_goal_id(canton, pos),
                    "funding_area_id": c.area_id(code),
                    "programme_id": pid,
                    "parent_id": c.strategic_goal_id(pos, 1),
                    "level": "outcome",
                    "code": f"{canton}-{pos}.1",
                    "title": f"Wirkungsziel {pos}.1 des Kantons {canton}",
                    "source": "Generated for the benchmark.",
                }
            )
        for n in range(c.MEASURES_PER_CANTON):
            code = c.AREAS[c.area_of_measure(n)]
            pos = positions[code]
            mid = c.measure_id(canton, n)
            measures.append(
                {
                    "id": mid,
                    "programme_id": pid,
                    "funding_area_id": c.area_id(code),
                    "partner_id": c.partner_id(canton, c.partner_of_measure(n)),
                    "code": f"{canton}-M{pos}.{n:02d}",
                    "title": f"Massnahme {n} im Förderbereich {pos} ({canton})",
                    "description": "Generated for the benchmark.",
                    "target_groups": ["newcomers"],
                    "communes": [],
                    "start_date": dt.date(2024, 1, 1),
                    "end_date": dt.date(2027, 12, 31),
                    "status": "active",
                    "source": "Generated for the benchmark.",
                }
            )
            links.append({"measure_id": mid, "goal_id": c.outcome_goal_id(canton, pos)})
    counts: dict[str, int] = {}
    with c.connect("programme") as conn, conn.cursor() as cur:
        tables: list[tuple[Any, list[dict[str, Any]]]] = [
            (Programme.__table__, programmes),
            (ProgrammeArea.__table__, areas),
            (Partner.__table__, partners),
            (Goal.__table__, goals),
            (Measure.__table__, measures),
            (measure_goal, links),
        ]
        for table, rows in tables:
            counts[str(table.name)] = c.copy_rows(cur, table, rows)
    return counts
