"""Where a view's CPU goes: every server process sampled with py-spy while wrk sends one gateway scenario.

    python -m bench.profile cockpit-c1 --seconds 10 [--view-cache off] [--top 25]

Starts the services and the gateway on the bench data like `bench.run` (view cache off by default, so every view
is built from parts the services compute), warms the scenario up, then runs it with wrk while `py-spy record`
samples each process. Prints, per process, its CPU ms per request and the functions with the largest shares of its
samples (inclusive: the function and what it calls; idle samples left out). The raw stacks stay in the temporary
directory it names. Needs py-spy and permission to trace (root, or ptrace allowed).
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import scenarios
from bench.load import run_wrk
from bench.procs import cpu_seconds, quiesce
from bench.run import LOAD_CORES, start_servers
from kit.auth import ensure_local_keypair, issue_token

#: Frames that mean the process was waiting, not working (under uvloop the loop waits in C, below `Runner.run`).
IDLE = ("select (selectors.py", "_run_once (asyncio/base_events.py", "poll (", "Runner.run (asyncio/runners.py")


def shares(raw: Path, top: int) -> tuple[int, list[tuple[str, float]]]:
    """(working samples, [(function, inclusive share)]) from py-spy's collapsed stacks."""
    counts: collections.Counter[str] = collections.Counter()
    working = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        frames = stack.split(";")
        if not frames or any(frames[-1].startswith(i) for i in IDLE):
            continue
        working += int(n)
        for frame in set(frames):
            counts[frame] += int(n)
    return working, [(f, n / working) for f, n in counts.most_common(top)] if working else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", help="a gateway scenario of bench.scenarios, e.g. cockpit-c1")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--view-cache", default="off", choices=("on", "off"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kip-profile-"))
    private, _ = ensure_local_keypair(tmp / "keys")

    def token(role: str, **claims: Any) -> str:
        return issue_token(private, role=role, **claims)

    scenario = next(s for s in scenarios.gateway_scenarios(token) if s.name == args.scenario)
    servers = start_servers(tmp, True, args.view_cache)
    try:
        processes = [s for n, s in servers.items() if n != "bare"]
        url = servers[scenario.server].url
        script = scenario.script(tmp, f"{time.time_ns()}")
        run_wrk(url, script, scenario.connections, 3, LOAD_CORES)
        quiesce(processes)
        before = {p.name: cpu_seconds(p.pid) for p in processes}
        spies = {
            p.name: subprocess.Popen(  # noqa: S603
                [
                    str(Path(sys.executable).with_name("py-spy")),
                    "record",
                    "-p",
                    str(p.pid),
                    "-r",
                    str(args.rate),
                    "-d",
                    str(round(args.seconds)),
                    "-f",
                    "raw",
                    "-o",
                    str(tmp / f"{p.name}.txt"),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for p in processes
        }
        result = run_wrk(url, script, scenario.connections, args.seconds, LOAD_CORES)
        for spy in spies.values():
            spy.wait(timeout=args.seconds + 60)
        requests = result["requests"] or 1
        print(f"{scenario.name}: {requests} requests, p50 {result['p50_us'] / 1000:.1f} ms; stacks in {tmp}")
        total = 0.0
        for p in processes:
            ms = (cpu_seconds(p.pid) - before[p.name]) * 1000 / requests
            total += ms
            working, top = shares(tmp / f"{p.name}.txt", args.top)
            print(f"\n## {p.name}: {ms:.2f} ms CPU per request ({working} working samples)")
            for frame, share in top:
                print(f"{share * 100:5.1f} %  {frame}")
        print(f"\nall processes: {total:.2f} ms CPU per request")
    finally:
        for s in servers.values():
            s.stop()


if __name__ == "__main__":
    main()
