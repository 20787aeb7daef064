"""Checks of programme, funding-area, partner and measure ids against the programme service (`kit.programme_reader`).

Every id is checked when it is written, with the caller's own token, so the programme service's visibility rules
apply: an id the caller may not see is refused exactly like a missing one (422 naming the field). When the
programme service cannot be reached, or answers in an unexpected shape, the write is refused with a 503 problem and
nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Request

from kit.auth import PrincipalDep
from kit.i18n import Msg
from kit.problems import InvalidInput
from kit.programme_reader import Field, Programme, ProgrammeReader


class ProgrammeService(ProgrammeReader):
    """The programme service as seen with one caller's token; an unknown id is a 422 `validation-error`."""

    unknown = InvalidInput

    async def require_programme(self, programme_id: uuid.UUID, field: Field = ("body", "programme_id")) -> Programme:
        programme = await self.programme(programme_id)
        if programme is None:
            raise InvalidInput(Msg("Unknown programme {programme_id}.", programme_id=programme_id), field=field)
        return programme

    async def check_funding_areas(self, programme_id: uuid.UUID, wanted: Sequence[tuple[uuid.UUID, Field]]) -> None:
        """Each funding area must be one of the programme's period's areas."""
        if not wanted:
            return
        known = {area.id for area in await self.funding_areas(programme_id)}
        for area_id, field in wanted:
            if area_id not in known:
                raise InvalidInput(
                    Msg(
                        "Funding area {area_id} is not an area of programme {programme_id}.",
                        area_id=area_id,
                        programme_id=programme_id,
                    ),
                    field=field,
                )

    async def check_measure(
        self, measure_id: uuid.UUID, programme_id: uuid.UUID, partner_id: uuid.UUID, field: Field
    ) -> None:
        """The measure must belong to the programme and be delivered by the partner (or by no partner yet)."""
        measure = await self.require_measure(measure_id, programme_id, field)
        if measure.partner_id is not None and measure.partner_id != partner_id:
            raise InvalidInput(
                Msg("Measure {measure_id} is delivered by another partner.", measure_id=measure_id), field=field
            )


async def _programme_service(request: Request, principal: PrincipalDep) -> ProgrammeService:
    """Built after the token was verified; forwards the caller's bearer token."""
    del principal
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    return ProgrammeService(request.app.state.programme_client, token)


ProgrammeDep = Annotated[ProgrammeService, Depends(_programme_service)]
