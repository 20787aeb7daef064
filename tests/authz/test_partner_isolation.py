"""Lists seeded across many partners: each partner's lists hold only its own rows, with totals equal to its own.

Six Basel-Landschaft partners each get a signed agreement with generated amounts (to the Rappen), disbursements
they request themselves, an evaluation with a recommendation addressed to them, and (where they deliver a measure
with an indicator) an indicator value they enter. Then every partner reads every list: 0 rows of anyone else's,
and the sum of its disbursements equals, to the Rappen, the sum of its own rows in SEM's complete view.
"""

from __future__ import annotations

import random
import uuid
from decimal import Decimal
from typing import Any

from authz_world import World, running_world

from kit.auth import ensure_local_keypair, issue_token
from kit.ids import seed_uuid
from support.platform import Platform

PARTNERS = ("ald", "srk-bl", "heks-bb", "amib", "bmh", "ksa")
INDICATORS = {"amib": "BL-1.01-a", "ald": "BL-1.02-a", "bmh": "BL-2.01-a", "srk-bl": "BL-4.01-a"}
AREA = str(seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"))
PROGRAMME = str(seed_uuid("programme", "BL-KIP3"))


def rappen(rng: random.Random, low: int, high: int) -> str:
    return str(Decimal(rng.randint(low, high)) / 100)


async def everything(world: World, service: str, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every item of a paged list (or of a plain list)."""
    items: list[dict[str, Any]] = []
    while True:
        response = await world.clients[service].get(path, params={"limit": 500, "offset": len(items)}, headers=headers)
        assert response.status_code == 200, f"{path}: {response.text}"
        data = response.json()
        if isinstance(data, list):
            return data
        items += data["items"]
        if len(items) >= data["total"] or not data["items"]:
            return items


async def _seed_partner(world: World, slug: str, headers: dict[str, str], rng: random.Random) -> None:
    editor, partner = world.headers["bl_editor"], headers
    funding, evaluation = world.clients["funding"], world.clients["evaluation"]
    lines = [{"year": y, "funding_area_id": AREA, "source": "canton", "amount": rappen(rng, 5_000_00, 20_000_00)}
             for y in (2025, 2026)]  # fmt: skip
    body = {
        "programme_id": PROGRAMME,
        "partner_id": str(seed_uuid("partner", slug)),
        "title": f"Isolation {slug}",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "lines": lines,
    }
    created = await funding.post("/v1/agreements", json=body, headers=editor)
    assert created.status_code == 201, created.text
    agreement = created.json()
    signed = await funding.post(
        f"/v1/agreements/{agreement['id']}/sign", headers={**editor, "If-Match": f'"{agreement["version"]}"'}
    )
    assert signed.status_code == 200, signed.text
    for line in lines:
        for _ in range(2):
            request = {
                "agreement_id": agreement["id"],
                "year": line["year"],
                "funding_area_id": AREA,
                "source": "canton",
                "amount": rappen(rng, 1, 2_000_00),
                "value_date": f"{line['year']}-04-30",
            }
            r = await funding.post(
                "/v1/disbursements", json=request, headers={**partner, "Idempotency-Key": str(uuid.uuid4())}
            )
            assert r.status_code == 201, r.text
    study = {
        "programme_id": PROGRAMME,
        "kind": "self_evaluation",
        "title": f"Selbstevaluation {slug}",
        "partner_ids": [str(seed_uuid("partner", slug))],
    }
    r = await evaluation.post("/v1/evaluations", json=study, headers=editor)
    assert r.status_code == 201, r.text
    recommendation = {"text": f"Empfehlung an {slug}", "addressee_partner_id": str(seed_uuid("partner", slug))}
    r = await evaluation.post(f"/v1/evaluations/{r.json()['id']}/recommendations", json=recommendation, headers=editor)
    assert r.status_code == 201, r.text
    if slug in INDICATORS:
        indicator = seed_uuid("indicator", f"BL-KIP3/{INDICATORS[slug]}")
        r = await evaluation.post(
            f"/v1/indicators/{indicator}/values",
            json={"year": 2026, "value": str(rng.randint(1, 900))},
            headers=partner,
        )
        assert r.status_code == 201, r.text


def total(rows: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(r["amount"]) for r in rows), Decimal("0.00"))


async def test_each_partner_lists_only_its_own_rows_with_its_own_totals(seeded_platform: Platform) -> None:
    private_pem = ensure_local_keypair(seeded_platform.key_dir)[0]
    partner_headers = {
        slug: {
            "Authorization": "Bearer "
            + issue_token(private_pem, role="partner", partner_id=seed_uuid("partner", slug), subject=f"{slug}-office")
        }
        for slug in PARTNERS
    }
    rng = random.Random(20261128)  # noqa: S311 - reproducible amounts, not secrets
    async with running_world(seeded_platform, add_records=False) as world:
        for slug in PARTNERS:
            await _seed_partner(world, slug, partner_headers[slug], rng)
        sem = world.headers["sem"]
        all_disbursements = await everything(world, "funding", "/v1/disbursements", sem)
        all_agreements = await everything(world, "funding", "/v1/agreements", sem)
        all_recommendations = await everything(world, "evaluation", "/v1/recommendations", sem)
        assert {d["partner_id"] for d in all_disbursements} >= {str(seed_uuid("partner", s)) for s in PARTNERS}
        foreign_rows = rows = 0
        for slug in PARTNERS:
            own, headers = str(seed_uuid("partner", slug)), partner_headers[slug]
            agreements = await everything(world, "funding", "/v1/agreements", headers)
            disbursements = await everything(world, "funding", "/v1/disbursements", headers)
            recommendations = await everything(world, "evaluation", "/v1/recommendations", headers)
            foreign_rows += sum(a["partner_id"] != own for a in agreements)
            foreign_rows += sum(d["partner_id"] != own for d in disbursements)
            foreign_rows += sum(r["addressee_partner_id"] != own for r in recommendations)
            assert {a["id"] for a in agreements} == {a["id"] for a in all_agreements if a["partner_id"] == own}
            assert {r["id"] for r in recommendations} == {
                r["id"] for r in all_recommendations if r["addressee_partner_id"] == own
            }
            mine = [d for d in all_disbursements if d["partner_id"] == own]
            assert {d["id"] for d in disbursements} == {d["id"] for d in mine}
            assert total(disbursements) == total(mine) > 0, slug
            measures = {m["id"] for m in await everything(world, "programme", "/v1/measures", headers)}
            for indicator in await everything(world, "evaluation", "/v1/indicators", headers):
                assert indicator["measure_id"] in measures, (slug, indicator["code"])
                values = await everything(world, "evaluation", f"/v1/indicators/{indicator['id']}/values", headers)
                foreign_rows += sum(v["partner_id"] not in (own, None) for v in values)
                rows += len(values)
            for service in ("funding", "evaluation"):
                audit = await everything(world, service, "/v1/audit", headers)
                assert audit or service == "evaluation", f"{slug} sees none of its own audit records"
                foreign_rows += sum(record["partner_id"] != own for record in audit)
                rows += len(audit)
            rows += len(agreements) + len(disbursements) + len(recommendations)
        print(f"\n{seeded_platform.backend}: {len(PARTNERS)} partners read {rows} rows, {foreign_rows} of another's")
        assert foreign_rows == 0
