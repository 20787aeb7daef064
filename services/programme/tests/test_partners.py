"""Partner organisations: UID check digits, uniqueness, and who sees whom."""

from __future__ import annotations

from typing import Any

import httpx
from programme_factories import ALD, HEKS, SRK, create_partner, field_names, problem


async def test_editor_registers_a_partner_with_a_valid_uid(client: httpx.AsyncClient, token: Any) -> None:
    partner = await create_partner(
        client,
        token("canton-editor", canton="BL"),
        uid="CHE-109.322.551",
        postal_code="4410",
        town="Liestal",
        contact_email="info@example.ch",
    )
    assert partner["uid"] == "CHE-109.322.551"
    assert partner["illustrative"] is False


async def test_uid_with_a_wrong_check_digit_is_refused_and_nothing_written(
    client: httpx.AsyncClient, token: Any
) -> None:
    bl = token("canton-editor", canton="BL")
    response = await client.post(
        "/v1/partners",
        json={
            "canton": "BL",
            "slug": "wrong",
            "name": "X",
            "short_name": "X",
            "kind": "association",
            "uid": "CHE-109.322.552",
        },
        headers=bl,
    )
    assert "body.uid" in field_names(problem(response, 422))
    assert (await client.get("/v1/partners", headers=bl)).json()["total"] == 0


async def test_duplicate_uid_conflicts(client: httpx.AsyncClient, token: Any) -> None:
    bl = token("canton-editor", canton="BL")
    await create_partner(client, bl, uid="CHE-109.322.551")
    response = await client.post(
        "/v1/partners",
        json={
            "canton": "BL",
            "slug": "other",
            "name": "Y",
            "short_name": "Y",
            "kind": "commune",
            "uid": "CHE109322551",
        },
        headers=bl,
    )
    problem(response, 409)


async def test_partner_reads_itself_only(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    import uuid

    ald = token("partner", partner_id=uuid.UUID(ALD))
    own = await client.get(f"/v1/partners/{ALD}", headers=ald)
    assert own.status_code == 200 and own.json()["short_name"] == "ald"
    problem(await client.get(f"/v1/partners/{SRK}", headers=ald), 404)
    listing = await client.get("/v1/partners", headers=ald)
    assert [p["id"] for p in listing.json()["items"]] == [ALD]


async def test_canton_sees_its_own_partners_only(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bs = token("canton-viewer", canton="BS")
    assert (await client.get("/v1/partners", headers=bs)).json()["total"] == 0
    problem(await client.get(f"/v1/partners/{HEKS}", headers=bs), 404)
    bl = await client.get(
        "/v1/partners", params={"kind": "cantonal_office"}, headers=token("canton-viewer", canton="BL")
    )
    assert {p["short_name"] for p in bl.json()["items"]} == {"AMIB Integration", "BMH", "KSA"}


async def test_partner_cannot_change_partners(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    import uuid

    response = await client.patch(
        f"/v1/partners/{ALD}",
        json={"town": "Liestal"},
        headers=token("partner", partner_id=uuid.UUID(ALD)) | {"If-Match": '"1"'},
    )
    problem(response, 403)


async def test_editor_updates_partner_contact(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    response = await client.patch(
        f"/v1/partners/{ALD}", json={"contact_phone": "+41 61 000 00 00"}, headers=bl | {"If-Match": '"1"'}
    )
    assert response.status_code == 200, response.text
    assert response.json()["contact_phone"] == "+41 61 000 00 00"
    bad = await client.patch(f"/v1/partners/{ALD}", json={"name": None}, headers=bl | {"If-Match": '"2"'})
    assert "body.name" in field_names(problem(bad, 422))
