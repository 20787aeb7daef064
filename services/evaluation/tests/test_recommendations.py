"""Findings, recommendations numbered per evaluation, management responses, follow-up actions; partner isolation."""

from __future__ import annotations

from typing import Any

import httpx


async def _recommend(client: httpx.AsyncClient, editor: dict[str, str], ev: dict[str, Any], **body: Any) -> Any:
    response = await client.post(f"/v1/evaluations/{ev['id']}/recommendations", json=body, headers=editor)
    assert response.status_code == 201, response.text
    return response.json()


async def test_recommendations_are_numbered_per_evaluation(
    client: httpx.AsyncClient, editor: dict[str, str], ids: Any, plan: Any
) -> None:
    first, second = await plan(title="A"), await plan(title="B")
    finding = await client.post(
        f"/v1/evaluations/{first['id']}/findings", json={"text": "Lange Wartezeiten"}, headers=editor
    )
    assert finding.status_code == 201 and finding.json()["number"] == 1
    ald = ids.partner("ald")
    numbers = [
        (await _recommend(client, editor, first, text="R1", addressee_partner_id=ald, finding_id=finding.json()["id"]))[
            "number"
        ],
        (await _recommend(client, editor, first, text="R2", addressee_partner_id=ald))["number"],
        (await _recommend(client, editor, second, text="R1", addressee_partner_id=ald))["number"],
    ]
    assert numbers == [1, 2, 1]
    default_due = await _recommend(client, editor, second, text="R2", addressee_partner_id=ald)
    assert default_due["response_due_date"] == "2025-09-28"  # 90 days from the fixed today, 30 June 2025
    foreign_finding = await client.post(
        f"/v1/evaluations/{second['id']}/recommendations",
        json={"text": "x", "addressee_partner_id": ald, "finding_id": finding.json()["id"]},
        headers=editor,
    )
    assert foreign_finding.status_code == 422
    assert foreign_finding.json()["errors"][0]["loc"] == ["body", "finding_id"]


async def test_an_unknown_addressee_is_refused_naming_the_field(
    client: httpx.AsyncClient, editor: dict[str, str], plan: Any, rows: Any
) -> None:
    from evaluation.recommendation.models import Recommendation

    ev = await plan()
    response = await client.post(
        f"/v1/evaluations/{ev['id']}/recommendations",
        json={"text": "x", "addressee_partner_id": "00000000-0000-0000-0000-000000000009", "priority": "high"},
        headers=editor,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "addressee_partner_id"]
    bad_priority = await client.post(
        f"/v1/evaluations/{ev['id']}/recommendations",
        json={"text": "x", "addressee_partner_id": "00000000-0000-0000-0000-000000000009", "priority": "urgent"},
        headers=editor,
    )
    assert bad_priority.json()["errors"][0]["loc"] == ["body", "priority"]
    assert await rows(Recommendation) == 0


async def test_a_partner_sees_and_answers_only_what_is_addressed_to_it(
    client: httpx.AsyncClient, editor: dict[str, str], ids: Any, plan: Any, as_partner: Any
) -> None:
    ev = await plan(measure_ids=[ids.measure("BL-1.02"), ids.measure("BL-4.01")])
    to_ald = await _recommend(client, editor, ev, text="Für ald", addressee_partner_id=ids.partner("ald"))
    to_srk = await _recommend(client, editor, ev, text="Für SRK", addressee_partner_id=ids.partner("srk-bl"))
    ald, srk = as_partner("ald"), as_partner("srk-bl")

    listed = (await client.get("/v1/recommendations", headers=ald)).json()
    assert [r["text"] for r in listed["items"]] == ["Für ald"] and listed["total"] == 1
    asked_for_srk = await client.get(
        "/v1/recommendations", params={"addressee_partner_id": ids.partner("srk-bl")}, headers=ald
    )
    assert asked_for_srk.json()["items"] == []
    assert (await client.get(f"/v1/recommendations/{to_srk['id']}", headers=ald)).status_code == 404
    canton = await client.get("/v1/recommendations", params={"programme_id": str(ids.programme)}, headers=editor)
    assert canton.json()["total"] == 2

    answer_srk = await client.put(
        f"/v1/recommendations/{to_srk['id']}/response",
        json={"decision": "accepted"},
        headers={**ald, "If-Match": '"1"'},
    )
    assert answer_srk.status_code == 404
    no_reason = await client.put(
        f"/v1/recommendations/{to_ald['id']}/response",
        json={"decision": "rejected"},
        headers={**ald, "If-Match": '"1"'},
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"] == ["body", "reasons"]
    answered = await client.put(
        f"/v1/recommendations/{to_ald['id']}/response",
        json={"decision": "partly", "reasons": "Nur für zwei zusätzliche Sprachen finanziert."},
        headers={**ald, "If-Match": '"1"'},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["response_decision"] == "partly"
    assert answered.json()["responded_by"].startswith("partner:")
    assert answered.json()["response_overdue"] is False

    on_behalf = await client.put(
        f"/v1/recommendations/{to_srk['id']}/response",
        json={"decision": "accepted"},
        headers={**editor, "If-Match": '"1"'},
    )
    assert on_behalf.status_code == 200  # the canton may record the response on the addressee's behalf
    assert (await client.get(f"/v1/recommendations/{to_srk['id']}", headers=srk)).json()["response_decision"] == (
        "accepted"
    )


async def test_follow_up_actions_link_what_they_change(
    client: httpx.AsyncClient, editor: dict[str, str], ids: Any, plan: Any, as_partner: Any
) -> None:
    ev = await plan()
    rec = await _recommend(client, editor, ev, text="Kurse ausbauen", addressee_partner_id=ids.partner("bmh"))
    url = f"/v1/recommendations/{rec['id']}/actions"
    body = {
        "title": "Zusätzliche Kurse ausschreiben",
        "owner": "BMH",
        "owner_partner_id": ids.partner("bmh"),
        "due_date": "2025-06-15",
        "target_kind": "measure",
        "target_id": ids.measure("BL-2.01"),
    }
    created = await client.post(url, json=body, headers=editor)
    assert created.status_code == 201, created.text
    assert created.json()["overdue"] is True and created.json()["status"] == "open"
    unknown = await client.post(url, json={**body, "target_id": ids.goal("9.9")}, headers=editor)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["body", "target_id"]
    goal = await client.post(url, json={**body, "target_kind": "goal", "target_id": ids.goal("2.1")}, headers=editor)
    assert goal.status_code == 201
    by_partner = await client.post(url, json=body, headers=as_partner("bmh"))
    assert by_partner.status_code == 403
    done = await client.patch(
        f"/v1/actions/{created.json()['id']}", json={"status": "done"}, headers={**editor, "If-Match": '"1"'}
    )
    assert done.status_code == 200 and done.json()["overdue"] is False
    listed = (await client.get(url, headers=as_partner("bmh"))).json()
    assert len(listed) == 2
    assert (await client.get(url, headers=as_partner("ald"))).status_code == 404
