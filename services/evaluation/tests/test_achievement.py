"""Goal achievement equals a computation by hand, and key figures list what is confirmed, from confirmed values
only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx


async def _indicator(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    ids: Any,
    code: str,
    goal: str,
    unit: str,
    aggregation: str,
    direction: str = "higher_is_better",
    targets: dict[int, str] | None = None,
    values: dict[int, tuple[str, bool]] | None = None,
) -> str:
    body = {
        "programme_id": str(ids.programme),
        "goal_id": ids.goal(goal),
        "code": code,
        "title": code,
        "level": "outcome",
        "unit": unit,
        "aggregation": aggregation,
        "direction": direction,
    }
    created = await client.post("/v1/indicators", json=body, headers=editor)
    assert created.status_code == 201, created.text
    iid = str(created.json()["id"])
    for year, target in (targets or {}).items():
        put = await client.put(f"/v1/indicators/{iid}/targets/{year}", json={"value": target}, headers=editor)
        assert put.status_code == 200, put.text
    for year, (value, confirm) in (values or {}).items():
        entered = await client.post(f"/v1/indicators/{iid}/values", json={"year": year, "value": value}, headers=editor)
        assert entered.status_code == 201, entered.text
        if confirm:
            url = f"/v1/indicator-values/{entered.json()['id']}/confirm"
            assert (await client.post(url, headers={**editor, "If-Match": '"1"'})).status_code == 200
    return iid


def _post(client: httpx.AsyncClient, ind: dict[str, Any], headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/v1/indicators/{ind['id']}/values", json={"year": 2025, **body}, headers=headers)


async def test_goal_achievement_equals_the_hand_computation(
    client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str], ids: Any
) -> None:
    # Goal 2.1
    a = await _indicator(
        client,
        editor,
        ids,
        "A",
        "2.1",
        "count",
        "sum",
        targets={2024: "1000", 2025: "1000"},
        values={2024: ("900", True), 2025: ("1200", True)},
    )
    b = await _indicator(
        client,
        editor,
        ids,
        "B",
        "2.1",
        "percent",
        "mean",
        targets={2024: "80", 2025: "90"},
        values={2024: ("70", True), 2025: ("75", True)},
    )
    c = await _indicator(
        client,
        editor,
        ids,
        "C",
        "2.1",
        "count",
        "latest",
        direction="lower_is_better",
        targets={2024: "35", 2025: "30"},
        values={2024: ("40", True), 2025: ("50", False)},
    )
    d = await _indicator(client, editor, ids, "D", "2.1", "count", "sum", values={2025: ("10", True)})
    # Goal 1.1
    e = await _indicator(
        client,
        editor,
        ids,
        "E",
        "1.1",
        "count",
        "sum",
        targets={2025: "500"},
        values={2024: ("100", True), 2025: ("300", True)},
    )

    response = await client.get(f"/v1/programmes/{ids.programme}/goal-achievement", params={"year": 2025}, headers=sem)
    assert response.status_code == 200, response.text
    report = response.json()
    goals = {g["goal_id"]: g for g in report["goals"]}
    assert set(goals) == {ids.goal("2.1"), ids.goal("1.1")}
    by_id = {i["indicator_id"]: i for g in report["goals"] for i in g["indicators"]}

    # By hand:
    # A  sum, 2024+2025:   actual 900+1200 = 2100, target 1000+1000 = 2000, ratio 2100/2000 = 1.05 → capped 1
    # B  mean, 2024+2025:  actual (70+75)/2 = 72.5, target (80+90)/2 = 85, ratio 72.5/85 = 0.852941… → 0.8529
    # C  latest, lower is better; the 2025 value is only reported, so 2024: ratio 35/40 = 0.875
    # D  no target: no ratio, does not count
    # goal 2.1 = (1 + 0.8529 + 0.875) / 3 = 2.7279 / 3 = 0.9093
    # E  sum, only 2025 has a target: ratio 300/500 = 0.6; goal 1.1 = 0.6
    assert (by_id[a]["actual"], by_id[a]["target"], by_id[a]["ratio"], by_id[a]["capped_ratio"]) == (
        "2100",
        "2000",
        "1.05",
        "1",
    )
    assert (by_id[b]["actual"], by_id[b]["target"], by_id[b]["ratio"]) == ("72.5", "85", "0.8529")
    assert (by_id[c]["years"], by_id[c]["actual"], by_id[c]["target"], by_id[c]["ratio"]) == (
        [2024],
        "40",
        "35",
        "0.875",
    )
    assert by_id[d]["ratio"] is None and by_id[d]["note"]
    assert (by_id[e]["years"], by_id[e]["ratio"]) == ([2025], "0.6")
    expected = (Decimal(1) + Decimal("0.8529") + Decimal("0.875")) / 3
    assert Decimal(goals[ids.goal("2.1")]["achievement"]) == expected.quantize(Decimal("0.0001")) == Decimal("0.9093")
    assert goals[ids.goal("1.1")]["achievement"] == "0.6"
    assert "capped at 1.0" in report["formula"]

    earlier = (
        await client.get(f"/v1/programmes/{ids.programme}/goal-achievement", params={"year": 2024}, headers=editor)
    ).json()
    by_id = {i["indicator_id"]: i for g in earlier["goals"] for i in g["indicators"]}
    assert by_id[a]["ratio"] == "0.9"  # 900 / 1000
    assert by_id[e]["ratio"] is None  # 2024 has no target


async def test_the_formula_is_documented_in_openapi(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    description = spec["paths"]["/v1/programmes/{programme_id}/goal-achievement"]["get"]["description"]
    assert "capped at 1.0" in description and "target ÷ actual" in description


async def test_seeded_national_goal_counts_bl_s_confirmed_value(
    client: httpx.AsyncClient, editor: dict[str, str], seeded: None, ids: Any
) -> None:
    report = (
        await client.get(f"/v1/programmes/{ids.programme}/goal-achievement", params={"year": 2024}, headers=editor)
    ).json()
    national = {g["code"]: g for g in report["goals"] if g["kind"] == "national_goal"}
    assert set(national) == {"IAS-1", "IAS-2", "IAS-3", "IAS-4", "IAS-5"}
    assert national["IAS-1"]["achievement"] == "0.615"  # 61.5 % against the goal of 100 %
    assert national["IAS-5"]["achievement"] is None  # no measurable target
    own = {g["goal_id"]: g for g in report["goals"] if g["kind"] == "programme_goal"}
    # goal 1.1: first-information interviews 1180 of 1200 → 0.9833
    assert own[ids.goal("1.1")]["achievement"] == "0.9833"


async def test_only_confirmed_values_are_key_figures(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    sem: dict[str, str],
    indicator: Any,
    as_partner: Any,
    ids: Any,
    token: Any,
) -> None:
    ind = await indicator("clients", measure="BL-1.02")
    total = (await _post(client, ind, as_partner("ald"), value="1600")).json()
    part = (await _post(client, ind, as_partner("ald"), value="900", dimension="sex", category="female")).json()
    url = f"/v1/programmes/{ids.programme}/key-figures"
    assert (await client.get(url, params={"year": 2025}, headers=editor)).json()["items"] == []
    await client.post(f"/v1/indicator-values/{total['id']}/confirm", headers={**editor, "If-Match": '"1"'})
    figures = (await client.get(url, params={"year": 2025}, headers=sem)).json()["items"]
    assert [(f["code"], f["dimension"], f["value"]) for f in figures] == [("clients", None, "1600")]
    await client.post(f"/v1/indicator-values/{part['id']}/confirm", headers={**editor, "If-Match": '"1"'})
    figures = (await client.get(url, params={"year": 2025}, headers=editor)).json()["items"]
    assert [(f["dimension"], f["category"], f["value"]) for f in figures] == [
        (None, None, "1600"),
        ("sex", "female", "900"),
    ]
    assert (await client.get(url, params={"year": 2025}, headers=as_partner("ald"))).status_code == 403
    zh = await client.get(url, params={"year": 2025}, headers=token("canton-viewer", canton="ZH"))
    assert zh.status_code == 404
    assert (await client.get(url, headers=editor)).json()["errors"][0]["loc"] == ["query", "year"]


async def test_key_figures_carry_their_indicator_in_code_order(
    client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str], indicator: Any, ids: Any
) -> None:
    hours = await indicator("b-hours", unit="hours", measure="BL-1.02")
    clients = await indicator("a-clients", level="outcome")

    async def confirmed(ind: dict[str, Any], **body: Any) -> None:
        entered = await _post(client, ind, editor, **body)
        assert entered.status_code == 201, entered.text
        url = f"/v1/indicator-values/{entered.json()['id']}/confirm"
        assert (await client.post(url, headers={**editor, "If-Match": '"1"'})).status_code == 200

    await confirmed(hours, value="12.5")
    await confirmed(clients, value="10")
    await confirmed(clients, value="4", dimension="sex", category="male")
    await confirmed(clients, value="7", year=2024)
    assert (await _post(client, hours, editor, value="2", dimension="sex", category="female")).status_code == 201

    def figure(ind: dict[str, Any], value: str, dimension: str | None = None, category: str | None = None) -> Any:
        return {
            "indicator_id": ind["id"],
            "code": ind["code"],
            "title": ind["title"],
            "level": ind["level"],
            "unit": ind["unit"],
            "measure_id": ind["measure_id"],
            "goal_id": ind["goal_id"],
            "national_goal_id": None,
            "dimension": dimension,
            "category": category,
            "value": value,
            "source": None,
            "illustrative": False,
        }

    url = f"/v1/programmes/{ids.programme}/key-figures"
    response = await client.get(url, params={"year": 2025}, headers=sem)
    assert response.status_code == 200
    assert response.json() == {
        "programme_id": str(ids.programme),
        "year": 2025,
        "items": [figure(clients, "10"), figure(clients, "4", "sex", "male"), figure(hours, "12.5")],
    }
    earlier = (await client.get(url, params={"year": 2024}, headers=sem)).json()["items"]
    assert earlier == [figure(clients, "7")]
    assert (await client.get(url, params={"year": 2023}, headers=sem)).json()["items"] == []


async def test_the_annual_report_sections_are_the_five_answers_they_stand_for(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    sem: dict[str, str],
    indicator: Any,
    as_partner: Any,
    ids: Any,
    token: Any,
) -> None:
    ind = await indicator("clients", measure="BL-1.02")
    value = (await _post(client, ind, as_partner("ald"), value="1600")).json()
    await client.post(f"/v1/indicator-values/{value['id']}/confirm", headers={**editor, "If-Match": '"1"'})
    text = {"text": "Die Fachstelle Integration koordiniert mit den Gemeinden.", "previous_version": None}
    base = f"/v1/programmes/{ids.programme}"
    written = await client.post(f"{base}/report-texts/2025/coordination", json=text, headers=editor)
    assert written.status_code == 201, written.text
    for headers in (editor, sem):
        sections = await client.get(f"{base}/annual-report-sections/2025", headers=headers)
        assert sections.status_code == 200, sections.text
        body = sections.json()
        assert (
            body["goal_achievement"] == (await client.get(f"{base}/goal-achievement?year=2025", headers=headers)).json()
        )
        assert body["key_figures"] == (await client.get(f"{base}/key-figures?year=2025", headers=headers)).json()
        assert body["evaluations"] == (await client.get(f"{base}/evaluation-report", headers=headers)).json()
        for name, section in (("coordination", "coordination"), ("financial_supervision", "financial-supervision")):
            alone = await client.get(f"{base}/report-texts/2025/{section}", headers=headers)
            assert body[name] == alone.json(), name
        assert body["key_figures"]["items"] and body["coordination"]["texts"]
    assert (await client.get(f"{base}/annual-report-sections/2025", headers=as_partner("ald"))).status_code == 403
    zh = token("canton-viewer", canton="ZH")
    assert (await client.get(f"{base}/annual-report-sections/2025", headers=zh)).status_code == 404
    too_early = await client.get(f"{base}/annual-report-sections/1999", headers=editor)
    assert (too_early.status_code, too_early.json()["errors"][0]["loc"]) == (422, ["path", "year"])
