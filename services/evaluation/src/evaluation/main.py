"""The evaluation service's app: `uvicorn evaluation.main:create_app --factory --port 8003`."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from evaluation.achievement.router import router as report_router
from evaluation.annual_report.lifecycle_router import router as lifecycle_router
from evaluation.annual_report.router import router as annual_report_router
from evaluation.audit import AuditRecord, audit_scope
from evaluation.clock import swiss_today
from evaluation.due.router import router as due_router
from evaluation.evaluation.router import router as evaluation_router
from evaluation.events import CATALOGUE as EVENTS
from evaluation.indicator.router import router as indicator_router
from evaluation.indicator_upload.router import router as upload_router
from evaluation.indicator_value.router import router as values_router
from evaluation.milestone.router import router as milestone_router
from evaluation.programme_fact.service import PROJECTION as PROGRAMME_FACTS
from evaluation.recommendation.router import router as recommendation_router
from evaluation.report_text.router import router as report_text_router
from evaluation.settings import EvaluationSettings
from kit.app import create_service_app
from kit.audit_api import audit_router
from kit.consumer import start_consumer
from kit.settings import AuthSettings
from kit.upstream import make_client

DESCRIPTION = """
Whether the cantonal integration programmes (KIP) work: evaluations and studies with their milestones, findings
and recommendations (numbered per evaluation) with the addressees' management responses and follow-up actions,
indicators per goal or measure with yearly targets and reported values, goal achievement, key figures, the due
list, and the immutable snapshots of each annual report to SEM.

Partners report the values of the indicators of the measures they deliver; the canton confirms them; only
confirmed values count in key figures and goal achievement. Programme, measure, goal and partner ids are checked
against the programme service with the caller's token (`503` when it cannot be reached; nothing is written).

Every `/v1` call needs `Authorization: Bearer <token>`. Changes send `If-Match` with the ETag last read
(`428` without it, `412` when someone changed the resource since). Errors are `application/problem+json`;
a plausibility refusal names the field in `errors` and the rule in `rule`.
"""

TAGS = [
    {"name": "evaluations", "description": "Evaluations and studies, and their status workflow."},
    {"name": "milestones", "description": "Milestones of an evaluation; `overdue` is computed for today."},
    {"name": "recommendations", "description": "Findings, recommendations, management responses, follow-up actions."},
    {"name": "indicators", "description": "Indicators, yearly targets, rules between indicators, national goals."},
    {"name": "indicator values", "description": "Values per year and breakdown: reported, then confirmed."},
    {"name": "goal achievement", "description": "Goal achievement and key figures from confirmed values."},
    {"name": "due", "description": "What is overdue or due soon, for the canton and for each partner."},
    {
        "name": "report texts",
        "description": "The canton's texts of the annual report, versioned: coordination and "
        "cooperation (overall and per funding area), financial supervision (approach and checks of the year).",
    },
    {
        "name": "annual reports",
        "description": "Immutable versions of each annual report to SEM, their diffs, "
        "SEM's decisions (received, accepted, returned) and the due dates.",
    },
    {"name": "health", "description": "Liveness and readiness."},
]


def create_app(
    settings: EvaluationSettings | None = None,
    auth_settings: AuthSettings | None = None,
    programme_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`programme_transport` lets tests wire the real programme app in (httpx.ASGITransport)."""
    settings = settings or EvaluationSettings()

    async def start(app: FastAPI) -> None:
        app.state.programme_client = make_client(settings.programme_url, transport=programme_transport)
        if settings.follow_events:
            start_consumer(app, "evaluation", PROGRAMME_FACTS, settings.programme_url, programme_transport)

    async def stop(app: FastAPI) -> None:
        for following in getattr(app.state, "consumers", []):
            await following.stop()
        await app.state.programme_client.aclose()

    app = create_service_app(
        title="KIP evaluation service",
        package="evaluation",
        description=DESCRIPTION,
        settings=settings,
        auth_settings=auth_settings,
        routers=[
            audit_router(AuditRecord),
            evaluation_router,
            milestone_router,
            recommendation_router,
            indicator_router,
            values_router,
            upload_router,
            report_router,
            due_router,
            report_text_router,
            lifecycle_router,
            annual_report_router,
        ],
        openapi_tags=TAGS,
        audit_model=AuditRecord,
        audit_scope=audit_scope,
        events=EVENTS,
        on_startup=start,
        on_shutdown=stop,
    )
    fixed = settings.today
    app.state.get_today = (lambda: fixed) if fixed is not None else swiss_today
    return app
