"""Loads the seed data idempotently: a record that exists (by its deterministic id) is left as it is.

Programme, measure, goal and partner ids are those the programme service seeds (`kit.ids.seed_uuid`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from evaluation import seed_data as data
from evaluation import seed_texts
from evaluation.database import Base
from evaluation.evaluation.models import Evaluation, evaluation_measure, evaluation_partner
from evaluation.indicator.models import Indicator, IndicatorRule, IndicatorTarget, NationalGoal
from evaluation.indicator_value.models import IndicatorValue
from evaluation.reference import ProgrammeRef
from evaluation.report_text.models import ReportText
from kit.db import utcnow
from kit.ids import seed_uuid

M = TypeVar("M", bound=Base)
SEEDER = "kip seed"


async def _add(session: AsyncSession, model: type[M], key: Any, **values: Any) -> bool:
    if await session.get(model, key) is not None:
        return False
    session.add(model(**values))
    await session.flush()
    return True


def indicator_id(code: str) -> Any:
    return seed_uuid("indicator", f"national/{code}" if code.startswith("IAS-") else f"BL-KIP3/{code}")


async def seed(session: AsyncSession) -> int:
    """Insert what is missing; returns how many records were added."""
    p = data.PROGRAMME
    programme_id = seed_uuid("programme", p["key"])
    added = int(
        await _add(
            session,
            ProgrammeRef,
            programme_id,
            id=programme_id,
            canton=p["canton"],
            period_code=p["period"],
            first_year=p["first_year"],
            last_year=p["last_year"],
        )
    )

    for e in data.EVALUATIONS:
        eid = seed_uuid("evaluation", f"BL-KIP3/{e['key']}")
        values = {k: v for k, v in e.items() if k not in ("key", "measures", "partners")}
        new = await _add(session, Evaluation, eid, id=eid, programme_id=programme_id, canton="BL", **values)
        added += new
        if new:
            partners = [seed_uuid("partner", s) for s in e["partners"]]
            await session.execute(
                insert(evaluation_measure),
                [
                    {
                        "evaluation_id": eid,
                        "measure_id": seed_uuid("measure", f"BL-KIP3/{m}"),
                        "partner_id": partners[0],
                    }
                    for m in e["measures"]
                ],
            )
            await session.execute(
                insert(evaluation_partner), [{"evaluation_id": eid, "partner_id": s} for s in partners]
            )

    for g in data.NATIONAL_GOALS:
        gid = seed_uuid("national-goal", g["code"])
        added += await _add(
            session, NationalGoal, gid, id=gid, code=g["code"], title=g["title"], source=data.NATIONAL_GOAL_SOURCE
        )
        iid = indicator_id(g["code"])
        added += await _add(
            session,
            Indicator,
            iid,
            id=iid,
            programme_id=None,
            canton=None,
            national_goal_id=gid,
            code=g["code"],
            title=g["indicator"],
            level="impact",
            unit="percent",
            direction="higher_is_better",
            aggregation="latest",
            source=data.NATIONAL_INDICATOR_SOURCE + ("" if g["target"] else data.IAS5_NOTE),
            illustrative=False,
        )
        if g["target"]:
            for year in range(p["first_year"], p["last_year"] + 1):
                added += await _add(
                    session,
                    IndicatorTarget,
                    (iid, year),
                    indicator_id=iid,
                    year=year,
                    value=Decimal(g["target"]),
                    source=data.NATIONAL_GOAL_SOURCE,
                )

    for i in data.INDICATORS:
        iid = indicator_id(i["code"])
        added += await _add(
            session,
            Indicator,
            iid,
            id=iid,
            programme_id=programme_id,
            canton="BL",
            goal_id=seed_uuid("goal", i["goal"]),
            measure_id=seed_uuid("measure", f"BL-KIP3/{i['measure']}"),
            code=i["code"],
            title=i["title"],
            level=i["level"],
            unit=i["unit"],
            baseline=Decimal(i["baseline"]) if i["baseline"] else None,
            baseline_year=i["baseline_year"],
            direction="higher_is_better",
            aggregation="sum",
            illustrative=i["illustrative"],
            source=i["source"],
        )
        for year in range(p["first_year"], p["last_year"] + 1):
            added += await _add(
                session,
                IndicatorTarget,
                (iid, year),
                indicator_id=iid,
                year=year,
                value=Decimal(i["target"]),
                illustrative=True,
                source=i["source"],
            )

    for lower, upper, description in data.RULES:
        rid = seed_uuid("indicator-rule", f"BL-KIP3/{lower}<={upper}")
        added += await _add(
            session,
            IndicatorRule,
            rid,
            id=rid,
            lower_indicator_id=indicator_id(lower),
            upper_indicator_id=indicator_id(upper),
            canton="BL",
            description=description,
        )

    for code, year, dimension, category, value, status, partner in data.VALUES:
        vid = seed_uuid("indicator-value", f"BL-KIP3/{code}/{year}/{dimension}/{category}")
        confirmed = status == "confirmed"
        added += await _add(
            session,
            IndicatorValue,
            vid,
            id=vid,
            indicator_id=indicator_id(code),
            programme_id=programme_id,
            canton="BL",
            year=year,
            dimension=dimension,
            category=category,
            value=Decimal(value),
            status=status,
            partner_id=seed_uuid("partner", partner) if partner else None,
            entered_by=SEEDER,
            source=data.VALUE_SOURCE,
            confirmed_by=SEEDER if confirmed else None,
            confirmed_at=utcnow() if confirmed else None,
            illustrative=True,
        )
    added += await _seed_texts(session, programme_id)
    await session.flush()
    return added


async def _seed_texts(session: AsyncSession, programme_id: Any) -> int:
    """Version 1 of each illustrative report text of BL KIP 3 for the seeded years."""
    added = 0
    for year in seed_texts.YEARS:
        for area, text, partners, structures in seed_texts.COORDINATION:
            area_id = seed_uuid("funding-area", f"KIP3/{area}") if area else None
            scope = str(area_id) if area_id else "overall"
            tid = seed_uuid("report-text", f"BL-KIP3/{year}/coordination/{scope}/1")
            details = {
                "partner_ids": [str(seed_uuid("partner", p)) for p in partners],
                "regular_structures": structures,
            }
            added += await _add(
                session,
                ReportText,
                tid,
                id=tid,
                programme_id=programme_id,
                canton="BL",
                year=year,
                section="coordination",
                scope=scope,
                funding_area_id=area_id,
                version=1,
                text=text,
                details=details,
                illustrative=True,
                source=seed_texts.SOURCE,
                written_by=SEEDER,
            )
        tid = seed_uuid("report-text", f"BL-KIP3/{year}/financial_supervision/overall/1")
        added += await _add(
            session,
            ReportText,
            tid,
            id=tid,
            programme_id=programme_id,
            canton="BL",
            year=year,
            section="financial_supervision",
            scope="overall",
            funding_area_id=None,
            version=1,
            text=seed_texts.SUPERVISION_TEXT,
            details={"checks": seed_texts.supervision_checks(year)},
            illustrative=True,
            source=seed_texts.SOURCE,
            written_by=SEEDER,
        )
    return added
