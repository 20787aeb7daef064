"""The typed clients read a paged list whole: the first page tells the total, the rest come at once."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from gateway.clients import base
from gateway.clients.programme import Measure
from gateway.errors import UpstreamFailed
from gateway.upstream import CallContext
from tests.gateway.conftest import TokenFactory, needs

pytestmark = needs("programme")


@pytest.mark.parametrize("page_size", [1, 2, 3, 500])
async def test_every_item_of_a_paged_list_once_and_in_order(
    gateway: FastAPI,
    client: httpx.AsyncClient,
    token: TokenFactory,
    monkeypatch: pytest.MonkeyPatch,
    page_size: int,
) -> None:
    headers = token("sem")
    whole = (await client.get("/api/programme/v1/measures", params={"limit": 500}, headers=headers)).json()
    assert whole["total"] >= 5, "the seed has enough measures to need several small pages"
    monkeypatch.setattr(base, "PAGE_SIZE", page_size)
    ctx = CallContext(authorization=headers["Authorization"])
    items = await gateway.state.clients.programme.get_all(Measure, "/v1/measures", ctx)
    assert [str(m.id) for m in items] == [m["id"] for m in whole["items"]]


async def test_a_list_with_more_pages_than_allowed_is_refused(
    gateway: FastAPI, token: TokenFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "PAGE_SIZE", 1)
    monkeypatch.setattr(base, "MAX_PAGES", 2)
    ctx = CallContext(authorization=token("sem")["Authorization"])
    with pytest.raises(UpstreamFailed, match="too many pages"):
        await gateway.state.clients.programme.get_all(Measure, "/v1/measures", ctx)
