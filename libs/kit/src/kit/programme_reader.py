"""The programme service as the other services read it: typed records parsed from its JSON, with one caller's token.

Every read forwards the caller's own token (`kit.upstream.fetch_json`), so the programme service's visibility rules
apply: an id the caller may not see reads as missing (None), and the `require_*` checks refuse it exactly like a
missing one, with the using service's own problem type (`ProgrammeReader.unknown`, a 422 naming the field).
Unreachable, too slow or too large is a 503 problem and nothing is written; so is an answer without the shape a
record needs (a field missing or of the wrong type, an id that is no UUID): the programme service's fault, never
the caller's, and never a 500.

A tolerant reader: each record holds only the fields the services use, so a field the programme service adds
breaks nothing. A record that a service needs more of gets the field here, parsed and checked like the others.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import httpx

from kit.i18n import Msg
from kit.problems import InvalidInput, UpstreamUnavailable
from kit.upstream import fetch_json

SERVICE = "programme"
#: Where a refused id sits in the request (`("body", "measure_ids", 2)`), as `errors[0].loc` names it.
Field = Sequence[str | int]
#: Items per page when a reader walks a whole list.
PAGE_SIZE = 500
LANGUAGES = ("de", "fr", "it")

T = TypeVar("T")


@dataclass(frozen=True)
class Programme:
    """A canton's programme for one period; the years are the period's first and last."""

    id: uuid.UUID
    canton: str
    first_year: int
    last_year: int
    period_code: str = ""
    working_language: str = "de"


@dataclass(frozen=True)
class Measure:
    """A measure of a programme, delivered by a partner organisation (or by none yet)."""

    id: uuid.UUID
    programme_id: uuid.UUID
    partner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Goal:
    """A goal of a programme, or a goal of the period every programme shares (`programme_id` None)."""

    id: uuid.UUID
    programme_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Partner:
    """A partner organisation of one canton."""

    id: uuid.UUID
    canton: str


@dataclass(frozen=True)
class FundingArea:
    """A funding area of a programme's period: its German name, its position, and its names by language (`de`
    always; `fr`, `it` where the programme service has them)."""

    id: uuid.UUID
    name: str
    position: int
    names: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def name_in(self, lang: str | None) -> str:
        return self.names.get(lang or "de") or self.name


def _object(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"an object was expected, not {type(value).__name__}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a string was expected, not {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"an integer was expected, not {type(value).__name__}")
    return value


def _uuid(value: Any) -> uuid.UUID:
    return uuid.UUID(_text(value))


def _optional_uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else _uuid(value)


def _programme(data: Mapping[str, Any]) -> Programme:
    period = _object(data["period"])
    return Programme(
        id=_uuid(data["id"]),
        canton=_text(data["canton"]),
        first_year=_int(period["first_year"]),
        last_year=_int(period["last_year"]),
        period_code=_text(period.get("code") or ""),
        working_language=_text(data.get("working_language") or "de"),
    )


def _measure(data: Mapping[str, Any]) -> Measure:
    return Measure(
        id=_uuid(data["id"]),
        programme_id=_uuid(data["programme_id"]),
        partner_id=_optional_uuid(data.get("partner_id")),
    )


def _goal(data: Mapping[str, Any]) -> Goal:
    return Goal(id=_uuid(data["id"]), programme_id=_optional_uuid(data.get("programme_id")))


def _partner(data: Mapping[str, Any]) -> Partner:
    return Partner(id=_uuid(data["id"]), canton=_text(data["canton"]))


def _funding_area(data: Mapping[str, Any]) -> FundingArea:
    names = _object(data["name"])
    return FundingArea(
        id=_uuid(data["id"]),
        name=_text(names["de"]),
        position=_int(data["position"]),
        names={lang: _text(names[lang]) for lang in LANGUAGES if names.get(lang)},
    )


def _funding_areas(data: Mapping[str, Any]) -> list[FundingArea]:
    items = data.get("items") or []
    if not isinstance(items, list):
        raise TypeError("a list of funding areas was expected")
    return [_funding_area(_object(_object(item)["funding_area"])) for item in items]


def _page(data: Mapping[str, Any]) -> tuple[list[Any], int]:
    items = data.get("items") or []
    if not isinstance(items, list):
        raise TypeError("a page's items were expected")
    return items, _int(data.get("total", 0))


def _ids(data: Mapping[str, Any]) -> set[uuid.UUID]:
    return {_uuid(_object(item)["id"]) for item in data["items"]}


def parsed(parse: Callable[[Mapping[str, Any]], T], data: Any) -> T:
    """`parse(data)`, or a 503 problem when the answer does not have the shape the record needs."""
    try:
        return parse(_object(data))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UpstreamUnavailable(
            Msg("The programme service answered in an unexpected shape."), service=SERVICE
        ) from exc


def parse_programme(data: Any) -> Programme:
    """A programme from the programme service's answer (`GET /v1/programmes/{id}`); 503 when malformed."""
    return parsed(_programme, data)


