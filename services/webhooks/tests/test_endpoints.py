"""Registering webhook endpoints: validation, refused receivers (SSRF), owners, ETags, rotation, the audit trail."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from webhook_factories import PUBLIC_URL, problem, register

PARTNER_A, PARTNER_B = uuid.uuid4(), uuid.uuid4()


async def test_registration_shows_the_secret_once(client: httpx.AsyncClient, token: Any) -> None:
    bl = token("canton-editor", canton="BL")
    created = await register(client, bl, event_types=["funding.disbursement.approved", "programme.measure.changed"])
    assert created["secret"].startswith("whsec_")
    assert created["owner_role"] == "canton" and created["owner_canton"] == "BL"
    assert created["event_types"] == ["funding.disbursement.approved", "programme.measure.changed"]
    read = await client.get(f"/v1/webhooks/{created['id']}", headers=bl)
    assert read.status_code == 200 and "secret" not in read.json()
    assert read.headers["etag"] == '"1"'
    listed = (await client.get("/v1/webhooks", headers=bl)).json()
    assert [e["id"] for e in listed["items"]] == [created["id"]] and "secret" not in listed["items"][0]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://93.184.215.14/hook", "https"),
        ("https://127.0.0.1/hook", "public address"),
        ("https://localhost:8443/hook", "public address"),
        ("https://10.1.2.3/hook", "public address"),
        ("https://192.168.1.1/hook", "public address"),
        ("https://169.254.169.254/latest/meta-data", "public address"),
        ("https://[::1]/hook", "public address"),
        ("https://[::ffff:127.0.0.1]/hook", "public address"),
        ("https://224.0.0.1/hook", "public address"),
        ("https://user:pw@93.184.215.14/hook", "password"),
        ("https://no-such-host.invalid/hook", "does not resolve"),
        ("not a url", "https"),
    ],
)
async def test_unsafe_receivers_are_refused(client: httpx.AsyncClient, token: Any, url: str, why: str) -> None:
    response = await client.post(
        "/v1/webhooks", json={"url": url, "event_types": ["programme.measure.changed"]}, headers=token("sem")
    )
    body = problem(response, 422)
    assert why in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "url"]
    assert (await client.get("/v1/webhooks", headers=token("sem"))).json()["total"] == 0


async def test_unknown_event_types_are_refused(client: httpx.AsyncClient, token: Any) -> None:
    response = await client.post(
        "/v1/webhooks",
        json={"url": PUBLIC_URL, "event_types": ["programme.measure.changed", "funding.money.vanished"]},
        headers=token("sem"),
    )
    body = problem(response, 422)
    assert "funding.money.vanished" in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "event_types", 1]
    problem(await client.post("/v1/webhooks", json={"url": PUBLIC_URL, "event_types": []}, headers=token("sem")), 422)


async def test_nobody_sees_another_owners_endpoints(client: httpx.AsyncClient, token: Any) -> None:
    owners = {
        "bl": token("canton-editor", canton="BL"),
        "bs": token("canton-editor", canton="BS"),
        "a": token("partner", partner_id=PARTNER_A),
        "b": token("partner", partner_id=PARTNER_B),
        "sem": token("sem"),
    }
    ids = {name: (await register(client, headers))["id"] for name, headers in owners.items()}
    for name, headers in owners.items():
        listed = (await client.get("/v1/webhooks", headers=headers)).json()
        assert [e["id"] for e in listed["items"]] == [ids[name]]
        for other, endpoint_id in ids.items():
            if other != name:
                problem(await client.get(f"/v1/webhooks/{endpoint_id}", headers=headers), 404)
                patched = await client.patch(
                    f"/v1/webhooks/{endpoint_id}", json={"description": "x"}, headers=headers | {"If-Match": "*"}
                )
                problem(patched, 404)
                problem(await client.get(f"/v1/webhooks/{endpoint_id}/deliveries", headers=headers), 404)
    viewer = token("canton-viewer", canton="BL")
    assert (await client.get(f"/v1/webhooks/{ids['bl']}", headers=viewer)).status_code == 200
    problem(await client.delete(f"/v1/webhooks/{ids['bl']}", headers=viewer | {"If-Match": '"1"'}), 403)


async def test_changes_need_the_current_etag(client: httpx.AsyncClient, token: Any) -> None:
    sem = token("sem")
    endpoint = await register(client, sem)
    url = f"/v1/webhooks/{endpoint['id']}"
    problem(await client.patch(url, json={"description": "CRM"}, headers=sem), 428)
    changed = await client.patch(url, json={"description": "CRM", "enabled": False}, headers=sem | {"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'
    assert changed.json()["enabled"] is False and changed.json()["disabled_reason"]
    problem(await client.patch(url, json={"enabled": True}, headers=sem | {"If-Match": '"1"'}), 412)
    problem(await client.patch(url, json={"url": "https://127.0.0.1/x"}, headers=sem | {"If-Match": '"2"'}), 422)
    enabled = await client.patch(url, json={"enabled": True}, headers=sem | {"If-Match": '"2"'})
    assert enabled.json()["enabled"] is True and enabled.json()["disabled_reason"] is None
    problem(await client.delete(url, headers=sem | {"If-Match": '"2"'}), 412)
    assert (await client.delete(url, headers=sem | {"If-Match": '"3"'})).status_code == 204
    problem(await client.get(url, headers=sem), 404)


async def test_rotation_and_the_audit_trail_keep_secrets_out(client: httpx.AsyncClient, token: Any) -> None:
    partner = token("partner", partner_id=PARTNER_A)
    endpoint = await register(client, partner)
    rotated = await client.post(f"/v1/webhooks/{endpoint['id']}/secret", json={"overlap_hours": 2}, headers=partner)
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_") and rotated.json()["secret"] != endpoint["secret"]
    assert rotated.json()["previous_secret_expires_at"] is not None
    trail = (await client.get("/v1/audit", headers=token("sem"))).text
    assert endpoint["secret"] not in trail and rotated.json()["secret"] not in trail
    assert "[redacted]" in trail
