"""Wire contracts of evaluations and studies."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Self

from pydantic import AnyHttpUrl, BaseModel, Field, model_validator

from kit.dates import BusinessDate
from kit.i18n import Msg
from kit.money import Amount
from kit.pagination import Page
from kit.schemas import ShortText, Strict


class EvaluationKind(enum.StrEnum):
    EXTERNAL_EVALUATION = "external_evaluation"
    SELF_EVALUATION = "self_evaluation"
    STUDY = "study"
    NEEDS_ASSESSMENT = "needs_assessment"


class EvaluationStatus(enum.StrEnum):
    PLANNED = "planned"
    TENDERED = "tendered"
    RUNNING = "running"
    REPORT_RECEIVED = "report_received"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


FINAL = {EvaluationStatus.COMPLETED, EvaluationStatus.CANCELLED}

#: One step at a time: planned → tendered → running → report_received → completed; cancelled from any
#: state that is not final.
TRANSITIONS: dict[EvaluationStatus, set[EvaluationStatus]] = {
    EvaluationStatus.PLANNED: {EvaluationStatus.TENDERED, EvaluationStatus.CANCELLED},
    EvaluationStatus.TENDERED: {EvaluationStatus.RUNNING, EvaluationStatus.CANCELLED},
    EvaluationStatus.RUNNING: {EvaluationStatus.REPORT_RECEIVED, EvaluationStatus.CANCELLED},
    EvaluationStatus.REPORT_RECEIVED: {EvaluationStatus.COMPLETED, EvaluationStatus.CANCELLED},
    EvaluationStatus.COMPLETED: set(),
    EvaluationStatus.CANCELLED: set(),
}

Question = Annotated[str, Field(min_length=1, max_length=2000)]
Summary = Annotated[str, Field(max_length=20_000)]


class EvaluationFields(Strict):
    kind: EvaluationKind | None = None
    title: ShortText | None = None
    questions: list[Question] | None = Field(default=None, max_length=50, description="The evaluation questions.")
    measure_ids: list[uuid.UUID] | None = Field(default=None, max_length=100, description="Measures looked at.")
    partner_ids: list[uuid.UUID] | None = Field(default=None, max_length=100, description="Partners looked at.")
    commissioned_by: ShortText | None = None
    contractor: ShortText | None = None
    budget: Amount | None = Field(default=None, description="CHF.")
    planned_start: BusinessDate | None = None
    planned_end: BusinessDate | None = None
    actual_start: BusinessDate | None = None
    actual_end: BusinessDate | None = None
    public_summary: Summary | None = None
    report_url: AnyHttpUrl | None = None

    @model_validator(mode="after")
    def _dates_ordered(self) -> Self:
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            a, b = getattr(self, start), getattr(self, end)
            if a and b and b < a:
                raise ValueError(Msg("{end} must not precede {start}", end=end, start=start))
        return self


class EvaluationCreate(EvaluationFields):
    programme_id: uuid.UUID
    kind: EvaluationKind
    title: ShortText
    questions: list[Question] = Field(default_factory=list, max_length=50)
    measure_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    partner_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)


class EvaluationUpdate(EvaluationFields):
    status: EvaluationStatus | None = Field(
        default=None,
        description="One step at a time: planned → tendered → running → report_received → completed; "
        "cancelled from any state that is not final.",
    )


class EvaluationRead(BaseModel):
    id: uuid.UUID
    programme_id: uuid.UUID
    canton: str
    kind: EvaluationKind
    title: str
    questions: list[str]
    measure_ids: list[uuid.UUID]
    partner_ids: list[uuid.UUID] = Field(description="Partners looked at, directly or as deliverers of a measure.")
    commissioned_by: str | None
    contractor: str | None
    budget: Amount | None
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    status: EvaluationStatus
    allowed_next: list[EvaluationStatus] = Field(description="The states it may move to next.")
    public_summary: str | None
    report_url: str | None
    illustrative: bool = Field(description="True where the record's values are only illustrative.")
    source: str | None
    version: int


EvaluationPage = Page[EvaluationRead]
