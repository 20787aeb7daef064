"""Funding follows the programme service's measure and partner statuses (its events) and refuses new commitments
for a closed measure or a deactivated partner, deciding from its projection, not by asking at the write."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from funding.programme_fact.service import PROJECTION
from kit.consumer import EventConsumer
from kit.ids import seed_uuid
from kit.pytest_plugin import catch_up, patch_current
from support.upstreams import following_fixtures

pytestmark = pytest.mark.asyncio
Api = Any
PROGRAMME = seed_uuid("programme", "BL-KIP3")
INFO = "information_needs_assessment_counselling"
LINES = [(2024, INFO, "canton", "1000.00")]


programme, follower = following_fixtures("funding", PROJECTION)


async def new_partner(programme: httpx.AsyncClient, editor: dict[str, str]) -> dict[str, Any]:
    slug = f"f-{uuid.uuid4().hex[:8]}"
    body = {"canton": "BL", "slug": slug, "name": slug, "short_name": slug, "kind": "association"}
    r = await programme.post("/v1/partners", headers=editor, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def new_measure(programme: httpx.AsyncClient, editor: dict[str, str], partner_id: str) -> dict[str, Any]:
    body = {
        "programme_id": str(PROGRAMME),
        "funding_area_id": str(seed_uuid("funding-area", f"KIP3/{INFO}")),
        "code": f"F-{uuid.uuid4().hex[:6]}",
        "title": "Beratung",
        "partner_id": partner_id,
        "status": "active",
    }
    r = await programme.post("/v1/measures", headers=editor, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def draft(api: Api, partner: dict[str, Any], measure: dict[str, Any]) -> dict[str, Any]:
    body = {**api.agreement_body(LINES), "partner_id": partner["id"], "measure_ids": [measure["id"]]}
    r = await api.client.post("/v1/agreements", headers=api.editor, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def listed(page: dict[str, Any], agreement_id: str) -> dict[str, Any]:
    return next(a for a in page["items"] if a["id"] == agreement_id)


async def test_a_deactivated_partner_gets_no_signature_and_no_disbursement_request(
    api: Api, client: httpx.AsyncClient, programme: httpx.AsyncClient, follower: EventConsumer, editor: dict[str, str]
) -> None:
    partner = await new_partner(programme, editor)
    measure = await new_measure(programme, editor, partner["id"])
    in_force = await draft(api, partner, measure)
    assert (await api.sign(in_force)).status_code == 200
    pending = await draft(api, partner, measure)

    await patch_current(programme, editor, f"/v1/partners/{partner['id']}", {"status": "deactivated"})
    await catch_up(follower)

    refused = await api.sign(pending)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"] == "/problems/funding/partner-deactivated"
    assert problem["partner_id"] == partner["id"] and partner["id"] in problem["detail"]
    request = await api.request(editor, in_force["id"], "100.00")
    assert request.status_code == 409 and request.json()["type"] == "/problems/funding/partner-deactivated"
    again = await client.post(
        "/v1/agreements",
        headers=editor,
        json={**api.agreement_body(LINES), "partner_id": partner["id"], "measure_ids": []},
    )
    assert again.status_code == 409 and again.json()["partner_id"] == partner["id"]
    page = (await client.get("/v1/agreements", headers=editor, params={"partner_id": partner["id"]})).json()
    assert page["total"] == 2  # nothing was written by the refused draft
    assert {a["partner_status"] for a in page["items"]} == {"deactivated"}
    single = (await client.get(f"/v1/agreements/{pending['id']}", headers=editor)).json()
    assert single["status"] == "draft" and single["partner_status"] is None  # a record's own read: its ETag

    await patch_current(programme, editor, f"/v1/partners/{partner['id']}", {"status": "active"})
    await catch_up(follower)
    assert (await api.sign(pending)).status_code == 200
    assert (await api.request(editor, in_force["id"], "100.00")).status_code == 201
    page = (await client.get("/v1/agreements", headers=editor, params={"partner_id": partner["id"]})).json()
    assert {a["partner_status"] for a in page["items"]} == {"active"}


async def test_a_closed_measure_takes_no_new_commitment_but_a_signed_one_keeps_it(
    api: Api, client: httpx.AsyncClient, programme: httpx.AsyncClient, follower: EventConsumer, editor: dict[str, str]
) -> None:
    partner = await new_partner(programme, editor)
    measure = await new_measure(programme, editor, partner["id"])
    signed = await draft(api, partner, measure)
    signed = (await api.sign(signed)).json()
    pending = await draft(api, partner, measure)

    await patch_current(programme, editor, f"/v1/measures/{measure['id']}", {"status": "completed"})
    await catch_up(follower)

    refused = await api.sign(pending)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"] == "/problems/funding/measure-closed"
    assert (problem["measure_id"], problem["measure_status"]) == (measure["id"], "completed")
    fresh = await client.post(
        "/v1/agreements",
        headers=editor,
        json={**api.agreement_body(LINES), "partner_id": partner["id"], "measure_ids": [measure["id"]]},
    )
    assert fresh.status_code == 409 and fresh.json()["field"] == ["body", "measure_ids", 0]
    # An amendment of what was signed before the measure closed may keep it (lowering the amount, say).
    terms = {k: v for k, v in api.agreement_body([(2024, INFO, "canton", "600.00")]).items() if k != "partner_id"}
    del terms["programme_id"]
    amended = await client.post(
        f"/v1/agreements/{signed['id']}/versions",
        headers=editor | {"If-Match": f'"{signed["version"]}"'},
        json={**terms, "measure_ids": [measure["id"]], "reason": "weniger"},
    )
    assert amended.status_code == 201, amended.text
    assert (await api.sign(amended.json())).status_code == 200
    page = (await client.get("/v1/agreements", headers=editor, params={"partner_id": partner["id"]})).json()
    assert [a["closed_measure_ids"] for a in page["items"]] == [[measure["id"]], [measure["id"]]]
    assert listed(page, pending["id"])["status"] == "draft"

    await patch_current(programme, editor, f"/v1/measures/{measure['id']}", {"status": "active"})
    await catch_up(follower)
    assert (await api.sign(pending)).status_code == 200
