"""A partner token reaches nothing of another partner: not through its view, not through any other view, not
through any forwarded path."""

from __future__ import annotations

import httpx

from kit.ids import seed_uuid
from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

ME = "/api/v1/views/partners/me"


@needs("funding", "evaluation")
async def test_partner_view_shows_only_the_callers_own_things(client: httpx.AsyncClient, token: TokenFactory) -> None:
    heks = seed_uuid("partner", "heks-bb")
    response = await client.get(ME, headers=token("partner", partner="heks-bb"))
    assert response.status_code == 200
    view = response.json()
    assert view["partner"]["slug"] == "heks-bb"
    assert view["degraded"] == []
    assert {m["code"] for m in view["measures"]} == {"BL-1.04", "BL-7.01"}
    assert view["agreements"] and all(a["partner_id"] == str(heks) for a in view["agreements"])
    own = {a["id"] for a in view["agreements"]}
    paid = (await client.get("/api/funding/v1/disbursements", headers=token("partner", partner="heks-bb"))).json()
    assert paid["items"] and {d["agreement_id"] for d in paid["items"]} <= own
    counted = sum(p["count"] for a in view["agreements"] for p in a["payments"])
    assert counted == paid["total"], "the view's payments count exactly the partner's own disbursements"
    assert all(r["addressee_partner_id"] == str(heks) for r in view["recommendations"])
    assert all(str(heks) in e["partner_ids"] for e in view["evaluations"])
    measure_ids = {m["id"] for m in view["measures"]}
    assert all(i["measure_id"] in measure_ids for i in view["indicators"])
    assert all(d["partner_id"] in (None, str(heks)) for d in view["due"])


@needs("funding", "evaluation")
async def test_partner_cannot_reach_another_partners_data_through_any_view_or_forwarded_path(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    heks = token("partner", partner="heks-bb")
    ald = token("partner", partner="ald")
    heks_view = (await client.get(ME, headers=heks)).json()
    ald_view = (await client.get(ME, headers=ald)).json()
    heks_ids = {a["id"] for a in heks_view["agreements"]} | {m["id"] for m in heks_view["measures"]}
    ald_text = str(ald_view)
    assert heks_ids and not any(i in ald_text for i in heks_ids)
    assert str(seed_uuid("partner", "heks-bb")) not in ald_text

    # Every view that is not the partner's own is refused before anything is fetched.
    for path in (
        f"/api/v1/views/canton/programmes/{BL_KIP3}",
        "/api/v1/views/sem/programmes?period=KIP3&year=2025",
        f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025",
        f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025/submitted",
        f"/api/v1/views/sem/programmes/{BL_KIP3}/annual-report/2025/diff?from=1&to=2",
    ):
        response = await client.get(path, headers=ald)
        assert response.status_code == 403, path
    submit = await client.post(f"/api/v1/views/canton/programmes/{BL_KIP3}/annual-report/2025/submit", headers=ald)
    assert submit.status_code == 403

    # Forwarded paths answer another partner's things exactly like missing ones.
    agreement = heks_view["agreements"][0]["id"]
    measure = heks_view["measures"][0]["id"]
    for path in (
        f"/api/funding/v1/agreements/{agreement}",
        f"/api/programme/v1/measures/{measure}",
        f"/api/programme/v1/partners/{seed_uuid('partner', 'heks-bb')}",
    ):
        response = await client.get(path, headers=ald)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json")
    for path in (
        "/api/funding/v1/agreements",
        "/api/funding/v1/disbursements",
        "/api/evaluation/v1/recommendations",
        "/api/evaluation/v1/evaluations",
        "/api/programme/v1/measures",
    ):
        response = await client.get(path, headers=ald)
        assert response.status_code in (200, 403), path
        if response.status_code == 200:
            assert not any(i in response.text for i in heks_ids), path
    by_filter = await client.get(
        "/api/funding/v1/agreements", params={"partner_id": str(seed_uuid("partner", "heks-bb"))}, headers=ald
    )
    assert by_filter.status_code in (200, 403, 404)
    assert agreement not in by_filter.text


async def test_partner_view_is_for_partners_only(client: httpx.AsyncClient, token: TokenFactory) -> None:
    response = await client.get(ME, headers=token("canton-editor", canton="BL"))
    assert response.status_code == 403
    assert (await client.get(ME)).status_code == 401
