"""Funding and evaluation follow the programme service's events, as real processes over real HTTP (SQLite and
PostgreSQL): a change in the programme service reaches their projections within a bounded wait, they refuse new
commitments for a closed measure or a deactivated partner with the programme service stopped (so they decide
without asking it), and a consumer killed with SIGKILL resumes where it committed.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from funding.programme_fact.models import ConsumedCursor, ConsumedEvent, ProgrammeMeasure, ProgrammePartner
from kit import testing
from kit.db import create_engine, make_session_factory
from kit.ids import seed_uuid
from support.platform import Platform, running_platform

PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
INFO = "information_needs_assessment_counselling"
INFO_ID = str(seed_uuid("funding-area", f"KIP3/{INFO}"))
#: How long a change may take to reach the followers' projections in these tests (typically well under a second).
BOUND = 15.0


@pytest.fixture(scope="module", params=testing.backends())
def platform(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    env: dict[str, str | None] = {
        "FUNDING_FOLLOW_EVENTS": "true",
        "EVALUATION_FOLLOW_EVENTS": "true",
        "KIP_CONSUMER_WAIT": "5",
        "KIP_CONSUMER_RETRY_INTERVAL": "0.2",
        "KIP_EVENTS_NATS_URL": None,  # the feed; the NATS variant is in test_nats_consumer.py
    }
    tmp = tmp_path_factory.mktemp("consumers")
    yield from running_platform(request.param, tmp, "consumers", env=env, gateway=False)


async def eventually(check: Callable[[], Awaitable[bool]], within: float = BOUND) -> float:
    """Seconds until `check` held; fails after `within`."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if await check():
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {within} s")


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def new_partner(client: httpx.AsyncClient, url: str, editor: dict[str, str]) -> dict[str, Any]:
    slug = f"p-{uuid.uuid4().hex[:8]}"
    body = {"canton": "BL", "slug": slug, "name": slug, "short_name": slug, "kind": "association"}
    return dict(await ok(await client.post(f"{url}/v1/partners", headers=editor, json=body), 201))


async def new_measure(client: httpx.AsyncClient, url: str, editor: dict[str, str], partner_id: str) -> str:
    body = {
        "programme_id": PROGRAMME,
        "funding_area_id": INFO_ID,
        "code": f"P-{uuid.uuid4().hex[:6]}",
        "title": "Beratung",
        "partner_id": partner_id,
        "status": "active",
    }
    return str((await ok(await client.post(f"{url}/v1/measures", headers=editor, json=body), 201))["id"])


async def change(client: httpx.AsyncClient, url: str, editor: dict[str, str], body: dict[str, Any]) -> None:
    current = await client.get(url, headers=editor)
    await ok(await client.patch(url, headers=editor | {"If-Match": current.headers["etag"]}, json=body))


async def draft(client: httpx.AsyncClient, url: str, editor: dict[str, str], partner: str, measure: str) -> Any:
    body = {
        "programme_id": PROGRAMME,
        "partner_id": partner,
        "title": "LV",
        "start_date": "2024-01-01",
        "end_date": "2027-12-31",
        "measure_ids": [measure],
        "lines": [{"year": 2024, "funding_area_id": INFO_ID, "source": "canton", "amount": "1000.00"}],
    }
    return await ok(await client.post(f"{url}/v1/agreements", headers=editor, json=body), 201)


async def projection(database_url: str) -> dict[str, Any]:
    """What funding's projection holds: statuses, applied ids, the cursor."""
    engine = create_engine(database_url)
    try:
        async with make_session_factory(engine)() as session:
            measures = dict((await session.execute(select(ProgrammeMeasure.id, ProgrammeMeasure.status))).all())
            partners = dict((await session.execute(select(ProgrammePartner.id, ProgrammePartner.status))).all())
            applied = await session.scalar(select(func.count()).select_from(ConsumedEvent))
            cursor = await session.scalar(select(ConsumedCursor.position).where(ConsumedCursor.source == "programme"))
            return {"measures": measures, "partners": partners, "applied": applied, "cursor": cursor}
    finally:
        await engine.dispose()


