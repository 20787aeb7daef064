"""The query plans behind the reports: run the services' own report functions against the bench databases,
capture every SQL statement they send, and EXPLAIN (ANALYZE, BUFFERS) each one with its parameters.

`python -m bench.explain` writes bench/results/explain.md; `bench.run` calls it too.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bench import common as c
from kit.db import create_engine, make_session_factory

Use = Callable[[AsyncSession], Awaitable[Any]]


async def _capture(service: str, use: Use) -> tuple[list[tuple[str, Any]], float]:
    """Run a use case once to warm up, then again, recording its statements and its time."""
    engine = create_engine(c.database_url(service))
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    try:
        factory = make_session_factory(engine)
        async with factory() as session:
            await use(session)
        event.listen(engine.sync_engine, "before_cursor_execute", record)
        async with factory() as session:
            started = time.perf_counter()
            await use(session)
            elapsed = time.perf_counter() - started
    finally:
        await engine.dispose()
    return statements, elapsed


def _indexes(plan: str) -> list[str]:
    """The indexes a plan scans ("Index Scan using x", "Index Only Scan using x", "Bitmap Index Scan on x")."""
    found = set()
    for line in plan.splitlines():
        if "Index Scan using " in line or "Index Only Scan using " in line:
            found.add(line.split(" using ", 1)[1].split(" on ")[0].strip())
        elif "Bitmap Index Scan on " in line:
            found.add(line.split("Bitmap Index Scan on ", 1)[1].split()[0])
    return sorted(found)


async def _explain(service: str, statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN each SELECT as the service sent it: through asyncpg, with its positional parameters."""
    plans = []
    conn = await asyncpg.connect(c.database_url(service))
    try:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + statement, *(parameters or ()))
            plan = "\n".join(r[0] for r in rows)
            plans.append(
                {
                    "statement": statement,
                    "parameters": {f"${i}": str(v) for i, v in enumerate(parameters or (), start=1)},
                    "plan": plan,
                    "execution_ms": float(plan.rsplit("Execution Time:", 1)[1].split()[0]),
                    "seq_scan_on_big_tables": [
                        t for t in ("disbursement", "indicator_value") if f"Seq Scan on {t}" in plan
                    ],
                    "indexes_used": _indexes(plan),
                }
            )
    finally:
        await conn.close()
    return plans


def _financial_report(year: int) -> Use:
    from funding.funding_programme.models import FundingProgramme
    from funding.report.service import financial_report

    async def use(session: AsyncSession) -> Any:
        programme = await session.get(FundingProgramme, c.programme_id("ZH"))
        assert programme is not None
        return await financial_report(session, programme, year)

    return use


def _goal_achievement(year: int) -> Use:
    from evaluation.achievement.service import goal_achievement
    from evaluation.reference import ProgrammeInfo

    async def use(session: AsyncSession) -> Any:
        info = ProgrammeInfo(c.programme_id("ZH"), "ZH", "KIP3", 2024, 2027)
        return await goal_achievement(session, info, year)

    return use


def explain_reports(year: int = 2025) -> list[dict[str, Any]]:
    reports = []
    for name, service, use in (
        ("financial report (funding)", "funding", _financial_report(year)),
        ("goal achievement (evaluation)", "evaluation", _goal_achievement(year)),
    ):
        statements, elapsed = asyncio.run(_capture(service, use))
        plans = asyncio.run(_explain(service, statements))
        reports.append(
            {
                "report": name,
                "service": service,
                "programme_id": str(c.programme_id("ZH")),
                "year": year,
                "in_process_ms": elapsed * 1000,
                "statements": len(statements),
                "sum_execution_ms": sum(p["execution_ms"] for p in plans),
                "plans": plans,
            }
        )
    return reports


def write_markdown(reports: list[dict[str, Any]], path: Path) -> None:
    out = ["# Query plans of the reports at national scale", ""]
    out.append(
        "Every statement the service's own report function sends for canton ZH (programme "
        f"`{uuid.UUID(reports[0]['programme_id'])}`), year {reports[0]['year']}, "
        "with `EXPLAIN (ANALYZE, BUFFERS)`. Made by `python -m bench.explain`."
    )
    for r in reports:
        out += ["", f"## {r['report']}", ""]
        out.append(
            f"{r['statements']} statements; their execution times add up to {r['sum_execution_ms']:.1f} ms; "
            f"the whole use case took {r['in_process_ms']:.1f} ms in process (warm)."
        )
        for i, p in enumerate(r["plans"], start=1):
            seq = ", ".join(p["seq_scan_on_big_tables"]) or "none"
            out += [
                "",
                f"### {i}. {p['execution_ms']:.2f} ms — indexes: {', '.join(p['indexes_used']) or 'none'}; "
                f"sequential scans of big tables: {seq}",
                "",
                "```sql",
                p["statement"].strip(),
                "```",
                "",
                f"Parameters: `{p['parameters']}`",
                "",
                "```",
                p["plan"],
                "```",
            ]
    path.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    c.RESULTS.mkdir(exist_ok=True)
    result = explain_reports()
    write_markdown(result, c.RESULTS / "explain.md")
    for r in result:
        print(
            f"{r['report']}: {r['statements']} statements, {r['sum_execution_ms']:.1f} ms in SQL, "
            f"{r['in_process_ms']:.1f} ms in process"
        )
        for p in r["plans"]:
            print(f"   {p['execution_ms']:8.2f} ms  seq={p['seq_scan_on_big_tables']} idx={p['indexes_used']}")
