"""The evaluation service as the views read it: evaluations, recommendations, indicators, goal achievement,
key figures, what is due, and the annual reports as submitted (immutable versions).

The evaluation report's lines (`EvaluationLine` and what it holds, `SupervisionCheckLine`) are read straight into
the models the annual report shows (plain models: unknown fields are ignored), so they are checked once.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from gateway.clients.base import ServiceClient, Tolerant
from gateway.upstream import CallContext


class Evaluation(Tolerant):
    id: uuid.UUID
    programme_id: uuid.UUID
    kind: str
    title: str
    status: str
    partner_ids: list[uuid.UUID] = Field(default_factory=list)
    measure_ids: list[uuid.UUID] = Field(default_factory=list)
    planned_end: str | None = None
    actual_end: str | None = None
    illustrative: bool = False


class Recommendation(Tolerant):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    programme_id: uuid.UUID | None = None
    number: int | None = None
    text: str
    addressee_partner_id: uuid.UUID
    priority: str | None = None
    response_due_date: str | None = None
    response_decision: str | None = None
    response_overdue: bool = False


class Indicator(Tolerant):
    id: uuid.UUID
    programme_id: uuid.UUID | None = None
    measure_id: uuid.UUID | None = None
    goal_id: uuid.UUID | None = None
    code: str
    title: str
    unit: str | None = None
    level: str | None = None


class IndicatorAchievement(Tolerant):
    """One indicator's figures of the report year and to date (`years`), and the ratio of those to date."""

    indicator_id: uuid.UUID
    code: str
    title: str
    unit: str | None = None
    aggregation: str | None = None
    year: int | None = None
    year_target: Decimal | None = None
    year_value: Decimal | None = None
    year_status: str = "missing"
    years: list[int] = Field(default_factory=list)
    target: Decimal | None = None
    actual: Decimal | None = None
    ratio: Decimal | None = None
    illustrative: bool = False


class GoalAchievement(Tolerant):
    kind: str | None = None
    goal_id: uuid.UUID
    code: str | None = None
    title: str | None = None
    achievement: Decimal | None = None
    indicators: list[IndicatorAchievement] = Field(default_factory=list)


class GoalAchievementReport(Tolerant):
    goals: list[GoalAchievement] = Field(default_factory=list)


class KeyFigure(Tolerant):
    indicator_id: uuid.UUID
    code: str
    title: str
    unit: str | None = None
    measure_id: uuid.UUID | None = None
    dimension: str | None = None
    category: str | None = None
    value: Decimal
    source: str | None = None
    illustrative: bool = False


class KeyFigures(Tolerant):
    items: list[KeyFigure] = Field(default_factory=list)


class DueItem(Tolerant):
    kind: str
    id: uuid.UUID | None = None
    title: str
    due_date: str
    overdue: bool = False
    programme_id: uuid.UUID | None = None
    partner_id: uuid.UUID | None = None


class ReportVersion(Tolerant):
    programme_id: uuid.UUID
    canton: str | None = None
    year: int
    number: int
    sha256: str | None = None
    submitted_by: str | None = None
    submitted_at: str | None = None
    acknowledged_warnings: list[str] = Field(default_factory=list)
    content: dict[str, Any] | None = None


class SubmittedReport(Tolerant):
    programme_id: uuid.UUID
    canton: str | None = None
    year: int
    versions: int
    latest: ReportVersion


class ReportDecision(Tolerant):
    version: int
    decision: str
    comment: str | None = None
    decided_by: str | None = None
    decided_at: str | None = None


class ReportState(Tolerant):
    """Where a report stands with SEM, as the evaluation service computes it for today."""

    programme_id: uuid.UUID
    canton: str | None = None
    year: int
    status: str
    due_date: str
    due_date_assumed: bool = False
    overdue: bool = False
    versions: int = 0
    latest_version: int | None = None
    illustrative: bool | None = None
    decisions: list[ReportDecision] = Field(default_factory=list)


class ReportStates(Tolerant):
    items: list[ReportState] = Field(default_factory=list)


class ActionLine(BaseModel):
    title: str
    owner: str | None = None
    due_date: str | None = None
    status: str
    overdue: bool = False


class RecommendationLine(BaseModel):
    number: int
    text: str
    finding_number: int | None = None
    priority: str | None = None
    response_due_date: str | None = None
    response_decision: str | None = Field(default=None, description="The management response; null: none yet.")
    response_reasons: str | None = None
    response_overdue: bool = False
    actions: list[ActionLine] = Field(default_factory=list, description="Follow-up actions and their state.")


class FindingLine(BaseModel):
    number: int
    text: str


class EvaluationLine(BaseModel):
    """An evaluation with its findings and follow-up, as the evaluation service's evaluation report gives it and
    the annual report shows it (read once, shown as read)."""

    id: uuid.UUID
    kind: str
    title: str
    status: str
    contractor: str | None = None
    planned_end: str | None = None
    actual_end: str | None = None
    public_summary: str | None = None
    illustrative: bool = False
    findings: list[FindingLine] = Field(default_factory=list)
    recommendations: list[RecommendationLine] = Field(default_factory=list)


