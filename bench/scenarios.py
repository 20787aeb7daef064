"""The scenarios of a bench run: which requests, with which tokens, at which concurrency.

Reads rotate through many ids so the database, not a cache line, answers; every token is a real RS256 token the
services verify. Reports are measured twice: with one connection (latency: the p95 target) and with eight
(throughput)."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from bench import common as c
from bench.load import Scenario

READ_CONCURRENCY = 16
REPORT_CONCURRENCY = (1, 8)
WRITE_CONCURRENCY = 8


def _ids(service: str, query: str) -> list[Any]:
    with psycopg.connect(c.database_url(service)) as conn:
        return [r[0] if len(r) == 1 else r for r in conn.execute(query).fetchall()]


def service_scenarios(token: Any) -> list[Scenario]:
    """`token(role, **claims)` returns a bearer token."""
    sem = f"Bearer {token('sem')}"
    measures = _ids("programme", "SELECT id FROM measure ORDER BY md5(id::text) LIMIT 500")
    agreements = _ids("funding", "SELECT id FROM agreement ORDER BY md5(id::text) LIMIT 500")
    programmes = [c.programme_id(k) for k in c.CANTONS]
    scenarios = [
        Scenario(
            "bare",
            "bare FastAPI endpoint (ceiling)",
            "bare",
            [(f"/items/{m}", "", "") for m in measures],
            connections=READ_CONCURRENCY,
            group="ceiling",
        ),
        Scenario(
            "programme-read",
            "programme: GET /v1/measures/{id} (token + DB)",
            "programme",
            [(f"/v1/measures/{m}", sem, "") for m in measures],
            connections=READ_CONCURRENCY,
        ),
        Scenario(
            "funding-read",
            "funding: GET /v1/agreements/{id} (token + DB)",
            "funding",
            [(f"/v1/agreements/{a}", sem, "") for a in agreements],
            connections=READ_CONCURRENCY,
        ),
    ]
    for conc in REPORT_CONCURRENCY:
        scenarios += [
            Scenario(
                f"financial-report-c{conc}",
                "funding: financial report ?year=2025 (1M disbursements)",
                "funding",
                [(f"/v1/programmes/{p}/financial-report?year=2025", sem, "") for p in programmes],
                connections=conc,
                group="report",
            ),
            Scenario(
                f"goal-achievement-c{conc}",
                "evaluation: goal achievement ?year=2025",
                "evaluation",
                [(f"/v1/programmes/{p}/goal-achievement?year=2025", sem, "") for p in programmes],
                connections=conc,
                group="report",
            ),
        ]
    scenarios.append(
        Scenario(
            "disbursement-create",
            "funding: POST /v1/disbursements (checks, lock, audit)",
            "funding",
            _disbursement_bodies(token),
            method="POST",
            connections=WRITE_CONCURRENCY,
            group="write",
        )
    )
    return scenarios


def _disbursement_bodies(token: Any) -> list[tuple[str, str, str]]:
    """Requests on the 2026 lines of 400 agreements (generated 2026 disbursements leave most of each line free),
    each by an editor of the agreement's canton; wrk adds a unique Idempotency-Key to each."""
    rows = _ids(
        "funding",
        """SELECT a.id, a.canton, l.funding_area_id, l.source FROM agreement a
           JOIN agreement_version v ON v.agreement_id = a.id AND v.number = a.signed_version
           JOIN agreement_line l ON l.version_id = v.id
           WHERE a.reference LIKE 'BENCH-%' AND l.year = 2026 ORDER BY md5(l.id::text) LIMIT 400""",
    )
    editors = {k: f"Bearer {token('canton-editor', canton=k)}" for k in c.CANTONS}
    entries = []
    for agreement, canton, area, source in rows:
        body = {
            "agreement_id": str(agreement),
            "year": 2026,
            "funding_area_id": str(area),
            "source": source,
            "amount": "1.00",
            "value_date": "2026-12-15",
            "note": "bench",
        }
        entries.append(("/v1/disbursements", editors[canton], json.dumps(body, separators=(",", ":"))))
    return entries


def gateway_scenarios(token: Any) -> list[Scenario]:
    sem = f"Bearer {token('sem')}"
    measures = _ids("programme", "SELECT id FROM measure ORDER BY md5(id::text) LIMIT 500")
    partners = _ids("funding", "SELECT DISTINCT partner_id FROM agreement WHERE reference LIKE 'BENCH-%' LIMIT 100")
    viewers = {k: f"Bearer {token('canton-viewer', canton=k)}" for k in c.CANTONS}
    programmes = [(k, c.programme_id(k)) for k in c.CANTONS]
    scenarios = [
        Scenario(
            "gateway-read",
            "gateway → programme: GET /api/programme/v1/measures/{id}",
            "gateway",
            [(f"/api/programme/v1/measures/{m}", sem, "") for m in measures],
            connections=READ_CONCURRENCY,
            group="gateway",
        ),
    ]
    for conc in REPORT_CONCURRENCY:
        scenarios += [
            Scenario(
                f"cockpit-c{conc}",
                "gateway: canton cockpit ?year=2025",
                "gateway",
                [(f"/api/v1/views/canton/programmes/{p}?year=2025", viewers[k], "") for k, p in programmes],
                connections=conc,
                group="gateway-view",
            ),
            Scenario(
                f"partner-view-c{conc}",
                "gateway: partner view /me",
                "gateway",
                [("/api/v1/views/partners/me", f"Bearer {token('partner', partner_id=str(p))}", "") for p in partners],
                connections=conc,
                group="gateway-view",
            ),
            Scenario(
                f"sem-annual-report-c{conc}",
                "gateway: SEM annual report 2025 (JSON)",
                "gateway",
                [(f"/api/v1/views/sem/programmes/{p}/annual-report/2025", sem, "") for _, p in programmes],
                connections=conc,
                group="gateway-view",
            ),
            Scenario(
                f"sem-overview-c{conc}",
                "gateway: SEM overview KIP3 2025 (26 cantons)",
                "gateway",
                [("/api/v1/views/sem/programmes?period=KIP3&year=2025", sem, "")],
                connections=conc,
                group="gateway-view",
            ),
        ]
    return scenarios
