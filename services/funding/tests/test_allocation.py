"""SEM's federal allocation: only SEM records it, and IFK commitments and SEM's IFK payments per year never pass it."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest

from kit.ids import seed_uuid

pytestmark = pytest.mark.asyncio
Api = Any
INFO = "information_needs_assessment_counselling"
IFK = "federal_integration_credit"
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))
URL = f"/v1/programmes/{PROGRAMME}/federal-allocation"


def payment(amount: str, year: int = 2024) -> dict[str, Any]:
    return {"programme_id": PROGRAMME, "year": year, "source": IFK, "amount": amount, "value_date": f"{year}-06-30"}


async def test_no_ifk_is_committed_before_sem_records_the_allocation(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    draft = await api.agreement([(2024, INFO, IFK, "5000000.00")])
    r = await api.sign(draft)
    assert (r.status_code, r.json()["type"]) == (409, "/problems/funding/federal-allocation-missing")
    assert "SEM" in r.json()["detail"]
    assert (await client.get(f"/v1/agreements/{draft['id']}", headers=editor)).json()["status"] == "draft"
    # Agreements without IFK lines need no allocation.
    assert (await api.sign(await api.agreement([(2024, INFO, "canton", "10.00")]))).status_code == 200


async def test_only_sem_records_the_allocation_and_it_is_audited(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str]
) -> None:
    body = {
        "reference": "PV KIP 3 BL",
        "agreement_date": "2023-12-01",
        "period_amount": "3500000.00",
        "years": [{"year": y, "amount": "875000.00"} for y in range(2024, 2028)],
    }
    own = await client.put(URL, headers=editor, json=body)
    assert (own.status_code, own.json()["type"]) == (403, "/problems/funding/sem-decides")
    assert (await client.get(URL, headers=editor)).status_code == 404
    r = await client.put(URL, headers=sem, json=body)
    assert r.status_code == 200, r.text
    assert (await client.put(URL, headers=sem, json=body)).status_code == 428
    read = await client.get(URL, headers=editor)
    assert (read.status_code, read.headers["ETag"]) == (200, r.headers["ETag"])
    assert next((y["year"], y["allocated"], y["headroom"]) for y in read.json()["years"]) == (
        2024,
        "875000.00",
        "875000.00",
    )
    too_much = {**body, "years": [{"year": 2024, "amount": "3500000.01"}]}
    bad = await client.put(URL, headers={**sem, "If-Match": r.headers["ETag"]}, json=too_much)
    assert (bad.status_code, bad.json()["errors"][0]["loc"]) == (422, ["body", "period_amount"])
    trail = (await client.get("/v1/audit", headers=sem, params={"entity": "federal_allocation"})).json()
    assert [(e["actor"], e["canton"], e["after"]["reference"]) for e in trail["items"]] == [
        ("sem-finance", "BL", "PV KIP 3 BL")
    ]


async def test_ifk_committed_per_year_never_passes_the_allocation(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str]
) -> None:
    assert (await api.allocate("875000.00")).status_code == 200
    await api.signed([(2024, INFO, IFK, "800000.00")])
    r = await api.sign(await api.agreement([(2024, INFO, IFK, "100000.00")], "srk-bl", ("BL-4.02",)))
    assert r.status_code == 409, r.text
    problem = r.json()
    assert (problem["type"], problem["year"], problem["allocation"], problem["committed"]) == (
        "/problems/funding/federal-allocation-exceeded",
        2024,
        "875000.00",
        "800000.00",
    )
    assert (problem["amount_over"], problem["headroom"]) == ("25000.00", "75000.00")
    # Lowering the allocation below what is committed is refused too.
    current = await client.get(URL, headers=sem)
    lower = {
        "reference": "PV KIP 3 BL",
        "agreement_date": "2023-12-01",
        "period_amount": "3500000.00",
        "years": [{"year": 2024, "amount": "799999.99"}],
    }
    low = await client.put(URL, headers={**sem, "If-Match": current.headers["ETag"]}, json=lower)
    assert (low.status_code, low.json()["type"]) == (409, "/problems/funding/federal-allocation-exceeded")
    read = (await client.get(URL, headers=editor)).json()
    assert (read["years"][0]["committed"], read["years"][0]["headroom"]) == ("800000.00", "75000.00")


async def test_concurrent_signings_never_together_pass_the_allocation(
    api: Api, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    assert (await api.allocate("875000.00")).status_code == 200
    drafts = [await api.agreement([(2025, INFO, IFK, "500000.00")]) for _ in range(3)]
    results = await asyncio.gather(*(api.sign(d) for d in drafts))
    assert sorted(r.status_code for r in results) == [200, 409, 409]
    read = (await client.get(URL, headers=editor)).json()
    assert [y["committed"] for y in read["years"] if y["year"] == 2025] == ["500000.00"]


async def test_sems_ifk_payments_per_year_never_pass_the_allocation(
    api: Api, client: httpx.AsyncClient, sem: dict[str, str]
) -> None:
    early = await client.post("/v1/federal-payments", headers=sem, json=payment("1.00"))
    assert (early.status_code, early.json()["type"]) == (409, "/problems/funding/federal-allocation-missing")
    assert (await api.allocate("875000.00")).status_code == 200
    assert (await client.post("/v1/federal-payments", headers=sem, json=payment("875000.00"))).status_code == 201
    over = await client.post("/v1/federal-payments", headers=sem, json=payment("0.01"))
    assert (over.status_code, over.json()["type"], over.json()["headroom"]) == (
        409,
        "/problems/funding/federal-allocation-exceeded",
        "0.00",
    )
    assert (await client.post("/v1/federal-payments", headers=sem, json=payment("0.01", 2025))).status_code == 201
    lump = {**payment("9000000.00"), "source": "federal_lump_sum"}
    assert (await client.post("/v1/federal-payments", headers=sem, json=lump)).status_code == 201


async def test_the_seed_records_bls_allocation_and_stays_within_it(
    seeded: None, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    read = (await client.get(URL, headers=editor)).json()
    assert (read["period_amount"], read["illustrative"]) == ("3500000.00", True)
    assert "BZ-LR23" in read["source_note"]
    assert [y["allocated"] for y in read["years"]] == ["875000.00"] * 4
    for year in read["years"]:
        allocated = Decimal(year["allocated"])
        assert Decimal(year["committed"]) <= allocated and Decimal(year["paid_by_sem"]) <= allocated, year
