"""`make bench-memory`: no process of the platform grows in memory under a long mixed read/write load.

Starts the real processes (programme, evaluation, funding and webhooks services on fresh, migrated and seeded
databases, and the gateway in front of them; uvicorn, one worker each, pinned like `make bench`), then sends a
mixed load through the gateway for `--duration` seconds (default 600) with two wrk processes at once: reads (a
measure by id, the canton cockpit, the partner view, the SEM overview, the measure list, the financial report, the
evaluations) and writes (`PATCH` of the seeded measures' titles, each raising a domain event that funding, the
gateway's view cache and the webhooks service follow). Every `--every` seconds each process's resident set size
(RSS, from /proc) is sampled.

The bound: after a short unmeasured warm-up, the median RSS of a process over the last minute may exceed its median
over the first minute by at most `--max-growth-mib` MiB (default 20) or `--max-growth-percent` % of the first
minute's (default 10), whichever is larger. The run exits 1 when a process breaks the bound or stops, 2 when the
load did not run as meant (no requests, or more than 1 % errors). Results: stdout and `bench/results/memory.md`.

    .venv/bin/python -m bench.memory [--duration 600] [--every 5] [--backend sqlite]

The gateway's rate limit is lifted for the run (`GATEWAY_RATE_LIMIT`): one token sends all the load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.load import Scenario, run_wrk
from bench.procs import Server, rss_kib, start
from kit.auth import ensure_local_keypair, issue_token
from kit.ids import seed_uuid
from tests.support.platform import SERVICES, installed, prepare

SERVER_CORES = os.environ.get("KIP_BENCH_SERVER_CORES", "0")
LOAD_CORES = os.environ.get("KIP_BENCH_LOAD_CORES", "1")
RESULTS = Path(__file__).parent / "results" / "memory.md"
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
ALD = seed_uuid("partner", "ald")
MIB = 1024


def log(message: str) -> None:
    print(f"[memory {dt.datetime.now():%H:%M:%S}] {message}", flush=True)


@dataclass
class Samples:
    """RSS of each process every `every` seconds, in a thread, with the seconds since the measured load began."""

    servers: dict[str, Server]
    every: float
    started: float = field(default_factory=time.monotonic)
    rows: list[tuple[float, dict[str, int]]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.is_set():
            self.rows.append((time.monotonic() - self.started, {n: rss_kib(s.pid) for n, s in self.servers.items()}))
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()

    def between(self, name: str, start: float, end: float) -> list[int]:
        return [rss[name] for at, rss in self.rows if start <= at <= end and rss[name] > 0]


def start_platform(backend: str, tmp: Path, servers: dict[str, Server]) -> Path:
    """Every installed service and the gateway, on migrated and seeded databases, into `servers` (so the caller
    stops those that started, whatever fails); returns the key directory their tokens are verified with."""
    platform = prepare(backend, tmp, "bench_memory")
    env = {**platform.env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for name, package, prefix in SERVICES:
        if name not in platform.database_urls:
            continue
        own = {**env, f"{prefix}_DATABASE_URL": platform.database_urls[name]}
        own.update({f"{prefix}_{other.upper()}_URL": s.url for other, s in servers.items()})
        servers[name] = start(name, f"{package}.main:create_app", own, tmp, SERVER_CORES)
    if installed("gateway"):
        urls = {f"GATEWAY_{n.upper()}_URL": s.url for n, s in servers.items()}
        gateway_env = {**env, **urls, "GATEWAY_RATE_LIMIT": "100000000/minute"}
        servers["gateway"] = start("gateway", "gateway.main:create_app", gateway_env, tmp, SERVER_CORES)
    return platform.key_dir


def scenarios(servers: dict[str, Server], key_dir: Path) -> list[Scenario]:
    """The reads and the writes, through the gateway, over the seeded canton's data."""
    private = ensure_local_keypair(key_dir)[0]
    editor = f"Bearer {issue_token(private, role='canton-editor', canton='BL', subject='memory@bl.ch')}"
    sem = f"Bearer {issue_token(private, role='sem')}"
    partner = f"Bearer {issue_token(private, role='partner', partner_id=ALD)}"
    gateway = servers["gateway"].url
    page = httpx.get(
        f"{gateway}/api/programme/v1/measures",
        params={"programme_id": PROGRAMME, "limit": 100},
        headers={"Authorization": editor},
        timeout=30,
    )
    page.raise_for_status()
    measures = [m["id"] for m in page.json()["items"]]
    if not measures:
        raise RuntimeError("the seeded programme has no measures")
    others = [
        (f"/api/v1/views/canton/programmes/{PROGRAMME}?year=2025", editor, ""),
        ("/api/v1/views/partners/me", partner, ""),
        ("/api/v1/views/sem/programmes?period=KIP3&year=2025", sem, ""),
        (f"/api/programme/v1/measures?programme_id={PROGRAMME}", editor, ""),
        (f"/api/funding/v1/programmes/{PROGRAMME}/financial-report?year=2025", editor, ""),
        (f"/api/evaluation/v1/evaluations?programme_id={PROGRAMME}", editor, ""),
    ]
    reads: list[tuple[str, str, str]] = []
    for i in range(max(len(measures), len(others))):
        reads += [(f"/api/programme/v1/measures/{measures[i % len(measures)]}", editor, ""), others[i % len(others)]]
    writes = [
        (f"/api/programme/v1/measures/{m}", editor, json.dumps({"title": f"Speicherprobe {i % 3}"}))
        for i, m in enumerate(measures)
    ]
    return [
        Scenario("memory-reads", "reads through the gateway", "gateway", reads, connections=8),
        Scenario("memory-writes", "measure changes through the gateway", "gateway", writes, "PATCH", connections=2),
    ]


