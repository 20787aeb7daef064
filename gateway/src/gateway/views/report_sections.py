"""The annual report's sections beyond the figures: the evaluations with their findings and follow-up
(VIntA art. 18 (b)), coordination and cooperation among the actors (art. 18 (d)), the canton's financial
supervision.

A section or a text the canton has not written is there with `missing: true`, never left out.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field

from gateway.clients.evaluation import ReportText, ReportTexts, SupervisionCheckLine
from gateway.clients.programme import ProgrammeArea


class CoordinationText(BaseModel):
    funding_area_id: uuid.UUID | None = Field(default=None, description="Null for the overall text.")
    funding_area_code: str | None = None
    funding_area_name: str | None = None
    missing: bool = Field(description="The canton has written no text for this area and year.")
    version: int | None = None
    text: str | None = Field(default=None, description="Markdown, as the canton wrote it.")
    partner_ids: list[uuid.UUID] = Field(default_factory=list)
    regular_structures: list[str] = Field(default_factory=list)
    illustrative: bool = False
    source: str | None = None


class Coordination(BaseModel):
    year: int
    missing: bool = Field(description="No overall text for the year.")
    overall: CoordinationText
    by_area: list[CoordinationText] = Field(description="Every funding area of the programme, written or missing.")


class FinancialSupervision(BaseModel):
    year: int
    missing: bool = Field(description="The canton has described no supervision for the year.")
    version: int | None = None
    approach: str | None = Field(default=None, description="Markdown: the canton's supervision approach.")
    checks: list[SupervisionCheckLine] = Field(default_factory=list, description="The checks carried out that year.")
    illustrative: bool = False
    source: str | None = None


def _coordination_text(text: ReportText | None, area: ProgrammeArea | None) -> CoordinationText:
    fields: dict[str, Any] = {}
    if area is not None:
        fields = {
            "funding_area_id": area.funding_area.id,
            "funding_area_code": area.funding_area.code,
            "funding_area_name": area.funding_area.name.de,
        }
    if text is None:
        return CoordinationText(missing=True, **fields)
    written = text.model_dump(
        include={"version", "text", "partner_ids", "regular_structures", "illustrative", "source"}
    )
    return CoordinationText(missing=False, **fields, **written)


def coordination(texts: ReportTexts, areas: list[ProgrammeArea], year: int) -> Coordination:
    by_area = {t.funding_area_id: t for t in texts.texts}
    ordered = sorted(areas, key=lambda a: (a.funding_area.position, a.funding_area.code))
    overall = _coordination_text(by_area.get(None), None)
    return Coordination(
        year=year,
        missing=overall.missing,
        overall=overall,
        by_area=[_coordination_text(by_area.get(a.funding_area.id), a) for a in ordered],
    )


def financial_supervision(texts: ReportTexts, year: int) -> FinancialSupervision:
    text = next((t for t in texts.texts if t.funding_area_id is None), None)
    if text is None:
        return FinancialSupervision(year=year, missing=True)
    return FinancialSupervision(
        year=year,
        missing=False,
        version=text.version,
        approach=text.text,
        checks=list(text.checks),
        illustrative=text.illustrative,
        source=text.source,
    )
