"""Wire contracts of annual-report snapshots."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, Field

from kit.pagination import Page
from kit.schemas import Strict


class ReportSubmit(Strict):
    content: dict[str, Any] = Field(description="The report as composed by the gateway: any JSON object.")
    acknowledged_warnings: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Codes of the completeness warnings the canton has read and accepts (e.g. `illustrative_figures`).",
    )


class VersionSummary(BaseModel):
    programme_id: uuid.UUID
    canton: str
    year: int
    number: int = Field(description="1 for the first submission, then 2, 3, …")
    sha256: str = Field(description="SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8).")
    submitted_by: str
    submitted_at: dt.datetime
    acknowledged_warnings: list[str] = Field(default_factory=list)


class VersionRead(VersionSummary):
    content: dict[str, Any]


class ReportDiff(BaseModel):
    programme_id: uuid.UUID
    year: int
    from_version: int
    to_version: int
    from_sha256: str
    to_sha256: str
    identical: bool
    operations: list[dict[str, Any]] = Field(
        description="RFC 6902 JSON Patch turning the `from` version's content into the `to` version's."
    )


class SubmittedReport(BaseModel):
    """A programme's report for a year, by its latest version."""

    programme_id: uuid.UUID
    canton: str
    year: int
    versions: int
    latest: VersionSummary


SubmittedReportPage = Page[SubmittedReport]