def probe(url: str, s: Scenario) -> None:
    """Every distinct kind of request of a scenario answers 2xx once, or the run stops before it starts."""
    seen: set[str] = set()
    for path, auth, body in s.entries:
        kind = path.split("?")[0].rsplit("/", 1)[0] if "measures/" in path else path
        if kind in seen:
            continue
        seen.add(kind)
        headers = {"Authorization": auth}
        if body:
            headers.update({"Content-Type": "application/json", "If-Match": "*"})
        r = httpx.request(s.method, url + path, headers=headers, content=body or None, timeout=60)
        if r.status_code >= 300:
            raise RuntimeError(f"{s.method} {path}: HTTP {r.status_code}: {r.text[:300]}")


def load(url: str, todo: list[Scenario], scripts: Path, seconds: float, totals: dict[str, dict[str, int]]) -> None:
    """All scenarios at once for `seconds`; their requests and errors added to `totals`."""

    def one(s: Scenario) -> None:
        run = run_wrk(url, s.script(scripts, f"{time.time_ns()}"), s.connections, seconds, LOAD_CORES)
        total = totals.setdefault(s.name, {"requests": 0, "errors": 0})
        total["requests"] += int(run["requests"])
        total["errors"] += int(run["errors"])

    threads = [threading.Thread(target=one, args=(s,)) for s in todo]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def verdicts(samples: Samples, duration: float, window: float, mib: float, percent: float) -> list[dict[str, Any]]:
    rows = []
    for name in samples.servers:
        first = samples.between(name, 0, window)
        last = samples.between(name, duration - window, duration + samples.every)
        every = samples.between(name, 0, duration + samples.every)
        if not first or not last:
            rows.append({"process": name, "ok": False, "why": "no samples"})
            continue
        first_kib, last_kib = statistics.median(first), statistics.median(last)
        bound_kib = max(mib * MIB, first_kib * percent / 100)
        growth = last_kib - first_kib
        rows.append(
            {
                "process": name,
                "first_minute_mib": first_kib / MIB,
                "last_minute_mib": last_kib / MIB,
                "growth_mib": growth / MIB,
                "growth_percent": 100 * growth / first_kib,
                "bound_mib": bound_kib / MIB,
                "peak_mib": max(every) / MIB,
                "alive": samples.servers[name].popen.poll() is None,
                "ok": growth <= bound_kib and samples.servers[name].popen.poll() is None,
            }
        )
    return rows


