"""Wire contracts of budget lines and their revisions."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field

from funding import examples
from funding.common import ILLUSTRATIVE, SOURCE_NOTE, Note, Reason, Year
from funding.sources import SOURCE_DESCRIPTION, Source
from funding.warning.schemas import FundingWarning
from kit.money import Amount
from kit.pagination import Page
from kit.schemas import Strict


class BudgetLineCreate(Strict):
    programme_id: uuid.UUID
    year: Year
    funding_area_id: uuid.UUID
    source: Source = Field(description=SOURCE_DESCRIPTION)
    amount: Amount = Field(description="The original plan.")
    reason: Reason
    illustrative: bool = ILLUSTRATIVE
    source_note: Note | None = SOURCE_NOTE


class BudgetRevisionCreate(Strict):
    amount: Amount = Field(description="The new plan in force.")
    reason: Reason


class BudgetRevisionRead(BaseModel):
    number: int = Field(description="1 is the original plan; the highest is the plan in force.")
    amount: Amount
    reason: str
    author: str = Field(description="The token subject of whoever made the change.")
    created_at: dt.datetime


class BudgetLineRead(BaseModel):
    model_config = examples.examples(examples.BUDGET_LINE)

    id: uuid.UUID
    programme_id: uuid.UUID
    year: int
    funding_area_id: uuid.UUID
    source: Source
    original: Amount = Field(description="The first revision's amount.")
    in_force: Amount = Field(description="The latest revision's amount: the plan in force.")
    current_revision: int
    illustrative: bool
    source_note: str | None
    version: int


class BudgetLineDetail(BudgetLineRead):
    model_config = examples.examples(examples.BUDGET_LINE_DETAIL)

    revisions: list[BudgetRevisionRead]
    warnings: list[FundingWarning] = Field(
        default_factory=list,
        description="On a write: what the rules allow but a person should look at, in the years it touched "
        "(see GET /v1/programmes/{programme_id}/warnings). Empty on reads.",
    )


BudgetLinePage = Page[BudgetLineRead]
