"""The matching rule: federal integration credit ≤ canton + communes (+ third parties where they count), per year
and over the period, planned and actual."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
Api = Any
PROGRAMME = seed_uuid("programme", "BL-KIP3")
IFK = "federal_integration_credit"
LANG, INFO = "language", "information_needs_assessment_counselling"


def summary(check: dict[str, Any]) -> tuple[str, str, str, str]:
    return check["status"], check["federal_credit"], check["matched_contributions"], check["headroom"]


async def _plan(api: Api) -> None:
    for year, lines in {
        2024: [
            (LANG, IFK, "100.00"),
            (LANG, "canton", "60.00"),
            (INFO, "communes", "30.00"),
            (INFO, "third_parties", "20.00"),
            (INFO, "federal_lump_sum", "999.00"),
        ],
        2025: [(LANG, IFK, "100.00"), (LANG, "canton", "80.00"), (INFO, "communes", "30.00")],
    }.items():
        for area_code, source, amount in lines:
            await api.budget_line(year, area_code, source, amount)


async def test_matching_per_year_and_over_the_period(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await _plan(api)
    r = await client.get(f"/v1/programmes/{PROGRAMME}/matching", headers=editor)
    assert r.status_code == 200
    body = r.json()
    years = {y["year"]: y for y in body["years"]}
    assert sorted(years) == [2024, 2025, 2026, 2027]
    assert summary(years[2024]["planned"]) == ("not_met", "100.00", "90.00", "-10.00")
    assert summary(years[2025]["planned"]) == ("met", "100.00", "110.00", "10.00")
    assert summary(years[2026]["planned"]) == ("met", "0.00", "0.00", "0.00")
    assert summary(body["period"]["planned"]) == ("met", "200.00", "200.00", "0.00")
    lines_2024 = {(x["source"], x["amount"], x["role"]) for x in years[2024]["planned"]["lines"]}
    assert lines_2024 == {
        (IFK, "100.00", "federal_credit"),
        ("canton", "60.00", "matched_contribution"),
        ("communes", "30.00", "matched_contribution"),
    }
    one_year = (await client.get(f"/v1/programmes/{PROGRAMME}/matching", headers=editor, params={"year": 2025})).json()
    assert [y["year"] for y in one_year["years"]] == [2025]
    outside = await client.get(f"/v1/programmes/{PROGRAMME}/matching", headers=editor, params={"year": 2030})
    assert (outside.status_code, outside.json()["errors"][0]["loc"]) == (422, ["query", "year"])


async def test_third_parties_count_only_when_sem_says_so(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str], app: Any
) -> None:
    await _plan(api)
    url = f"/v1/programmes/{PROGRAMME}/funding-settings"
    settings = await client.get(url, headers=editor)
    assert settings.json()["third_parties_count_toward_match"] is False
    own = await client.put(
        url, headers={**editor, "If-Match": settings.headers["ETag"]}, json={"third_parties_count_toward_match": True}
    )
    assert (own.status_code, own.json()["type"]) == (403, "/problems/funding/sem-decides")
    assert (await client.get(url, headers=editor)).json()["third_parties_count_toward_match"] is False
    stale = await client.put(url, headers={**sem, "If-Match": '"9"'}, json={"third_parties_count_toward_match": True})
    assert stale.status_code == 412
    r = await client.put(
        url, headers={**sem, "If-Match": settings.headers["ETag"]}, json={"third_parties_count_toward_match": True}
    )
    assert r.status_code == 200
    trail = (await client.get("/v1/audit", headers=sem, params={"entity_id": str(PROGRAMME)})).json()
    assert any(
        e["actor"] == "sem-finance" and e["after"].get("third_parties_count_toward_match") is True
        for e in trail["items"]
    ), trail
    body = (await client.get(f"/v1/programmes/{PROGRAMME}/matching", headers=editor, params={"year": 2024})).json()
    assert summary(body["years"][0]["planned"]) == ("met", "100.00", "110.00", "10.00")
    assert summary(body["period"]["planned"]) == ("met", "200.00", "220.00", "20.00")


async def test_actual_matching_follows_recorded_spending(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    for source, amount in ((IFK, "500.00"), ("canton", "450.00"), ("communes", "49.99")):
        r = await client.post(
            "/v1/spending",
            headers=editor,
            json={
                "programme_id": str(PROGRAMME),
                "year": 2024,
                "source": source,
                "amount": amount,
                "funding_area_id": str(seed_uuid("funding-area", f"KIP3/{LANG}")),
            },
        )
        assert r.status_code == 201, r.text
    body = (await client.get(f"/v1/programmes/{PROGRAMME}/matching", headers=editor, params={"year": 2024})).json()
    assert summary(body["years"][0]["actual"]) == ("not_met", "500.00", "499.99", "-0.01")
    assert summary(body["period"]["actual"]) == ("not_met", "500.00", "499.99", "-0.01")
    record = (await client.get("/v1/spending", headers=editor, params={"source": "communes"})).json()["items"]
    assert [s["source"] for s in record] == ["communes"], "the list filters by source"
    communes = record[0]
    lang = str(seed_uuid("funding-area", f"KIP3/{LANG}"))
    in_area = (await client.get("/v1/spending", headers=editor, params={"funding_area_id": lang, "year": 2024})).json()
    assert in_area["total"] == 3 and {s["funding_area_id"] for s in in_area["items"]} == {lang}
    unknown = await client.get("/v1/spending", headers=editor, params={"source": "lottery"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["loc"] == ["query", "source"]
    fix = await client.patch(
        f"/v1/spending/{communes['id']}", headers={**editor, "If-Match": '"1"'}, json={"amount": "50.00"}
    )
    assert fix.status_code == 200
    body = (await client.get(f"/v1/programmes/{PROGRAMME}/matching", headers=editor, params={"year": 2024})).json()
    assert summary(body["years"][0]["actual"]) == ("met", "500.00", "500.00", "0.00")
