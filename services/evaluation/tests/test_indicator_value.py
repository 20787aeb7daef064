"""Indicator values: every plausibility rule, partner reporting limited to its own measures, canton confirmation."""

from __future__ import annotations

from typing import Any

import httpx


def _post(client: httpx.AsyncClient, ind: dict[str, Any], headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/v1/indicators/{ind['id']}/values", json={"year": 2025, **body}, headers=headers)


def assert_refused(response: httpx.Response, field: str, rule: str) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "/problems/evaluation/value-implausible"
    assert problem["errors"][0]["loc"] == ["body", field]
    assert problem.get("rule") == rule


async def test_counts_are_whole_and_not_negative(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any
) -> None:
    ind = await indicator("participants")
    assert_refused(await _post(client, ind, editor, value="-1"), "value", "count_whole_non_negative")
    assert_refused(await _post(client, ind, editor, value="12.5"), "value", "count_whole_non_negative")
    ok = await _post(client, ind, editor, value="12")
    assert ok.status_code == 201 and ok.json()["value"] == "12" and ok.json()["status"] == "reported"
    assert_refused(
        await client.put(f"/v1/indicators/{ind['id']}/targets/2025", json={"value": "-3"}, headers=editor),
        "value",
        "count_whole_non_negative",
    )


async def test_percentages_lie_within_0_and_100(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any
) -> None:
    ind = await indicator("share", unit="percent")
    assert_refused(await _post(client, ind, editor, value="100.01"), "value", "percent_range")
    assert_refused(await _post(client, ind, editor, value="-0.5"), "value", "percent_range")
    assert (await _post(client, ind, editor, value="87.25")).json()["value"] == "87.25"


async def test_chf_amounts_and_hours(client: httpx.AsyncClient, editor: dict[str, str], indicator: Any) -> None:
    chf = await indicator("cost", unit="chf")
    assert_refused(await _post(client, chf, editor, value="10.005"), "value", "chf_rappen")
    hours = await indicator("hours", unit="hours")
    assert_refused(await _post(client, hours, editor, value="-2"), "value", "hours_non_negative")


async def test_values_are_exact_decimal_strings(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any
) -> None:
    ind = await indicator("participants")
    as_number = await _post(client, ind, editor, value=12)
    assert as_number.status_code == 422 and as_number.json()["errors"][0]["loc"] == ["body", "value"]
    too_precise = await _post(client, ind, editor, value="1.00001")
    assert too_precise.status_code == 422
    bad_year = await _post(client, ind, editor, value="1", year=2031)
    assert bad_year.status_code == 422 and bad_year.json()["errors"][0]["loc"] == ["body", "year"]
    half_breakdown = await _post(client, ind, editor, value="1", dimension="sex")
    assert half_breakdown.status_code == 422
    bad_category = await _post(client, ind, editor, value="1", dimension="sex", category="f")
    assert bad_category.status_code == 422 and bad_category.json()["errors"][0]["loc"] == ["body", "category"]


async def test_breakdown_parts_never_exceed_the_total(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any
) -> None:
    ind = await indicator("participants")
    assert (await _post(client, ind, editor, value="100")).status_code == 201
    assert (await _post(client, ind, editor, value="60", dimension="sex", category="female")).status_code == 201
    assert_refused(
        await _post(client, ind, editor, value="41", dimension="sex", category="male"),
        "value",
        "breakdown_within_total",
    )
    male = await _post(client, ind, editor, value="40", dimension="sex", category="male")
    assert male.status_code == 201
    # another dimension is checked on its own
    assert (await _post(client, ind, editor, value="90", dimension="age_band", category="16-25")).status_code == 201
    # lowering the total below the parts is refused too
    total = (await client.get(f"/v1/indicators/{ind['id']}/values", params={"year": 2025}, headers=editor)).json()[0]
    assert total["dimension"] is None
    lowered = await client.patch(
        f"/v1/indicator-values/{total['id']}", json={"value": "95"}, headers={**editor, "If-Match": '"1"'}
    )
    assert_refused(lowered, "value", "breakdown_within_total")
    raised_part = await client.patch(
        f"/v1/indicator-values/{male.json()['id']}", json={"value": "41"}, headers={**editor, "If-Match": '"1"'}
    )
    assert_refused(raised_part, "value", "breakdown_within_total")
    duplicate = await _post(client, ind, editor, value="100")
    assert duplicate.status_code == 409


async def test_rules_between_indicators_hold_both_ways(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any
) -> None:
    participants = await indicator("participants")
    completers = await indicator("completers", level="outcome")
    rule = await client.post(
        "/v1/indicator-rules",
        json={
            "lower_indicator_id": completers["id"],
            "upper_indicator_id": participants["id"],
            "description": "Abschlüsse ≤ Teilnehmende",
        },
        headers=editor,
    )
    assert rule.status_code == 201, rule.text
    assert (await _post(client, participants, editor, value="100")).status_code == 201
    too_many = await _post(client, completers, editor, value="101")
    assert_refused(too_many, "value", "indicator_rule")
    assert too_many.json()["rule_id"] == rule.json()["id"]
    assert "Abschlüsse ≤ Teilnehmende" in too_many.json()["detail"]
    assert (await _post(client, completers, editor, value="80")).status_code == 201
    # the other way round: participants cannot drop below the completers
    listed = (await client.get(f"/v1/indicators/{participants['id']}/values", headers=editor)).json()
    lowered = await client.patch(
        f"/v1/indicator-values/{listed[0]['id']}", json={"value": "79"}, headers={**editor, "If-Match": '"1"'}
    )
    assert_refused(lowered, "value", "indicator_rule")
    # another year is not compared
    assert (await _post(client, completers, editor, value="500", year=2024)).status_code == 201
    rules = (await client.get(f"/v1/indicators/{participants['id']}/rules", headers=editor)).json()
    assert [r["description"] for r in rules] == ["Abschlüsse ≤ Teilnehmende"]


async def test_a_partner_enters_values_only_for_measures_it_delivers(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any, as_partner: Any, ids: Any
) -> None:
    counselling = await indicator("clients", measure="BL-1.02")
    courses = await indicator("participants", measure="BL-2.01")
    ald, bmh = as_partner("ald"), as_partner("bmh")
    entered = await _post(client, counselling, ald, value="1600", source="ald Jahresstatistik")
    assert entered.status_code == 201, entered.text
    assert entered.json()["partner_id"] == ids.partner("ald") and entered.json()["status"] == "reported"
    foreign = await _post(client, courses, ald, value="5")
    assert foreign.status_code == 404
    assert (await client.get(f"/v1/indicators/{courses['id']}", headers=ald)).status_code == 404
    assert (await client.get(f"/v1/indicators/{counselling['id']}/values", headers=bmh)).status_code == 404
    assert (await client.get(f"/v1/indicator-values/{entered.json()['id']}", headers=bmh)).status_code == 404
    assert [i["code"] for i in (await client.get("/v1/indicators", headers=ald)).json()] == ["clients"]
    assert [i["code"] for i in (await client.get("/v1/indicators", headers=bmh)).json()] == ["participants"]
    canton_list = await client.get("/v1/indicators", params={"programme_id": str(ids.programme)}, headers=editor)
    assert sorted(i["code"] for i in canton_list.json()) == ["clients", "participants"]

    # a partner cannot confirm; the canton does; afterwards the partner cannot change it any more
    value_url = f"/v1/indicator-values/{entered.json()['id']}"
    assert (await client.post(value_url + "/confirm", headers={**ald, "If-Match": '"1"'})).status_code == 403
    confirmed = await client.post(value_url + "/confirm", headers={**editor, "If-Match": '"1"'})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    changed = await client.patch(value_url, json={"value": "1601"}, headers={**ald, "If-Match": '"2"'})
    assert changed.status_code == 409
    assert changed.json()["type"] == "/problems/evaluation/value-confirmed"
    corrected = await client.patch(value_url, json={"value": "1601"}, headers={**editor, "If-Match": '"2"'})
    assert corrected.json()["status"] == "reported"  # a correction needs confirming again


async def test_each_refusal_of_a_value_or_an_indicator_has_its_own_type(
    client: httpx.AsyncClient, editor: dict[str, str], indicator: Any, ids: Any
) -> None:
    ind = await indicator("participants")
    first = await _post(client, ind, editor, value="12")
    assert first.status_code == 201, first.text
    again = (await _post(client, ind, editor, value="13")).json()
    assert (again["status"], again["type"]) == (409, "/problems/evaluation/value-exists")
    assert again["value_id"] == first.json()["id"]
    outside = (await _post(client, ind, {**editor, "Accept-Language": "it"}, value="1", year=2031)).json()
    assert (outside["status"], outside["type"]) == (422, "/problems/evaluation/year-outside-period")
    assert outside["title"] == "L'anno è al di fuori del periodo del programma"
    body = {"programme_id": str(ids.programme), "goal_id": ids.goal("2.1"), "code": "participants", "title": "x"}
    taken = await client.post("/v1/indicators", json={**body, "level": "output", "unit": "count"}, headers=editor)
    assert (taken.status_code, taken.json()["type"]) == (409, "/problems/evaluation/indicator-code-taken")
    unknown = {**body, "code": "other", "goal_id": ids.goal("9.9"), "level": "output", "unit": "count"}
    refused = (await client.post("/v1/indicators", json=unknown, headers=editor)).json()
    assert (refused["type"], refused["errors"][0]["loc"]) == (
        "/problems/evaluation/unknown-reference",
        ["body", "goal_id"],
    )
