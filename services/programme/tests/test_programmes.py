"""Programmes: created per canton and period, changed with If-Match, their priority areas."""

from __future__ import annotations

from typing import Any

import httpx
from programme_factories import BL_KIP3, LANGUAGE, create_programme, field_names, problem


async def test_bl_kip3_is_seeded_with_its_three_priority_areas(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    response = await client.get(f"/v1/programmes/{BL_KIP3}/funding-areas", headers=token("canton-viewer", canton="BL"))
    assert response.status_code == 200
    priorities = {a["funding_area"]["code"] for a in response.json() if a["is_priority"]}
    assert priorities == {"information_needs_assessment_counselling", "language", "early_childhood"}


async def test_editor_creates_programme_with_all_areas_of_the_period(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bs = token("canton-editor", canton="BS")
    programme = await create_programme(client, bs)
    assert programme["status"] == "draft"
    assert programme["period"]["code"] == "KIP3"
    areas = await client.get(f"/v1/programmes/{programme['id']}/funding-areas", headers=bs)
    assert len(areas.json()) == 7
    assert not any(a["is_priority"] for a in areas.json())


async def test_second_programme_for_the_same_canton_and_period_conflicts(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    response = await client.post(
        "/v1/programmes",
        json={"canton": "BL", "period": "KIP3", "title": "Zweites"},
        headers=token("canton-editor", canton="BL"),
    )
    assert problem(response, 409)["programme_id"] == BL_KIP3


async def test_programme_list_filters_by_period_and_is_scoped_to_the_canton(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    await create_programme(client, token("canton-editor", canton="BS"))
    bl = await client.get("/v1/programmes", params={"period": "KIP3"}, headers=token("canton-viewer", canton="BL"))
    assert [p["canton"] for p in bl.json()["items"]] == ["BL"]
    sem = await client.get("/v1/programmes", params={"period": "KIP3"}, headers=token("sem"))
    assert sorted(p["canton"] for p in sem.json()["items"]) == ["BL", "BS"]
    assert sem.json()["total"] == 2
    paged = await client.get("/v1/programmes", params={"limit": 1, "offset": 1}, headers=token("sem"))
    assert paged.json()["total"] == 3 and len(paged.json()["items"]) == 1


async def test_status_follows_the_workflow(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bs = token("canton-editor", canton="BS")
    programme = await create_programme(client, bs)
    url = f"/v1/programmes/{programme['id']}"
    jump = await client.patch(url, json={"status": "closed"}, headers=bs | {"If-Match": '"1"'})
    assert "body.status" in field_names(problem(jump, 422))
    submitted = await client.patch(url, json={"status": "submitted"}, headers=bs | {"If-Match": '"1"'})
    assert submitted.status_code == 200, submitted.text
    assert submitted.headers["etag"] == '"2"'
    agreed = await client.patch(
        url,
        json={"status": "agreed", "agreement_reference": "SEM-KIP3-BS", "agreement_date": "2023-12-01"},
        headers=bs | {"If-Match": '"2"'},
    )
    assert agreed.json()["status"] == "agreed"
    assert agreed.json()["agreement_reference"] == "SEM-KIP3-BS"


async def test_stale_if_match_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL")
    url = f"/v1/programmes/{BL_KIP3}"
    first = await client.patch(url, json={"title": "Neu"}, headers=bl | {"If-Match": '"1"'})
    assert first.status_code == 200
    stale = await client.patch(url, json={"title": "Überschrieben"}, headers=bl | {"If-Match": '"1"'})
    assert problem(stale, 412)["current_etag"] == '"2"'
    assert (await client.get(url, headers=bl)).json()["title"] == "Neu"


async def test_update_without_if_match_is_refused(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    response = await client.patch(
        f"/v1/programmes/{BL_KIP3}", json={"title": "x"}, headers=token("canton-editor", canton="BL")
    )
    problem(response, 428)


async def test_priority_mark_changes_with_if_match(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    bl = token("canton-editor", canton="BL")
    url = f"/v1/programmes/{BL_KIP3}/funding-areas/{LANGUAGE}"
    response = await client.put(url, json={"is_priority": False}, headers=bl | {"If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.json()["is_priority"] is False
    assert response.headers["etag"] == '"2"'
    problem(await client.put(url, json={"is_priority": True}, headers=bl | {"If-Match": '"1"'}), 412)
    problem(await client.put(url, json={"is_priority": 1}, headers=bl | {"If-Match": '"2"'}), 422)


async def test_closed_programme_cannot_change(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    from programme_factories import BL_KIP2BIS

    bl = token("canton-editor", canton="BL")
    response = await client.patch(f"/v1/programmes/{BL_KIP2BIS}", json={"title": "x"}, headers=bl | {"If-Match": '"1"'})
    problem(response, 409)


async def test_a_programme_has_its_cantons_working_language_and_the_canton_may_change_it(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = await client.get(f"/v1/programmes/{BL_KIP3}", headers=token("canton-viewer", canton="BL"))
    assert bl.json()["working_language"] == "de"
    geneva = token("canton-editor", canton="GE")
    ge = await create_programme(client, geneva, canton="GE", title="PIC 3 Genève")
    assert ge["working_language"] == "fr"
    ticino = await create_programme(client, token("canton-editor", canton="TI"), canton="TI", title="PIC 3 Ticino")
    assert ticino["working_language"] == "it"
    url = f"/v1/programmes/{ge['id']}"
    changed = await client.patch(url, json={"working_language": "de"}, headers=geneva | {"If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.json()["working_language"] == "de"
    english = await client.patch(url, json={"working_language": "en"}, headers=geneva | {"If-Match": '"2"'})
    assert "body.working_language" in field_names(problem(english, 422))
    null = await client.patch(url, json={"working_language": None}, headers=geneva | {"If-Match": '"2"'})
    assert "body.working_language" in field_names(problem(null, 422))
    assert (await client.get(url, headers=geneva)).json()["working_language"] == "de"
