"""Pydantic building blocks shared by the services' wire contracts."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
#: The largest whole number a column of either database holds (PostgreSQL's `integer`); a path or query number
#: above it is refused as invalid input (422) before it reaches the database, where it would be a server error.
MAX_INT = 2_147_483_647


class Strict(BaseModel):
    """Input models: unknown fields are refused. Numbers and booleans use `StrictInt`/`StrictBool`, so
    `false` is never taken as a number nor `"1"` as a flag."""

    model_config = ConfigDict(extra="forbid", str_max_length=20_000)


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
