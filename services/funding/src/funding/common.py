"""Small pieces shared by the funding service's aggregates: reasons, years, provenance, paged row queries, and
the scope of a figure query (one programme, or the programmes a query selects)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Annotated, Any, TypeVarTuple

from pydantic import BaseModel, Field, StrictInt
from sqlalchemy import BindParameter, ColumnElement, Select, func, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from kit.pagination import PageParams

Ts = TypeVarTuple("Ts")

Year = Annotated[StrictInt, Field(ge=2000, le=2100, examples=[2025])]
Reason = Annotated[str, Field(min_length=1, max_length=2000, description="Why; kept with the change for good.")]
Note = Annotated[str, Field(max_length=2000)]
ILLUSTRATIVE = Field(default=False, description="True where the amounts are illustrative, not published figures.")
SOURCE_NOTE = Field(default=None, description="Where the figures come from (source keys of the domain brief).")

#: One programme's id (or a parameter that will hold it), or a query selecting programme ids: the scope of a figure
#: query.
Programmes = uuid.UUID | BindParameter[uuid.UUID] | Select[uuid.UUID]


def of_programmes(column: QueryableAttribute[uuid.UUID], programmes: Programmes) -> ColumnElement[bool]:
    """The condition that keeps one programme's rows, or those of every programme the query selects."""
    if isinstance(programmes, uuid.UUID | BindParameter):
        return column == programmes
    return column.in_(programmes)


async def paged_rows(session: AsyncSession, query: Select[*Ts], page: PageParams) -> tuple[list[Row[*Ts]], int]:
    """Like `kit.pagination.paginate`, for queries that return several columns per row."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.execute(query.limit(page.limit).offset(page.offset))).all()
    return list(rows), int(total or 0)


def values_of(model: BaseModel, *, exclude_unset: bool = False, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A model's field values as Python objects (`model_dump` would render amounts as strings)."""
    keys = model.model_fields_set if exclude_unset else type(model).model_fields.keys()
    skip = set(exclude)
    return {k: getattr(model, k) for k in keys if k not in skip}
