"""`make bench`: the national-scale benchmark, end to end.

Makes the bench databases if they are absent (bench.generate), starts the bare ceiling app and the real service
processes (uvicorn, one worker each, on free ports, pinned to core 0), and the gateway too when the `gateway`
package is importable; loads them with wrk pinned to core 1; every figure is the median of `--runs` runs, the
scenarios interleaved round by round so reference and candidate share the same machine and moment. Writes
bench/results/RESULTS.md (the table), results.json (every run) and explain.md (the reports' query plans).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shlex
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench import common as c
from bench import explain, generate, report, scenarios, slow
from bench.load import Scenario, measured_run, run_wrk, summary
from bench.procs import MemorySampler, Server, quiesce, rss_kib, start
from kit.auth import ensure_local_keypair, issue_token

SERVER_CORES = os.environ.get("KIP_BENCH_SERVER_CORES", "0")
LOAD_CORES = os.environ.get("KIP_BENCH_LOAD_CORES", "1")


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def start_servers(tmp: Path, with_gateway: bool, view_cache: str = "on") -> dict[str, Server]:
    key_dir = tmp / "keys"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL") and not k.startswith("GATEWAY_")}
    env.update(KIP_AUTH_LOCAL_KEY_DIR=str(key_dir), PYTHONPATH=str(c.ROOT))
    servers = {"bare": start("bare", "bench.bare_app:app", env, tmp, SERVER_CORES, factory=False)}
    servers["programme"] = start(
        "programme",
        "programme.main:create_app",
        {**env, "PROGRAMME_DATABASE_URL": c.database_url("programme")},
        tmp,
        SERVER_CORES,
    )
    for name in ("funding", "evaluation"):
        prefix = name.upper()
        servers[name] = start(
            name,
            f"{name}.main:create_app",
            {
                **env,
                f"{prefix}_DATABASE_URL": c.database_url(name),
                f"{prefix}_PROGRAMME_URL": servers["programme"].url,
            },
            tmp,
            SERVER_CORES,
        )
    if with_gateway:
        urls = {f"GATEWAY_{n.upper()}_URL": servers[n].url for n in c.SERVICES}
        gateway_env = {**env, **urls, "GATEWAY_VIEW_CACHE": view_cache}
        servers["gateway"] = start("gateway", "gateway.main:create_app", gateway_env, tmp, SERVER_CORES)
    return servers


def probe(s: Scenario, server: Server) -> str | None:
    """None when the scenario's first request succeeds; else why it is skipped."""
    path, auth, body = s.entries[0]
    headers = {"Authorization": auth} if auth else {}
    if body:
        headers.update({"Content-Type": "application/json", "Idempotency-Key": f"probe-{time.time_ns()}"})
    try:
        r = httpx.request(s.method, server.url + path, headers=headers, content=body or None, timeout=60)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None if r.status_code in (200, 201) else f"HTTP {r.status_code}: {r.text[:300]}"


