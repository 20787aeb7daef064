"""A declared query parameter given twice is refused with 422 naming it; undeclared repeats are ignored."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Query

from kit.app import create_service_app
from kit.pagination import PageDep
from kit.settings import ServiceSettings

router = APIRouter()


@router.get("/things")
async def things(page: PageDep, year: Annotated[int | None, Query()] = None) -> dict[str, int | None]:
    return {"year": year, "limit": page.limit}


def client() -> httpx.AsyncClient:
    """Any installed service package serves for the health routes; the route under test is this module's."""
    app = create_service_app(
        title="t",
        package="programme",
        description="",
        settings=ServiceSettings(database_url="sqlite://"),
        routers=[router],
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_a_repeated_declared_parameter_is_refused_naming_it() -> None:
    async with client() as c:
        for query, name in (("year=2024&year=2025", "year"), ("limit=5&limit=500", "limit")):
            r = await c.get(f"/things?{query}")
            assert r.status_code == 422, r.text
            assert r.json()["errors"][0]["loc"] == ["query", name]


async def test_single_values_and_unknown_repeats_pass() -> None:
    async with client() as c:
        r = await c.get("/things?year=2024&limit=5&x=1&x=2")
        assert r.status_code == 200 and r.json() == {"year": 2024, "limit": 5}