def markdown(meta: dict[str, Any], rows: list[dict[str, Any]], totals: dict[str, dict[str, int]]) -> str:
    lines = [
        "# Memory under a long mixed load",
        "",
        f"- Command: `{meta['command']}`",
        f"- Started {meta['started']}, finished {meta['finished']}; backend {meta['backend']}; load average "
        f"{meta['load_before']} at the start, {meta['load_after']} at the end",
        f"- Bound: median RSS of the last {meta['window']:g} s ≤ median of the first {meta['window']:g} s "
        f"+ max({meta['mib']:g} MiB, {meta['percent']:g} %); "
        f"RSS sampled every {meta['every']:g} s over {meta['duration']:g} s of load after a {meta['warmup']:g} s "
        "warm-up",
        "- Load: " + "; ".join(f"{n} {t['requests']} requests, {t['errors']} errors" for n, t in totals.items()),
        "",
        f"| process | first {meta['window']:g} s, MiB | last {meta['window']:g} s, MiB | growth MiB | growth % "
        "| bound MiB | peak MiB | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        if "growth_mib" not in r:
            lines.append(f"| {r['process']} | | | | | | | BROKEN ({r['why']}) |")
            continue
        verdict = "met" if r["ok"] else ("BROKEN" if r["alive"] else "BROKEN (process stopped)")
        lines.append(
            f"| {r['process']} | {r['first_minute_mib']:.1f} | {r['last_minute_mib']:.1f} | {r['growth_mib']:+.1f} "
            f"| {r['growth_percent']:+.1f} | {r['bound_mib']:.1f} | {r['peak_mib']:.1f} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=600, help="seconds of measured load")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before the measurement")
    parser.add_argument("--every", type=float, default=5, help="seconds between RSS samples")
    parser.add_argument("--window", type=float, default=60, help="seconds of the first and of the last window")
    parser.add_argument("--chunk", type=float, default=60, help="seconds per wrk run (progress is logged after each)")
    parser.add_argument("--max-growth-mib", type=float, default=20)
    parser.add_argument("--max-growth-percent", type=float, default=10)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.duration < 2 * args.window:
        parser.error("--duration must be at least twice --window")
    meta: dict[str, Any] = {
        "command": shlex.join(["python", "-m", "bench.memory", *sys.argv[1:]]),
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "backend": args.backend,
        "load_before": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "mib": args.max_growth_mib,
        "percent": args.max_growth_percent,
        "every": args.every,
        "duration": args.duration,
        "warmup": args.warmup,
        "window": args.window,
    }
    with tempfile.TemporaryDirectory(prefix="kip-memory-") as name:
        tmp = Path(name)
        log(f"starting the platform on {args.backend}, servers on core {SERVER_CORES}")
        servers: dict[str, Server] = {}
        try:
            key_dir = start_platform(args.backend, tmp, servers)
            if "gateway" not in servers:
                raise RuntimeError("the gateway is not installed")
            url = servers["gateway"].url
            todo = scenarios(servers, key_dir)
            for s in todo:
                probe(url, s)
            scripts = tmp / "lua"
            scripts.mkdir()
            log(f"warm-up {args.warmup:g} s")
            load(url, todo, scripts, args.warmup, {})
            samples = Samples(servers, args.every)
            sampler = threading.Thread(target=samples.run, daemon=True)
            sampler.start()
            totals: dict[str, dict[str, int]] = {}
            while (left := args.duration - (time.monotonic() - samples.started)) >= 1:
                load(url, todo, scripts, min(args.chunk, left), totals)
                rss = ", ".join(f"{n} {rss_kib(s.pid) / MIB:.1f}" for n, s in servers.items())
                log(f"{time.monotonic() - samples.started:5.0f} s  RSS MiB: {rss}  {json.dumps(totals)}")
            samples.stop()
            sampler.join()
            rows = verdicts(samples, args.duration, args.window, args.max_growth_mib, args.max_growth_percent)
        finally:
            for server in reversed(list(servers.values())):
                server.stop()
    meta["finished"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta["load_after"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    text = markdown(meta, rows, totals)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(text)
    requests = sum(t["requests"] for t in totals.values())
    errors = sum(t["errors"] for t in totals.values())
    if requests == 0 or errors > requests / 100:
        log(f"the load did not run as meant: {requests} requests, {errors} errors")
        return 2
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
