"""Evaluations and studies: planning, the status workflow without jumps, bad input, who sees what."""

from __future__ import annotations

from typing import Any

import httpx

WORKFLOW = ["tendered", "running", "report_received", "completed"]


async def _patch(client: httpx.AsyncClient, headers: dict[str, str], ev: dict[str, Any], **body: Any) -> httpx.Response:
    return await client.patch(
        f"/v1/evaluations/{ev['id']}", json=body, headers={**headers, "If-Match": f'"{ev["version"]}"'}
    )


async def test_planning_an_evaluation_records_its_subject_and_budget(
    client: httpx.AsyncClient, editor: dict[str, str], ids: Any, plan: Any
) -> None:
    ev = await plan(
        kind="study",
        title="Bedarfsstudie Sprachkurse",
        measure_ids=[ids.measure("BL-2.01")],
        budget="89457.00",
        contractor="ZHAW",
        planned_start="2025-01-01",
        planned_end="2026-06-30",
        questions=["Wer wird erreicht?"],
    )
    assert ev["status"] == "planned"
    assert ev["allowed_next"] == ["cancelled", "tendered"]
    assert ev["canton"] == "BL"
    assert ev["budget"] == "89457.00"
    assert ev["measure_ids"] == [ids.measure("BL-2.01")]
    assert ev["partner_ids"] == [ids.partner("bmh")]  # the measure's deliverer is part of the subject
    read = await client.get(f"/v1/evaluations/{ev['id']}", headers=editor)
    assert read.status_code == 200 and read.headers["ETag"] == '"1"'
    assert read.json() == ev


async def test_planned_cannot_jump_to_completed(client: httpx.AsyncClient, editor: dict[str, str], plan: Any) -> None:
    ev = await plan()
    response = await _patch(client, editor, ev, status="completed")
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["loc"] == ["body", "status"]
    assert problem["allowed_next"] == ["cancelled", "tendered"]
    assert "tendered" in problem["detail"]
    assert (await client.get(f"/v1/evaluations/{ev['id']}", headers=editor)).json()["status"] == "planned"


async def test_the_workflow_goes_one_step_at_a_time_and_ends(
    client: httpx.AsyncClient, editor: dict[str, str], plan: Any
) -> None:
    ev = await plan()
    for state in WORKFLOW:
        response = await _patch(client, editor, ev, status=state)
        assert response.status_code == 200, response.text
        ev = response.json()
        assert ev["status"] == state
    assert ev["allowed_next"] == []
    refused = await _patch(client, editor, ev, status="cancelled")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "status"]


async def test_skipping_a_step_in_the_middle_is_refused(
    client: httpx.AsyncClient, editor: dict[str, str], plan: Any
) -> None:
    ev = await plan()
    ev = (await _patch(client, editor, ev, status="tendered")).json()
    response = await _patch(client, editor, ev, status="report_received")
    assert response.status_code == 422
    assert response.json()["allowed_next"] == ["cancelled", "running"]


async def test_a_running_evaluation_can_be_cancelled_but_not_revived(
    client: httpx.AsyncClient, editor: dict[str, str], plan: Any
) -> None:
    ev = await plan()
    for state in ("tendered", "running", "cancelled"):
        ev = (await _patch(client, editor, ev, status=state)).json()
    assert ev["status"] == "cancelled"
    assert (await _patch(client, editor, ev, status="running")).status_code == 422


async def test_changes_need_the_current_etag(client: httpx.AsyncClient, editor: dict[str, str], plan: Any) -> None:
    ev = await plan()
    no_etag = await client.patch(f"/v1/evaluations/{ev['id']}", json={"title": "Neu"}, headers=editor)
    assert no_etag.status_code == 428
    assert (await _patch(client, editor, ev, title="Neu")).status_code == 200
    stale = await _patch(client, editor, ev, title="Noch neuer")
    assert stale.status_code == 412


async def test_bad_input_names_the_field(client: httpx.AsyncClient, editor: dict[str, str], ids: Any) -> None:
    base = {"programme_id": str(ids.programme), "kind": "study", "title": "Studie"}
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        ({"budget": 1000.5}, ["body", "budget"]),
        ({"budget": "-5.00"}, ["body", "budget"]),
        ({"kind": "audit"}, ["body", "kind"]),
        ({"title": ""}, ["body", "title"]),
        ({"report_url": "not a url"}, ["body", "report_url"]),
        ({"unknown": 1}, ["body", "unknown"]),
        ({"programme_id": "00000000-0000-0000-0000-000000000001"}, ["body", "programme_id"]),
        ({"measure_ids": ["00000000-0000-0000-0000-000000000002"]}, ["body", "measure_ids", 0]),
        ({"partner_ids": [ids.partner("ald"), "00000000-0000-0000-0000-000000000003"]}, ["body", "partner_ids", 1]),
    ]
    for change, loc in cases:
        response = await client.post("/v1/evaluations", json={**base, **change}, headers=editor)
        assert response.status_code == 422, (change, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert loc in [e["loc"] for e in response.json()["errors"]], (change, response.json())
    dates = await client.post(
        "/v1/evaluations", json={**base, "planned_start": "2025-06-01", "planned_end": "2025-01-01"}, headers=editor
    )
    assert dates.status_code == 422
    page = await client.get("/v1/evaluations", headers=editor)
    assert page.json()["total"] == 0  # nothing half-written


async def test_a_measure_of_another_programme_is_refused(
    client: httpx.AsyncClient, editor: dict[str, str], ids: Any
) -> None:
    body = {
        "programme_id": str(ids.programme_kip2bis),
        "kind": "study",
        "title": "Studie",
        "measure_ids": [ids.measure("BL-1.02")],
    }
    response = await client.post("/v1/evaluations", json=body, headers=editor)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "measure_ids", 0]


