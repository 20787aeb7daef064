"""The credit ceiling: signing past an expenditure authorisation is refused with the headroom left, and
signings racing each other never together exceed it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.asyncio
Api = Any
INFO = "information_needs_assessment_counselling"
IFK = "federal_integration_credit"


async def test_signing_past_the_credit_is_refused_naming_credit_amount_over_and_headroom(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    credit = await api.credit("100000.00", 2024, 2025)
    assert (await api.allocate()).status_code == 200
    await api.signed([(2024, INFO, "canton", "60000.00")])
    # Money of sources and years the credit does not cover is not counted against it.
    await api.signed([(2024, INFO, IFK, "900000.00"), (2026, INFO, "canton", "900000.00")])
    draft = await api.agreement(
        [(2025, INFO, "canton", "30000.00"), (2025, INFO, "communes", "5.00"), (2024, INFO, "canton", "20000.00")]
    )
    r = await api.sign(draft)
    assert r.status_code == 409
    problem = r.json()
    assert problem["type"] == "/problems/funding/credit-exceeded"
    assert (problem["credit_id"], problem["amount_over"], problem["headroom"]) == (credit["id"], "10000.00", "40000.00")
    assert "40000.00" in problem["detail"]
    after = (await client.get(f"/v1/agreements/{draft['id']}", headers=editor)).json()
    assert (after["status"], after["signed_version"]) == ("draft", None)
    used = (await client.get(f"/v1/credits/{credit['id']}", headers=editor)).json()
    assert (used["used"], used["left"]) == ("60000.00", "40000.00")
    # The financial report counts every credit's use in one statement: the same figures.
    url = f"/v1/programmes/{credit['programme_id']}/financial-report"
    for params in ({}, {"year": 2024}, {"match_lines": "false"}):
        report = (await client.get(url, params=params, headers=editor)).json()
        uses = {u["credit_id"]: (u["used"], u["left"]) for u in report["credits"]}
        assert uses[credit["id"]] == ("60000.00", "40000.00"), params
        for other in set(uses) - {credit["id"]}:
            read = (await client.get(f"/v1/credits/{other}", headers=editor)).json()
            assert uses[other] == (read["used"], read["left"]), params


async def test_an_amendment_replaces_the_agreements_earlier_commitment(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    credit = await api.credit("100000.00")
    signed = await api.signed([(2024, INFO, "canton", "60000.00")])
    body = {
        k: v
        for k, v in api.agreement_body([(2024, INFO, "canton", "90000.00")]).items()
        if k not in ("programme_id", "partner_id")
    }
    r = await client.post(
        f"/v1/agreements/{signed['id']}/versions",
        headers={**editor, "If-Match": f'"{signed["version"]}"'},
        json={**body, "reason": "more"},
    )
    assert r.status_code == 201, r.text
    amended = r.json()
    assert (amended["current_version"], amended["signed_version"]) == (2, 1)
    assert (await client.get(f"/v1/credits/{credit['id']}", headers=editor)).json()["used"] == "60000.00"
    assert (await api.sign(amended)).status_code == 200
    assert (await client.get(f"/v1/credits/{credit['id']}", headers=editor)).json()["used"] == "90000.00"
    versions = (await client.get(f"/v1/agreements/{signed['id']}/versions", headers=editor)).json()
    assert [(v["number"], v["total"], v["signed_by"] is not None) for v in versions] == [
        (1, "60000.00", True),
        (2, "90000.00", True),
    ]


async def test_concurrent_signings_never_together_exceed_the_credit(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    credit = await api.credit("100000.00")
    drafts = [await api.agreement([(2024 + i % 4, INFO, "canton", "30000.00")]) for i in range(6)]
    responses = await asyncio.gather(*(api.sign(d) for d in drafts))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 200, 200, 409, 409, 409], [r.text for r in responses]
    refused = [r.json() for r in responses if r.status_code == 409]
    assert {p["type"] for p in refused} == {"/problems/funding/credit-exceeded"}
    assert {p["headroom"] for p in refused} == {"10000.00"}
    after = (await client.get(f"/v1/credits/{credit['id']}", headers=editor)).json()
    assert (after["used"], after["left"]) == ("90000.00", "10000.00")


async def test_a_credit_cannot_be_cut_below_what_is_committed(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    credit = await api.credit("100000.00")
    await api.signed([(2024, INFO, "canton", "60000.00")])
    url = f"/v1/credits/{credit['id']}"
    r = await client.patch(url, headers={**editor, "If-Match": '"1"'}, json={"amount": "50000.00"})
    assert r.status_code == 409
    assert (r.json()["type"], r.json()["amount_over"]) == ("/problems/funding/credit-exceeded", "10000.00")
    r = await client.patch(url, headers={**editor, "If-Match": '"1"'}, json={"amount": "60000.00"})
    assert (r.status_code, r.json()["left"]) == (200, "0.00")
    assert (await client.patch(url, headers={**editor, "If-Match": '"1"'}, json={"note": "x"})).status_code == 412


async def test_terminating_keeps_only_what_was_approved_or_paid_committed(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], editor2: dict[str, str]
) -> None:
    credit = await api.credit("100000.00")
    signed = await api.signed([(2024, INFO, "canton", "60000.00")])
    requested = (await api.request(editor2, signed["id"], "25000.00")).json()
    approve = await client.post(f"/v1/disbursements/{requested['id']}/approve", headers={**editor, "If-Match": '"1"'})
    assert approve.status_code == 200
    r = await client.post(
        f"/v1/agreements/{signed['id']}/terminate", headers={**editor, "If-Match": f'"{signed["version"]}"'}
    )
    assert (r.status_code, r.json()["status"]) == (200, "terminated")
    assert (await client.get(f"/v1/credits/{credit['id']}", headers=editor)).json()["used"] == "25000.00"
    again = await client.post(f"/v1/agreements/{signed['id']}/sign", headers={**editor, "If-Match": r.headers["ETag"]})
    assert (again.status_code, again.json()["type"]) == (409, "/problems/funding/invalid-transition")
