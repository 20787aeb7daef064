"""`/healthz` (the gateway process is alive) and `/readyz` (the gateway can serve; which services answer).

The gateway is ready as soon as it can serve: with one service down its views still answer (degraded) and the
other services' APIs still work, so `/readyz` answers 200 and marks that service down in its body
(`status: degraded`) instead of taking the platform's only entry point out of the load balancer. A service's answer
to the check is read like every other (`Upstream.send`): at most `GATEWAY_MAX_UPSTREAM_BODY_BYTES`, and whole
within `CHECK_TIMEOUT`, so a broken service that drips or floods its answer cannot hold or fill the probe.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from pydantic import BaseModel

from gateway.errors import UpstreamFailed, UpstreamTimeout
from gateway.upstream import Upstream

router = APIRouter(tags=["health"])
#: The whole check of one service, its answer included (seconds).
CHECK_TIMEOUT = 2.0


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


@router.get("/healthz", response_model=Health, summary="The gateway process is alive")
async def healthz() -> Health:
    """Answers 200 while the gateway process runs; it asks no service. Readiness, with the services, is `/readyz`."""
    return Health(status="ok")


async def _check(upstream: Upstream) -> str:
    try:
        response = await upstream.send("GET", "/healthz", None, wait=CHECK_TIMEOUT)
    except UpstreamTimeout:
        return "unreachable: timeout"
    except UpstreamFailed as exc:
        return str(exc.type_slug)  # upstream-failed (unreachable or 5xx), upstream-too-large
    except Exception as exc:  # readiness reports every failure instead of raising
        return f"unreachable: {type(exc).__name__}"
    return "ok" if response.status_code == 200 else f"answered {response.status_code}"


@router.get(
    "/readyz",
    response_model=Health,
    summary="The gateway can serve; which services answer",
    description="`status` is `ok` when every service answers, `degraded` when one or more do not (named in "
    "`checks`); the gateway stays ready either way.",
)
async def readyz(request: Request) -> Health:
    upstreams: dict[str, Upstream] = request.app.state.upstreams
    results = await asyncio.gather(*(_check(u) for u in upstreams.values()))
    checks = dict(zip(upstreams, results, strict=True))
    return Health(status="ok" if all(v == "ok" for v in checks.values()) else "degraded", checks=checks)
