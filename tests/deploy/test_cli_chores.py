"""`kip db-create` makes and migrates the databases; `kip export-report` writes the report whole or not at all."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Header, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

import kip_cli.main as kip_main
from kip_cli.report import ReportError, ReportFormat, download_report, new_progress
from kit import testing
from kit.db import sync_url
from kit.ids import seed_uuid
from kit.migrations import head_revisions

runner = CliRunner()
PROGRAMME_ONLY = [s for s in kip_main.ALL_SERVICES if s.name == "programme"]


def revision_of(url: str) -> set[str]:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    finally:
        engine.dispose()


def test_db_create_on_sqlite_makes_the_file_and_migrates_it_to_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kip_main, "SERVICES", PROGRAMME_ONLY)
    url = f"sqlite:///{tmp_path}/var/programme.db"
    monkeypatch.setenv("PROGRAMME_DATABASE_URL", url)
    result = runner.invoke(kip_main.app, ["db-create"])
    assert result.exit_code == 0, result.output
    assert "programme: exists, migrated" in result.output
    assert revision_of(url) == head_revisions("programme")


@pytest.mark.skipif(not os.environ.get("KIP_TEST_POSTGRES_URL"), reason="needs KIP_TEST_POSTGRES_URL")
def test_db_create_on_postgresql_creates_the_missing_database_once(monkeypatch: pytest.MonkeyPatch) -> None:
    admin_url = os.environ["KIP_TEST_POSTGRES_URL"]
    name = f"{testing.db_prefix()}_deploy_cli_programme"
    admin = create_engine(sync_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setattr(kip_main, "SERVICES", PROGRAMME_ONLY)
    monkeypatch.setenv("PROGRAMME_DATABASE_URL", url)
    try:
        first = runner.invoke(kip_main.app, ["db-create"])
        assert first.exit_code == 0, first.output
        assert "programme: created, migrated" in first.output
        assert revision_of(url) == head_revisions("programme")
        again = runner.invoke(kip_main.app, ["db-create"])
        assert again.exit_code == 0, again.output
        assert "programme: exists, migrated" in again.output
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_db_create_names_the_server_it_cannot_reach_without_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kip_main, "SERVICES", PROGRAMME_ONLY)
    monkeypatch.setenv("PROGRAMME_DATABASE_URL", "postgresql://kip:s3cret-pw@127.0.0.1:9/kip_programme")
    result = runner.invoke(kip_main.app, ["db-create"])
    assert result.exit_code == 1
    assert "127.0.0.1:9/kip_programme" in result.output
    assert "s3cret-pw" not in result.output


def stand_in_gateway(seen: list[dict[str, str]]) -> FastAPI:
    """Only the far end of the wire, the gateway's report route as documented; the client code is the real one."""
    app = FastAPI()
    known = seed_uuid("programme", "BL-KIP3")

    @app.get("/api/v1/views/sem/programmes/{programme_id}/annual-report/{year}")
    async def report(
        programme_id: uuid.UUID, year: int, format: str = Query(), authorization: str = Header()
    ) -> Response:
        seen.append({"format": format, "authorization": authorization, "year": str(year)})
        if programme_id != known:
            return JSONResponse(
                {"type": "about:blank", "title": "Not found", "status": 404, "detail": "No such programme."},
                status_code=404,
                media_type="application/problem+json",
            )
        return Response(b"measure;amount\n" + b"BL-1.01;1000.00\n" * 5000, media_type="text/csv")

    return app


async def test_export_report_streams_the_file_with_the_token_and_format(tmp_path: Path) -> None:
    seen: list[dict[str, str]] = []
    out = tmp_path / "reports" / "bl-2024.csv"
    with new_progress() as progress:
        size = await download_report(
            gateway="http://gateway",
            programme=seed_uuid("programme", "BL-KIP3"),
            year=2024,
            fmt=ReportFormat.CSV,
            token="tok-123",
            out=out,
            progress=progress,
            transport=httpx.ASGITransport(app=stand_in_gateway(seen)),
        )
    assert out.read_bytes().startswith(b"measure;amount\nBL-1.01;1000.00\n")
    assert size == out.stat().st_size == len(b"measure;amount\n") + 5000 * len(b"BL-1.01;1000.00\n")
    assert seen == [{"format": "csv", "authorization": "Bearer tok-123", "year": "2024"}]
    assert [p.name for p in out.parent.iterdir()] == ["bl-2024.csv"]  # no temporary file left behind


async def test_export_report_refused_by_the_gateway_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    with new_progress() as progress, pytest.raises(ReportError, match=r"404 Not found: No such programme\."):
        await download_report(
            gateway="http://gateway",
            programme=uuid.uuid4(),
            year=2024,
            fmt=ReportFormat.XLSX,
            token="t",
            out=out,
            progress=progress,
            transport=httpx.ASGITransport(app=stand_in_gateway([])),
        )
    assert os.listdir(tmp_path) == []


def test_export_report_command_with_the_gateway_down_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIP_AUTH_LOCAL_KEY_DIR", str(tmp_path / "keys"))
    out = tmp_path / "out" / "report.json"
    result = runner.invoke(
        kip_main.app,
        [
            "export-report",
            "--programme",
            "BL-KIP3",
            "--year",
            "2024",
            "--format",
            "json",
            "--out",
            str(out),
            "--gateway",
            "http://127.0.0.1:9",
        ],
    )
    assert result.exit_code == 1
    assert "could not be reached" in result.output
    assert not out.exists()


def test_export_report_rejects_an_unknown_format(tmp_path: Path) -> None:
    result = runner.invoke(
        kip_main.app,
        ["export-report", "--programme", "BL-KIP3", "--year", "2024", "--format", "pdf", "--out", str(tmp_path / "x")],
    )
    assert result.exit_code == 2
    assert "xlsx, csv or json" in result.output
