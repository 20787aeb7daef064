"""A refund SEM decided in the settlement shows in the canton cockpit's warnings until SEM records its repayment."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.gateway.conftest import BL_KIP3, TokenFactory, needs

COCKPIT = f"/api/v1/views/canton/programmes/{BL_KIP3}"
DECISIONS = f"/api/funding/v1/programmes/{BL_KIP3}/settlement/decisions"


async def _refunds(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get(COCKPIT, params={"year": 2025}, headers=headers)
    assert response.status_code == 200, response.text
    assert "warnings" not in response.json()["degraded"]
    return [w for w in response.json()["warnings"] if w["type"] == "settlement-refund-open"]


@needs("funding", "evaluation")
@pytest.mark.usefixtures("changes_data")
async def test_an_open_refund_is_in_the_cockpit_until_it_is_repaid(
    client: httpx.AsyncClient, token: TokenFactory
) -> None:
    canton, sem = token("canton-viewer", canton="BL"), token("sem")
    assert await _refunds(client, canton) == []
    body = {"carry_over_amount": "0.00", "refund_amount": "12500.00", "due_date": "2028-09-30", "reasons": "Rest"}
    decided = await client.post(DECISIONS, headers=sem, json=body)
    assert decided.status_code == 201, decided.text
    assert decided.json()["proposal"]["goals"]["source"] == "evaluation: goal-achievement"
    [refund] = await _refunds(client, canton)
    assert (refund["amount"], refund["year"]) == ("12500.00", 2028)
    repaid = await client.post(f"{DECISIONS}/1/repayment", headers=sem, json={"repaid_on": "2028-09-15"})
    assert repaid.status_code == 201, repaid.text
    assert await _refunds(client, canton) == []