async def test_only_the_cantons_editors_plan_evaluations(
    client: httpx.AsyncClient, viewer: dict[str, str], sem: dict[str, str], token: Any, as_partner: Any, ids: Any
) -> None:
    body = {"programme_id": str(ids.programme), "kind": "study", "title": "Studie"}
    for headers in (viewer, sem, as_partner("ald")):
        assert (await client.post("/v1/evaluations", json=body, headers=headers)).status_code == 403
    other_canton = await client.post("/v1/evaluations", json=body, headers=token("canton-editor", canton="ZH"))
    assert other_canton.status_code == 422  # the programme service does not show ZH the BL programme
    assert other_canton.json()["errors"][0]["loc"] == ["body", "programme_id"]


async def test_who_sees_which_evaluations(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    viewer: dict[str, str],
    sem: dict[str, str],
    token: Any,
    as_partner: Any,
    ids: Any,
    plan: Any,
) -> None:
    ald = await plan(title="ald", measure_ids=[ids.measure("BL-1.02")])
    srk = await plan(title="srk", partner_ids=[ids.partner("srk-bl")])
    await plan(title="general")

    async def titles(headers: dict[str, str], **params: Any) -> list[str]:
        response = await client.get("/v1/evaluations", headers=headers, params=params)
        assert response.status_code == 200
        return sorted(e["title"] for e in response.json()["items"])

    assert await titles(viewer) == ["ald", "general", "srk"]
    assert await titles(sem, programme_id=str(ids.programme)) == ["ald", "general", "srk"]
    assert await titles(token("canton-viewer", canton="ZH")) == []
    assert await titles(as_partner("ald")) == ["ald"]
    assert await titles(as_partner("srk-bl")) == ["srk"]
    assert await titles(as_partner("heks-bb")) == []
    assert await titles(viewer, status="running") == []
    assert (await client.get(f"/v1/evaluations/{srk['id']}", headers=as_partner("ald"))).status_code == 404
    assert (await client.get(f"/v1/evaluations/{ald['id']}", headers=as_partner("ald"))).status_code == 200
    zh = await client.get(f"/v1/evaluations/{ald['id']}", headers=token("canton-editor", canton="ZH"))
    assert zh.status_code == 404


async def test_the_list_shows_each_subject_as_reading_one_by_one(
    client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str], ids: Any, plan: Any
) -> None:
    both = await plan(
        title="both",
        planned_start="2025-01-01",
        measure_ids=[ids.measure("BL-2.01"), ids.measure("BL-1.02")],
        partner_ids=[ids.partner("srk-bl")],
    )
    direct = await plan(title="direct", planned_start="2025-02-01", partner_ids=[ids.partner("ald")])
    bare = await plan(title="bare", planned_start="2025-03-01")
    assert sorted(both["partner_ids"]) == both["partner_ids"] and len(both["partner_ids"]) == 3
    singles = []
    for ev in (both, direct, bare):
        read = await client.get(f"/v1/evaluations/{ev['id']}", headers=sem)
        assert read.status_code == 200
        singles.append(read.json())
    assert [s["measure_ids"] for s in singles] == [sorted(both["measure_ids"]), [], []]
    pages = []
    for offset in (0, 2):
        params: dict[str, str | int] = {"programme_id": str(ids.programme), "limit": 2, "offset": offset}
        response = await client.get("/v1/evaluations", headers=sem, params=params)
        assert response.status_code == 200
        assert response.json()["total"] == 3
        pages.extend(response.json()["items"])
    assert pages == singles


async def test_evaluations_concerning_a_partner(
    client: httpx.AsyncClient,
    viewer: dict[str, str],
    sem: dict[str, str],
    token: Any,
    as_partner: Any,
    ids: Any,
    plan: Any,
) -> None:
    """`partner_id` keeps the evaluations concerning that partner (named, or delivering a measure looked at), within
    what the caller may see: a partner naming another partner, or another canton, gets nothing."""
    await plan(title="ald by measure", measure_ids=[ids.measure("BL-1.02")])
    await plan(title="ald named", partner_ids=[ids.partner("ald")])
    await plan(title="srk", partner_ids=[ids.partner("srk-bl")])
    await plan(title="general")

    async def titles(headers: dict[str, str], partner_slug: str) -> list[str]:
        params = {"partner_id": str(ids.partner(partner_slug))}
        response = await client.get("/v1/evaluations", headers=headers, params=params)
        assert response.status_code == 200, response.text
        assert response.headers["etag"]
        assert response.json()["total"] == len(response.json()["items"])
        return sorted(e["title"] for e in response.json()["items"])

    assert await titles(viewer, "ald") == ["ald by measure", "ald named"]
    assert await titles(sem, "srk-bl") == ["srk"]
    assert await titles(as_partner("ald"), "ald") == ["ald by measure", "ald named"]
    assert await titles(as_partner("srk-bl"), "srk-bl") == ["srk"]
    assert await titles(as_partner("srk-bl"), "ald") == []  # another partner's: nothing
    assert await titles(as_partner("ald"), "srk-bl") == []
    assert await titles(token("canton-viewer", canton="ZH"), "ald") == []  # another canton's: nothing
    bad = await client.get("/v1/evaluations", headers=viewer, params={"partner_id": "not-a-uuid"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["loc"] == ["query", "partner_id"]
