"""The views' cache: canton cockpit throughput cache on and off, and what a warm view and a `304` cost the gateway.

    .venv/bin/python -m bench.cache [--backend postgresql] [--seconds 10] [--connections 8]

Starts the three services (seeded data), two gateways in front of them (`GATEWAY_VIEW_CACHE=on`, trusting kept
parts for `GATEWAY_VIEW_CACHE_TRUST_SECONDS` while its event follower is healthy, and `off`), and the bare ceiling
app (`bench/bare_app.py`). Measures, in one run:

1. the canton cockpit (BL's KIP 3, year 2025, a canton-viewer token) at `--connections`, cache on, then off;
2. the gateway's CPU per request (user + system, from /proc) for the warm cockpit (`200`, parts and view kept),
   for the cockpit revalidated with `If-None-Match` (`304`), and for a forwarded read, against the bare app's CPU
   per request (`GET /items/{id}`) and the gateway's own `/healthz`;

and writes `bench/results/cache.md`. Not part of `make test`; the figures depend on what else the machine runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench.procs import Server, cpu_seconds, quiesce
from bench.procs import start as start_server
from kit.ids import seed_uuid
from tests.support.platform import SERVICES, prepare

COCKPIT = f"/api/v1/views/canton/programmes/{seed_uuid('programme', 'BL-KIP3')}?year=2025"
FORWARDED = f"/api/programme/v1/programmes/{seed_uuid('programme', 'BL-KIP3')}"
BARE = f"/items/{uuid.UUID(int=1)}"
RESULTS = Path(__file__).parent / "results" / "cache.md"
#: Targets: warm cockpit and 304 CPU as multiples of a bare request's, throughput as a multiple of cache off.
WARM_TARGET, NOT_MODIFIED_TARGET, THROUGHPUT_TARGET = 10.0, 5.0, 5.0


async def load(
    url: str, path: str, headers: dict[str, str], seconds: float, connections: int, status: int = 200
) -> dict[str, Any]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as client:

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = await client.get(path)
                if response.status_code != status:
                    raise RuntimeError(f"{path} answered {response.status_code}, not {status}: {response.text[:300]}")
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


def cpu_per_request(
    server: Server, others: list[Server], path: str, headers: dict[str, str], seconds: float, status: int = 200
) -> dict[str, Any]:
    """Load one path and divide the server's CPU by the requests served (after the previous load has settled)."""
    quiesce([server, *others])
    before = {s.name: cpu_seconds(s.pid) for s in [server, *others]}
    figures = asyncio.run(load(server.url, path, headers, seconds, 4, status))
    spent = {s.name: cpu_seconds(s.pid) - before[s.name] for s in [server, *others]}
    figures["cpu_ms"] = 1000 * spent[server.name] / figures["requests"]
    figures["services_cpu_ms"] = 1000 * sum(v for k, v in spent.items() if k != server.name) / figures["requests"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--cores", default="0-1", help="cores the servers run on (taskset)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        platform = prepare(args.backend, tmp, "cache_bench")
        servers: dict[str, Server] = {}
        try:
            for name, package, prefix in SERVICES:
                platform.start_service(name, package, prefix)
            for mode in ("on", "off"):
                env = dict(platform.env, GATEWAY_VIEW_CACHE=mode, GATEWAY_RATE_LIMIT="1000000/minute")
                env.update({f"GATEWAY_{p}_URL": platform.url(n) for n, _, p in SERVICES})
                servers[mode] = start_server(f"gateway-{mode}", "gateway.main:create_app", env, tmp, args.cores)
            servers["bare"] = start_server("bare", "bench.bare_app:app", platform.env, tmp, args.cores, factory=False)
            processes = [platform.processes[n] for n, _, _ in SERVICES]
            services = [Server(p.name, p.url, p.popen, p.log) for p in processes]
            headers = platform.headers("canton-viewer", canton="BL")
            throughput = {}
            for mode in ("on", "off"):
                url = servers[mode].url
                asyncio.run(load(url, COCKPIT, headers, 2, args.connections))  # warm-up
                quiesce([servers[mode], *services])
                throughput[mode] = asyncio.run(load(url, COCKPIT, headers, args.seconds, args.connections))
            on, off, bare = servers["on"], servers["off"], servers["bare"]
            etag = httpx.get(on.url + COCKPIT, headers=headers, timeout=30).headers["etag"]
            cpu = {
                "bare app `GET /items/{id}`": cpu_per_request(bare, [], BARE, {}, args.seconds),
                "gateway `/healthz`": cpu_per_request(on, services, "/healthz", {}, args.seconds),
                "warm cockpit (200), cache on": cpu_per_request(on, services, COCKPIT, headers, args.seconds),
                "cockpit `If-None-Match` (304), cache on": cpu_per_request(
                    on, services, COCKPIT, {**headers, "If-None-Match": etag}, args.seconds, 304
                ),
                "cockpit (200), cache off": cpu_per_request(off, services, COCKPIT, headers, args.seconds),
                "forwarded read, cache on": cpu_per_request(on, services, FORWARDED, headers, args.seconds),
            }
        finally:
            for server in servers.values():
                server.stop()
            platform.stop()
    write(args, throughput, cpu)


def write(args: argparse.Namespace, throughput: dict[str, Any], cpu: dict[str, Any]) -> None:
    bare = cpu["bare app `GET /items/{id}`"]["cpu_ms"]
    warm = cpu["warm cockpit (200), cache on"]["cpu_ms"]
    not_modified = cpu["cockpit `If-None-Match` (304), cache on"]["cpu_ms"]
    gain = throughput["on"]["rps"] / throughput["off"]["rps"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "missed"

    command = "python -m bench.cache " + " ".join(sys.argv[1:])
    lines = [
        "# Views' cache: canton cockpit, cache on and off",
        "",
        f"`{command.strip()}` ({args.backend}, seeded data, {args.seconds:g} s per figure, servers on cores "
        f"{args.cores}, load from the same machine).",
        "",
        f"Throughput at {args.connections} connections:",
        "",
        "| GATEWAY_VIEW_CACHE | requests | req/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
        *(
            f"| {m} | {f['requests']} | {f['rps']:.1f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} |"
            for m, f in throughput.items()
        ),
        "",
        "CPU per request (4 connections; gateway or bare app, and the three services together):",
        "",
        "| request | req/s | p50 ms | CPU ms (server) | CPU ms (services) | × bare |",
        "|---|---|---|---|---|---|",
        *(
            f"| {name} | {f['rps']:.0f} | {f['p50_ms']:.2f} | {f['cpu_ms']:.3f} | {f['services_cpu_ms']:.3f} | "
            f"{f['cpu_ms'] / bare:.1f} |"
            for name, f in cpu.items()
        ),
        "",
        "| target | figure | verdict |",
        "|---|---|---|",
        f"| warm cockpit CPU ≤ {WARM_TARGET:g} × bare request | {warm / bare:.1f} × | "
        f"{verdict(warm <= WARM_TARGET * bare)} |",
        f"| `304` revalidation CPU ≤ {NOT_MODIFIED_TARGET:g} × bare request | {not_modified / bare:.1f} × | "
        f"{verdict(not_modified <= NOT_MODIFIED_TARGET * bare)} |",
        f"| cockpit throughput ≥ {THROUGHPUT_TARGET:g} × cache off | {gain:.1f} × | "
        f"{verdict(gain >= THROUGHPUT_TARGET)} |",
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