def parse_measure(data: Any) -> Measure:
    return parsed(_measure, data)


def parse_goal(data: Any) -> Goal:
    return parsed(_goal, data)


def parse_partner(data: Any) -> Partner:
    return parsed(_partner, data)


def parse_funding_areas(data: Any) -> list[FundingArea]:
    """A programme's funding areas from `GET /v1/programmes/{id}/funding-areas`, in the order answered."""
    return parsed(_funding_areas, data)


class ProgrammeReader:
    """The programme service as seen with one caller's token; `None` is "unknown, or not visible to the caller"."""

    #: The problem an unknown (or invisible) reference raises: the using service's own 422 type.
    unknown: ClassVar[type[InvalidInput]] = InvalidInput

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.token = token

    async def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The answer to `GET path` as JSON (a list answer as `{"items": [...]}`); None when the service has none."""
        return await fetch_json(self.client, SERVICE, path, self.token, params)

    async def programme_answer(self, programme_id: uuid.UUID) -> dict[str, Any] | None:
        """The programme's answer as JSON, after checking it reads as a `Programme` (503 when not)."""
        data = await self.get(f"/v1/programmes/{programme_id}")
        if data is not None:
            parse_programme(data)
        return data

    async def _record(self, path: str, parse: Callable[[Any], T]) -> T | None:
        data = await self.get(path)
        return None if data is None else parse(data)

    async def programme(self, programme_id: uuid.UUID) -> Programme | None:
        return await self._record(f"/v1/programmes/{programme_id}", parse_programme)

    async def measure(self, measure_id: uuid.UUID) -> Measure | None:
        return await self._record(f"/v1/measures/{measure_id}", parse_measure)

    async def goal(self, goal_id: uuid.UUID) -> Goal | None:
        return await self._record(f"/v1/goals/{goal_id}", parse_goal)

    async def partner(self, partner_id: uuid.UUID) -> Partner | None:
        return await self._record(f"/v1/partners/{partner_id}", parse_partner)

    async def funding_areas(self, programme_id: uuid.UUID) -> list[FundingArea]:
        """The funding areas of the programme's period; none when the programme is unknown to the caller."""
        data = await self.get(f"/v1/programmes/{programme_id}/funding-areas")
        return [] if data is None else parse_funding_areas(data)

    async def all_items(self, path: str) -> list[Any]:
        """Every item of a paged list, page by page (`limit`, `offset`, `total`); what was read when a page is gone."""
        items: list[Any] = []
        while True:
            page = await self.get(path, {"limit": PAGE_SIZE, "offset": len(items)})
            if page is None:
                return items
            batch, total = parsed(_page, page)
            items.extend(batch)
            if not batch or len(items) >= total:
                return items

    async def own_measure_ids(self) -> set[uuid.UUID]:
        """The measures the caller may see (for a partner token: those its organisation delivers)."""
        return parsed(_ids, {"items": await self.all_items("/v1/measures")})

    async def require_measure(self, measure_id: uuid.UUID, programme_id: uuid.UUID, field: Field) -> Measure:
        """The measure, which must belong to the programme."""
        measure = await self.measure(measure_id)
        if measure is None or measure.programme_id != programme_id:
            raise self.unknown(
                Msg(
                    "Unknown measure {measure_id} in programme {programme_id}.",
                    measure_id=measure_id,
                    programme_id=programme_id,
                ),
                field=field,
            )
        return measure

    async def require_goal(self, goal_id: uuid.UUID, programme_id: uuid.UUID | None, field: Field) -> Goal:
        """The goal, which must be the programme's own or one every programme of its period shares."""
        goal = await self.goal(goal_id)
        if goal is None or goal.programme_id not in (None, programme_id):
            raise self.unknown(
                Msg("Unknown goal {goal_id} for programme {programme_id}.", goal_id=goal_id, programme_id=programme_id),
                field=field,
            )
        return goal

    async def require_partner(
        self, partner_id: uuid.UUID, canton: str, field: Field = ("body", "partner_id")
    ) -> Partner:
        """The partner organisation, which must be one of the canton's."""
        partner = await self.partner(partner_id)
        if partner is None or partner.canton != canton:
            raise self.unknown(
                Msg("Unknown partner {partner_id} in canton {canton}.", partner_id=partner_id, canton=canton),
                field=field,
            )
        return partner
