"""`make bench-webhooks`: how fast changes reach a webhook receiver, from the commit to the receipt.

Starts the real processes (programme, funding, evaluation and webhooks services on a fresh, seeded database of
each backend) and a receiver in this process that verifies every delivery with `standardwebhooks`. One SEM
endpoint takes `programme.measure.changed`; `--events` changes to the seeded measures go in through the programme
service's API from `--concurrency` clients at once. Figures: events per second from the first commit to the last
receipt, and the delay of each event from its commit (the event's `time`, stamped in the committing transaction)
to its receipt (median, p95, max). Written to bench/results/webhooks.md.

    .venv/bin/python -m bench.webhooks [--events 300] [--concurrency 4] [--backends sqlite,postgresql]

PostgreSQL is the server of `KIP_TEST_POSTGRES_URL` (default `postgresql://postgres@127.0.0.1:5432/postgres`).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform as machine
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
from standardwebhooks import Webhook

from tests.support.platform import SERVICES, Platform, free_port, prepare

RESULTS = Path(__file__).parent / "results" / "webhooks.md"


class Receiver(BaseHTTPRequestHandler):
    secret: ClassVar[str] = ""
    received: ClassVar[dict[str, tuple[float, str]]] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        at = time.time()
        event = Webhook(self.secret).verify(body, dict(self.headers.items()))
        with self.lock:
            self.received.setdefault(self.headers["webhook-id"], (at, event["time"]))
        self.send_response(204)
        self.end_headers()


def started(backend: str, tmp: Path) -> Platform:
    os.environ.update(
        WEBHOOKS_ALLOW_PRIVATE_URLS="true",
        WEBHOOKS_FEED_WAIT="20",
        WEBHOOKS_IDLE_SECONDS="1",
        KIP_LOG_LEVEL="WARNING",
    )
    running = prepare(backend, tmp, "bench_wh")
    for name, package, prefix in SERVICES:
        running.start_service(name, package, prefix)
    return running


async def change_measures(running: Platform, events: int, concurrency: int) -> None:
    headers = running.headers("canton-editor", canton="BL")
    base = running.url("programme")
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        page = (await client.get("/v1/measures", params={"limit": 500})).json()
        measures = [m["id"] for m in page["items"]]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(events):
            queue.put_nowait(n)

        async def worker() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                measure = measures[n % len(measures)]
                response = await client.patch(
                    f"/v1/measures/{measure}", json={"title": f"Change {n}"}, headers={"If-Match": "*"}
                )
                response.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(concurrency)))


def measure(backend: str, events: int, concurrency: int) -> dict[str, Any]:
    Receiver.received = {}
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        running = started(backend, Path(tmp))
        try:
            created = httpx.post(
                f"{running.url('webhooks')}/v1/webhooks",
                json={
                    "url": f"http://127.0.0.1:{server.server_address[1]}/hook",
                    "event_types": ["programme.measure.changed"],
                },
                headers=running.headers("sem"),
            )
            created.raise_for_status()
            Receiver.secret = created.json()["secret"]
            time.sleep(2)  # the dispatcher has read the feeds up to now
            asyncio.run(change_measures(running, events, concurrency))
            deadline = time.monotonic() + 300
            while len(Receiver.received) < events and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            running.stop()
            server.shutdown()
    pairs = list(Receiver.received.values())
    commits = [dt.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() for _, t in pairs]
    delays = sorted(at - commit for (at, _), commit in zip(pairs, commits, strict=True))
    span = max(at for at, _ in pairs) - min(commits)
    return {
        "committed_per_second": len(commits) / max(max(commits) - min(commits), 1e-9),
        "backend": backend,
        "events": events,
        "received": len(pairs),
        "per_second": len(pairs) / span,
        "median_ms": statistics.median(delays) * 1000,
        "p95_ms": delays[int(0.95 * (len(delays) - 1))] * 1000,
        "max_ms": delays[-1] * 1000,
        "concurrency": concurrency,
    }


def write(rows: list[dict[str, Any]]) -> None:
    lines = [
        "# Webhooks: from commit to receipt",
        "",
        f"`python -m bench.webhooks`, {dt.date.today().isoformat()}, {machine.machine()}, {os.cpu_count()} cores, "
        "every process on this one machine (the receiver verifies each delivery with `standardwebhooks`).",
        "One endpoint, `programme.measure.changed`; changes to the seeded measures through the programme API.",
        "",
        "| backend | events | received | clients | committed/s | delivered/s | median delay | p95 delay | max delay |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['backend']} | {r['events']} | {r['received']} | {r['concurrency']} "
            f"| {r['committed_per_second']:.0f} | {r['per_second']:.0f} "
            f"| {r['median_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['max_ms']:.0f} ms |"
        )
    lines += [
        "",
        "The delay is the event's `time` (stamped when its change commits) to the moment the receiver has it: the",
        "dispatcher's long poll of the feed (woken by the commit in the programme process), the delivery's own",
        "commit, the claim, signing and the POST. `delivered/s` runs from the first commit to the last receipt;",
        "`committed/s` is how fast the changes committed (the producer's pace: delivery cannot be faster).",
    ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    os.environ.setdefault("KIP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    os.environ.setdefault("KIP_TEST_DB_PREFIX", "kip_bench_wh")
    rows = []
    for backend in args.backends.split(","):
        row = measure(backend, args.events, args.concurrency)
        print(row, flush=True)
        rows.append(row)
    write(rows)


if __name__ == "__main__":
    main()
