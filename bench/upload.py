"""Indicator-value upload at scale: a 10,000-row CSV, dry run then apply, on PostgreSQL (or SQLite).

Run on demand, not in `make test`:

    KIP_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.upload

It builds fresh migrated databases (programme seeded, evaluation empty), runs the real apps in process (the
programme service wired in over ASGI), creates indicators, uploads the file as a partner (the slowest path: each
indicator's visibility is asked of the programme service) and writes the timings and the peak memory traced
during an upload into bench/results/upload.md.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import httpx

from kit import testing
from kit.auth import ensure_local_keypair, issue_token
from kit.ids import seed_uuid
from kit.settings import AuthSettings

ROWS = int(os.environ.get("BENCH_UPLOAD_ROWS", "10000"))
RESULTS = Path(__file__).parent / "results" / "upload.md"


def csv_body(indicator_ids: list[str]) -> bytes:
    lines = ["indicator_id;year;value;dimension;category;evidence"]
    per = ROWS // len(indicator_ids) // 4 + 1
    n = 0
    for ind in indicator_ids:
        for year in range(2024, 2028):
            for k in range(per):
                if n == ROWS:
                    break
                lines.append(f"{ind};{year};{k % 97};target_group;group_{k};Teilnehmendenliste")
                n += 1
    return "\n".join(lines).encode()


async def main() -> str:
    from evaluation.main import create_app
    from evaluation.settings import EvaluationSettings
    from programme.cli import seed_database
    from programme.main import create_app as create_programme_app
    from programme.settings import ProgrammeSettings

    backend = "postgresql" if os.environ.get(testing.POSTGRES_ENV) else "sqlite"
    os.environ.setdefault(testing.DB_PREFIX_ENV, "kip_bench_upload")
    tmp = Path(tempfile.mkdtemp())
    key_dir = tmp / "keys"
    private = ensure_local_keypair(key_dir)[0]
    programme_url = testing.migrated_database(backend, "programme", "programme", tmp / "p")
    await seed_database(programme_url)
    evaluation_url = testing.migrated_database(backend, "evaluation", "evaluation", tmp / "e")
    auth = AuthSettings(local_key_dir=key_dir)
    programme_app = create_programme_app(ProgrammeSettings(database_url=programme_url), auth)
    async with programme_app.router.lifespan_context(programme_app):
        app = create_app(
            EvaluationSettings(database_url=evaluation_url, programme_url="http://programme"),
            auth,
            programme_transport=httpx.ASGITransport(app=programme_app),
        )
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://e", timeout=120) as client,
        ):
            editor = {"Authorization": "Bearer " + issue_token(private, role="canton-editor", canton="BL")}
            ald = {
                "Authorization": "Bearer "
                + issue_token(private, role="partner", partner_id=seed_uuid("partner", "ald")),
                "Content-Type": "text/csv",
            }
            ids = []
            for i in range(5):
                r = await client.post(
                    "/v1/indicators",
                    headers=editor,
                    json={
                        "programme_id": str(seed_uuid("programme", "BL-KIP3")),
                        "measure_id": str(seed_uuid("measure", "BL-KIP3/BL-1.02")),
                        "goal_id": str(seed_uuid("goal", "KIP3/2.1")),
                        "code": f"bench-{i}",
                        "title": f"bench {i}",
                        "level": "output",
                        "unit": "count",
                    },
                )
                r.raise_for_status()
                ids.append(str(r.json()["id"]))
            body = csv_body(ids)
            url = "/v1/indicator-values/upload"
            tracemalloc.start()
            r = await client.post(url, content=body, headers=ald, params={"dry_run": "true"})
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert r.status_code == 200, r.text
            lines: list[str] = []
            for label, params in (("dry run", {"dry_run": "true"}), ("apply", {})):
                start = time.perf_counter()
                r = await client.post(url, content=body, headers=ald, params=params)
                elapsed = time.perf_counter() - start
                assert r.status_code == 200, r.text
                lines.append(
                    f"| {label} | {ROWS} | {len(body) / 1024:.0f} KiB | {elapsed:.2f} s | {peak / 2**20:.0f} MiB |"
                )
    command = " ".join(["python -m bench.upload", *sys.argv[1:]])
    return (
        f"# Indicator-value upload ({backend})\n\n"
        f"Command: `KIP_TEST_POSTGRES_URL=… .venv/bin/python -m bench.upload` ({command}), in-process apps, "
        "uploaded by a partner (ald) to 5 indicators, target-group breakdowns.\n"
        "Peak memory: what Python allocated during one more dry run (tracemalloc; not timed; not the RSS).\n\n"
        "| step | rows | file | time | peak memory |\n|---|---|---|---|---|\n" + "\n".join(lines) + "\n"
    )


if __name__ == "__main__":
    text = asyncio.run(main())
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)
    print(text)
