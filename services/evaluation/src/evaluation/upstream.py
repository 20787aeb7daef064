"""The programme service, asked about every programme, measure, goal and partner id this service stores
(`kit.programme_reader`).

Each check forwards the caller's own token, so the programme service's rules decide what the caller may
name: a partner token sees only the measures its organisation delivers. Unreachable, or an answer in an unexpected
shape → 503, nothing written; unknown (or not visible to the caller) → None, which the checks turn into a 422
`evaluation/unknown-reference` naming the field.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Request

from evaluation.problems import UnknownReference
from kit.i18n import Msg
from kit.problems import Unauthorized
from kit.programme_reader import Field, FundingArea, ProgrammeReader


class Programmes(ProgrammeReader):
    """The programme service as seen with one caller's token; an unknown id is `evaluation/unknown-reference`."""

    unknown = UnknownReference

    async def require_programme(self, programme_id: uuid.UUID, field: Field) -> dict[str, Any]:
        """The programme's answer as JSON (checked to read as a `kit.programme_reader.Programme`)."""
        programme = await self.programme_answer(programme_id)
        if programme is None:
            raise UnknownReference(Msg("Unknown programme {programme_id}.", programme_id=programme_id), field=field)
        return programme

    async def require_funding_area(self, area_id: uuid.UUID, programme_id: uuid.UUID, field: Field) -> FundingArea:
        """One of the funding areas of the programme's period."""
        for area in await self.funding_areas(programme_id):
            if area.id == area_id:
                return area
        raise UnknownReference(
            Msg(
                "Unknown funding area {area_id} in programme {programme_id}.",
                area_id=area_id,
                programme_id=programme_id,
            ),
            field=field,
        )


async def _programmes(request: Request) -> Programmes:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(Msg("Send `Authorization: Bearer <token>`."))
    return Programmes(client=request.app.state.programme_client, token=token.strip())


ProgrammesDep = Annotated[Programmes, Depends(_programmes)]
