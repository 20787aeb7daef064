"""What a service reads of another service's answer is bounded in size and in total time (`kit.upstream.fetch_json`).

The owner here is a real HTTP server on a real socket that misbehaves as a broken service would: it floods tens of
megabytes without `Content-Length`, declares a body larger than the bound, or drips its answer a byte at a time so
that no single read ever times out. Each is refused with a 503 problem naming the owner, within the budget.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from kit.problems import UpstreamUnavailable
from kit.upstream import fetch_json, make_client

BUDGET = 1.0
MAX_BYTES = 1024 * 1024
FLOOD_BYTES = 64 * 1024 * 1024


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, mode: str, sent: list[int]) -> None:
    try:
        await reader.readuntil(b"\r\n\r\n")
        if mode == "declared":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n")
            writer.write(b"[" + b" " * 65536)
            await writer.drain()
            await asyncio.sleep(5)
            return
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        if mode == "flood":
            chunk = b'{"id": "00000000-0000-0000-0000-000000000000"},' * 1000
            writer.write(b"1\r\n[\r\n")
            while sent[0] < FLOOD_BYTES:
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent[0] += len(chunk)
                await writer.drain()
            writer.write(b"2\r\n{}\r\n1\r\n]\r\n0\r\n\r\n")
        elif mode == "drip":
            writer.write(b"1\r\n{\r\n")
            for _ in range(200):  # 10 s of one byte every 50 ms: no single read waits long
                writer.write(b"1\r\n \r\n")
                await writer.drain()
                await asyncio.sleep(0.05)
            writer.write(b"1\r\n}\r\n0\r\n\r\n")
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def owner(request: pytest.FixtureRequest) -> AsyncIterator[tuple[str, list[int]]]:
    sent = [0]
    server = await asyncio.start_server(lambda r, w: _answer(r, w, request.param, sent), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}", sent
        server.close()


@pytest.mark.parametrize("owner", ["flood", "declared"], indirect=True)
async def test_an_owner_that_answers_more_than_the_bound_is_refused_before_it_is_read(
    owner: tuple[str, list[int]],
) -> None:
    url, sent = owner
    async with make_client(url) as client:
        started = time.monotonic()
        with pytest.raises(UpstreamUnavailable) as refused:
            await fetch_json(client, "programme", "/v1/programmes/x", "token", max_bytes=MAX_BYTES, budget=BUDGET)
        seconds = time.monotonic() - started
    assert f"more than {MAX_BYTES} bytes" in refused.value.detail
    assert refused.value.status == 503
    assert seconds < BUDGET
    assert sent[0] < FLOOD_BYTES / 4  # cut off, not read to the end


@pytest.mark.parametrize("owner", ["drip"], indirect=True)
async def test_an_owner_that_drips_its_answer_is_cut_off_at_the_budget(owner: tuple[str, list[int]]) -> None:
    url, _ = owner
    async with make_client(url) as client:
        started = time.monotonic()
        with pytest.raises(UpstreamUnavailable) as refused:
            await fetch_json(client, "evaluation", "/v1/goal-achievement", "token", budget=BUDGET)
        seconds = time.monotonic() - started
    assert "did not answer /v1/goal-achievement within 1 s" in refused.value.detail
    assert BUDGET <= seconds < BUDGET + 0.5
