"""The three services in-process on one seeded database each, wired together over ASGI, with the ids the matrix
and the isolation tests address.

Databases are migrated and seeded as `kip migrate` and `kip seed` do (tests/support/platform.prepare); funding's
and evaluation's programme clients reach the real programme app, funding's evaluation client the real evaluation
app, through httpx.ASGITransport. A few records the seed lacks (a milestone, a finding, a recommendation to partner
A, a follow-up action, an annual report; SEM's settlement decision) are created through the API by a
Basel-Landschaft editor (the decision by SEM).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from authz_callers import PARTNER_A, PARTNER_B, caller_headers
from authz_matrix import ACK, COMPLETE_REPORT
from fastapi import FastAPI

from evaluation.main import create_app as create_evaluation
from evaluation.settings import EvaluationSettings
from funding import seed_data as funding_seed
from funding.main import create_app as create_funding
from funding.settings import FundingSettings
from kit.ids import seed_uuid
from kit.settings import AuthSettings
from programme.main import create_app as create_programme
from programme.settings import ProgrammeSettings
from support.platform import Platform

SERVICES = ("programme", "funding", "evaluation")


def _seeded_ids() -> dict[str, str]:
    code, by_source = next(iter(funding_seed.YEARLY_PLAN.items()))
    source = next(iter(by_source))
    disbursement = next(d for d in funding_seed.DISBURSEMENTS if d[1] == PARTNER_A)
    spend_code, spend_sources = next(iter(funding_seed.SPENDING_2024.items()))
    ids = {
        "programme": seed_uuid("programme", "BL-KIP3"),
        "period": seed_uuid("period", "KIP3"),
        "area": seed_uuid("funding-area", "KIP3/information_needs_assessment_counselling"),
        "area_language": seed_uuid("funding-area", "KIP3/language"),
        "goal": seed_uuid("goal", "KIP3/1.1"),
        "measure_a": seed_uuid("measure", "BL-KIP3/BL-1.02"),
        "partner_a": seed_uuid("partner", PARTNER_A),
        "partner_b": seed_uuid("partner", PARTNER_B),
        "budget_line": seed_uuid("budget-line", f"BL-KIP3/2024/{code}/{source}"),
        "credit": seed_uuid("credit", funding_seed.CREDIT["key"]),
        "agreement_a": seed_uuid("agreement", f"BL-KIP3/{PARTNER_A}"),
        "agreement_b": seed_uuid("agreement", f"BL-KIP3/{PARTNER_B}"),
        "disbursement_a": seed_uuid("disbursement", f"BL-KIP3/{disbursement[0]}"),
        "spending": seed_uuid("spending", f"BL-KIP3/2024/{spend_code}/{next(iter(spend_sources))}"),
        "evaluation_a": seed_uuid("evaluation", "BL-KIP3/ald-information-counselling"),
        "indicator_a": seed_uuid("indicator", "BL-KIP3/BL-1.02-a"),
        "indicator_lower": seed_uuid("indicator", "BL-KIP3/BL-2.01-b"),
        "indicator_upper": seed_uuid("indicator", "BL-KIP3/BL-2.01-a"),
        "value_a": seed_uuid("indicator-value", "BL-KIP3/BL-1.02-a/2024//"),
    }
    return {k: str(v) for k, v in ids.items()}


@dataclass
class World:
    """Clients of the three apps, every caller's headers, and the ids requests are built from."""

    clients: dict[str, httpx.AsyncClient]
    headers: dict[str, dict[str, str]]
    ids: dict[str, str] = field(default_factory=_seeded_ids)

    async def create(self, service: str, path: str, body: dict[str, Any], caller: str = "bl_editor") -> str:
        response = await self.clients[service].post(path, json=body, headers=self.headers[caller])
        assert response.status_code == 201, f"setup POST {path}: {response.status_code} {response.text}"
        return str(response.json()["id"])


async def _add_missing_records(world: World) -> None:
    ids = world.ids
    evaluation = f"/v1/evaluations/{ids['evaluation_a']}"
    ids["milestone"] = await world.create(
        "evaluation", f"{evaluation}/milestones", {"title": "Zwischenbericht", "due_date": "2026-06-30"}
    )
    ids["finding"] = await world.create("evaluation", f"{evaluation}/findings", {"text": "Wartezeiten zu lang."})
    ids["recommendation_a"] = await world.create(
        "evaluation",
        f"{evaluation}/recommendations",
        {"text": "Termine online anbieten.", "addressee_partner_id": ids["partner_a"], "finding_id": ids["finding"]},
    )
    ids["action"] = await world.create(
        "evaluation",
        f"/v1/recommendations/{ids['recommendation_a']}/actions",
        {
            "title": "Online-Agenda einführen",
            "owner": "ald",
            "owner_partner_id": ids["partner_a"],
            "due_date": "2026-09-30",
            "target_kind": "measure",
            "target_id": ids["measure_a"],
        },
    )
    report = f"/v1/programmes/{ids['programme']}/annual-reports/2024"
    response = await world.clients["evaluation"].post(
        report,
        json={"content": {**COMPLETE_REPORT, "note": "Jahresbericht"}, "acknowledged_warnings": ACK},
        headers=world.headers["bl_editor"],
    )
    assert response.status_code == 201, response.text
    settlement = {"carry_over_amount": "0.00", "refund_amount": "1.00", "due_date": "2028-06-30", "reasons": "Rest"}
    await world.create("funding", f"/v1/programmes/{ids['programme']}/settlement/decisions", settlement, "sem")


@asynccontextmanager
async def running_world(platform: Platform, add_records: bool = True) -> AsyncIterator[World]:
    """The apps in-process on the databases `support.platform.prepare` migrated and seeded."""
    auth = AuthSettings(local_key_dir=platform.key_dir)
    urls = platform.database_urls
    async with AsyncExitStack() as stack:
        programme = create_programme(ProgrammeSettings(database_url=urls["programme"]), auth)
        await stack.enter_async_context(programme.router.lifespan_context(programme))
        wired = httpx.ASGITransport(app=programme)
        evaluation = create_evaluation(
            EvaluationSettings(database_url=urls["evaluation"], programme_url="http://programme"), auth, wired
        )
        apps: dict[str, FastAPI] = {
            "programme": programme,
            "funding": create_funding(
                FundingSettings(
                    database_url=urls["funding"], programme_url="http://programme", evaluation_url="http://evaluation"
                ),
                auth,
                wired,
                httpx.ASGITransport(app=evaluation),
            ),
            "evaluation": evaluation,
        }
        for name in ("evaluation", "funding"):
            await stack.enter_async_context(apps[name].router.lifespan_context(apps[name]))
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
            )
            for name, app in apps.items()
        }
        world = World(clients, caller_headers(platform.key_dir))
        if add_records:
            await _add_missing_records(world)
        yield world


def missing_id() -> str:
    """An id nobody has: what a foreign id must be indistinguishable from."""
    return str(uuid.uuid4())
