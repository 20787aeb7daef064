"""Swagger UI and ReDoc load with no network beyond the platform: every script and style comes from the process."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.gateway.conftest import INSTALLED, Platform

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


async def _assert_served_locally(client: httpx.AsyncClient, page_path: str) -> None:
    page = await client.get(page_path)
    assert page.status_code == 200
    assets = ASSET.findall(page.text)
    assert assets, "the page loads scripts"
    for asset in assets:
        assert asset.startswith("/"), f"{page_path} loads {asset} from elsewhere"
        loaded = await client.get(asset)
        assert loaded.status_code == 200 and loaded.content, asset
    assert "fonts.googleapis" not in page.text and "cdn.jsdelivr" not in page.text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_every_service_serves_its_docs_offline(platform: Platform, page: str) -> None:
    for service in INSTALLED:
        async with httpx.AsyncClient(transport=platform.transport(service), base_url="http://s") as client:
            await _assert_served_locally(client, page)


async def test_the_gateway_serves_redoc_offline(client: httpx.AsyncClient) -> None:
    await _assert_served_locally(client, "/redoc")
    script = await client.get("/docs/assets/redoc.standalone.js")
    assert len(script.content) > 100_000