class EvaluationReport(Tolerant):
    evaluations: list[EvaluationLine] = Field(default_factory=list)


class SupervisionCheckLine(BaseModel):
    check_date: str
    subject: str
    kind: str
    result: str


class ReportText(Tolerant):
    funding_area_id: uuid.UUID | None = None
    version: int
    text: str
    partner_ids: list[uuid.UUID] = Field(default_factory=list)
    regular_structures: list[str] = Field(default_factory=list)
    checks: list[SupervisionCheckLine] = Field(default_factory=list)
    illustrative: bool = False
    source: str | None = None
    written_at: str | None = None


class ReportTexts(Tolerant):
    texts: list[ReportText] = Field(default_factory=list)


class AnnualReportSections(Tolerant):
    """The sections of a year's annual report the evaluation service holds, in one answer."""

    goal_achievement: GoalAchievementReport
    key_figures: KeyFigures
    evaluations: EvaluationReport
    coordination: ReportTexts
    financial_supervision: ReportTexts


class EvaluationClient(ServiceClient):
    async def annual_report_sections(
        self, ctx: CallContext, programme_id: uuid.UUID, year: int
    ) -> AnnualReportSections:
        """Goal achievement, key figures, the evaluations and both texts of a year: one call instead of five."""
        return await self.get(AnnualReportSections, f"/v1/programmes/{programme_id}/annual-report-sections/{year}", ctx)

    async def evaluations(
        self, ctx: CallContext, *, programme_id: uuid.UUID | None = None, partner_id: uuid.UUID | None = None
    ) -> list[Evaluation]:
        """`partner_id`: only those concerning that partner, as the evaluation service decides it."""
        params = {"programme_id": programme_id, "partner_id": partner_id}
        return await self.get_all(Evaluation, "/v1/evaluations", ctx, params)

    async def recommendations(
        self, ctx: CallContext, *, programme_id: uuid.UUID | None = None, addressee_partner_id: uuid.UUID | None = None
    ) -> list[Recommendation]:
        params = {"programme_id": programme_id, "addressee_partner_id": addressee_partner_id}
        return await self.get_all(Recommendation, "/v1/recommendations", ctx, params)

    async def indicators(
        self, ctx: CallContext, *, programme_id: uuid.UUID | None = None, measure_id: uuid.UUID | None = None
    ) -> list[Indicator]:
        params = {"programme_id": programme_id, "measure_id": measure_id}
        return await self.get_all(Indicator, "/v1/indicators", ctx, params)

    async def due(self, ctx: CallContext, *, programme_id: uuid.UUID | None, within_days: int = 0) -> list[DueItem]:
        params = {"programme_id": programme_id, "within_days": within_days}
        return await self.get_all(DueItem, "/v1/due", ctx, params)

    def _reports(self, programme_id: uuid.UUID, year: int) -> str:
        return f"/v1/programmes/{programme_id}/annual-reports/{year}"

    async def submit_report(
        self, ctx: CallContext, programme_id: uuid.UUID, year: int, content: dict[str, Any], acknowledged: list[str]
    ) -> ReportVersion:
        path = self._reports(programme_id, year)
        body = {"content": content, "acknowledged_warnings": acknowledged}
        answer = await self.upstream.request_content("POST", path, ctx, json=body)
        return self.parse(ReportVersion, answer)

    async def report_state(self, ctx: CallContext, programme_id: uuid.UUID, year: int) -> ReportState:
        return await self.get(ReportState, f"{self._reports(programme_id, year)}/state", ctx)

    async def decide_report(
        self, ctx: CallContext, programme_id: uuid.UUID, year: int, decision: dict[str, Any]
    ) -> ReportState:
        path = f"{self._reports(programme_id, year)}/decisions"
        return self.parse(ReportState, await self.upstream.request_content("POST", path, ctx, json=decision))

    async def report_states(self, ctx: CallContext, year: int) -> list[ReportState]:
        return (await self.get(ReportStates, "/v1/annual-reports/states", ctx, {"year": year})).items

    async def latest_report_version(self, ctx: CallContext, programme_id: uuid.UUID, year: int) -> ReportVersion:
        """The highest-numbered version, resolved by the evaluation service (404 while none was submitted)."""
        return await self.get(ReportVersion, f"{self._reports(programme_id, year)}/versions/latest", ctx)

    async def report_version(self, ctx: CallContext, programme_id: uuid.UUID, year: int, version: int) -> ReportVersion:
        return await self.get(ReportVersion, f"{self._reports(programme_id, year)}/versions/{version}", ctx)

    async def report_diff(
        self, ctx: CallContext, programme_id: uuid.UUID, year: int, from_version: int, to_version: int
    ) -> Any:
        params = {"from": from_version, "to": to_version}
        return await self.upstream.get_json(f"{self._reports(programme_id, year)}/diff", ctx, params)

    async def submitted_reports(self, ctx: CallContext, year: int) -> list[SubmittedReport]:
        return await self.get_all(SubmittedReport, "/v1/annual-reports", ctx, {"year": year})
