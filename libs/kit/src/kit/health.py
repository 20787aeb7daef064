"""`/healthz` (the process is alive) and `/readyz` (the database answers and its schema is at head)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.migrations import current_revisions, head_revisions


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


def health_router(package: str) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Health, summary="The process is alive")
    async def healthz() -> Health:
        """Answers 200 while the process runs, whatever its database does: the orchestrator's liveness probe."""
        return Health(status="ok")

    @router.get(
        "/readyz",
        response_model=Health,
        summary="The database is reachable and migrated to head",
        responses={503: {"model": Health, "description": "Not ready"}},
    )
    async def readyz(request: Request) -> Any:
        """200 when the database answers and its schema is at the migrations' head; otherwise 503 with each
        check's state in `checks`, so no traffic is routed to a replica that cannot serve it."""
        engine: AsyncEngine = request.app.state.engine
        checks: dict[str, str] = {}
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                checks["database"] = "ok"
                current = await conn.run_sync(current_revisions)
            heads = head_revisions(package)
            checks["migrations"] = "ok" if current == heads else f"at {sorted(current)}, head is {sorted(heads)}"
        except Exception as exc:  # readiness reports every failure instead of raising
            checks.setdefault("database", f"unreachable: {type(exc).__name__}")
        ready = all(v == "ok" for v in checks.values()) and len(checks) == 2
        body = Health(status="ok" if ready else "unavailable", checks=checks)
        return JSONResponse(body.model_dump(), status_code=200 if ready else 503)

    return router
