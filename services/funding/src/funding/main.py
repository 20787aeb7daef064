"""The funding service's app: `uvicorn funding.main:create_app --factory --port 8002`."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from funding.agreement.router import router as agreement_router
from funding.allocation.router import router as allocation_router
from funding.audit import AuditRecord, audit_scope
from funding.budget.router import router as budget_router
from funding.budget_grid.router import router as budget_grid_router
from funding.credit.router import router as credit_router
from funding.disbursement.router import router as disbursement_router
from funding.events import CATALOGUE as EVENTS
from funding.funding_programme.router import router as settings_router
from funding.matching.router import router as matching_router
from funding.programme_fact.service import PROJECTION as PROGRAMME_FACTS
from funding.report.router import router as report_router
from funding.report.router import totals_router
from funding.settings import FundingSettings
from funding.settlement.router import router as settlement_router
from funding.spending.router import router as spending_router
from funding.warning.router import router as warning_router
from kit.app import create_service_app
from kit.audit_api import audit_router
from kit.consumer import start_consumer
from kit.settings import AuthSettings
from kit.upstream import make_client

DESCRIPTION = """
Every franc of a cantonal integration programme (KIP), kept apart by **funding source** because the rules differ:
`federal_integration_credit` (Integrationsförderkredit, IFK: matched), `federal_lump_sum` (Integrationspauschale,
IP: not matched), `federal_status_s` (not matched), `canton`, `communes`, `third_parties` (count toward the match
only where the programme's funding settings say so; default no).

**Money** is CHF as a decimal string with at most two decimals (`"3392068.00"`), never a JSON number; negative
amounts, more than two decimals or more than CHF 10^13 are refused with 422 naming the field.

**Budget lines** (programme × year × funding area × source) keep every revision: the first is the original plan,
the latest the plan in force, each with who (token subject), why and when. Nothing is overwritten.

**The matching rule**: IFK ≤ canton + communes (+ third parties where they count), planned, committed and actual, per
year and over the period, with the worst status (`/v1/programmes/{id}/matching`).

**Commitments against a credit** (expenditure authorisation): for the credit's programme, the lines of the signed
version of every *signed* or *closed* service agreement, plus what was *approved or paid* to *terminated*
agreements, counting only lines whose year lies within the credit's years and whose source is one of the credit's
sources. Drafts and unsigned amendments commit nothing. Signing an agreement (or an amendment, which replaces the
agreement's earlier signed lines) and approving a disbursement re-check the ceiling under a lock on the programme's
credits (`SELECT … FOR UPDATE` on PostgreSQL), so two requests racing each other never together exceed a credit. A
refusal is 409 `/problems/funding/credit-exceeded` with `credit_id`, `amount_over` and `headroom`.

**Disbursements** run requested → approved → paid, or rejected. Whoever requested one cannot approve it
(403 `/problems/funding/four-eyes`), and neither the requester nor the approver records it as paid (403
`/problems/funding/separation-of-duties`). A request names a line (`funding_area_id` and `source`) or only the
agreement and year; the approval then allocates it to the year's lines (as its body says, by default in proportion
to what is left on each, largest remainder). An agreement's lines (year × funding area × source) are caps: what is
requested, approved and paid on a line never exceeds it (409 `/problems/funding/line-exceeded` with the line and its
headroom), nor the agreement's year (409 `/problems/funding/agreement-amount-exceeded`).

**The federal allocation**: SEM records the IFK its programme agreement allocates per year and for the period (only
SEM; audited). IFK committed in signed agreements and IFK paid by SEM per year never exceed it (409
`/problems/funding/federal-allocation-exceeded` with allocation, committed, amount over and headroom); before SEM
records one no IFK can be committed (409 `/problems/funding/federal-allocation-missing`).

**Warnings**: a plan in force above a credit, a commitment above the plan in force of its year × area × source, IFK
planned above the allocation and a year whose committed matching is not met are allowed but answered as `warnings`
on the write and listed at `/v1/programmes/{id}/warnings`. Creating
one needs an `Idempotency-Key` header: a retry answers the first disbursement (200), however simultaneously retries
arrive. *Disbursed* in reports means paid.

**The settlement** (`/v1/programmes/{id}/settlement`) is a computed proposal: whether the goals were met comes
from the evaluation service's goal achievement (503 when it cannot be read), never from the caller. SEM records its
decision (carry-over, refund, due date, reasons, with the proposal) as a new immutable version; the canton
acknowledges it; a refund stays open, and among the warnings, until SEM records its repayment.

Programme, funding-area, partner and measure ids are checked against the programme service when written, with the
caller's token; when it cannot be reached the write is refused with 503 and nothing is written.

**Who**: canton editors write their canton's money, canton viewers read it, SEM reads every canton and records
federal payments, the federal allocation and whether third-party money counts toward the match, a partner reads
only its own agreements and disbursements and requests disbursements on them.
Foreign records answer 404 like missing ones.

Every `/v1` call needs `Authorization: Bearer <token>`. Changes send `If-Match` with the ETag last read (`428`
without it, `412` when stale). Errors are `application/problem+json`.
"""

TAGS = [
    {"name": "budget", "description": "Budget lines and their revisions."},
    {"name": "credits", "description": "Expenditure authorisations (Ausgabenbewilligungen), e.g. the Landrat's."},
    {"name": "agreements", "description": "Service agreements (Leistungsvereinbarungen) with partners, versioned."},
    {"name": "disbursements", "description": "Payments to partners under their agreements."},
    {"name": "spending", "description": "Actual spending, and federal payments received from SEM."},
    {"name": "reports", "description": "Financial report, matching check and period settlement."},
    {"name": "funding settings", "description": "Per-programme funding settings."},
    {"name": "federal allocation", "description": "The IFK SEM allocates in its programme agreement."},
    {"name": "health", "description": "Liveness and readiness."},
]


def create_app(
    settings: FundingSettings | None = None,
    auth_settings: AuthSettings | None = None,
    programme_transport: httpx.AsyncBaseTransport | None = None,
    evaluation_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`programme_transport` and `evaluation_transport` let tests wire the real apps in over ASGI."""
    settings = settings or FundingSettings()

    def start(app: FastAPI) -> None:
        app.state.programme_client = make_client(settings.programme_url, transport=programme_transport)
        app.state.evaluation_client = make_client(settings.evaluation_url, transport=evaluation_transport)
        if settings.follow_events:
            start_consumer(app, "funding", PROGRAMME_FACTS, settings.programme_url, programme_transport)

    async def stop(app: FastAPI) -> None:
        for following in getattr(app.state, "consumers", []):
            await following.stop()
        await app.state.programme_client.aclose()
        await app.state.evaluation_client.aclose()

    return create_service_app(
        title="KIP funding service",
        package="funding",
        description=DESCRIPTION,
        settings=settings,
        auth_settings=auth_settings,
        routers=[
            audit_router(AuditRecord),
            budget_router,
            budget_grid_router,
            credit_router,
            agreement_router,
            disbursement_router,
            spending_router,
            report_router,
            totals_router,
            matching_router,
            settlement_router,
            settings_router,
            allocation_router,
            warning_router,
        ],
        openapi_tags=TAGS,
        audit_model=AuditRecord,
        audit_scope=audit_scope,
        events=EVENTS,
        on_startup=start,
        on_shutdown=stop,
    )
