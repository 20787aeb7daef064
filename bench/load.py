"""Load with wrk: a Lua script per scenario that rotates through requests (path, token, body) and prints its
summary as one JSON line; the median of several runs makes a figure."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.procs import MemorySampler, Server, cpu_seconds, pinned, quiesce

MARK = "BENCHJSON "

LUA = r"""
local entries = {ENTRIES}
local method = "METHOD"
local nonce = "NONCE"
local counter = 0

request = function()
  counter = counter + 1
  local e = entries[(counter % #entries) + 1]
  local headers = {["Authorization"] = e[2], ["Accept"] = "application/json"}
  local body = nil
  if e[3] ~= "" then
    headers["Content-Type"] = "application/json"
    headers["Idempotency-Key"] = "wrk-" .. nonce .. "-" .. counter
    body = e[3]
  end
  if method == "PATCH" then
    headers["If-Match"] = "*"
  end
  return wrk.format(method, e[1], headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'MARK{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for these contents


@dataclass
class Scenario:
    """One kind of request: what it measures, where it goes, at which concurrency."""

    name: str
    label: str
    server: str
    entries: list[tuple[str, str, str]]  # (path, Authorization header, body or "")
    method: str = "GET"
    connections: int = 16
    group: str = "service"
    runs: list[dict[str, Any]] = field(default_factory=list)

    def script(self, directory: Path, nonce: str) -> Path:
        entries = ",\n".join("{" + ", ".join(_lua_string(x) for x in entry) + "}" for entry in self.entries)
        text = (
            LUA.replace("{ENTRIES}", "{\n" + entries + "\n}")
            .replace("METHOD", self.method)
            .replace("NONCE", nonce)
            .replace("MARK", MARK)
        )
        path = directory / f"{self.name}.lua"
        path.write_text(text)
        return path


def run_wrk(base_url: str, script: Path, connections: int, seconds: float, core: str) -> dict[str, Any]:
    command = pinned(
        core,
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base_url,
        ],
    )
    load_before = os.getloadavg()[0]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60)  # noqa: S603
    line = next((x for x in out.stdout.splitlines() if x.startswith(MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{out.stdout}\n{out.stderr}")
    result: dict[str, Any] = json.loads(line[len(MARK) :])
    seconds_run = result["duration_us"] / 1e6
    errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    result.update(
        rps=result["requests"] / seconds_run if seconds_run else 0.0,
        errors=errors,
        load_avg_1m_before=load_before,
        load_avg_1m_after=os.getloadavg()[0],
        connections=connections,
        seconds=seconds,
    )
    return result


def measured_run(
    processes: list[Server], base_url: str, script: Path, connections: int, seconds: float, core: str
) -> dict[str, Any]:
    """One run of a scenario once the processes are idle: wrk's figures, each process's CPU time over the run and
    its CPU ms per completed request, and the processes' peak memory."""
    settle = quiesce(processes)
    cpu_before = {x.name: cpu_seconds(x.pid) for x in processes}
    with MemorySampler(processes):
        run = run_wrk(base_url, script, connections, seconds, core)
    cpu = {x.name: cpu_seconds(x.pid) - cpu_before[x.name] for x in processes}
    run.update(settle_s=settle, cpu_s=cpu)
    run["cpu_ms_per_request"] = {n: v * 1000 / run["requests"] for n, v in cpu.items() if run["requests"] and v > 0.05}
    return run


def median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs)) if runs else float("nan")


def summary(s: Scenario) -> dict[str, Any]:
    """The median of the runs of every figure, and the runs themselves."""
    keys = ("rps", "p50_us", "p95_us", "p99_us", "mean_us", "errors", "load_avg_1m_before")
    per_process: dict[str, float] = {}
    for name in {n for r in s.runs for n in r.get("cpu_ms_per_request", {})}:
        per_process[name] = float(statistics.median(r.get("cpu_ms_per_request", {}).get(name, 0.0) for r in s.runs))
    return {
        "median_cpu_ms_per_request": per_process,
        "name": s.name,
        "label": s.label,
        "server": s.server,
        "method": s.method,
        "connections": s.connections,
        "group": s.group,
        "runs": len(s.runs),
        **{f"median_{k}": median(s.runs, k) for k in keys},
        "requests": sum(r["requests"] for r in s.runs),
        "all_runs": s.runs,
    }
