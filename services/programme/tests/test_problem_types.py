"""Each distinct failure of the programme service answers its own problem `type` (`programme/problems.py`), so a
client tells them apart without reading the detail; the title comes in the caller's language."""

from __future__ import annotations

from typing import Any

import httpx
from programme_factories import (
    BL_KIP3,
    KIP2BIS_LANGUAGE,
    create_partner,
    create_programme,
    field_names,
    measure_payload,
    problem,
)


async def test_a_second_programme_for_the_period_is_programme_exists_titled_in_french(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    headers = token("canton-editor", canton="BL") | {"Accept-Language": "fr-CH"}
    response = await client.post(
        "/v1/programmes", json={"canton": "BL", "period": "KIP3", "title": "x"}, headers=headers
    )
    body = problem(response, 409)
    assert body["type"] == "/problems/programme/programme-exists"
    assert body["title"] == "Le canton a déjà un programme pour cette période"
    assert body["programme_id"] == BL_KIP3


async def test_a_closed_programme_refuses_changes_as_programme_closed(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bs = token("canton-editor", canton="BS")
    url = f"/v1/programmes/{(await create_programme(client, bs))['id']}"
    jump = problem(await client.patch(url, json={"status": "closed"}, headers=bs | {"If-Match": '"1"'}), 422)
    assert jump["type"] == "/problems/programme/invalid-transition"
    assert field_names(jump) == {"body.status"}
    steps = [{"status": "submitted"}, {"status": "agreed"}, {"status": "closed"}]
    for version, change in enumerate(steps, start=1):
        response = await client.patch(url, json=change, headers=bs | {"If-Match": f'"{version}"'})
        assert response.status_code == 200, response.text
    closed = problem(await client.patch(url, json={"title": "Neu"}, headers=bs | {"If-Match": '"4"'}), 409)
    assert closed["type"] == "/problems/programme/programme-closed"
    assert closed["title"] == "The programme is closed"
    assert (await client.get(url, headers=bs)).json()["title"] == "KIP 3 Basel-Stadt"


async def test_taken_codes_and_unknown_references_have_types_of_their_own(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL") | {"Accept-Language": "de"}
    created = await client.post("/v1/measures", json=measure_payload(), headers=bl)
    assert created.status_code == 201, created.text
    taken = problem(await client.post("/v1/measures", json=measure_payload(), headers=bl), 409)
    assert taken["type"] == "/problems/programme/measure-code-taken"
    assert taken["title"] == "Das Programm hat bereits eine Massnahme mit diesem Code"
    other_period = measure_payload(code="BL-2.98", funding_area_id=KIP2BIS_LANGUAGE)
    unknown = problem(await client.post("/v1/measures", json=other_period, headers=bl), 422)
    assert unknown["type"] == "/problems/programme/unknown-reference"
    assert field_names(unknown) == {"body.funding_area_id"}
    await create_partner(client, bl)
    slug = problem(
        await client.post(
            "/v1/partners",
            json={"canton": "BL", "slug": "test-partner", "name": "Zwei", "short_name": "Z", "kind": "association"},
            headers=bl,
        ),
        409,
    )
    assert slug["type"] == "/problems/programme/partner-slug-taken"
