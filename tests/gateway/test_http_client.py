"""A client generated from the OpenAPI documents with openapi-python-client: no warning, problems are models,
and the annual report downloads as a file.

The generator reads the gateway's merged document and each service's own; every warning it prints (a duplicate
model, a response it cannot read) is a piece missing from someone's client, so any warning fails the test.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from gateway.docs.merge import merged_document
from gateway.docs.router import gateway_openapi
from gateway.main import create_app
from kit.auth import issue_token
from tests.gateway.conftest import BL_KIP3, INSTALLED, needs

pytestmark = needs("programme", "funding", "evaluation")

#: Binary media types the generator should hand over as bytes (its documented `content_type_overrides`).
CONFIG = """post_hooks: []
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  text/csv: application/octet-stream
"""


async def _generate(name: str, document: dict[str, Any], folder: Path) -> tuple[int, str]:
    (folder / f"{name}.json").write_text(json.dumps(document))
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "openapi-python-client"),
        "generate",
        "--path",
        str(folder / f"{name}.json"),
        "--output-path",
        str(folder / f"kip_{name}_client"),
        "--config",
        str(folder / "config.yaml"),
        "--meta",
        "none",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return int(process.returncode or 0), output.decode()


def _documents() -> dict[str, dict[str, Any]]:
    """The documents as the gateway and the services serve them (the same code as `/openapi.json`; no database
    is needed to describe an API, so they are built once for every backend)."""
    services = {s: importlib.import_module(f"{s}.main").create_app().openapi() for s in INSTALLED}
    gateway = create_app()
    merged = merged_document(gateway_openapi(gateway), dict(services), tuple(INSTALLED))
    return {"gateway": merged, **services}


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[int, str]]]:
    folder = tmp_path_factory.mktemp("generated-clients")
    (folder / "config.yaml").write_text(CONFIG)

    async def generate_all() -> list[tuple[int, str]]:
        documents = _documents()
        return await asyncio.gather(*(_generate(n, d, folder) for n, d in documents.items()))

    results = asyncio.run(generate_all())
    return folder, dict(zip(["gateway", *INSTALLED], results, strict=True))


def _import(folder: Path, package: str) -> Iterator[ModuleType]:
    """The generated package, imported from `folder` and forgotten afterwards."""
    root = folder / package
    spec = importlib.util.spec_from_file_location(package, root / "__init__.py", submodule_search_locations=[str(root)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module  # its own modules import each other by the package's name
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        for name in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
            del sys.modules[name]


def test_every_document_generates_a_client_without_a_warning(
    generated: tuple[Path, dict[str, tuple[int, str]]],
) -> None:
    for name, (code, output) in generated[1].items():
        assert code == 0, f"{name}: {output}"
        assert "warning" not in output.lower(), f"{name}: {output}"


async def test_the_generated_gateway_client_reads_a_409_as_a_problem_and_downloads_the_workbook(
    generated: tuple[Path, dict[str, tuple[int, str]]], gateway: FastAPI, private_key: bytes
) -> None:
    folder, results = generated
    assert results["gateway"][0] == 0, results["gateway"][1]
    for package in _import(folder, "kip_gateway_client"):
        create_partner = importlib.import_module(f"{package.__name__}.api.programme_partners.programme_create_partner")
        report_xlsx = importlib.import_module(f"{package.__name__}.api.sem_views.get_annual_report_xlsx")
        models = importlib.import_module(f"{package.__name__}.models")
        editor = issue_token(private_key, role="canton-editor", canton="BL")
        transport = httpx.ASGITransport(app=gateway)
        api = package.AuthenticatedClient(base_url="http://gateway", token=editor, httpx_args={"transport": transport})
        seeded = {"canton": "BL", "slug": "ald", "name": "Noch einmal ald", "short_name": "ald", "kind": "association"}
        body = models.ProgrammePartnerCreate.from_dict(seeded)
        conflict = await create_partner.asyncio_detailed(client=api, body=body)
        assert conflict.status_code == 409
        assert isinstance(conflict.parsed, models.ProblemDetail)
        assert conflict.parsed.status == 409 and conflict.parsed.type_ == "/problems/programme/partner-slug-taken"
        assert conflict.parsed.instance == "/api/programme/v1/partners"

        sem = package.AuthenticatedClient(
            base_url="http://gateway", token=issue_token(private_key, role="sem"), httpx_args={"transport": transport}
        )
        workbook = await report_xlsx.asyncio(client=sem, programme_id=BL_KIP3, year=2025)
        assert workbook is not None and not isinstance(workbook, models.ProblemDetail)
        sheets = load_workbook(io.BytesIO(workbook.payload.read())).sheetnames
        assert {"Übersicht", "Finanzen", "Mitfinanzierung"} <= set(sheets)  # BL's working language
