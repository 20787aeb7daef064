"""Use cases of the budget grid: read the plan whole, compare a proposed plan with it, apply it in one go.

A grid exported before someone else changed the plan is recognised by the plan's version and refused (412 naming
the lines changed since). Applying goes through the budget lines' own use cases (`revise_line`, `create_line`),
all in the request's one transaction: every change or none.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from funding.budget import service as budget_service
from funding.budget.schemas import BudgetLineCreate, BudgetRevisionCreate
from funding.budget_grid.plan import Key, Plan, Proposal, lines_of
from funding.budget_grid.schemas import (
    CellChange,
    CellError,
    ChangeReport,
    GridCredit,
    GridLine,
    GridRead,
    GridYearMatch,
)
from funding.sources import MATCHED_FEDERAL, Source, matching_sources
from funding.upstream import ProgrammeService
from kit.auth import Principal
from kit.etag import etag_of
from kit.i18n import Msg
from kit.problems import PreconditionFailed, Problem

ZERO = Decimal("0.00")


class GridInvalid(Problem):
    type_slug = "funding/grid-invalid"
    title = "The budget grid has errors; nothing was changed"
    status = 422


def _in_force(plan: Plan, changes: list[CellChange]) -> dict[Key, Decimal]:
    amounts = {key: current.in_force for key, current in plan.lines.items()}
    for change in changes:
        amounts[(change.year, change.funding_area_id, change.source)] = change.new
    return amounts


def matching(plan: Plan, amounts: dict[Key, Decimal]) -> list[GridYearMatch]:
    matched = set(matching_sources(plan.third_parties_count))
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for (year, _area, source), amount in amounts.items():
        if source == MATCHED_FEDERAL:
            sums[year][0] += amount
        elif source in matched:
            sums[year][1] += amount
    return [
        GridYearMatch(
            year=year,
            federal_integration_credit=sums[year][0],
            matching_contributions=sums[year][1],
            fulfilled=sums[year][0] <= sums[year][1],
        )
        for year in plan.years
    ]


def credit_uses(plan: Plan, amounts: dict[Key, Decimal]) -> list[GridCredit]:
    uses = []
    for credit, sources in plan.credits:
        planned = sum(
            (a for (y, _area, s), a in amounts.items() if credit.first_year <= y <= credit.last_year and s in sources),
            ZERO,
        )
        uses.append(
            GridCredit(
                credit_id=credit.id,
                body=credit.body,
                reference=credit.reference,
                amount=credit.amount,
                first_year=credit.first_year,
                last_year=credit.last_year,
                sources=sources,
                planned=planned,
                headroom=credit.amount - planned,
            )
        )
    return uses


def read_grid(plan: Plan, lang: str | None = None) -> GridRead:
    """The grid; funding areas named in `lang` where the programme service has that name (default German)."""
    lines = []
    for year in plan.years:
        for area in plan.areas:
            for source in Source:
                current = plan.lines.get((year, area.id, source))
                lines.append(
                    GridLine(
                        year=year,
                        funding_area_id=area.id,
                        funding_area=area.name_in(lang),
                        source=source,
                        budget_line_id=current.line_id if current else None,
                        original=current.original if current else None,
                        in_force=current.in_force if current else None,
                    )
                )
    amounts = _in_force(plan, [])
    return GridRead(
        programme_id=plan.programme_id,
        version=plan.version,
        first_year=plan.first_year,
        last_year=plan.last_year,
        lines=lines,
        matching=matching(plan, amounts),
        credits=credit_uses(plan, amounts),
    )


def check_fresh(plan: Plan, version: str | None, exported: dict[Key, int] | None = None) -> None:
    """412 when the grid was read from another state of the plan, naming the lines changed since.
    `If-Match: *` (any current version) and a list of versions are taken as for every other change."""
    if version is None or version.strip() == "*":
        return
    tags = [tag.strip().removeprefix("W/").strip('"') for tag in version.split(",")]
    if plan.version in tags:
        return
    sent = tags[0]
    changed = []
    if exported is not None:
        for key, current in sorted(plan.lines.items(), key=lambda kv: (kv[0][0], str(kv[0][1]), kv[0][2])):
            if exported.get(key) != current.revision:
                year, area_id, source = key
                changed.append(
                    {
                        "year": year,
                        "funding_area_id": str(area_id),
                        "funding_area": plan.area_name(area_id),
                        "source": str(source),
                        "exported_revision": exported.get(key),
                        "current_revision": current.revision,
                    }
                )
    named = "; ".join(f"{c['year']} {c['funding_area']} {c['source']}" for c in changed[:10])
    raise PreconditionFailed(
        f"The plan was changed since this grid was exported (version {sent}, now {plan.version})"
        + (f": {named}" if named else "")
        + ". Export the grid again and redo your changes on it.",
        current_version=plan.version,
        changed=changed,
    )


def compare(plan: Plan, proposals: list[Proposal], errors: list[CellError]) -> list[CellChange]:
    """The changes the proposals make to the plan in force; what cannot be applied goes into `errors`."""
    areas = {a.id for a in plan.areas}
    changes = []
    for p in proposals:
        year, area_id, source = p.key
        if not plan.first_year <= year <= plan.last_year:
            errors.append(
                CellError(
                    cell=p.cell,
                    message=Msg(
                        "Year {year} is outside {first}–{last}.", year=year, first=plan.first_year, last=plan.last_year
                    ).render(),
                )
            )
            continue
        if area_id not in areas:
            errors.append(
                CellError(
                    cell=p.cell,
                    message=Msg("{area_id} is not a funding area of this programme.", area_id=area_id).render(),
                )
            )
            continue
        current = plan.lines.get(p.key)
        if p.amount is None:
            if current is not None:
                errors.append(
                    CellError(
                        cell=p.cell,
                        message=Msg(
                            "The cell was emptied, but {amount} is planned here; a budget line cannot be removed: "
                            "enter 0 to plan nothing.",
                            amount=current.in_force,
                        ).render(),
                    )
                )
            continue
        if current is not None and current.in_force == p.amount:
            continue
        changes.append(
            CellChange(
                cell=p.cell,
                year=year,
                funding_area_id=area_id,
                funding_area=plan.area_name(area_id),
                source=source,
                old=current.in_force if current else None,
                new=p.amount,
            )
        )
    return changes


def warnings(plan: Plan, changes: list[CellChange]) -> list[str]:
    amounts = _in_force(plan, changes)
    found = [
        f"{m.year}: the federal integration credit (IFK) {m.federal_integration_credit} exceeds the matching "
        f"contributions {m.matching_contributions} by {m.federal_integration_credit - m.matching_contributions}."
        for m in matching(plan, amounts)
        if not m.fulfilled
    ]
    found += [
        f"Credit {u.body} {u.reference or ''} ({u.first_year}–{u.last_year}, {u.amount}): the plan in force "
        f"for its years and sources comes to {u.planned}, {-u.headroom} more than the credit.".replace("  ", " ")
        for u in credit_uses(plan, amounts)
        if u.headroom < 0
    ]
    return found


async def apply(
    session: AsyncSession,
    principal: Principal,
    programmes: ProgrammeService,
    plan: Plan,
    changes: list[CellChange],
    reason: str,
) -> ChangeReport:
    """Every change as a budget revision (or a new line), with one reason, in the request's one transaction."""
    for change in changes:
        key = (change.year, change.funding_area_id, change.source)
        current = plan.lines.get(key)
        if current is not None:
            await budget_service.revise_line(
                session,
                principal,
                current.line_id,
                BudgetRevisionCreate(amount=change.new, reason=reason),
                etag_of(current.version),
            )
        else:
            await budget_service.create_line(
                session,
                principal,
                programmes,
                BudgetLineCreate(
                    programme_id=plan.programme_id,
                    year=change.year,
                    funding_area_id=change.funding_area_id,
                    source=change.source,
                    amount=change.new,
                    reason=reason,
                ),
            )
    after = Plan(
        plan.programme_id,
        plan.canton,
        plan.first_year,
        plan.last_year,
        plan.third_parties_count,
        plan.areas,
        await lines_of(session, plan.programme_id),
        plan.credits,
    )
    return ChangeReport(
        programme_id=plan.programme_id,
        version=after.version,
        applied=True,
        changes=changes,
        warnings=warnings(after, []),
    )


def report(plan: Plan, changes: list[CellChange], errors: list[CellError]) -> ChangeReport:
    """The dry run's answer; with errors, a 422 problem listing every one of them."""
    if errors:
        raise GridInvalid(
            f"{len(errors)} cell(s) cannot be taken; fix them and send the grid again: "
            + "; ".join(f"{e.cell}: {e.message}" for e in errors[:5]),
            cells=[e.model_dump() for e in errors],
        )
    return ChangeReport(
        programme_id=plan.programme_id,
        version=plan.version,
        applied=False,
        changes=changes,
        warnings=warnings(plan, changes),
    )
