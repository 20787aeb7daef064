"""Loads the seed data idempotently: a record that exists (by its deterministic id) is left as it is."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import Base
from kit.ids import seed_uuid
from programme import seed_data as data
from programme.funding_area.models import FundingArea
from programme.funding_area.names import area_names
from programme.goal.models import Goal
from programme.measure.models import Measure, measure_goal
from programme.partner.models import Partner
from programme.period.models import Period
from programme.programme.models import Programme, ProgrammeArea

M = TypeVar("M", bound=Base)


async def _add(session: AsyncSession, model: type[M], **values: Any) -> tuple[M, bool]:
    existing = await session.get(model, values["id"])
    if existing is not None:
        return existing, False
    record = model(**values)
    session.add(record)
    await session.flush()
    return record, True


def area_key(period: str, code: str) -> str:
    return f"{period}/{code}"


async def seed(session: AsyncSession) -> int:
    """Insert what is missing; returns how many records were added."""
    added = 0
    periods: dict[str, Period] = {}
    for p in data.PERIODS:
        periods[p["code"]], new = await _add(session, Period, id=seed_uuid("period", p["code"]), **p)
        added += new

    areas: dict[str, FundingArea] = {}
    for a in data.KIP2BIS_AREAS:
        area, new = await _add(
            session,
            FundingArea,
            id=seed_uuid("funding-area", area_key("KIP2bis", a["code"])),
            period_id=periods["KIP2bis"].id,
            code=a["code"],
            position=a["position"],
            pillar=a["pillar"],
            name_de=a["de"],
            **area_names("KIP2bis", a["code"]),
            aliases=[],
            note=data.KIP2BIS_NOTE,
        )
        areas[area_key("KIP2bis", a["code"])] = area
        added += new
    for a in data.KIP3_AREAS:
        area, new = await _add(
            session,
            FundingArea,
            id=seed_uuid("funding-area", area_key("KIP3", a["code"])),
            period_id=periods["KIP3"].id,
            code=a["code"],
            position=a["position"],
            pillar=a["pillar"],
            name_de=a["de"],
            **area_names("KIP3", a["code"]),
            aliases=list(a["aliases"]),
            note=data.KIP3_NOTE,
            predecessors=[areas[area_key("KIP2bis", c)] for c in a["predecessors"]],
        )
        areas[area_key("KIP3", a["code"])] = area
        added += new

    strategic: dict[str, list[Goal]] = {}
    for a in data.KIP3_AREAS:
        for i, title in enumerate(data.STRATEGIC_GOALS[a["code"]], start=1):
            code = f"{a['position']}.{i}"
            goal, new = await _add(
                session,
                Goal,
                id=seed_uuid("goal", f"KIP3/{code}"),
                funding_area_id=areas[area_key("KIP3", a["code"])].id,
                programme_id=None,
                parent_id=None,
                level="strategic",
                code=code,
                title=title,
                source=data.STRATEGIC_GOAL_SOURCE,
            )
            strategic.setdefault(a["code"], []).append(goal)
            added += new

    partners: dict[str, Partner] = {}
    for p in data.PARTNERS:
        partners[p["slug"]], new = await _add(session, Partner, id=seed_uuid("partner", p["slug"]), canton="BL", **p)
        added += new

    programmes: dict[str, Programme] = {}
    for p in data.PROGRAMMES:
        programme, new = await _add(
            session,
            Programme,
            id=seed_uuid("programme", p["key"]),
            canton=p["canton"],
            period_id=periods[p["period"]].id,
            title=p["title"],
            status=p["status"],
            note=p["note"],
            working_language=p["working_language"],
        )
        programmes[p["key"]] = programme
        added += new
        if new:
            period_areas = (
                await session.scalars(select(FundingArea).where(FundingArea.period_id == programme.period_id))
            ).all()
            session.add_all(
                ProgrammeArea(programme_id=programme.id, funding_area_id=a.id, is_priority=a.code in p["priorities"])
                for a in period_areas
            )
            await session.flush()

    kip3 = programmes["BL-KIP3"]
    for m in data.MEASURES:
        partner = partners[m["partner"]].id if m["partner"] else None
        measure, new = await _add(
            session,
            Measure,
            id=seed_uuid("measure", f"BL-KIP3/{m['code']}"),
            programme_id=kip3.id,
            funding_area_id=areas[area_key("KIP3", m["area"])].id,
            partner_id=partner,
            code=m["code"],
            title=m["title"],
            description=m["description"],
            target_groups=m["target_groups"],
            communes=[],
            start_date=m["start"],
            end_date=m["end"],
            status="active",
            illustrative=m.get("illustrative", False),
            source=m["source"],
        )
        added += new
        if new:
            await session.execute(
                insert(measure_goal), [{"measure_id": measure.id, "goal_id": g.id} for g in strategic[m["area"]]]
            )
    await session.flush()
    return added