async def test_a_follower_killed_with_sigkill_resumes_with_nothing_lost(platform: Platform) -> None:
    editor = platform.headers("canton-editor", canton="BL")
    programme = platform.url("programme")
    async with httpx.AsyncClient(timeout=10) as client:
        partner = await new_partner(client, programme, editor)
        measure = await new_measure(client, programme, editor, partner["id"])
        funding_db = platform.database_urls["funding"]

        async def knows_measure() -> bool:
            return uuid.UUID(measure) in (await projection(funding_db))["measures"]

        await eventually(knows_measure)
        platform.processes["funding"].stop(signal.SIGKILL)
        await change(client, f"{programme}/v1/partners/{partner['id']}", editor, {"status": "deactivated"})
        await change(client, f"{programme}/v1/measures/{measure}", editor, {"status": "completed"})
        everything = await ok(
            await client.get(f"{programme}/v1/events", params={"limit": 500}, headers=platform.headers("sem"))
        )
        platform.start_service("funding", "funding", "FUNDING")

        async def caught_up() -> bool:
            state = await projection(funding_db)
            return bool(
                state["partners"].get(uuid.UUID(partner["id"])) == "deactivated"
                and state["measures"].get(uuid.UUID(measure)) == "completed"
                and state["cursor"] == everything["cursor"]
            )

        await eventually(caught_up)
        state = await projection(funding_db)
        # Every programme event funding applies was applied once: one id each, as many as the feed holds of them.
        wanted = {"programme.measure.status_changed", "programme.partner.status_changed"}
        wanted |= {"programme.measure.changed", "programme.partner.changed"}
        assert state["applied"] == len([e for e in everything["events"] if e["type"] in wanted])


async def test_refusals_come_from_the_projection_with_the_programme_service_stopped(platform: Platform) -> None:
    editor = platform.headers("canton-editor", canton="BL")
    programme, funding, evaluation = (platform.url(s) for s in ("programme", "funding", "evaluation"))
    async with httpx.AsyncClient(timeout=10) as client:
        leaving = await new_partner(client, programme, editor)
        leaving_measure = await new_measure(client, programme, editor, leaving["id"])
        staying = await new_partner(client, programme, editor)
        closing = await new_measure(client, programme, editor, staying["id"])
        for_partner = await draft(client, funding, editor, leaving["id"], leaving_measure)
        for_measure = await draft(client, funding, editor, staying["id"], closing)
        indicator_body = {
            "programme_id": PROGRAMME,
            "measure_id": closing,
            "level": "output",
            "unit": "count",
            "title": "Beratungen",
        }
        indicator = await ok(
            await client.post(f"{evaluation}/v1/indicators", headers=editor, json={**indicator_body, "code": "C-1"}),
            201,
        )

        await change(client, f"{programme}/v1/partners/{leaving['id']}", editor, {"status": "deactivated"})
        await change(client, f"{programme}/v1/measures/{closing}", editor, {"status": "completed"})

        async def funding_knows() -> bool:
            page = await ok(await client.get(f"{funding}/v1/agreements", headers=editor, params={"limit": 500}))
            mine = {a["id"]: a for a in page["items"]}
            return bool(
                mine[for_partner["id"]]["partner_status"] == "deactivated"
                and mine[for_measure["id"]]["closed_measure_ids"] == [closing]
            )

        async def evaluation_knows() -> bool:
            listed = await ok(
                await client.get(f"{evaluation}/v1/indicators", headers=editor, params={"measure_id": closing})
            )
            return bool([i["measure_status"] for i in listed] == ["completed"])

        await eventually(funding_knows)
        await eventually(evaluation_knows)
        platform.processes["programme"].stop()  # from here on, nobody can ask the programme service anything

        def sign(agreement: dict[str, Any]) -> Awaitable[httpx.Response]:
            return client.post(
                f"{funding}/v1/agreements/{agreement['id']}/sign",
                headers=editor | {"If-Match": f'"{agreement["version"]}"'},
            )

        refused = await sign(for_partner)
        assert refused.status_code == 409, refused.text
        assert (refused.json()["type"], refused.json()["partner_id"]) == (
            "/problems/funding/partner-deactivated",
            leaving["id"],
        )
        refused = await sign(for_measure)
        assert refused.status_code == 409, refused.text
        assert (refused.json()["type"], refused.json()["measure_id"]) == ("/problems/funding/measure-closed", closing)

        reporter = platform.headers("partner", partner_id=leaving["id"])
        value = await client.post(
            f"{evaluation}/v1/indicators/{indicator['id']}/values", headers=reporter, json={"year": 2025, "value": "3"}
        )
        assert value.status_code == 409, value.text
        assert value.json()["type"] == "/problems/evaluation/partner-deactivated"
        another = await client.post(
            f"{evaluation}/v1/indicators", headers=editor, json={**indicator_body, "code": "C-2"}
        )
        assert another.status_code == 409, another.text
        assert (another.json()["type"], another.json()["measure_id"]) == (
            "/problems/evaluation/measure-closed",
            closing,
        )