def excel_export(server: Server, token: str, runs: int) -> dict[str, Any]:
    """Time and gateway memory of exporting one canton's annual report of a year to Excel, sequentially."""
    url = f"{server.url}/api/v1/views/sem/programmes/{c.programme_id('ZH')}/annual-report/2025?format=xlsx"
    times, size, status = [], 0, 0
    server.rss_peak_kib = 0
    with MemorySampler([server], every=0.05):
        for _ in range(runs + 1):  # the first one warms up
            started = time.perf_counter()
            r = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
            times.append(time.perf_counter() - started)
            size, status = len(r.content), r.status_code
    ordered = sorted(times[1:])
    return {
        "status": status,
        "bytes": size,
        "median_s": ordered[len(ordered) // 2],
        "runs_s": times[1:],
        "gateway_rss_peak_kib": server.rss_peak_kib,
    }


def remove_bench_writes() -> int:
    """Delete the disbursements the write scenario made, so the data stays at its generated size."""
    with psycopg.connect(c.database_url("funding"), autocommit=True) as conn:
        cur = conn.execute(
            "DELETE FROM disbursement WHERE idempotency_key LIKE 'wrk-%' OR idempotency_key LIKE 'probe-%'"
        )
        return cur.rowcount


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is reported)")
    parser.add_argument("--duration", type=float, default=8, help="seconds per run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of unrecorded load per scenario first")
    parser.add_argument("--only", default="", help="comma-separated scenario names (default: all)")
    parser.add_argument("--no-gateway", action="store_true", help="skip the gateway even when it is installed")
    parser.add_argument("--output", type=Path, default=c.RESULTS)
    parser.add_argument(
        "--view-cache",
        choices=("on", "off"),
        default="on",
        help="the gateway's GATEWAY_VIEW_CACHE: `off` makes every view cold (each part computed and sent in full)",
    )
    args = parser.parse_args()
    command = shlex.join(["python", "-m", "bench.run", *sys.argv[1:]])
    if os.environ.get("MAKELEVEL"):
        command = f"make bench ({command})"

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the servers are stopped on SIGTERM too
    generate.generate()
    with_gateway = not args.no_gateway and importlib.util.find_spec("gateway") is not None
    tmp = Path(tempfile.mkdtemp(prefix="kip-bench-"))
    private = ensure_local_keypair(tmp / "keys")[0]

    def token(role: str, **claims: Any) -> str:
        return issue_token(private, role=role, **claims)

    log(f"starting servers on core {SERVER_CORES} (gateway: {'yes' if with_gateway else 'not installed/skipped'})")
    servers = start_servers(tmp, with_gateway, args.view_cache)
    results: dict[str, Any] = {
        "command": command,
        "started": dt.datetime.now(dt.UTC).isoformat(),
        "machine": report.machine(),
        "skipped": {},
        "gateway": with_gateway,
        "view_cache": args.view_cache,
    }
    try:
        rest_after_start = {n: rss_kib(s.pid) for n, s in servers.items()}
        todo = scenarios.service_scenarios(token) + (scenarios.gateway_scenarios(token) if with_gateway else [])
        if args.only:
            wanted = set(args.only.split(","))
            todo = [s for s in todo if s.name in wanted]
        ready = []
        for s in todo:
            why = probe(s, servers[s.server])
            if why is None:
                ready.append(s)
            else:
                results["skipped"][s.name] = why
                log(f"skip {s.name}: {why}")
        scripts = tmp / "lua"
        scripts.mkdir()
        for s in ready:
            path = s.script(scripts, f"{time.time_ns()}")
            run_wrk(servers[s.server].url, path, s.connections, args.warmup, LOAD_CORES)
        quiesce(list(servers.values()))
        at_rest = {n: rss_kib(s.pid) for n, s in servers.items()}
        for n in servers:
            servers[n].rss_peak_kib = 0
        for round_no in range(1, args.runs + 1):
            for s in ready:
                path = s.script(scripts, f"{round_no}-{time.time_ns()}")
                processes = list(servers.values())
                run = measured_run(processes, servers[s.server].url, path, s.connections, args.duration, LOAD_CORES)
                s.runs.append(run)
                log(
                    f"round {round_no}/{args.runs} {s.name:24} {run['rps']:8.1f} req/s"
                    f"  p50 {run['p50_us'] / 1000:7.1f} ms  p95 {run['p95_us'] / 1000:7.1f} ms"
                    f"  p99 {run['p99_us'] / 1000:7.1f} ms  errors {run['errors']}"
                    f"  load {run['load_avg_1m_before']:.2f}"
                )
        results["memory_kib"] = {
            n: {
                "after_start": rest_after_start[n],
                "at_rest": at_rest[n],
                "peak_under_load": servers[n].rss_peak_kib,
                "after_load": rss_kib(servers[n].pid),
            }
            for n in servers
        }
        if with_gateway and "sem-annual-report-c1" in {s.name for s in ready}:
            results["excel_export"] = excel_export(servers["gateway"], token("sem"), args.runs)
        results["scenarios"] = [summary(s) for s in ready]
        if not args.only or slow.GROUP in args.only.split(","):
            if not with_gateway:
                results["skipped"][slow.GROUP] = "the gateway is not installed or skipped"
            else:
                log(f"{slow.GROUP}: every service behind a 50 ms delay line, a second gateway in front of them")
                try:
                    results["slow_cockpit"], more = slow.measure(
                        servers,
                        tmp,
                        SERVER_CORES,
                        LOAD_CORES,
                        token,
                        args.runs,
                        args.duration,
                        args.warmup,
                        log,
                        view_cache=args.view_cache,
                    )
                    results["scenarios"] += more
                except RuntimeError as exc:
                    results["skipped"][slow.GROUP] = str(exc)
                    log(f"skip {slow.GROUP}: {exc}")
    finally:
        for server in servers.values():
            server.stop()
        results["removed_bench_disbursements"] = remove_bench_writes()
    log("query plans of the reports")
    results["explain"] = explain.explain_reports()
    results["finished"] = dt.datetime.now(dt.UTC).isoformat()
    args.output.mkdir(parents=True, exist_ok=True)
    explain.write_markdown(results["explain"], args.output / "explain.md")
    (args.output / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    (args.output / "RESULTS.md").write_text(report.markdown(results))
    log(f"written: {args.output / 'RESULTS.md'}")
    print(report.targets_text(results))


if __name__ == "__main__":
    main()
