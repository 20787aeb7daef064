"""`/healthz` (the gateway process is alive) and `/readyz` (which services answer their own `/healthz`)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from gateway.upstream import Upstream

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


@router.get("/healthz", response_model=Health, summary="The gateway process is alive")
async def healthz() -> Health:
    return Health(status="ok")


async def _check(upstream: Upstream) -> str:
    try:
        response = await upstream.client.get("/healthz", timeout=2.0)
    except Exception as exc:  # readiness reports every failure instead of raising
        return f"unreachable: {type(exc).__name__}"
    return "ok" if response.status_code == 200 else f"answered {response.status_code}"


@router.get(
    "/readyz",
    response_model=Health,
    summary="Every service behind the gateway answers",
    responses={503: {"model": Health, "description": "A service does not answer"}},
)
async def readyz(request: Request) -> Any:
    upstreams: dict[str, Upstream] = request.app.state.upstreams
    results = await asyncio.gather(*(_check(u) for u in upstreams.values()))
    checks = dict(zip(upstreams, results, strict=True))
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        Health(status="ok" if ready else "unavailable", checks=checks).model_dump(), status_code=200 if ready else 503
    )
