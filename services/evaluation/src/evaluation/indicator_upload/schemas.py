"""Wire contracts of indicator-value uploads."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RowError(BaseModel):
    row: int = Field(description="The row of the file (1 is the header).")
    message: str


class UploadReport(BaseModel):
    dry_run: bool
    rows: int = Field(description="Data rows read.")
    stored: int = Field(description="Values stored (0 on a dry run).")
