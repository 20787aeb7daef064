"""Service agreements: ids checked against the programme service, versions kept, partners see only their own."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
Api = Any
INFO = "information_needs_assessment_counselling"


def measure(code: str) -> str:
    return str(seed_uuid("measure", f"BL-KIP3/{code}"))


async def test_an_unknown_partner_or_measure_is_refused_naming_the_field(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    body = api.agreement_body([(2024, INFO, "canton", "1000.00")])
    cases: list[tuple[dict[str, Any], list[str | int]]] = [
        ({"partner_id": "00000000-0000-0000-0000-00000000000a"}, ["body", "partner_id"]),
        ({"measure_ids": [measure("BL-1.02"), "00000000-0000-0000-0000-00000000000b"]}, ["body", "measure_ids", 1]),
        ({"measure_ids": [measure("BL-4.01")]}, ["body", "measure_ids", 0]),  # delivered by SRK, not ald
        (
            {"lines": [{**body["lines"][0], "funding_area_id": str(seed_uuid("funding-area", "KIP2bis/2.1"))}]},
            ["body", "lines", 0, "funding_area_id"],
        ),
        ({"lines": [{**body["lines"][0], "year": 2028}]}, ["body", "lines", 0, "year"]),
        ({"lines": [{**body["lines"][0], "amount": "-5.00"}]}, ["body", "lines", 0, "amount"]),
        ({"cost_cap": "999.99"}, ["body", "cost_cap"]),
    ]
    for change, loc in cases:
        r = await client.post("/v1/agreements", headers=editor, json={**body, **change})
        assert r.status_code == 422, (loc, r.text)
        assert loc in [e["loc"] for e in r.json()["errors"]], r.json()
    assert (await client.get("/v1/agreements", headers=editor)).json()["total"] == 0


async def test_amendments_are_new_versions_and_the_signed_text_stays(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    body = {**api.agreement_body([(2024, INFO, "canton", "1000.00")]), "text": "Version eins."}
    created = (await client.post("/v1/agreements", headers=editor, json=body)).json()
    signed = (await api.sign(created)).json()
    terms = {k: v for k, v in body.items() if k not in ("programme_id", "partner_id")}
    stale = await client.post(
        f"/v1/agreements/{signed['id']}/versions",
        headers={**editor, "If-Match": '"1"'},
        json={**terms, "text": "Version zwei.", "reason": "Mehr Beratung"},
    )
    assert stale.status_code == 412
    r = await client.post(
        f"/v1/agreements/{signed['id']}/versions",
        headers={**editor, "If-Match": f'"{signed["version"]}"'},
        json={**terms, "text": "Version zwei.", "reason": "Mehr Beratung"},
    )
    assert r.status_code == 201
    assert (r.json()["current"]["text"], r.json()["status"]) == ("Version zwei.", "signed")
    versions = (await client.get(f"/v1/agreements/{signed['id']}/versions", headers=editor)).json()
    assert [(v["number"], v["text"], v["reason"], v["signed_at"] is not None) for v in versions] == [
        (1, "Version eins.", None, True),
        (2, "Version zwei.", "Mehr Beratung", False),
    ]
    again = await client.post(f"/v1/agreements/{signed['id']}/sign", headers=editor)
    assert again.status_code == 428


async def test_partners_see_and_use_only_their_own_agreements(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], token: Any
) -> None:
    ald_agreement = await api.signed([(2024, INFO, "canton", "1000.00")], "ald", ("BL-1.02",))
    heks_agreement = await api.signed([(2024, "interpreting", "canton", "500.00")], "heks-bb", ("BL-7.01",))
    ald = token("partner", partner_id=str(seed_uuid("partner", "ald")))
    heks = token("partner", partner_id=str(seed_uuid("partner", "heks-bb")))

    listed = (await client.get("/v1/agreements", headers=ald)).json()
    assert [a["id"] for a in listed["items"]] == [ald_agreement["id"]]
    foreign_filter = await client.get(
        "/v1/agreements", headers=ald, params={"partner_id": str(seed_uuid("partner", "heks-bb"))}
    )
    assert foreign_filter.json()["total"] == 0
    assert (await client.get(f"/v1/agreements/{ald_agreement['id']}", headers=ald)).status_code == 200
    foreign = await client.get(f"/v1/agreements/{heks_agreement['id']}", headers=ald)
    missing = await client.get("/v1/agreements/00000000-0000-0000-0000-000000000000", headers=ald)
    assert foreign.status_code == missing.status_code == 404
    assert (await client.get(f"/v1/agreements/{heks_agreement['id']}/versions", headers=ald)).status_code == 404

    mine = await api.request(heks, heks_agreement["id"], "100.00", area_code="interpreting")
    assert mine.status_code == 201
    theirs = await api.request(ald, heks_agreement["id"], "100.00", area_code="interpreting")
    assert theirs.status_code == 422
    assert theirs.json()["errors"][0]["loc"] == ["body", "agreement_id"]
    assert (await client.get(f"/v1/disbursements/{mine.json()['id']}", headers=ald)).status_code == 404
    assert (await client.get("/v1/disbursements", headers=ald)).json()["total"] == 0
    assert (await client.get("/v1/disbursements", headers=heks)).json()["total"] == 1
    approve = await client.post(f"/v1/disbursements/{mine.json()['id']}/approve", headers={**heks, "If-Match": '"1"'})
    assert approve.status_code == 403
    for path in ("/v1/budget-lines", "/v1/credits", "/v1/spending"):
        assert (await client.get(path, headers=ald)).status_code == 403, path
    report = await client.get(f"/v1/programmes/{ald_agreement['programme_id']}/financial-report", headers=ald)
    assert report.status_code == 404


async def test_another_cantons_editor_sees_nothing(api: Api, client: httpx.AsyncClient, token: Any) -> None:
    signed = await api.signed([(2024, INFO, "canton", "1000.00")])
    zurich = token("canton-editor", canton="ZH")
    assert (await client.get(f"/v1/agreements/{signed['id']}", headers=zurich)).status_code == 404
    assert (await client.get("/v1/agreements", headers=zurich)).json()["total"] == 0
    sem = token("sem")
    assert (await client.get("/v1/agreements", headers=sem)).json()["total"] == 1
    r = await client.post(f"/v1/agreements/{signed['id']}/close", headers={**sem, "If-Match": '"2"'})
    assert r.status_code == 403
