"""SEM's settlement decisions: SEM only, immutable versions with the proposal, the canton's acknowledgement, and an
open refund on the programme's warnings until SEM records its repayment."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
PROGRAMME = seed_uuid("programme", "BL-KIP3")
URL = f"/v1/programmes/{PROGRAMME}/settlement/decisions"
BODY = {
    "as_of": "2028-06-30",
    "carry_over_amount": "0.00",
    "refund_amount": "462500.00",
    "due_date": "2028-09-30",
    "reasons": "Goals not fully met (VIntA 19): the unspent IFK is reclaimed.",
}


async def test_only_sem_decides_and_the_decision_keeps_its_proposal(
    seeded: None, client: httpx.AsyncClient, token: Any, goals: Any, editor: dict[str, str]
) -> None:
    await goals("60")
    sem = token("sem", subject="sem-finance")
    for who in (
        editor,
        token("canton-viewer", canton="BL"),
        token("partner", partner_id=str(seed_uuid("partner", "ald"))),
    ):
        refused = await client.post(URL, headers=who, json=BODY)
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"].endswith("/funding/sem-decides")
    r = await client.post(URL, headers=sem, json=BODY)
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == f"{URL}/1"
    d = r.json()
    assert (d["number"], d["refund_amount"], d["due_date"], d["decided_by"]) == (
        1,
        "462500.00",
        "2028-09-30",
        "sem-finance",
    )
    assert (d["proposal"]["goals_met"], d["proposal"]["totals"]["to_refund"]) == (False, "462500.00")
    assert (d["acknowledgement"], d["repayment"], d["refund_open"], d["superseded"]) == (None, None, True, False)
    got = await client.get(f"{URL}/1", headers=editor)
    assert (got.status_code, got.headers["ETag"], got.json()) == (200, '"1"', d)
    partner = token("partner", partner_id=str(seed_uuid("partner", "ald")))
    assert (await client.get(f"{URL}/1", headers=partner)).status_code == 404
    assert (await client.get(URL, headers=token("canton-viewer", canton="ZH"))).status_code == 404
    trail = (await client.get("/v1/audit", headers=sem, params={"entity": "settlement_decision"})).json()
    assert [(e["actor"], e["canton"]) for e in trail["items"]] == [("sem-finance", "BL")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"refund_amount": "-1.00"}, "refund_amount"),
        ({"refund_amount": "1.001"}, "refund_amount"),
        ({"due_date": "2028-13-01"}, "due_date"),
        ({"due_date": "2028-06-30T00:00:00"}, "due_date"),
        ({"due_date": "9999-12-31"}, "due_date"),
        ({"due_date": None}, "due_date"),
        ({"reasons": ""}, "reasons"),
    ],
)
async def test_a_bad_decision_is_a_422_naming_the_field(
    seeded: None, client: httpx.AsyncClient, token: Any, change: dict[str, Any], field: str
) -> None:
    r = await client.post(URL, headers=token("sem"), json={**BODY, **change})
    assert r.status_code == 422, r.text
    assert ["body", field] in [e["loc"][:2] for e in r.json()["errors"]]
    assert (await client.get(URL, headers=token("sem"))).json()["items"] == []


@pytest.mark.parametrize("number", ["0", "2147483648", "11916395345774758055562704846848"])
async def test_a_decision_number_no_column_holds_is_a_422_naming_it(
    client: httpx.AsyncClient, editor: dict[str, str], token: Any, number: str
) -> None:
    """Found by fuzzing: a number past the database's integer reached SQLite and answered 500."""
    for method, path, who, body in (
        ("GET", f"{URL}/{number}", editor, None),
        ("POST", f"{URL}/{number}/acknowledgement", editor, {"note": None}),
        ("POST", f"{URL}/{number}/repayment", token("sem"), {"repaid_on": "2028-07-01"}),
    ):
        r = await client.request(method, path, headers=who, json=body)
        assert r.status_code == 422, (path, r.text)
        assert ["path", "number"] in [e["loc"][:2] for e in r.json()["errors"]]


async def test_the_canton_acknowledges_and_versions_are_never_changed(
    seeded: None, client: httpx.AsyncClient, token: Any, goals: Any, editor: dict[str, str]
) -> None:
    await goals("100")
    sem = token("sem")
    first = (await client.post(URL, headers=sem, json=BODY)).json()
    ack = f"{URL}/1/acknowledgement"
    for who, status in (
        (token("canton-editor", canton="ZH"), 404),
        (token("canton-viewer", canton="BL"), 403),
        (sem, 403),
    ):
        assert (await client.post(ack, headers=who, json={})).status_code == status
    r = await client.post(ack, headers=editor, json={"note": "Received."})
    assert r.status_code == 201, r.text
    assert (r.json()["acknowledgement"]["recorded_by"], r.json()["acknowledgement"]["note"]) == (
        "bl-editor-anna",
        "Received.",
    )
    again = await client.post(ack, headers=editor, json={})
    assert (again.status_code, again.json()["type"].endswith("/funding/invalid-transition")) == (409, True)
    second = await client.post(
        URL, headers=sem, json={**BODY, "carry_over_amount": "462500.00", "refund_amount": "0.00"}
    )
    assert (second.status_code, second.json()["number"]) == (201, 2)
    assert second.json()["proposal"]["goals_met"] is True
    old = await client.get(f"{URL}/1", headers=editor)
    kept = {k: v for k, v in old.json().items() if k not in ("superseded", "refund_open", "acknowledgement")}
    assert kept == {k: v for k, v in first.items() if k not in ("superseded", "refund_open", "acknowledgement")}
    assert (old.json()["superseded"], old.json()["refund_open"], old.headers["ETag"]) == (True, False, '"3"')
    assert [d["number"] for d in (await client.get(URL, headers=editor)).json()["items"]] == [1, 2]
    assert (await client.put(f"{URL}/1", headers=sem, json=BODY)).status_code == 405


async def test_an_open_refund_is_warned_until_sem_records_its_repayment(
    seeded: None, client: httpx.AsyncClient, token: Any, goals: Any, editor: dict[str, str]
) -> None:
    await goals("50")
    sem = token("sem")
    warnings = f"/v1/programmes/{PROGRAMME}/warnings"

    async def refunds() -> list[dict[str, Any]]:
        items = (await client.get(warnings, headers=editor)).json()["items"]
        return [w for w in items if w["type"] == "settlement-refund-open"]

    assert await refunds() == []
    assert (await client.post(URL, headers=sem, json=BODY)).status_code == 201
    [open_refund] = await refunds()
    assert (open_refund["amount"], open_refund["due_date"], open_refund["year"]) == ("462500.00", "2028-09-30", 2028)
    repay = f"{URL}/1/repayment"
    assert (await client.post(repay, headers=editor, json={"repaid_on": "2028-09-01"})).status_code == 403
    r = await client.post(repay, headers=sem, json={"repaid_on": "2028-09-01"})
    assert r.status_code == 201, r.text
    assert (r.json()["repayment"]["on_date"], r.json()["refund_open"]) == ("2028-09-01", False)
    assert await refunds() == []
    assert (await client.post(repay, headers=sem, json={"repaid_on": "2028-09-02"})).status_code == 409
