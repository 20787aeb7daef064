"""The views' part cache on and off: canton cockpit throughput at 8 connections, real processes, seeded data.

    .venv/bin/python -m bench.cache [--backend postgresql] [--seconds 10] [--connections 8]

Starts the three services and two gateways in front of them (`GATEWAY_VIEW_CACHE=on` and `off`), warms both up,
then loads each in turn with the canton cockpit (BL's KIP 3, year 2025, a canton-viewer token) and writes
`bench/results/cache.md`. Not part of `make test`; the figures depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from kit.ids import seed_uuid
from tests.support.platform import SERVICES, prepare, start

COCKPIT = f"/api/v1/views/canton/programmes/{seed_uuid('programme', 'BL-KIP3')}?year=2025"
RESULTS = Path(__file__).parent / "results" / "cache.md"


async def load(url: str, headers: dict[str, str], seconds: float, connections: int) -> dict[str, Any]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as client:

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = await client.get(COCKPIT)
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        platform = prepare(args.backend, tmp, "cache_bench")
        try:
            for name, package, prefix in SERVICES:
                platform.start_service(name, package, prefix)
            for mode in ("on", "off"):
                env = dict(platform.env, GATEWAY_VIEW_CACHE=mode, GATEWAY_RATE_LIMIT="1000000/minute")
                env.update({f"GATEWAY_{p}_URL": platform.url(n) for n, _, p in SERVICES})
                platform.processes[f"gateway-{mode}"] = start(f"gateway-{mode}", "gateway", env, tmp)
            headers = platform.headers("canton-viewer", canton="BL")
            figures = {}
            for mode in ("on", "off"):
                url = platform.url(f"gateway-{mode}")
                asyncio.run(load(url, headers, 2, args.connections))  # warm-up
                figures[mode] = asyncio.run(load(url, headers, args.seconds, args.connections))
        finally:
            platform.stop()
    command = "python -m bench.cache " + " ".join(sys.argv[1:])
    lines = [
        "# Views' part cache: canton cockpit, cache on and off",
        "",
        f"`{command.strip()}` ({args.backend}, {args.connections} connections, {args.seconds:g} s each, seeded data).",
        "",
        "| GATEWAY_VIEW_CACHE | requests | req/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
        *(
            f"| {m} | {f['requests']} | {f['rps']:.1f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} |"
            for m, f in figures.items()
        ),
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
