"""Fill PostgreSQL at national scale for the benchmark: `python -m bench.generate [--force]`.

Three databases (`kip_bench_programme`, `kip_bench_funding`, `kip_bench_evaluation` on
`KIP_BENCH_POSTGRES_URL`, default postgresql://postgres@127.0.0.1:5432/postgres), each migrated and seeded as
`kip migrate` and `kip seed` do, then filled in bulk (COPY, and INSERT … SELECT inside PostgreSQL) with 26 cantons'
KIP 3 programmes: 7 funding areas, ~35 measures and ~200 service agreements per canton, 1,000,000 disbursements,
~100,000 indicator values. The generated rows bypass the services' audit trail (it holds the seed's records only).

A database whose comment names this generator's version is complete and left alone; `--force` makes all anew.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import time
from typing import Any

import psycopg

from bench import common as c

STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def _marker() -> str:
    return f"kip-bench data v{c.DATA_VERSION}: complete"


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(c.ADMIN_URL, autocommit=True)


def complete() -> bool:
    """True when every bench database exists and was filled completely by this generator's version."""
    with _admin() as conn:
        rows = conn.execute(
            "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ANY(%s)",
            ([c.database_name(s) for s in c.SERVICES],),
        ).fetchall()
    return len(rows) == len(c.SERVICES) and all(comment == _marker() for _, comment in rows)


def recreate() -> None:
    with _admin() as conn:
        for service in c.SERVICES:
            name = c.database_name(service)
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')


def migrate_and_seed() -> None:
    for service in c.SERVICES:
        cli = importlib.import_module(f"{service}.cli")
        url = c.database_url(service)
        cli.migrate(url)
        added = asyncio.run(cli.seed_database(url))
        log(f"{service}: migrated, {added} seed records")


def kip3_period() -> Any:
    with c.connect("programme") as conn:
        row = conn.execute("SELECT id FROM period WHERE code = 'KIP3'").fetchone()
    assert row is not None, "the programme seed has no KIP3 period"
    return row[0]


def finish() -> dict[str, int]:
    """VACUUM ANALYZE (so the planner knows the new sizes), count the main tables, mark the databases complete."""
    counts: dict[str, int] = {}
    tables = {
        "programme": ("programme", "partner", "measure", "goal"),
        "funding": ("agreement", "agreement_line", "budget_line", "credit", "disbursement"),
        "evaluation": ("programme_ref", "indicator", "indicator_target", "indicator_value"),
    }
    for service in c.SERVICES:
        with psycopg.connect(c.database_url(service), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            for table in tables[service]:
                row = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
                counts[f"{service}.{table}"] = int(row[0]) if row else 0
    with _admin() as conn:
        for service in c.SERVICES:
            conn.execute(f"COMMENT ON DATABASE \"{c.database_name(service)}\" IS '{_marker()}'")
    return counts


def generate(force: bool = False) -> dict[str, int] | None:
    """Make the data unless it is there already; returns the row counts when it made them."""
    if not force and complete():
        log("bench databases present and complete; nothing to do (--force to make them anew)")
        return None
    from bench import gen_evaluation, gen_funding, gen_programme

    recreate()
    log("databases created")
    migrate_and_seed()
    log(f"programme: {gen_programme.generate(kip3_period())}")
    log(f"funding: {gen_funding.generate(log)}")
    log(f"evaluation: {gen_evaluation.generate()}")
    counts = finish()
    for name, count in counts.items():
        log(f"  {name:32} {count:>10,}")
    log("done")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="drop the bench databases and make them anew")
    generate(parser.parse_args().force)


if __name__ == "__main__":
    main()
