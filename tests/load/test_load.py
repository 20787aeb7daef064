"""A bounded load run through the gateway across the main reads and writes: no errors, p50 and p99 reported.

`make test` runs 20 clients for 15 seconds; `make load` runs 100 clients for 60 seconds
(KIP_LOAD_CLIENTS, KIP_LOAD_SECONDS). Figures go to stdout and to `var/load-<backend>.json`.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

from kit.ids import seed_uuid
from support.platform import Platform

CLIENTS = int(os.environ.get("KIP_LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("KIP_LOAD_SECONDS", "15"))
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
ALD = seed_uuid("partner", "ald")
LANGUAGE = str(seed_uuid("funding-area", "KIP3/language"))


def operations(platform: Platform) -> list[tuple[str, str, str, dict[str, str], object]]:
    """(name, method, path, headers, body) — reads and writes a day at the office is made of."""
    editor = platform.headers("canton-editor", canton="BL", subject="load@bl.ch")
    sem = platform.headers("sem")
    partner = platform.headers("partner", partner_id=ALD)
    return [
        ("cockpit", "GET", f"/api/v1/views/canton/programmes/{PROGRAMME}?year=2025", editor, None),
        ("partner view", "GET", "/api/v1/views/partners/me", partner, None),
        ("sem overview", "GET", "/api/v1/views/sem/programmes?period=KIP3&year=2025", sem, None),
        ("measures", "GET", f"/api/programme/v1/measures?programme_id={PROGRAMME}", editor, None),
        ("financial report", "GET", f"/api/funding/v1/programmes/{PROGRAMME}/financial-report?year=2025", editor, None),
        ("evaluations", "GET", f"/api/evaluation/v1/evaluations?programme_id={PROGRAMME}", editor, None),
        ("create partner", "POST", "/api/programme/v1/partners", editor, "partner"),
        ("create measure", "POST", "/api/programme/v1/measures", editor, "measure"),
    ]


def body_for(kind: object) -> dict[str, object] | None:
    unique = uuid.uuid4().hex[:10]
    if kind == "partner":
        return {
            "canton": "BL",
            "slug": f"l-{unique}",
            "name": f"Verein {unique}",
            "short_name": unique,
            "kind": "association",
        }
    if kind == "measure":
        return {
            "programme_id": PROGRAMME,
            "funding_area_id": LANGUAGE,
            "code": f"L-{unique}",
            "title": "Lastmessung",
            "target_groups": ["third_countries"],
        }
    return None


async def run_load(platform: Platform) -> dict[str, object]:
    ops = operations(platform)
    latencies: dict[str, list[float]] = {name: [] for name, *_ in ops}
    errors: Counter[str] = Counter()
    deadline = time.monotonic() + SECONDS
    # Idle connections expire before the gateway's keep-alive (uvicorn: 5 s), as in the platform's own clients: a
    # client process busy with 100 workers can leave a connection idle that long and then race its closing.
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=platform.url("gateway"), timeout=30, limits=limits) as client:

        async def worker(index: int) -> None:
            i = index
            while time.monotonic() < deadline:
                name, method, path, headers, kind = ops[i % len(ops)]
                i += 1
                started = time.perf_counter()
                try:
                    response = await client.request(method, path, headers=headers, json=body_for(kind))
                except httpx.HTTPError as exc:
                    errors[f"{name}: {type(exc).__name__}"] += 1
                    continue
                latencies[name].append(time.perf_counter() - started)
                if response.status_code >= 400 or (
                    response.status_code == 200 and response.json().get("degraded")
                    if path.startswith("/api/v1/views")
                    else False
                ):
                    errors[f"{name}: {response.status_code}"] += 1

        await asyncio.gather(*(worker(i) for i in range(CLIENTS)))
    every = sorted(x for values in latencies.values() for x in values)

    def pct(values: list[float], q: float) -> float:
        return round(1000 * values[min(len(values) - 1, int(q * len(values)))], 1) if values else 0.0

    return {
        "backend": platform.backend,
        "clients": CLIENTS,
        "seconds": SECONDS,
        "requests": len(every),
        "requests_per_second": round(len(every) / SECONDS, 1),
        "errors": dict(errors),
        "p50_ms": pct(every, 0.50),
        "p99_ms": pct(every, 0.99),
        "by_operation": {
            name: {
                "n": len(v),
                "p50_ms": pct(sorted(v), 0.5),
                "p99_ms": pct(sorted(v), 0.99),
                "mean_ms": round(1000 * statistics.fmean(v), 1) if v else 0.0,
            }
            for name, v in latencies.items()
        },
    }


def test_a_bounded_load_through_the_gateway_has_no_errors(platform: Platform) -> None:
    figures = asyncio.run(run_load(platform))
    print(json.dumps(figures, indent=2))
    out = Path("var")
    out.mkdir(exist_ok=True)
    (out / f"load-{platform.backend}.json").write_text(json.dumps(figures, indent=2))
    assert figures["errors"] == {}, figures["errors"]
    assert isinstance(figures["requests"], int)
    assert figures["requests"] >= CLIENTS * 5, "the run did real work"
