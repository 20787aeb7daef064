"""Every service made 50 ms slow: a composed view's latency against its slowest part.

A delay line (an asyncio TCP proxy) sits in front of each of the three services and hands every byte a service
sends back to its caller 50 ms after it arrived, so each answer is 50 ms late however it is split into packets,
and a kept-alive connection stays one. A second gateway whose `GATEWAY_*_URL` point at the delay lines serves the
canton cockpit. The proxies record the requests the gateway sends for one cockpit: those are the parts measured
directly through the delay lines, with wrk at one connection, rotating through the cantons like the view. The
target: the view at most 5 ms slower than its slowest part (medians), which holds only when the gateway fetches
every part in one concurrent round; a part that waits for another one costs a whole extra 50 ms.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from bench import common as c
from bench.load import Scenario, measured_run, run_wrk, summary
from bench.procs import Server, start

GROUP = "slow-cockpit"
DELAY_S = 0.05
BOUND_MS = 5.0
#: Requests sent within this long after the view's first one belong to the same round of the fan-out.
ROUND_GAP_S = DELAY_S / 2
_REQUEST_LINE = re.compile(rb"^(GET|HEAD|POST|PUT|PATCH|DELETE) (\S+) HTTP/1\.[01]\r$", re.MULTILINE)


@dataclass
class Seen:
    """A request a delay line passed on: when (loop time), to which service, which path."""

    at: float
    service: str
    method: str
    path: str


@dataclass
class DelayLines:
    """One delay line per service, all served by one event loop in a daemon thread of the bench process."""

    upstreams: dict[str, str]
    delay: float = DELAY_S
    urls: dict[str, str] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    #: When (loop time) each chunk of an answer was handed to the caller, while recording.
    released: list[float] = field(default_factory=list)
    recording: bool = False
    _loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    _ready: threading.Event = field(default_factory=threading.Event)
    _stop: asyncio.Event | None = None
    _thread: threading.Thread | None = None

    def start(self) -> DelayLines:
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._serve(),), daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the delay lines did not start")
        return self

    def stop(self) -> None:
        if self._stop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)

    def record(self) -> list[Seen]:
        """Start recording the requests passed on; the returned list fills until `recording` is set False."""
        self.seen = []
        self.released = []
        self.recording = True
        return self.seen

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        servers = []
        for name, url in self.upstreams.items():
            target = urlparse(url)
            handle = functools.partial(self._handle, name=name, host=target.hostname or "127.0.0.1", port=target.port)
            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            self.urls[name] = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
            servers.append(server)
        self._ready.set()
        await self._stop.wait()
        for server in servers:
            server.close()
            await server.wait_closed()

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, name: str, host: str, port: int | None
    ) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(host, port or 80)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            self._requests(reader, up_writer, name), self._answers(up_reader, writer), return_exceptions=True
        )
        writer.close()
        up_writer.close()

    async def _requests(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, name: str) -> None:
        """Caller to service, as is; request lines noted while recording."""
        try:
            while data := await src.read(65536):
                if self.recording:
                    now = self._loop.time()
                    for m in _REQUEST_LINE.finditer(data):
                        self.seen.append(Seen(now, name, m[1].decode(), m[2].decode()))
                dst.write(data)
                await dst.drain()
        finally:
            dst.close()

    async def _answers(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        """Service to caller: every chunk handed on `delay` after it arrived, in order (a delay line, not a
        delay per chunk, so an answer in many packets is late by `delay` once)."""
        line: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def receive() -> None:
            while data := await src.read(65536):
                line.put_nowait((self._loop.time() + self.delay, data))
            line.put_nowait((0.0, b""))

        async def release() -> None:
            while True:
                due, data = await line.get()
                if not data:
                    return
                if (wait := due - self._loop.time()) > 0:
                    await asyncio.sleep(wait)
                dst.write(data)
                if self.recording:
                    self.released.append(self._loop.time())
                await dst.drain()

        try:
            await asyncio.gather(receive(), release())
        finally:
            dst.close()


def _rounds(seen: list[Seen]) -> list[list[Seen]]:
    """The view's requests grouped into rounds: a request sent `ROUND_GAP_S` or more after the previous round
    began waited for an answer (≥ one delay) before it could start."""
    rounds: list[list[Seen]] = []
    for s in sorted(seen, key=lambda x: x.at):
        if not rounds or s.at - rounds[-1][0].at >= ROUND_GAP_S:
            rounds.append([])
        rounds[-1].append(s)
    return rounds


def _part_name(s: Seen) -> str:
    """`service METHOD path` with ids as `{id}`: the same part whichever canton it is for."""
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", s.path)
    return f"{s.service} {s.method} {path}"


def _scenario_name(s: Seen, taken: set[str]) -> str:
    """A name that is also a file name (wrk's script): `slow-part-<service>-<path without query>`."""
    path = _part_name(s).split(" ", 2)[2].split("?", 1)[0].replace("{id}", "")
    base = "slow-part-" + re.sub(r"[^a-z0-9]+", "-", f"{s.service} {path.removeprefix('/v1/')}").strip("-")
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def measure(
    servers: dict[str, Server],
    tmp: Path,
    cores: str,
    load_cores: str,
    token: Callable[..., str],
    runs: int,
    duration: float,
    warmup: float,
    log: Callable[[str], None],
    view_cache: str = "on",
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Starts the delay lines and the slow gateway next to the running services, measures, stops them. The slow
    gateway's view cache is set like the other gateway's (`--view-cache`): with it off, every cockpit is built from
    parts, and no event follower polls the services' feeds through the delay lines.

    Returns the figures for the targets table and the scenario summaries for the figures table."""
    lines = DelayLines({n: servers[n].url for n in c.SERVICES}).start()
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL") and not k.startswith("GATEWAY_")}
    env.update(KIP_AUTH_LOCAL_KEY_DIR=str(tmp / "keys"), PYTHONPATH=str(c.ROOT), GATEWAY_DOCS_PREFETCH="false")
    env["GATEWAY_VIEW_CACHE"] = view_cache
    env.update({f"GATEWAY_{n.upper()}_URL": lines.urls[n] for n in c.SERVICES})
    gateway: Server | None = None
    try:
        gateway = start("gateway-slow", "gateway.main:create_app", env, tmp, cores)
        viewers = {k: f"Bearer {token('canton-viewer', canton=k)}" for k in c.CANTONS}
        programmes = [(k, str(c.programme_id(k))) for k in c.CANTONS]
        first_canton, first_id = programmes[0]
        view_path = "/api/v1/views/canton/programmes/{id}?year=2025"
        # One cockpit through the slow gateway, its requests recorded: the parts, and in how many rounds.
        seen = lines.record()
        answer = httpx.get(
            gateway.url + view_path.format(id=first_id), headers={"Authorization": viewers[first_canton]}, timeout=60
        )
        lines.recording = False
        if answer.status_code != 200 or answer.json().get("degraded"):
            raise RuntimeError(f"the slow cockpit answered {answer.status_code}: {answer.text[:300]}")
        rounds = _rounds(seen)
        log(f"{GROUP}: the cockpit sent {len(seen)} requests in {len(rounds)} round(s)")
        urls = {f"slow-{n}": lines.urls[n] for n in c.SERVICES} | {"slow-gateway": gateway.url}
        taken: set[str] = set()
        parts = [
            Scenario(
                _scenario_name(s, taken),
                f"{s.service} through the 50 ms delay line: {s.method} {_part_name(s).split(' ', 2)[2]}",
                f"slow-{s.service}",
                [(s.path.replace(first_id, p), viewers[k], "") for k, p in programmes],
                connections=1,
                group=GROUP,
            )
            for s in sorted(seen, key=_part_name)
        ]
        view = Scenario(
            GROUP,
            "gateway: canton cockpit ?year=2025, every service 50 ms slow",
            "slow-gateway",
            [(view_path.format(id=p), viewers[k], "") for k, p in programmes],
            connections=1,
            group=GROUP,
        )
        todo = [*parts, view]
        processes = [*servers.values(), gateway]
        scripts = tmp / "lua-slow"
        scripts.mkdir(exist_ok=True)
        for s in todo:
            run_wrk(urls[s.server], s.script(scripts, f"warm-{time.time_ns()}"), 1, warmup, load_cores)
        tails, paths = _after_last_part(lines, gateway.url + view_path, programmes, viewers, runs)
        for round_no in range(1, runs + 1):
            for s in todo:
                path = s.script(scripts, f"{round_no}-{time.time_ns()}")
                run = measured_run(processes, urls[s.server], path, 1, duration, load_cores)
                s.runs.append(run)
                log(
                    f"round {round_no}/{runs} {s.name:52} p50 {run['p50_us'] / 1000:6.1f} ms"
                    f"  p95 {run['p95_us'] / 1000:6.1f} ms  errors {run['errors']}"
                )
    finally:
        if gateway is not None:
            gateway.stop()
        lines.stop()
    summaries = [summary(s) for s in todo]
    by_p50 = max(summaries[:-1], key=lambda x: x["median_p50_us"])
    by_p95 = max(summaries[:-1], key=lambda x: x["median_p95_us"])
    cockpit = summaries[-1]
    figures = {
        "delay_ms": DELAY_S * 1000,
        "bound_ms": BOUND_MS,
        "rounds": [[_part_name(s) for s in r] for r in rounds],
        "round_starts_ms": [round((r[0].at - rounds[0][0].at) * 1000, 1) for r in rounds],
        "parts": {
            x["name"]: {"p50_ms": x["median_p50_us"] / 1000, "p95_ms": x["median_p95_us"] / 1000}
            for x in summaries[:-1]
        },
        "slowest_part_p50": {"name": by_p50["name"], "ms": by_p50["median_p50_us"] / 1000},
        "slowest_part_p95": {"name": by_p95["name"], "ms": by_p95["median_p95_us"] / 1000},
        "view_p50_ms": cockpit["median_p50_us"] / 1000,
        "view_p95_ms": cockpit["median_p95_us"] / 1000,
        "view_errors": cockpit["median_errors"],
        "difference_p50_ms": (cockpit["median_p50_us"] - by_p50["median_p50_us"]) / 1000,
        "difference_p95_ms": (cockpit["median_p95_us"] - by_p95["median_p95_us"]) / 1000,
        "views_timed": len(tails),
        "after_last_part_p50_ms": statistics.median(tails) if tails else float("nan"),
        "after_last_part_p95_ms": _p95(tails) if tails else float("nan"),
        "until_last_part_p50_ms": statistics.median(paths) if paths else float("nan"),
    }
    return figures, summaries


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _after_last_part(
    lines: DelayLines, view_url: str, programmes: list[tuple[str, str]], viewers: dict[str, str], runs: int
) -> tuple[list[float], list[float]]:
    """Cockpits one at a time (every canton, `runs` times), each timed against its parts' answers as the delay
    lines handed them on: (ms from the last part's last byte to the whole view at the client, ms from the view's
    request to that last byte). The first is what the gateway itself adds once its slowest part is in (reading,
    composing, sending), whatever the parts cost one another on a shared core; the second is the fan-out's
    critical path through the services and their delay lines. Both clocks are `time.monotonic`."""
    tails, paths = [], []
    with httpx.Client(timeout=60) as client:
        for _ in range(runs):
            for canton, programme_id in programmes:
                lines.record()
                started = time.monotonic()
                answer = client.get(view_url.format(id=programme_id), headers={"Authorization": viewers[canton]})
                ended = time.monotonic()
                lines.recording = False
                if answer.status_code != 200:
                    raise RuntimeError(f"the slow cockpit answered {answer.status_code}: {answer.text[:300]}")
                if not lines.released:
                    continue  # sent from the gateway's view cache (`--view-cache on`): no part to time it against
                last = max(lines.released)
                tails.append((ended - last) * 1000)
                paths.append((last - started) * 1000)
    return tails, paths


def target_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The targets-table row: the view's median against its slowest part's median (p95s shown beside)."""
    f = results.get("slow_cockpit")
    if not f:
        return []
    rounds = len(f["rounds"])
    tail_p50, tail_p95 = f.get("after_last_part_p50_ms", float("nan")), f.get("after_last_part_p95_ms", float("nan"))
    return [
        (
            f"composed view ≤ slowest part + {f['bound_ms']:.0f} ms (every service {f['delay_ms']:.0f} ms slow; "
            "cockpit, 1 connection)",
            f"view p50 {f['view_p50_ms']:.1f} ms vs slowest part p50 {f['slowest_part_p50']['ms']:.1f} ms "
            f"(`{f['slowest_part_p50']['name']}`); p95 {f['view_p95_ms']:.1f} vs {f['slowest_part_p95']['ms']:.1f} ms; "
            f"{rounds} round(s) of calls; after its last part the gateway took p50 {tail_p50:.1f} ms "
            f"(p95 {tail_p95:.1f}) of {f.get('views_timed', 0)} views timed one by one",
            f"p50 {f['difference_p50_ms']:+.1f} ms, p95 {f['difference_p95_ms']:+.1f} ms (≤ {f['bound_ms']:.0f} ms)",
            "met" if f["difference_p50_ms"] <= f["bound_ms"] and not f["view_errors"] else "MISSED",
        )
    ]
