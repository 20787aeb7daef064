"""`kip export-report`: fetch a year's annual report to SEM from the gateway into a file, with a progress display.

The file appears whole or not at all: the body goes to a temporary file beside the target, renamed at the end.
"""

from __future__ import annotations

import contextlib
import enum
import os
import tempfile
import uuid
from pathlib import Path

import httpx
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from kit.ids import seed_uuid

DEFAULT_GATEWAY = "http://127.0.0.1:8000"
TIMEOUT = httpx.Timeout(120.0, connect=5.0)


class ReportFormat(enum.StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"


class ReportError(Exception):
    """The report could not be fetched; the message says why, in words a person can act on."""


def programme_id(value: str) -> uuid.UUID:
    """A programme's UUID, or the code of a seeded programme (`BL-KIP3`)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return seed_uuid("programme", value)


def report_path(programme: uuid.UUID, year: int) -> str:
    return f"/api/v1/views/sem/programmes/{programme}/annual-report/{year}"


def _problem_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} {response.reason_phrase}"
    if not isinstance(body, dict):
        return f"{response.status_code} {response.reason_phrase}"
    title = body.get("title") or response.reason_phrase
    detail = body.get("detail")
    return f"{response.status_code} {title}" + (f": {detail}" if detail else "")


async def download_report(
    *,
    gateway: str,
    programme: uuid.UUID,
    year: int,
    fmt: ReportFormat,
    token: str,
    out: Path,
    progress: Progress,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Stream the report into `out`; returns the number of bytes written."""
    out = _prepare(out)
    headers = {"Authorization": f"Bearer {token}"}
    task = progress.add_task(f"{year} report of {programme}: waiting for the gateway", total=None)
    async with httpx.AsyncClient(base_url=gateway, timeout=TIMEOUT, transport=transport) as client:
        try:
            async with client.stream(
                "GET", report_path(programme, year), params={"format": fmt.value}, headers=headers
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise ReportError(f"the gateway refused the report: {_problem_text(response)}")
                length = response.headers.get("content-length")
                progress.update(task, description=f"writing {out.name}", total=int(length) if length else None)
                return await _write_atomically(response, out, progress, task)
        except httpx.HTTPError as exc:
            raise ReportError(f"the gateway at {gateway} could not be reached ({type(exc).__name__})") from exc


def _prepare(out: Path) -> Path:
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


async def _write_atomically(response: httpx.Response, out: Path, progress: Progress, task: TaskID) -> int:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    written = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            async for chunk in response.aiter_bytes():
                handle.write(chunk)
                written += len(chunk)
                progress.update(task, advance=len(chunk))
        os.replace(tmp_name, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    progress.update(task, total=written, completed=written)
    return written


def new_progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        transient=False,
    )
