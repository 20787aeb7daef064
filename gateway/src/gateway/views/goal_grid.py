"""The goal grid (Zielraster) as SEM asks for it: per funding area its goals, the measures serving each goal,
the goal's indicators and their targets per programme year, as one Excel sheet.

Composed from the programme service (programme, funding areas, goals, measures) and the evaluation service
(indicators and their targets) with the caller's token, so each service's visibility rules apply. Text from the
services is neutralised so no cell runs as a formula. The sheet speaks the language `Accept-Language` chose, else
the programme's working language: sheet name, headers, goal levels and units from the label catalogue
(`goal_grid`, `goal_level`, `unit`), funding areas by their name in that language where one exists; goals,
measures and indicators as the canton wrote them.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gateway.caller import CallerDep
from gateway.clients.base import Tolerant
from gateway.clients.evaluation import Indicator
from gateway.clients.programme import Goal, Measure, Outline, Programme, ProgrammeArea
from gateway.compose import Fanout, required
from gateway.export import XLSX_MEDIA_TYPE
from gateway.export_language import export_language
from gateway.views.deps import VIEW_PROBLEMS, ClientsDep, SettingsDep
from kit import i18n
from kit.auth import Role
from kit.problems import problem_responses
from kit.spreadsheet import neutralised

router = APIRouter(prefix="/api/v1/programmes", tags=["canton views"])
HEADER = ["funding_area", "no", "goal", "level", "measures", "indicator", "unit"]


class Target(Tolerant):
    year: int
    value: Decimal


def _text(value: str | None) -> str:
    return neutralised(value or "")


def workbook(
    programme: Programme,
    areas: list[ProgrammeArea],
    goals: list[Goal],
    measures: list[Measure],
    indicators: list[Indicator],
    targets: dict[uuid.UUID, list[Target]],
    lang: str = "de",
) -> bytes:
    years = list(range(programme.period.first_year, programme.period.last_year + 1))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    title = i18n.label("goal_grid", "title", lang)
    sheet.title = title
    sheet.append([_text(f"{title} {programme.canton} {programme.period.code}: {programme.title}")])
    target = i18n.label("goal_grid", "target", lang)
    sheet.append([*(i18n.label("goal_grid", h, lang) for h in HEADER), *(f"{target} {y}" for y in years)])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for area in sorted(areas, key=lambda a: (a.funding_area.position, a.funding_area.code)):
        names = area.funding_area.name
        name = _text({"fr": names.fr, "it": names.it}.get(lang) or names.de or area.funding_area.code)
        for goal in sorted((g for g in goals if g.funding_area_id == area.funding_area.id), key=lambda g: g.code):
            serving = "\n".join(
                _text(f"{m.code} {m.title}") for m in sorted(measures, key=lambda m: m.code) if goal.id in m.goal_ids
            )
            own: list[Indicator | None] = [
                *sorted((i for i in indicators if i.goal_id == goal.id), key=lambda i: i.code)
            ]
            for indicator in own or [None]:
                level = i18n.label("goal_level", goal.level, lang)
                row: list[Any] = [name, _text(goal.code), _text(goal.title), _text(level), serving]
                if indicator is None:
                    row += [None, None]
                else:
                    by_year = {t.year: t.value for t in targets.get(indicator.id, [])}
                    unit = i18n.label("unit", indicator.unit, lang) if indicator.unit else None
                    row += [_text(f"{indicator.code} {indicator.title}"), _text(unit)]
                    row += [by_year.get(y) for y in years]  # Decimal: written as the exact number
                sheet.append(row)
                for cell in sheet[sheet.max_row]:
                    cell.alignment = wrap
                    if isinstance(cell.value, Decimal):
                        cell.number_format = "#,##0" if cell.value == cell.value.to_integral() else "#,##0.0###"
    for column, width in zip("ABCDEFG", (28, 8, 50, 10, 40, 40, 10), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@router.get(
    "/{programme_id}/goal-grid.xlsx",
    response_class=Response,
    summary="The programme's goal grid (Zielraster): goals → measures → indicators → targets per year, per area",
    description="In the language `Accept-Language` chose, else the programme's working language (`Content-Language` "
    "says which): sheet name, headers, goal levels, units and funding-area names; what the canton wrote stays as "
    "written.",
    responses={
        200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
        **problem_responses(*VIEW_PROBLEMS),
    },
)
async def get_goal_grid(
    programme_id: uuid.UUID, caller: CallerDep, clients: ClientsDep, settings: SettingsDep
) -> Response:
    """SEM's goal grid as an Excel workbook: per funding area its goals, the measures serving each, the goals'
    indicators and their targets per programme year, one sheet. Canton users of the programme's canton and SEM."""
    caller.require(Role.CANTON_EDITOR, Role.CANTON_VIEWER, Role.SEM)
    ctx = caller.ctx
    fanout = Fanout("goal grid", settings.canton_view_timeout)
    parts = await fanout.run(
        {
            "outline": required("programme", lambda: clients.programme.outline(ctx, programme_id)),
            "indicators": required("evaluation", lambda: clients.evaluation.indicators(ctx, programme_id=programme_id)),
        }
    )
    indicators: list[Indicator] = parts["indicators"]
    lists = await asyncio.gather(
        *(clients.evaluation.get_list(Target, f"/v1/indicators/{i.id}/targets", ctx) for i in indicators)
    )
    targets = {i.id: found for i, found in zip(indicators, lists, strict=True)}
    outline: Outline = parts["outline"]
    lang = export_language(outline.programme.working_language)
    content = workbook(
        outline.programme, outline.funding_areas, outline.goals, outline.measures, indicators, targets, lang
    )
    headers = {"Content-Disposition": f'attachment; filename="goal-grid-{programme_id}.xlsx"', "Content-Language": lang}
    return Response(content, media_type=XLSX_MEDIA_TYPE, headers=headers)
