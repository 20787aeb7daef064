"""`GET /api/v1/labels`: every label a screen or a file shows, in one language, in one call.

Two owners, one answer: the label catalogue (pillars, money sources, statuses, kinds, target groups) is code
shared by every service (`kit.i18n`), so the gateway serves it from its own copy; the funding areas' names are
data the programme service owns and SEM corrects there, so they are read from it on each call (never copied into
the gateway, where a correction would go stale).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from gateway.caller import CallerDep
from gateway.clients.base import Tolerant
from gateway.views.deps import ClientsDep
from kit import i18n
from kit.label_provenance import provenance
from kit.problems import problem_responses

router = APIRouter(prefix="/api/v1", tags=["labels"])

Language = Literal["de", "fr", "it", "en"]


class _Names(Tolerant):
    de: str
    fr: str | None = None
    it: str | None = None


class _Area(Tolerant):
    id: uuid.UUID
    period_id: uuid.UUID
    code: str
    name: _Names
    name_illustrative: bool = False


class AreaLabel(BaseModel):
    id: uuid.UUID
    period_id: uuid.UUID
    code: str
    name: str = Field(description="The area's name in `name_language` (localized).")
    name_language: Language = Field(description="The requested language, or `de` where the area has no such name.")
    illustrative: bool = Field(description="True while a French or Italian name is not an official title.")


class LabelSource(BaseModel):
    """Where the labels of one kind come from in the answer's language."""

    illustrative: bool = Field(description="True where (some of) the kind's labels are the platform's own wording.")
    source: str | None = Field(description="The published text whose wording the labels use, cited; none if none.")
    codes: list[str] | None = Field(description="The codes the source covers; null: every code of the kind.")
    reason: str | None = Field(description="Why the other labels are illustrative.")


class Labels(BaseModel):
    language: Language
    labels: dict[str, dict[str, str]] = Field(
        description="Localized labels by kind (`pillar`, `money_source`, `programme_status`, `measure_status`, "
        "`agreement_status`, `disbursement_status`, `evaluation_kind`, `evaluation_status`, `partner_kind`, "
        "`target_group`, `goal_level`, `indicator_level`, `unit`, `report_status`, …), then by code."
    )
    sources: dict[str, LabelSource] = Field(
        description="By kind: whether the labels are a published wording (with its source) or illustrative."
    )
    funding_areas: list[AreaLabel] = Field(description="Every funding area of every period, named in `language`.")


def area_name(names: _Names, lang: str) -> tuple[str, Language]:
    """An area's name in a language, falling back to the official German (there is no English name)."""
    name = {"fr": names.fr, "it": names.it}.get(lang)
    return (name, lang) if name and lang in ("fr", "it") else (names.de, "de")  # type: ignore[return-value]


@router.get(
    "/labels",
    response_model=Labels,
    summary="Every label in one language (catalogue labels and funding-area names)",
    description="The language is `lang`, else the best of `Accept-Language`, else German. Texts are localized; "
    "keys and codes are not.",
    responses=problem_responses(401, 422, 502, 504),
)
async def get_labels(
    caller: CallerDep,
    clients: ClientsDep,
    response: Response,
    lang: Annotated[Language | None, Query(description="de, fr, it or en; overrides `Accept-Language`.")] = None,
) -> Labels:
    language = lang or i18n.label_language()
    areas = await clients.programme.get_list(_Area, "/v1/funding-areas", caller.ctx)
    items = []
    for area in areas:
        name, name_language = area_name(area.name, language)
        items.append(
            AreaLabel(
                id=area.id,
                period_id=area.period_id,
                code=area.code,
                name=name,
                name_language=name_language,
                illustrative=area.name_illustrative,
            )
        )
    response.headers["Content-Language"] = language
    labels = i18n.labels(language)
    sources = {}
    for kind in labels:
        found = provenance(kind, language)
        codes = sorted(found.codes) if found.codes is not None else None
        sources[kind] = LabelSource(
            illustrative=found.illustrative, source=found.source, codes=codes, reason=found.reason
        )
    return Labels(language=language, labels=labels, sources=sources, funding_areas=items)
