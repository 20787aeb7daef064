"""The partner view: one partner organisation's agreements and payments, the measures it delivers, the indicators
it owes values for, the evaluations that concern it and the recommendations addressed to it.

Only for partner tokens, and only the calling partner's own things: the services already filter by the token, and
the view filters again by the partner id in the token, so nothing of another partner can slip into it.

An agreement's payments are its disbursements counted and summed per status by the funding service (one aggregate
for all the partner's agreements, fetched with them), not its disbursements one by one: an agreement can have
thousands. The disbursements themselves are at `/api/funding/v1/disbursements?agreement_id=`.
"""

from __future__ import annotations

import uuid
from typing import Required, TypedDict, cast

from fastapi import APIRouter
from pydantic import BaseModel, Field

from gateway.caller import Caller, CallerDep
from gateway.clients import Clients
from gateway.clients.evaluation import DueItem, Evaluation, Indicator, Recommendation
from gateway.clients.funding import Agreement, DisbursementTotal
from gateway.clients.programme import Measure, Partner
from gateway.compose import CachedViewRoute, Fanout, optional, required
from gateway.views.deps import VIEW_PROBLEMS, ClientsDep, SettingsDep
from kit.auth import Role
from kit.money import Total
from kit.problems import problem_responses

router = APIRouter(prefix="/api/v1/views/partners", tags=["partner views"], route_class=CachedViewRoute)


class PaymentTotal(BaseModel):
    status: str = Field(description="`requested`, `approved`, `paid` or `rejected`.")
    count: int
    amount: Total = Field(description="The sum of the agreement's disbursements in this status.")


class AgreementWithPayments(Agreement):
    payments: list[PaymentTotal] = Field(
        default_factory=list,
        description="The agreement's disbursements counted and summed per status (a status without any is left "
        "out); the disbursements themselves are at `/api/funding/v1/disbursements?agreement_id=`.",
    )


class PartnerView(BaseModel):
    partner: Partner
    agreements: list[AgreementWithPayments]
    measures: list[Measure]
    indicators: list[Indicator] = Field(description="Indicators of its measures, for which it reports values.")
    due: list[DueItem] = Field(description="What it owes and when (indicator values, follow-up actions).")
    evaluations: list[Evaluation] = Field(description="Evaluations that look at it or at the measures it delivers.")
    recommendations: list[Recommendation] = Field(description="Recommendations addressed to it, with their status.")
    degraded: list[str] = Field(description="Parts left out because a service did not answer in time.")


class PartnerParts(TypedDict, total=False):
    """What the partner view's one round of calls answers: the partner always, the rest when it came back."""

    partner: Required[Partner]
    measures: list[Measure]
    agreements: list[Agreement]
    payments: list[DisbursementTotal]
    indicators: list[Indicator]
    evaluations: list[Evaluation]
    recommendations: list[Recommendation]
    due: list[DueItem]


async def compose_partner_view(clients: Clients, caller: Caller, partner_id: uuid.UUID, budget: float) -> PartnerView:
    """Every part in one round of concurrent calls. The services decide what concerns the partner (its
    measures' indicators, the evaluations concerning it); the view keeps only what carries the partner's own id,
    so nothing of another partner can slip in even if a service answered more than it should."""
    ctx = caller.ctx
    fanout = Fanout("partner", budget)
    parts = cast(
        PartnerParts,
        await fanout.run(
            {
                "partner": required("programme", lambda: clients.programme.partner(ctx, partner_id)),
                "measures": optional("programme", lambda: clients.programme.measures(ctx, partner_id=partner_id)),
                "agreements": optional("funding", lambda: clients.funding.agreements(ctx, partner_id=partner_id)),
                "payments": optional(
                    "funding", lambda: clients.funding.disbursement_totals(ctx, partner_id=partner_id)
                ),
                "indicators": optional("evaluation", lambda: clients.evaluation.indicators(ctx)),
                "evaluations": optional(
                    "evaluation", lambda: clients.evaluation.evaluations(ctx, partner_id=partner_id)
                ),
                "recommendations": optional(
                    "evaluation", lambda: clients.evaluation.recommendations(ctx, addressee_partner_id=partner_id)
                ),
                "due": optional("evaluation", lambda: clients.evaluation.due(ctx, programme_id=None, within_days=365)),
            }
        ),
    )
    measures = [m for m in parts.get("measures", []) if m.partner_id == partner_id]
    agreements = [a for a in parts.get("agreements", []) if a.partner_id == partner_id]
    position = {m.id: i for i, m in enumerate(measures)}
    agreement_ids = {a.id for a in agreements}
    payments: dict[uuid.UUID, list[PaymentTotal]] = {}
    for t in parts.get("payments", []):
        if t.partner_id == partner_id and t.agreement_id in agreement_ids:
            payments.setdefault(t.agreement_id, []).append(_payment(t))
    # Its measures' indicators, measure by measure in the order of its measures (each measure's in the service's
    # order): a stable sort of the service's one list.
    indicators = sorted(
        (i for i in parts.get("indicators", []) if i.measure_id in position),
        key=lambda i: position[i.measure_id],  # type: ignore[index]
    )
    degraded = set(fanout.degraded)
    if not measures:
        degraded.discard("indicators")  # without measures the view shows no indicators, whatever their service did
    return PartnerView(
        partner=parts["partner"],
        agreements=[AgreementWithPayments(**a.model_dump(), payments=payments.get(a.id, [])) for a in agreements],
        measures=measures,
        indicators=indicators,
        due=[d for d in parts.get("due", []) if d.partner_id in (None, partner_id)],
        evaluations=[e for e in parts.get("evaluations", []) if partner_id in e.partner_ids],
        recommendations=[r for r in parts.get("recommendations", []) if r.addressee_partner_id == partner_id],
        degraded=sorted(degraded),
    )


def _payment(total: DisbursementTotal) -> PaymentTotal:
    return PaymentTotal(status=total.status, count=total.count, amount=total.amount)


@router.get(
    "/me",
    response_model=PartnerView,
    summary="The calling partner's agreements, payments, measures, duties, evaluations and recommendations",
    responses=problem_responses(*VIEW_PROBLEMS),
)
async def get_partner_view(caller: CallerDep, clients: ClientsDep, settings: SettingsDep) -> PartnerView:
    """Everything that concerns the calling partner organisation, and nothing of any other: its agreements with their
    payments counted and summed per status, the measures it delivers, indicator values due, evaluations and
    recommendations addressed to it. Partner tokens only."""
    caller.require(Role.PARTNER)
    assert caller.principal.partner_id is not None
    return await compose_partner_view(clients, caller, caller.principal.partner_id, settings.partner_view_timeout)
