"""Funding events through the gateway: agreements, disbursements, budget revisions, credits, federal payments;
each in the feed of exactly the audience that may read the resource."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from eventfeed import ALD, INFORMATION, PROGRAMME, Feed
from test_event_types import OFFICE, YEAR, ok


async def signed_agreement(client: httpx.AsyncClient, token: Any, feed: Feed) -> dict[str, Any]:
    editor = token("canton-editor", canton="BL")
    body = {
        "programme_id": PROGRAMME,
        "partner_id": ALD,
        "title": f"Abendberatung {uuid.uuid4().hex[:6]}",
        "start_date": f"{YEAR}-01-01",
        "end_date": f"{YEAR}-12-31",
        "lines": [{"year": YEAR, "funding_area_id": INFORMATION, "source": "canton", "amount": "3000.00"}],
    }
    created = await client.post("/api/funding/v1/agreements", headers=editor, json=body)
    agreement: dict[str, Any] = await ok(created, 201)
    changed = await feed.assert_audience("funding.agreement.changed", agreement["id"], OFFICE | {"ald"})
    assert (changed["data"]["action"], changed["data"]["partner_id"]) == ("created", ALD)
    await ok(
        await client.post(
            f"/api/funding/v1/agreements/{agreement['id']}/sign", headers=editor | {"If-Match": created.headers["etag"]}
        )
    )
    return agreement


async def test_funding_agreement_changed_and_signed(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    agreement = await signed_agreement(client, token, feed)
    signed = await feed.assert_audience("funding.agreement.signed", agreement["id"], OFFICE | {"ald"})
    assert (signed["data"]["status"], signed["data"]["previous"]) == ("signed", "draft")
    assert signed["data"]["programme_id"] == PROGRAMME and signed["data"]["canton"] == "BL"


async def request_disbursement(client: httpx.AsyncClient, token: Any, agreement_id: str) -> httpx.Response:
    body = {
        "agreement_id": agreement_id,
        "year": YEAR,
        "funding_area_id": INFORMATION,
        "source": "canton",
        "amount": "1000.00",
        "value_date": f"{YEAR}-03-31",
    }
    headers = token("partner", partner="ald") | {"Idempotency-Key": str(uuid.uuid4())}
    response = await client.post("/api/funding/v1/disbursements", headers=headers, json=body)
    await ok(response, 201)
    return response


async def test_funding_disbursement_requested_approved_paid_rejected(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    agreement = await signed_agreement(client, token, feed)
    await feed.tail()
    first = await request_disbursement(client, token, agreement["id"])
    second = await request_disbursement(client, token, agreement["id"])
    first_id, second_id = first.json()["id"], second.json()["id"]
    await feed.assert_audience("funding.disbursement.requested", first_id, OFFICE | {"ald"})

    approver = token("canton-editor", canton="BL", subject="second@bl.ch")
    payer = token("canton-editor", canton="BL", subject="third@bl.ch")  # requester, approver and payer differ
    approved = await client.post(
        f"/api/funding/v1/disbursements/{first_id}/approve", headers=approver | {"If-Match": first.headers["etag"]}
    )
    await ok(approved)
    event = await feed.assert_audience("funding.disbursement.approved", first_id, OFFICE | {"ald"})
    assert (event["data"]["previous"], event["data"]["version"]) == ("requested", 2)

    paid = await client.post(
        f"/api/funding/v1/disbursements/{first_id}/pay", headers=payer | {"If-Match": approved.headers["etag"]}
    )
    await ok(paid)
    await feed.assert_audience("funding.disbursement.paid", first_id, OFFICE | {"ald"})

    await ok(
        await client.post(
            f"/api/funding/v1/disbursements/{second_id}/reject",
            headers=approver | {"If-Match": second.headers["etag"]},
            json={"reason": "Doppelt eingereicht."},
        )
    )
    await feed.assert_audience("funding.disbursement.rejected", second_id, OFFICE | {"ald"})


async def test_funding_budget_revised(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    editor = token("canton-editor", canton="BL")
    lines = await ok(
        await client.get("/api/funding/v1/budget-lines", headers=editor, params={"programme_id": PROGRAMME})
    )
    line = lines["items"][0]
    current = await client.get(f"/api/funding/v1/budget-lines/{line['id']}", headers=editor)
    revised = await ok(
        await client.post(
            f"/api/funding/v1/budget-lines/{line['id']}/revisions",
            headers=editor | {"If-Match": current.headers["etag"]},
            json={"amount": "123456.00", "reason": "Mehr Kursplätze."},
        ),
        201,
    )
    event = await feed.assert_audience("funding.budget.revised", line["id"], OFFICE)
    assert event["data"]["current_revision"] == revised["current_revision"]


async def new_credit(client: httpx.AsyncClient, token: Any) -> dict[str, Any]:
    body = {
        "programme_id": PROGRAMME,
        "body": "Landrat",
        "decision_date": "2023-06-08",
        "amount": "90000000.00",
        "first_year": 2024,
        "last_year": 2027,
        "sources": ["canton"],
    }
    credit: dict[str, Any] = await ok(
        await client.post("/api/funding/v1/credits", headers=token("canton-editor", canton="BL"), json=body), 201
    )
    return credit


async def test_funding_credit_changed(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    credit = await new_credit(client, token)
    await feed.assert_audience("funding.credit.changed", credit["id"], OFFICE)


async def test_funding_federal_payment_recorded(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    await feed.tail()
    body = {
        "programme_id": PROGRAMME,
        "year": YEAR,
        "source": "federal_integration_credit",
        "amount": "5000.00",
        "value_date": f"{YEAR}-06-30",
    }
    payment = await ok(await client.post("/api/funding/v1/federal-payments", headers=token("sem"), json=body), 201)
    event = await feed.assert_audience("funding.federal_payment.recorded", payment["id"], OFFICE)
    assert event["data"]["version"] is None and event["data"]["action"] == "created"


async def test_funding_federal_allocation_changed(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    path = f"/api/funding/v1/programmes/{PROGRAMME}/federal-allocation"
    sem = token("sem")
    current = await client.get(path, headers=sem)
    assert current.status_code in (200, 404), current.text
    await feed.tail()
    body = {
        "reference": f"PV-{uuid.uuid4().hex[:6]}",
        "agreement_date": "2024-03-01",
        "period_amount": "8000000.00",
        "years": [{"year": year, "amount": "2000000.00"} for year in (2024, 2025, 2026, 2027)],
    }
    condition = {"If-Match": current.headers["etag"]} if current.status_code == 200 else {}
    recorded = await client.put(path, headers=sem | condition, json=body)
    assert recorded.status_code in (200, 201), recorded.text
    event = await feed.assert_audience("funding.federal_allocation.changed", PROGRAMME, OFFICE)
    assert event["data"]["action"] == ("updated" if condition else "created")
    assert event["data"]["canton"] == "BL" and event["data"]["partner_id"] is None


async def test_funding_settlement_decided_acknowledged_repaid(client: httpx.AsyncClient, token: Any) -> None:
    feed = Feed(client, token)
    decisions = f"/api/funding/v1/programmes/{PROGRAMME}/settlement/decisions"
    await feed.tail()
    body = {"carry_over_amount": "0.00", "refund_amount": "1250.00", "due_date": "2028-09-30", "reasons": "Rest"}
    decided = await ok(await client.post(decisions, headers=token("sem"), json=body), 201)
    event = await feed.assert_audience("funding.settlement.decided", decided["id"], OFFICE)
    assert event["data"]["version"] == decided["number"]
    number = decided["number"]

    steps: tuple[tuple[str, str, dict[str, str], dict[str, str]], ...] = (
        ("acknowledged", "acknowledgement", token("canton-editor", canton="BL"), {}),
        ("repaid", "repayment", token("sem"), {"repaid_on": "2028-09-15"}),
    )
    for kind, step, caller, step_body in steps:
        await feed.tail()
        await ok(await client.post(f"{decisions}/{number}/{step}", headers=caller, json=step_body), 201)
        event = await feed.assert_audience(f"funding.settlement.{kind}", f"{decided['id']}/{kind}", OFFICE)
        assert (event["data"]["kind"], event["data"]["programme_id"]) == (kind, PROGRAMME)
