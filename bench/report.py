"""The results table: the command, the machine, every figure, every ratio against the targets."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

from bench import slow


def machine() -> dict[str, Any]:
    cpu = next(
        (
            x.split(":", 1)[1].strip()
            for x in Path("/proc/cpuinfo").read_text().splitlines()
            if x.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_avg": os.getloadavg(),
    }


def _by_name(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in results.get("scenarios", [])}


def targets(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(target, measured, ratio or bound, verdict) for each of the targets that this run measured."""
    s = _by_name(results)
    rows: list[tuple[str, str, str, str]] = []

    def ratio(name: str, num: str, den: str, bound: float) -> None:
        if num in s and den in s:
            r = s[num]["median_rps"] / s[den]["median_rps"]
            rows.append(
                (
                    name,
                    f"{s[num]['median_rps']:.0f} vs {s[den]['median_rps']:.0f} req/s",
                    f"{r:.2f} (≥ {bound})",
                    "met" if r >= bound else "MISSED",
                )
            )

    def p95(name: str, scenario: str, bound_ms: float = 100) -> None:
        if scenario in s:
            v = s[scenario]["median_p95_us"] / 1000
            rows.append((name, f"p95 {v:.1f} ms", f"≤ {bound_ms:.0f} ms", "met" if v <= bound_ms else "MISSED"))

    ratio("service read by id ≥ 0.15 × bare (programme)", "programme-read", "bare", 0.15)
    ratio("service read by id ≥ 0.15 × bare (funding)", "funding-read", "bare", 0.15)
    ratio("gateway forwarding ≥ 0.4 × direct read", "gateway-read", "programme-read", 0.4)
    p95("financial report, 1M disbursements, 1 connection", "financial-report-c1")
    p95("goal achievement, 100k values, 1 connection", "goal-achievement-c1")
    p95("canton cockpit, 1 connection", "cockpit-c1")
    p95("SEM annual report, 1 connection", "sem-annual-report-c1")
    ratio("3-part view (cockpit) throughput ≥ 0.15 × direct read", "cockpit-c8", "programme-read", 0.15)
    rows += slow.target_rows(results)
    plans = results.get("explain", [])
    if plans:
        seq = [p for r in plans for p in r["plans"] if p["seq_scan_on_big_tables"]]
        used = sorted(
            {
                i
                for r in plans
                for p in r["plans"]
                for i in p["indexes_used"]
                if "disbursement" in i or "indicator_value" in i
            }
        )
        rows.append(
            (
                "report aggregates in PostgreSQL, plans use indexes",
                f"indexes: {', '.join(used)}",
                f"{len(seq)} sequential scans of disbursement/indicator_value",
                "met" if not seq else "MISSED",
            )
        )
    excel = results.get("excel_export")
    if excel:
        rows.append(
            (
                "Excel export of a year ≤ 1 s",
                f"{excel['median_s'] * 1000:.0f} ms ({excel['bytes']} bytes, HTTP {excel['status']})",
                "≤ 1000 ms",
                "met" if excel["median_s"] <= 1 and excel["status"] == 200 else "MISSED",
            )
        )
    return rows


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    out = [
        "# Benchmark results",
        "",
        f"- Command: `{results['command']}` — started {results['started']}, finished {results.get('finished', '')}",
        f"- Machine: {m['nproc']} CPUs, {m['cpu']}, {m['memory_gib']} GiB RAM, Python {m['python']}, "
        f"Linux {m['kernel']}; load average at the start {', '.join(f'{x:.2f}' for x in m['load_avg'])}",
        "- Servers: uvicorn, one worker each, pinned to core 0 (taskset); wrk (one thread) pinned to core 1; "
        "PostgreSQL 15 unpinned on the same machine. Every figure is the median of the runs; the scenarios "
        "ran interleaved, round by round. Other jobs shared the machine: see the load average per scenario.",
        "- Data: 26 cantons × KIP 3 × 7 funding areas, 35 measures and 200 agreements per canton, "
        "1,000,000 disbursements, ~100,000 indicator values (`python -m bench.generate`).",
        "- CPU ms per request: user + system CPU time each server process used during a run, divided by the "
        "requests wrk completed; unlike req/s it hardly depends on what else the machine runs.",
        "",
        "## Targets",
        "",
        "| target | measured | ratio / bound | verdict |",
        "|---|---|---|---|",
    ]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in targets(results)]
    out += [
        "",
        "## Figures",
        "",
        "| scenario | what | conn. | req/s | p50 ms | p95 ms | p99 ms | errors | runs | load avg (median) "
        "| CPU ms per request (by process) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in results.get("scenarios", []):
        if not s["median_rps"]:
            out.append(
                f"| {s['name']} | {s['label']} | {s['connections']} | 0 | no request completed within "
                f"a run (wrk timeout 10 s) | | | | {s['runs']} | {s['median_load_avg_1m_before']:.2f} | |"
            )
            continue
        out.append(
            f"| {s['name']} | {s['label']} | {s['connections']} | {s['median_rps']:.1f} | "
            f"{s['median_p50_us'] / 1000:.1f} | {s['median_p95_us'] / 1000:.1f} | {s['median_p99_us'] / 1000:.1f} | "
            f"{s['median_errors']:.0f} | {s['runs']} | {s['median_load_avg_1m_before']:.2f} | "
            + ", ".join(f"{k} {v:.2f}" for k, v in sorted(s.get("median_cpu_ms_per_request", {}).items()))
            + " |"
        )
    out += [
        "",
        "## Memory (RSS, MiB)",
        "",
        "| process | after start | at rest (after warm-up) | peak under load | after load |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, mem in results.get("memory_kib", {}).items():
        out.append(
            f"| {name} | {mem['after_start'] / 1024:.0f} | {mem['at_rest'] / 1024:.0f} | "
            f"{mem['peak_under_load'] / 1024:.0f} | {mem['after_load'] / 1024:.0f} |"
        )
    excel = results.get("excel_export")
    if excel:
        out += [
            "",
            f"Excel export (ZH, 2025): median {excel['median_s'] * 1000:.0f} ms over {len(excel['runs_s'])} runs, "
            f"{excel['bytes']} bytes; gateway peak RSS during the exports "
            f"{excel['gateway_rss_peak_kib'] / 1024:.0f} MiB.",
        ]
    if results.get("skipped"):
        out += ["", "## Skipped", ""] + [f"- `{k}`: {v}" for k, v in results["skipped"].items()]
    if not results.get("gateway"):
        out += ["", "The gateway package is not installed: the gateway rows are absent; they run when it is."]
    out += ["", "Query plans of the reports: [explain.md](explain.md). Every run: [results.json](results.json).", ""]
    return "\n".join(out)


def targets_text(results: dict[str, Any]) -> str:
    return "\n".join(f"{d:7} {a}: {b} [{c}]" for a, b, c, d in targets(results))


if __name__ == "__main__":
    import json
    import sys

    source = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/results.json")
    data = json.loads(source.read_text())
    (source.parent / "RESULTS.md").write_text(markdown(data))
    print(targets_text(data))
