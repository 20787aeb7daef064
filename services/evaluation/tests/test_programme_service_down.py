"""When the programme service cannot be reached, every write that names its ids answers 503 and writes nothing."""

from __future__ import annotations

from typing import Any

import httpx

from evaluation.annual_report.models import AnnualReportVersion
from evaluation.evaluation.models import Evaluation
from evaluation.indicator.models import Indicator
from evaluation.indicator_value.models import IndicatorValue
from evaluation.recommendation.models import Recommendation
from evaluation.reference import ProgrammeRef


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/upstream-unavailable"
    assert "nothing was written" in response.json()["detail"]


async def test_writes_are_refused_with_503_and_nothing_is_written(
    client: httpx.AsyncClient,
    down_client: httpx.AsyncClient,
    editor: dict[str, str],
    as_partner: Any,
    ids: Any,
    plan: Any,
    rows: Any,
) -> None:
    ev = await plan()
    indicator = await client.post(
        "/v1/indicators",
        json={
            "programme_id": str(ids.programme),
            "measure_id": ids.measure("BL-1.02"),
            "code": "k",
            "title": "k",
            "level": "output",
            "unit": "count",
        },
        headers=editor,
    )
    assert indicator.status_code == 201
    before = {
        m: await rows(m)
        for m in (Evaluation, Indicator, IndicatorValue, Recommendation, AnnualReportVersion, ProgrammeRef)
    }

    assert_unavailable(
        await down_client.post(
            "/v1/evaluations", json={"programme_id": str(ids.programme), "kind": "study", "title": "x"}, headers=editor
        )
    )
    assert_unavailable(
        await down_client.patch(
            f"/v1/evaluations/{ev['id']}",
            json={"title": "neu", "measure_ids": [ids.measure("BL-1.02")]},
            headers={**editor, "If-Match": '"1"'},
        )
    )
    assert_unavailable(
        await down_client.post(
            f"/v1/evaluations/{ev['id']}/recommendations",
            json={"text": "x", "addressee_partner_id": ids.partner("ald")},
            headers=editor,
        )
    )
    assert_unavailable(
        await down_client.post(
            "/v1/indicators",
            json={
                "programme_id": str(ids.programme),
                "goal_id": ids.goal("1.1"),
                "code": "y",
                "title": "y",
                "level": "output",
                "unit": "count",
            },
            headers=editor,
        )
    )
    assert_unavailable(
        await down_client.post(
            f"/v1/indicators/{indicator.json()['id']}/values",
            json={"year": 2025, "value": "5"},
            headers=as_partner("ald"),
        )
    )
    assert_unavailable(
        await down_client.post(
            f"/v1/programmes/{ids.programme}/annual-reports/2025", json={"content": {"a": 1}}, headers=editor
        )
    )

    after = {m: await rows(m) for m in before}
    assert after == before
    unchanged = (await client.get(f"/v1/evaluations/{ev['id']}", headers=editor)).json()
    assert (unchanged["title"], unchanged["version"], unchanged["measure_ids"]) == (ev["title"], 1, [])


async def test_reads_of_stored_data_do_not_need_the_programme_service(
    client: httpx.AsyncClient, down_client: httpx.AsyncClient, editor: dict[str, str], plan: Any, ids: Any
) -> None:
    ev = await plan()
    assert (await down_client.get(f"/v1/evaluations/{ev['id']}", headers=editor)).status_code == 200
    listed = await down_client.get("/v1/evaluations", params={"programme_id": str(ids.programme)}, headers=editor)
    assert listed.json()["total"] == 1
    figures = await down_client.get(
        f"/v1/programmes/{ids.programme}/key-figures", params={"year": 2025}, headers=editor
    )
    assert figures.status_code == 200  # the programme's canton is remembered from the write
