"""The funding service as the views read it: financial reports, every programme's totals of a year, matching on
three levels (planned, committed, actual) with the worst, warnings, agreements,
disbursements and their sums per agreement and status.

Amounts are read as `Decimal` from decimal strings and never become floats; a number where a decimal string is
agreed is a broken contract (502), not something to guess about.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import Field

from gateway.clients.base import ServiceClient, Tolerant
from gateway.upstream import CallContext
from kit.money import Total

ZERO = Decimal("0.00")


class Figures(Tolerant):
    original_plan: Total = ZERO
    plan_in_force: Total = ZERO
    committed: Total = ZERO
    disbursed: Total = ZERO
    spent: Total = ZERO
    #: Some record behind the figures is illustrative; false when the funding service does not say.
    illustrative: bool = False


class FinanceRow(Figures):
    """One funding area and source of a programme's finances."""

    funding_area_id: uuid.UUID
    source: str


class SourceTotals(Figures):
    source: str


class AreaTotals(Figures):
    """One funding area's figures over its sources, summed by the funding service."""

    funding_area_id: uuid.UUID


class MatchCheck(Tolerant):
    status: str
    federal_credit: Total
    matched_contributions: Total
    headroom: Total


class CreditUse(Tolerant):
    credit_id: uuid.UUID
    body: str | None = None
    amount: Total
    used: Total
    left: Total


class FinancialReport(Tolerant):
    programme_id: uuid.UUID
    year: int | None = None
    rows: list[FinanceRow] = Field(default_factory=list)
    by_area: list[AreaTotals] = Field(default_factory=list)
    by_source: list[SourceTotals] = Field(default_factory=list)
    totals: Figures = Field(default_factory=Figures)
    matching: MatchCheck | None = None
    matching_committed: MatchCheck | None = None
    matching_actual: MatchCheck | None = None
    matching_worst: str | None = None
    credit: CreditUse | None = None


class ProgrammeTotals(Tolerant):
    """One programme's figures of a year by source and in total, with the matching on the plan in force."""

    programme_id: uuid.UUID
    by_source: list[SourceTotals] = Field(default_factory=list)
    totals: Figures = Field(default_factory=Figures)
    matching: MatchCheck | None = None
    matching_committed: MatchCheck | None = None
    matching_actual: MatchCheck | None = None
    matching_worst: str | None = None


class FundingWarning(Tolerant):
    """Something the rules allow but a person should look at (funding's `GET /v1/programmes/{id}/warnings`)."""

    type: str
    detail: str
    year: int | None = None
    funding_area_id: uuid.UUID | None = None
    source: str | None = None
    credit_id: uuid.UUID | None = None
    amount: Total
    limit: Total
    over: Total


class WarningList(Tolerant):
    items: list[FundingWarning] = Field(default_factory=list)


class AgreementTerms(Tolerant):
    title: str
    start_date: str | None = None
    end_date: str | None = None
    total: Total | None = None


class Agreement(Tolerant):
    id: uuid.UUID
    programme_id: uuid.UUID
    partner_id: uuid.UUID
    reference: str | None = None
    status: str
    current: AgreementTerms


class DisbursementTotal(Tolerant):
    """The disbursements of one agreement in one status: how many, and their sum."""

    agreement_id: uuid.UUID
    partner_id: uuid.UUID
    status: str
    count: int
    amount: Total


class FundingClient(ServiceClient):
    async def financial_report(
        self, ctx: CallContext, programme_id: uuid.UUID, year: int | None = None
    ) -> FinancialReport:
        """The report with its matching checks' sums only: no view shows the lines behind them."""
        path = f"/v1/programmes/{programme_id}/financial-report"
        return await self.get(FinancialReport, path, ctx, {"year": year, "match_lines": "false"})

    async def warnings(self, ctx: CallContext, programme_id: uuid.UUID) -> list[FundingWarning]:
        return (await self.get(WarningList, f"/v1/programmes/{programme_id}/warnings", ctx)).items

    async def financial_totals(self, ctx: CallContext, year: int) -> list[ProgrammeTotals]:
        """Every programme the caller may read whose years include `year`, in one call (one aggregate)."""
        return await self.get_list(ProgrammeTotals, "/v1/programmes/financial-totals", ctx, {"year": year})

    async def agreements(
        self, ctx: CallContext, *, programme_id: uuid.UUID | None = None, partner_id: uuid.UUID | None = None
    ) -> list[Agreement]:
        params = {"programme_id": programme_id, "partner_id": partner_id}
        return await self.get_all(Agreement, "/v1/agreements", ctx, params)

    async def disbursement_totals(self, ctx: CallContext, *, partner_id: uuid.UUID) -> list[DisbursementTotal]:
        """Count and sum per agreement and status, instead of every disbursement."""
        return await self.get_list(DisbursementTotal, "/v1/disbursements/totals", ctx, {"partner_id": partner_id})
