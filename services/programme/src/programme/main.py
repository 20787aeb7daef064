"""The programme service's app: `uvicorn programme.main:create_app --factory --port 8001`."""

from __future__ import annotations

from fastapi import FastAPI

from kit.app import create_service_app
from kit.audit_api import audit_router
from kit.settings import AuthSettings
from programme.audit import AuditRecord, audit_scope
from programme.events import CATALOGUE as EVENTS
from programme.funding_area.router import router as funding_area_router
from programme.goal.router import router as goal_router
from programme.measure.router import router as measure_router
from programme.outline import router as outline_router
from programme.partner.router import router as partner_router
from programme.period.router import router as period_router
from programme.programme.router import router as programme_router
from programme.settings import ProgrammeSettings

DESCRIPTION = """
The structure of the cantonal integration programmes (KIP) for every canton and every period (KIP 1, 2, 2bis, 3):
programmes, the periods' funding areas (Förderbereiche) and how they continue earlier ones, SEM's strategic goals
and the cantons' outcome and output goals, measures (Massnahmen), and the partner organisations that deliver them.

Every `/v1` call needs `Authorization: Bearer <token>`. Changes send `If-Match` with the ETag last read
(`428` without it, `412` when someone changed the resource since). Errors are `application/problem+json`.
"""

TAGS = [
    {"name": "programmes", "description": "A canton's programme for one period, and its priority funding areas."},
    {"name": "periods", "description": "KIP periods, defined nationally by SEM."},
    {"name": "funding areas", "description": "Funding areas (Förderbereiche) per period, with their predecessors."},
    {"name": "goals", "description": "SEM's strategic goals; the cantons' outcome and output goals."},
    {"name": "measures", "description": "Measures (Massnahmen) of a programme."},
    {"name": "partners", "description": "Partner organisations that deliver measures."},
    {"name": "audit", "description": "The append-only, hash-chained trail of every change."},
    {"name": "health", "description": "Liveness and readiness."},
]


def create_app(settings: ProgrammeSettings | None = None, auth_settings: AuthSettings | None = None) -> FastAPI:
    settings = settings or ProgrammeSettings()
    return create_service_app(
        title="KIP programme service",
        package="programme",
        description=DESCRIPTION,
        settings=settings,
        auth_settings=auth_settings,
        routers=[
            programme_router,
            outline_router,
            period_router,
            funding_area_router,
            goal_router,
            measure_router,
            partner_router,
            audit_router(AuditRecord),
        ],
        openapi_tags=TAGS,
        audit_model=AuditRecord,
        audit_scope=audit_scope,
        events=EVENTS,
    )
