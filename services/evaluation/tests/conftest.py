"""Fixtures of the evaluation service's tests: migrated databases per backend, the real programme app wired in
as the upstream, a fixed clock, and tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from evaluation.main import create_app
from evaluation.models import Base
from evaluation.settings import EvaluationSettings
from kit import testing
from kit.ids import seed_uuid
from kit.pytest_plugin import asgi_client, client_fixture, database_fixture
from kit.settings import AuthSettings
from support.upstreams import evaluation_app, programme_upstream

#: The fixed "today" of every test: mid-2025, in the middle of KIP 3.
TODAY = dt.date(2025, 6, 30)


def partner(slug: str) -> uuid.UUID:
    return seed_uuid("partner", slug)


programme_database_url, programme_app = programme_upstream("evaluation_programme")


database_url = database_fixture("evaluation")


async def _started(application: FastAPI) -> AsyncIterator[FastAPI]:
    application.state.get_today = lambda: TODAY
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def app(database_url: str, key_dir: Path, programme_app: FastAPI) -> AsyncIterator[FastAPI]:
    await testing.reset(database_url, Base.metadata)
    async for started in _started(evaluation_app(database_url, key_dir, programme_app)):
        yield started


client = client_fixture("evaluation")


@pytest.fixture
async def down_client(app: FastAPI, database_url: str, key_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The same database, but the programme service points at a closed port: it cannot be reached."""
    application = create_app(
        EvaluationSettings(database_url=database_url, programme_url="http://127.0.0.1:9"),
        AuthSettings(local_key_dir=key_dir),
    )
    async for started in _started(application):
        async for c in asgi_client(started, "http://evaluation"):
            yield c


@pytest.fixture
def editor(token: Any) -> dict[str, str]:
    return dict(token("canton-editor", canton="BL"))


@pytest.fixture
def viewer(token: Any) -> dict[str, str]:
    return dict(token("canton-viewer", canton="BL"))


@pytest.fixture
def sem(token: Any) -> dict[str, str]:
    return dict(token("sem"))


@pytest.fixture
def as_partner(token: Any) -> Any:
    def make(slug: str) -> dict[str, str]:
        return dict(token("partner", partner_id=partner(slug)))

    return make


@pytest.fixture
async def seeded(app: FastAPI) -> None:
    """The evaluation service's own seed (BL KIP 3 evaluations, indicators, national goals, values)."""
    from evaluation.seed import seed

    async with app.state.session_factory() as session, session.begin():
        await seed(session)


@pytest.fixture
def rows(app: FastAPI) -> Any:
    """`await rows(Model)`: how many rows a table holds (to prove nothing was written)."""
    from sqlalchemy import func, select

    async def count(model: Any) -> int:
        async with app.state.session_factory() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    return count


class Ids:
    """The programme service's deterministic seed ids."""

    programme = seed_uuid("programme", "BL-KIP3")
    programme_kip2bis = seed_uuid("programme", "BL-KIP2bis")

    @staticmethod
    def measure(code: str) -> str:
        return str(seed_uuid("measure", f"BL-KIP3/{code}"))

    @staticmethod
    def partner(slug: str) -> str:
        return str(partner(slug))

    @staticmethod
    def goal(code: str) -> str:
        return str(seed_uuid("goal", f"KIP3/{code}"))


@pytest.fixture
def ids() -> type[Ids]:
    return Ids


@pytest.fixture
def plan(client: httpx.AsyncClient, editor: dict[str, str], ids: type[Ids]) -> Any:
    """`await plan(**fields)`: a new evaluation of BL KIP 3 by a BL editor (asserts 201)."""

    async def make(**fields: Any) -> dict[str, Any]:
        body = {"programme_id": str(ids.programme), "kind": "external_evaluation", "title": "Evaluation", **fields}
        response = await client.post("/v1/evaluations", json=body, headers=editor)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


@pytest.fixture
def indicator(client: httpx.AsyncClient, editor: dict[str, str], ids: Any) -> Any:
    """`await indicator(code, unit=..., measure=...)`: an output indicator of BL's KIP 3 on goal 2.1, created by
    the editor."""

    async def make(code: str, unit: str = "count", measure: str = "BL-2.01", **fields: Any) -> dict[str, Any]:
        body = {
            "programme_id": str(ids.programme),
            "measure_id": ids.measure(measure),
            "goal_id": ids.goal("2.1"),
            "code": code,
            "title": code,
            "level": "output",
            "unit": unit,
            **fields,
        }
        response = await client.post("/v1/indicators", json=body, headers=editor)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make
