"""Fixtures of the funding service's tests: a migrated database per backend, the real programme service (its own
seeded database) and the real evaluation service (its own migrated database) wired in over ASGI, an app on them,
tokens, and a small API helper."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from funding.main import create_app
from funding.models import Base
from funding.settings import FundingSettings
from kit import testing
from kit.ids import seed_uuid
from kit.pytest_plugin import asgi_client, built_once, client_fixture, database_fixture, started
from kit.settings import AuthSettings
from support.upstreams import evaluation_app as build_evaluation_app
from support.upstreams import programme_upstream

PROGRAMME = seed_uuid("programme", "BL-KIP3")
UNREACHABLE = "http://127.0.0.1:9"


def area(code: str) -> str:
    return str(seed_uuid("funding-area", f"KIP3/{code}"))


def partner(slug: str) -> str:
    return str(seed_uuid("partner", slug))


def measure(code: str) -> str:
    return str(seed_uuid("measure", f"BL-KIP3/{code}"))


programme_database_url, programme_app = programme_upstream("funding_programme")


database_url = database_fixture("funding")
# The evaluation service's database: the settlement reads its goal achievement.
evaluation_database = database_fixture("evaluation", database="funding_evaluation", name="evaluation_database")


@pytest.fixture
async def evaluation_app(evaluation_database: str, key_dir: Path, programme_app: FastAPI) -> AsyncIterator[FastAPI]:
    from evaluation.models import Base as EvaluationBase

    await testing.reset(evaluation_database, EvaluationBase.metadata)
    async for running in started(build_evaluation_app(evaluation_database, key_dir, programme_app)):
        yield running


def _funding_app(
    database_url: str,
    key_dir: Path,
    programme_url: str,
    transport: Any,
    evaluation_url: str = UNREACHABLE,
    evaluation_transport: Any = None,
) -> FastAPI:
    """Without `evaluation_transport` and `evaluation_url` the evaluation service is unreachable."""
    return create_app(
        FundingSettings(database_url=database_url, programme_url=programme_url, evaluation_url=evaluation_url),
        AuthSettings(local_key_dir=key_dir),
        programme_transport=transport,
        evaluation_transport=evaluation_transport,
    )


@pytest.fixture
async def app(
    database_url: str, key_dir: Path, programme_app: FastAPI, evaluation_app: FastAPI
) -> AsyncIterator[FastAPI]:
    await testing.reset(database_url, Base.metadata)
    application = built_once(
        ("funding", database_url, key_dir, id(programme_app), id(evaluation_app)),
        lambda: _funding_app(
            database_url,
            key_dir,
            "http://programme",
            httpx.ASGITransport(app=programme_app),
            "http://evaluation",
            httpx.ASGITransport(app=evaluation_app),
        ),
    )
    async for running in started(application):
        yield running


client = client_fixture("funding")


@pytest.fixture
async def down_client(app: FastAPI, database_url: str, key_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The funding service on the same database, its programme service unreachable (a closed local port)."""
    application = _funding_app(database_url, key_dir, UNREACHABLE, None)
    async for running in started(application):
        async for c in asgi_client(running, "http://funding"):
            yield c


@pytest.fixture
async def evaluation_down_client(
    app: FastAPI, database_url: str, key_dir: Path, programme_app: FastAPI
) -> AsyncIterator[httpx.AsyncClient]:
    """The funding service on the same database, its programme service up, its evaluation service unreachable."""
    application = _funding_app(database_url, key_dir, "http://programme", httpx.ASGITransport(app=programme_app))
    async for running in started(application):
        async for c in asgi_client(running, "http://funding"):
            yield c


@pytest.fixture
def editor(token: Any) -> dict[str, str]:
    return token("canton-editor", canton="BL", subject="bl-editor-anna")  # type: ignore[no-any-return]


@pytest.fixture
def editor2(token: Any) -> dict[str, str]:
    return token("canton-editor", canton="BL", subject="bl-editor-beat")  # type: ignore[no-any-return]


@pytest.fixture
def payer(token: Any) -> dict[str, str]:
    """A third canton editor: records payments that the other two requested and approved."""
    return token("canton-editor", canton="BL", subject="bl-editor-carla")  # type: ignore[no-any-return]


@pytest.fixture
async def seeded(app: FastAPI) -> None:
    """Basel-Landschaft's KIP 3 money (funding seed)."""
    from funding.seed import seed

    async with app.state.session_factory() as session, session.begin():
        await seed(session)


