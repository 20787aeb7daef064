"""Budget lines: the original plan and every revision stay; amounts are exact; ids are checked upstream."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

PROGRAMME = seed_uuid("programme", "BL-KIP3")
Api = Any


def area(code: str) -> str:
    return str(seed_uuid("funding-area", f"KIP3/{code}"))


pytestmark = pytest.mark.asyncio

LANGUAGE = "language"


async def test_a_revision_becomes_the_plan_in_force_and_the_original_stays(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], editor2: dict[str, str]
) -> None:
    line = await api.budget_line(2025, LANGUAGE, "canton", "250000.00")
    assert (line["original"], line["in_force"], line["current_revision"]) == ("250000.00", "250000.00", 1)

    r = await client.post(
        f"/v1/budget-lines/{line['id']}/revisions",
        headers={**editor2, "If-Match": '"1"'},
        json={"amount": "260000.50", "reason": "More German course places."},
    )
    assert r.status_code == 201, r.text
    revised = r.json()
    assert (revised["original"], revised["in_force"], revised["current_revision"]) == ("250000.00", "260000.50", 2)
    assert r.headers["ETag"] == '"2"'
    history = [(x["number"], x["amount"], x["author"], x["reason"]) for x in revised["revisions"]]
    assert history == [
        (1, "250000.00", "bl-editor-anna", "plan"),
        (2, "260000.50", "bl-editor-beat", "More German course places."),
    ]
    listed = (await client.get("/v1/budget-lines", headers=editor, params={"programme_id": str(PROGRAMME)})).json()
    assert [(x["original"], x["in_force"]) for x in listed["items"]] == [("250000.00", "260000.50")]


async def test_a_stale_or_missing_if_match_changes_nothing(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    line = await api.budget_line(2025, LANGUAGE, "canton", "100.00")
    url = f"/v1/budget-lines/{line['id']}/revisions"
    assert (
        await client.post(url, headers={**editor, "If-Match": '"1"'}, json={"amount": "110.00", "reason": "a"})
    ).status_code == 201
    stale = await client.post(url, headers={**editor, "If-Match": '"1"'}, json={"amount": "120.00", "reason": "b"})
    assert stale.status_code == 412
    assert stale.json()["type"] == "/problems/precondition-failed"
    missing = await client.post(url, headers=editor, json={"amount": "120.00", "reason": "b"})
    assert missing.status_code == 428
    current = (await client.get(f"/v1/budget-lines/{line['id']}", headers=editor)).json()
    assert [r["amount"] for r in current["revisions"]] == ["100.00", "110.00"]


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        ("-1.00", "negative"),
        ("10.001", "three decimals"),
        ("10000000000000.01", "absurdly large"),
        (1500, "a JSON number"),
        ("12abc", "not a number"),
    ],
)
async def test_amounts_that_are_not_exact_chf_are_refused_naming_the_field(
    client: httpx.AsyncClient, editor: dict[str, str], amount: Any, why: str
) -> None:
    r = await client.post(
        "/v1/budget-lines",
        headers=editor,
        json={
            "programme_id": str(PROGRAMME),
            "year": 2025,
            "funding_area_id": area(LANGUAGE),
            "source": "canton",
            "amount": amount,
            "reason": why,
        },
    )
    assert r.status_code == 422, why
    assert ["body", "amount"] in [e["loc"] for e in r.json()["errors"]]
    assert (await client.get("/v1/budget-lines", headers=editor)).json()["total"] == 0


async def test_unknown_programme_area_or_year_are_refused_naming_the_field(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    base = {
        "programme_id": str(PROGRAMME),
        "year": 2025,
        "funding_area_id": area(LANGUAGE),
        "source": "canton",
        "amount": "1.00",
        "reason": "x",
    }
    cases: list[tuple[dict[str, Any], str]] = [
        ({"programme_id": "00000000-0000-0000-0000-000000000001"}, "programme_id"),
        ({"funding_area_id": "00000000-0000-0000-0000-000000000002"}, "funding_area_id"),
        ({"year": 2023}, "year"),
        ({"source": "lottery"}, "source"),
    ]
    for change, field in cases:
        r = await client.post("/v1/budget-lines", headers=editor, json={**base, **change})
        assert r.status_code == 422, (field, r.text)
        assert r.json()["errors"][0]["loc"] == ["body", field]
    assert (await client.get("/v1/budget-lines", headers=editor)).json()["total"] == 0


async def test_a_second_line_for_the_same_cell_is_a_conflict(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await api.budget_line(2025, LANGUAGE, "canton", "1.00")
    r = await client.post(
        "/v1/budget-lines",
        headers=editor,
        json={
            "programme_id": str(PROGRAMME),
            "year": 2025,
            "funding_area_id": area(LANGUAGE),
            "source": "canton",
            "amount": "2.00",
            "reason": "again",
        },
    )
    assert r.status_code == 409


async def test_the_programme_service_down_refuses_writes_and_writes_nothing(
    api: Api, down_client: httpx.AsyncClient, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    body = {
        "programme_id": str(PROGRAMME),
        "year": 2025,
        "funding_area_id": area(LANGUAGE),
        "source": "canton",
        "amount": "1.00",
        "reason": "x",
    }
    r = await down_client.post("/v1/budget-lines", headers=editor, json=body)
    assert r.status_code == 503
    assert r.json()["type"] == "/problems/upstream-unavailable"
    r = await down_client.post(
        "/v1/credits",
        headers=editor,
        json={
            "programme_id": str(PROGRAMME),
            "body": "Landrat",
            "decision_date": "2023-06-08",
            "amount": "1.00",
            "first_year": 2024,
            "last_year": 2027,
            "sources": ["canton"],
        },
    )
    assert r.status_code == 503
    r = await down_client.post(
        "/v1/agreements",
        headers=editor,
        json=api.agreement_body([(2024, "information_needs_assessment_counselling", "canton", "1.00")]),
    )
    assert r.status_code == 503
    for path in ("/v1/budget-lines", "/v1/credits", "/v1/agreements"):
        assert (await client.get(path, headers=editor)).json()["total"] == 0, path
    assert (await client.get(f"/v1/programmes/{PROGRAMME}/funding-settings", headers=editor)).status_code == 404


async def test_who_may_plan_and_read(api: Api, client: httpx.AsyncClient, token: Any) -> None:
    line = await api.budget_line(2025, LANGUAGE, "canton", "1.00")
    body = {
        "programme_id": str(PROGRAMME),
        "year": 2026,
        "funding_area_id": area(LANGUAGE),
        "source": "canton",
        "amount": "1.00",
        "reason": "x",
    }
    viewer = token("canton-viewer", canton="BL")
    assert (await client.post("/v1/budget-lines", headers=viewer, json=body)).status_code == 403
    assert (await client.get(f"/v1/budget-lines/{line['id']}", headers=viewer)).status_code == 200
    assert (await client.get(f"/v1/budget-lines/{line['id']}", headers=token("sem"))).status_code == 200
    zurich = token("canton-editor", canton="ZH")
    assert (await client.get(f"/v1/budget-lines/{line['id']}", headers=zurich)).status_code == 404
    assert (await client.get("/v1/budget-lines", headers=zurich)).json()["total"] == 0
    assert (await client.post("/v1/budget-lines", headers=zurich, json=body)).status_code == 422
    ald = token("partner", partner_id=str(line["programme_id"]))
    assert (await client.get("/v1/budget-lines", headers=ald)).status_code == 403
