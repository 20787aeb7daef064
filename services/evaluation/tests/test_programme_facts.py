"""Evaluation follows the programme service's measure and partner statuses (its events): no new indicator for a
closed measure, no value reported by a deactivated partner, and lists of indicators show their measure's status."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from evaluation.programme_fact.service import PROJECTION
from kit.consumer import EventConsumer
from kit.ids import seed_uuid
from kit.pytest_plugin import catch_up, patch_current
from support.upstreams import following_fixtures

pytestmark = pytest.mark.asyncio
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
INFO = str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"))


programme, follower = following_fixtures("evaluation", PROJECTION)


async def partner_with_measure(programme: httpx.AsyncClient, editor: dict[str, str]) -> tuple[str, str]:
    slug = f"e-{uuid.uuid4().hex[:8]}"
    body = {"canton": "BL", "slug": slug, "name": slug, "short_name": slug, "kind": "association"}
    partner = await programme.post("/v1/partners", headers=editor, json=body)
    assert partner.status_code == 201, partner.text
    measure = await programme.post(
        "/v1/measures",
        headers=editor,
        json={
            "programme_id": PROGRAMME,
            "funding_area_id": INFO,
            "code": f"E-{uuid.uuid4().hex[:6]}",
            "title": "Kurs",
            "partner_id": partner.json()["id"],
            "status": "active",
        },
    )
    assert measure.status_code == 201, measure.text
    return partner.json()["id"], measure.json()["id"]


def indicator_body(measure_id: str) -> dict[str, Any]:
    code = f"I-{uuid.uuid4().hex[:6]}"
    return {
        "programme_id": PROGRAMME,
        "measure_id": measure_id,
        "code": code,
        "title": code,
        "level": "output",
        "unit": "count",
    }


async def test_a_deactivated_partner_reports_no_more_values_the_canton_still_does(
    client: httpx.AsyncClient,
    programme: httpx.AsyncClient,
    follower: EventConsumer,
    editor: dict[str, str],
    token: Any,
) -> None:
    partner_id, measure_id = await partner_with_measure(programme, editor)
    indicator = await client.post("/v1/indicators", headers=editor, json=indicator_body(measure_id))
    assert indicator.status_code == 201, indicator.text
    values = f"/v1/indicators/{indicator.json()['id']}/values"
    reporter = token("partner", partner_id=uuid.UUID(partner_id))
    first = await client.post(values, headers=reporter, json={"year": 2025, "value": "10"})
    assert first.status_code == 201, first.text

    await patch_current(programme, editor, f"/v1/partners/{partner_id}", {"status": "deactivated"})
    await catch_up(follower)

    refused = await client.post(values, headers=reporter, json={"year": 2026, "value": "12"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"] == "/problems/evaluation/partner-deactivated"
    assert refused.json()["partner_id"] == partner_id
    by_canton = await client.post(values, headers=editor, json={"year": 2026, "value": "12"})
    assert by_canton.status_code == 201, by_canton.text
    listed = (await client.get(values, headers=editor)).json()
    assert sorted(v["year"] for v in listed) == [2025, 2026]


async def test_a_closed_measure_takes_no_new_indicator_and_lists_show_it_closed(
    client: httpx.AsyncClient,
    programme: httpx.AsyncClient,
    follower: EventConsumer,
    editor: dict[str, str],
    token: Any,
) -> None:
    _, measure_id = await partner_with_measure(programme, editor)
    before = await client.post("/v1/indicators", headers=editor, json=indicator_body(measure_id))
    assert before.status_code == 201, before.text

    await patch_current(programme, editor, f"/v1/measures/{measure_id}", {"status": "cancelled"})
    await catch_up(follower)

    refused = await client.post("/v1/indicators", headers=editor, json=indicator_body(measure_id))
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"] == "/problems/evaluation/measure-closed"
    assert (problem["measure_id"], problem["measure_status"]) == (measure_id, "cancelled")
    listed = (await client.get("/v1/indicators", headers=editor, params={"measure_id": measure_id})).json()
    assert [(i["id"], i["measure_status"]) for i in listed] == [(before.json()["id"], "cancelled")]
    # Another canton's editor learns nothing of it: the programme service's answer (unknown measure), not the state.
    other = await client.post(
        "/v1/indicators", headers=token("canton-editor", canton="ZH"), json=indicator_body(measure_id)
    )
    assert other.status_code in (403, 404, 422) and "closed" not in other.text

    await patch_current(programme, editor, f"/v1/measures/{measure_id}", {"status": "active"})
    await catch_up(follower)
    again = await client.post("/v1/indicators", headers=editor, json=indicator_body(measure_id))
    assert again.status_code == 201, again.text