class Api:
    """Short-hands for the requests most tests need."""

    def __init__(self, client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str]) -> None:
        self.client = client
        self.editor = editor
        self.sem = sem

    async def allocate(self, per_year: str = "1000000.00", period: str | None = None) -> httpx.Response:
        """SEM records the programme's federal allocation: `per_year` IFK for each of 2024–2027."""
        url = f"/v1/programmes/{PROGRAMME}/federal-allocation"
        current = await self.client.get(url, headers=self.sem)
        headers = {**self.sem, **({"If-Match": current.headers["ETag"]} if current.status_code == 200 else {})}
        body = {
            "reference": "PV KIP 3 BL",
            "agreement_date": "2023-12-01",
            "period_amount": period or str(Decimal(per_year) * 4),
            "years": [{"year": y, "amount": per_year} for y in range(2024, 2028)],
        }
        return await self.client.put(url, headers=headers, json=body)

    async def budget_line(self, year: int, area_code: str, source: str, amount: str) -> dict[str, Any]:
        r = await self.client.post(
            "/v1/budget-lines",
            headers=self.editor,
            json={
                "programme_id": str(PROGRAMME),
                "year": year,
                "funding_area_id": area(area_code),
                "source": source,
                "amount": amount,
                "reason": "plan",
            },
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def credit(
        self, amount: str, first: int = 2024, last: int = 2027, sources: tuple[str, ...] = ("canton",)
    ) -> dict[str, Any]:
        r = await self.client.post(
            "/v1/credits",
            headers=self.editor,
            json={
                "programme_id": str(PROGRAMME),
                "body": "Landrat",
                "decision_date": "2023-06-08",
                "amount": amount,
                "first_year": first,
                "last_year": last,
                "sources": list(sources),
                "votes_for": 60,
                "votes_against": 20,
            },
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    def agreement_body(
        self, lines: list[tuple[int, str, str, str]], slug: str = "ald", measures: tuple[str, ...] = ("BL-1.02",)
    ) -> dict[str, Any]:
        return {
            "programme_id": str(PROGRAMME),
            "partner_id": partner(slug),
            "title": f"LV {slug}",
            "start_date": "2024-01-01",
            "end_date": "2027-12-31",
            "measure_ids": [measure(m) for m in measures],
            "lines": [{"year": y, "funding_area_id": area(a), "source": s, "amount": amt} for y, a, s, amt in lines],
        }

    async def agreement(
        self, lines: list[tuple[int, str, str, str]], slug: str = "ald", measures: tuple[str, ...] = ("BL-1.02",)
    ) -> dict[str, Any]:
        r = await self.client.post(
            "/v1/agreements", headers=self.editor, json=self.agreement_body(lines, slug, measures)
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    async def sign(self, agreement: dict[str, Any]) -> httpx.Response:
        return await self.client.post(
            f"/v1/agreements/{agreement['id']}/sign", headers={**self.editor, "If-Match": f'"{agreement["version"]}"'}
        )

    async def signed(
        self, lines: list[tuple[int, str, str, str]], slug: str = "ald", measures: tuple[str, ...] = ("BL-1.02",)
    ) -> dict[str, Any]:
        r = await self.sign(await self.agreement(lines, slug, measures))
        assert r.status_code == 200, r.text
        return dict(r.json())

    async def request(
        self,
        headers: dict[str, str],
        agreement_id: str,
        amount: str,
        *,
        year: int = 2024,
        area_code: str = "information_needs_assessment_counselling",
        source: str = "canton",
        key: str | None = None,
    ) -> httpx.Response:
        body = {
            "agreement_id": agreement_id,
            "year": year,
            "funding_area_id": area(area_code),
            "source": source,
            "amount": amount,
            "value_date": f"{year}-03-31",
        }
        return await self.client.post(
            "/v1/disbursements", json=body, headers={**headers, "Idempotency-Key": key or str(uuid.uuid4())}
        )


@pytest.fixture
def sem(token: Any) -> dict[str, str]:
    return token("sem", subject="sem-finance")  # type: ignore[no-any-return]


@pytest.fixture
def api(client: httpx.AsyncClient, editor: dict[str, str], sem: dict[str, str]) -> Api:
    return Api(client, editor, sem)


@pytest.fixture
def goals(evaluation_app: FastAPI, editor: dict[str, str]) -> Any:
    """`await goals(*values)`: one outcome indicator per value on BL KIP 3's goal 2.1 in the evaluation service,
    target 100 in 2027 and that confirmed value, so the goal is fully met only when every value is ≥ 100."""

    async def make(*values: str) -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=evaluation_app), base_url="http://e") as c:
            for i, value in enumerate(values):
                body = {
                    "programme_id": str(PROGRAMME),
                    "goal_id": str(seed_uuid("goal", "KIP3/2.1")),
                    "code": f"G{i}",
                    "title": f"Goal indicator {i}",
                    "level": "outcome",
                    "unit": "count",
                    "aggregation": "sum",
                    "direction": "higher_is_better",
                }
                created = await c.post("/v1/indicators", json=body, headers=editor)
                assert created.status_code == 201, created.text
                iid = created.json()["id"]
                put = await c.put(f"/v1/indicators/{iid}/targets/2027", json={"value": "100"}, headers=editor)
                assert put.status_code == 200, put.text
                entered = await c.post(
                    f"/v1/indicators/{iid}/values", json={"year": 2027, "value": value}, headers=editor
                )
                assert entered.status_code == 201, entered.text
                confirm = f"/v1/indicator-values/{entered.json()['id']}/confirm"
                assert (await c.post(confirm, headers={**editor, "If-Match": '"1"'})).status_code == 200

    return make
