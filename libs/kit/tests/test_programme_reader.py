"""`kit.programme_reader`: the programme service's JSON as typed records; a malformed answer is a 503 problem.

The programme service here is an `httpx.MockTransport` answering fixed bodies, so each test states exactly what the
reader was given: a well-formed answer reads as its record, a missing one as None (or the service's own 422 in a
`require_*` check), and an answer without the shape a record needs as `UpstreamUnavailable`, never a KeyError or a
TypeError that would surface as a 500.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kit.problems import InvalidInput, UpstreamUnavailable
from kit.programme_reader import (
    FundingArea,
    Goal,
    Measure,
    Partner,
    Programme,
    ProgrammeReader,
    parse_funding_areas,
    parse_goal,
    parse_measure,
    parse_partner,
    parse_programme,
)

PROGRAMME_ID = uuid.UUID("11111111-1111-4111-8111-111111111111")
MEASURE_ID = uuid.UUID("22222222-2222-4222-8222-222222222222")
PARTNER_ID = uuid.UUID("33333333-3333-4333-8333-333333333333")
GOAL_ID = uuid.UUID("44444444-4444-4444-8444-444444444444")
AREA_ID = uuid.UUID("55555555-5555-4555-8555-555555555555")

PROGRAMME = {
    "id": str(PROGRAMME_ID),
    "canton": "BL",
    "period": {"id": str(uuid.uuid4()), "code": "KIP3", "first_year": 2024, "last_year": 2027},
    "title": "KIP 3 Basel-Landschaft",
    "working_language": "de",
    "version": 3,
}
AREA = {"id": str(AREA_ID), "position": 2, "name": {"de": "Sprache", "fr": "Langue", "it": None}, "pillar": 1}


class UnknownThing(InvalidInput):
    type_slug = "test/unknown-reference"


class Reader(ProgrammeReader):
    unknown = UnknownThing


Answer = Callable[[httpx.Request], httpx.Response]


def reader(answers: dict[str, Any], seen: list[httpx.Request] | None = None) -> Reader:
    """A reader whose programme service answers `answers[path]` as JSON (a callable: the response), else 404."""

    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        answer = answers.get(request.url.path)
        if answer is None:
            return httpx.Response(404, json={"type": "/problems/not-found"})
        if callable(answer):
            response: httpx.Response = answer(request)
            return response
        return httpx.Response(200, content=json.dumps(answer).encode(), headers={"content-type": "application/json"})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handle), base_url="http://programme")
    return Reader(client, "token")


def assert_unexpected_shape(exc: pytest.ExceptionInfo[UpstreamUnavailable]) -> None:
    assert exc.value.status == 503
    assert exc.value.extra == {"service": "programme"}
    assert str(exc.value.detail) == "The programme service answered in an unexpected shape."


async def test_a_programme_reads_as_its_typed_record_with_the_callers_token() -> None:
    seen: list[httpx.Request] = []
    programme = await reader({f"/v1/programmes/{PROGRAMME_ID}": PROGRAMME}, seen).programme(PROGRAMME_ID)
    assert programme == Programme(
        id=PROGRAMME_ID, canton="BL", first_year=2024, last_year=2027, period_code="KIP3", working_language="de"
    )
    assert seen[0].headers["authorization"] == "Bearer token"


async def test_a_missing_programme_reads_as_none_and_optional_fields_take_their_defaults() -> None:
    assert await reader({}).programme(PROGRAMME_ID) is None
    bare = {"id": str(PROGRAMME_ID), "canton": "BL", "period": {"first_year": 2024, "last_year": 2027}}
    assert parse_programme(bare) == Programme(id=PROGRAMME_ID, canton="BL", first_year=2024, last_year=2027)


@pytest.mark.parametrize(
    "change",
    [
        {"period": None},
        {"period": "KIP3"},
        {"period": {"code": "KIP3", "first_year": "2024", "last_year": 2027}},
        {"period": {"code": "KIP3", "first_year": 2024}},
        {"period": {"code": "KIP3", "first_year": True, "last_year": 2027}},
        {"canton": None},
        {"canton": 12},
        {"id": "not-a-uuid"},
        {"id": 7},
        {"working_language": 1},
    ],
    ids=repr,
)
async def test_a_malformed_programme_is_a_503_problem(change: dict[str, Any]) -> None:
    answer = {**PROGRAMME, **change}
    with pytest.raises(UpstreamUnavailable) as exc:
        await reader({f"/v1/programmes/{PROGRAMME_ID}": answer}).programme(PROGRAMME_ID)
    assert_unexpected_shape(exc)


async def test_a_list_where_a_programme_was_expected_is_a_503_problem() -> None:
    with pytest.raises(UpstreamUnavailable) as exc:
        await reader({f"/v1/programmes/{PROGRAMME_ID}": [PROGRAMME]}).programme(PROGRAMME_ID)
    assert_unexpected_shape(exc)


async def test_the_programme_answer_is_checked_before_it_is_handed_out_as_json() -> None:
    path = f"/v1/programmes/{PROGRAMME_ID}"
    assert await reader({path: PROGRAMME}).programme_answer(PROGRAMME_ID) == PROGRAMME
    with pytest.raises(UpstreamUnavailable):
        await reader({path: {**PROGRAMME, "canton": None}}).programme_answer(PROGRAMME_ID)


@pytest.mark.parametrize(
    ("parse", "answer"),
    [
        (parse_measure, {"id": str(MEASURE_ID)}),
        (parse_measure, {"id": str(MEASURE_ID), "programme_id": "x"}),
        (parse_measure, {"id": str(MEASURE_ID), "programme_id": str(PROGRAMME_ID), "partner_id": 5}),
        (parse_goal, {"id": None}),
        (parse_goal, {"id": str(GOAL_ID), "programme_id": ["x"]}),
        (parse_partner, {"id": str(PARTNER_ID)}),
        (parse_partner, "BL"),
        (parse_funding_areas, {"items": {"funding_area": AREA}}),
        (parse_funding_areas, {"items": [AREA]}),
        (parse_funding_areas, {"items": [{"funding_area": {**AREA, "name": "Sprache"}}]}),
        (parse_funding_areas, {"items": [{"funding_area": {**AREA, "name": {"fr": "Langue"}}}]}),
        (parse_funding_areas, {"items": [{"funding_area": {**AREA, "position": None}}]}),
    ],
    ids=lambda value: getattr(value, "__name__", None) or repr(value),  # stable ids: several workers collect them
)
def test_every_malformed_record_is_a_503_problem(parse: Callable[[Any], Any], answer: Any) -> None:
    with pytest.raises(UpstreamUnavailable) as exc:
        parse(answer)
    assert_unexpected_shape(exc)


async def test_measure_goal_and_partner_read_as_typed_records() -> None:
    programmes = reader(
        {
            f"/v1/measures/{MEASURE_ID}": {
                "id": str(MEASURE_ID),
                "programme_id": str(PROGRAMME_ID),
                "partner_id": str(PARTNER_ID),
                "title": "Deutschkurse",
            },
            f"/v1/goals/{GOAL_ID}": {"id": str(GOAL_ID), "programme_id": None, "level": "strategic"},
            f"/v1/partners/{PARTNER_ID}": {"id": str(PARTNER_ID), "canton": "BL", "name": "ald"},
        }
    )
    assert await programmes.measure(MEASURE_ID) == Measure(MEASURE_ID, PROGRAMME_ID, PARTNER_ID)
    assert await programmes.goal(GOAL_ID) == Goal(GOAL_ID, None)
    assert await programmes.partner(PARTNER_ID) == Partner(PARTNER_ID, "BL")
    assert await programmes.require_goal(GOAL_ID, PROGRAMME_ID, ["body", "goal_id"]) == Goal(GOAL_ID, None)
    assert await programmes.require_partner(PARTNER_ID, "BL") == Partner(PARTNER_ID, "BL")


async def test_a_reference_of_another_programme_or_canton_is_the_services_own_422_naming_the_field() -> None:
    other = uuid.uuid4()
    programmes = reader(
        {
            f"/v1/measures/{MEASURE_ID}": {"id": str(MEASURE_ID), "programme_id": str(other)},
            f"/v1/goals/{GOAL_ID}": {"id": str(GOAL_ID), "programme_id": str(other)},
            f"/v1/partners/{PARTNER_ID}": {"id": str(PARTNER_ID), "canton": "BS"},
        }
    )
    with pytest.raises(UnknownThing) as measure:
        await programmes.require_measure(MEASURE_ID, PROGRAMME_ID, ("body", "measure_ids", 1))
    assert measure.value.extra["errors"][0]["loc"] == ["body", "measure_ids", 1]
    assert str(measure.value.detail) == f"Unknown measure {MEASURE_ID} in programme {PROGRAMME_ID}."
    with pytest.raises(UnknownThing) as goal:
        await programmes.require_goal(GOAL_ID, PROGRAMME_ID, ["body", "goal_id"])
    assert goal.value.extra["errors"][0]["loc"] == ["body", "goal_id"]
    with pytest.raises(UnknownThing) as partner:
        await programmes.require_partner(PARTNER_ID, "BL")
    assert partner.value.extra["errors"][0]["loc"] == ["body", "partner_id"]
    with pytest.raises(UnknownThing):
        await programmes.require_measure(uuid.uuid4(), PROGRAMME_ID, ["body", "measure_id"])


async def test_funding_areas_read_with_their_names_by_language() -> None:
    path = f"/v1/programmes/{PROGRAMME_ID}/funding-areas"
    areas = await reader({path: [{"funding_area": AREA, "is_priority": True}]}).funding_areas(PROGRAMME_ID)
    assert areas == [FundingArea(AREA_ID, "Sprache", 2)]
    assert areas[0].names == {"de": "Sprache", "fr": "Langue"}
    assert (areas[0].name_in("fr"), areas[0].name_in("it"), areas[0].name_in(None)) == ("Langue", "Sprache", "Sprache")
    assert await reader({}).funding_areas(PROGRAMME_ID) == []


async def test_own_measure_ids_walk_every_page() -> None:
    ids = [uuid.uuid4() for _ in range(3)]

    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        items = [{"id": str(i)} for i in ids[offset : offset + 2]]
        return httpx.Response(200, json={"items": items, "total": len(ids), "limit": 2, "offset": offset})

    seen: list[httpx.Request] = []
    assert await reader({"/v1/measures": page}, seen).own_measure_ids() == set(ids)
    assert [r.url.params["offset"] for r in seen] == ["0", "2"]


@pytest.mark.parametrize(
    "answer",
    [
        {"items": [{"id": "nope"}], "total": 1},
        {"items": ["x"], "total": 1},
        {"items": "x", "total": 1},
        {"items": [{"id": str(MEASURE_ID)}], "total": "many"},
    ],
    ids=repr,
)
async def test_a_malformed_page_of_measures_is_a_503_problem(answer: dict[str, Any]) -> None:
    with pytest.raises(UpstreamUnavailable) as exc:
        await reader({"/v1/measures": answer}).own_measure_ids()
    assert_unexpected_shape(exc)
