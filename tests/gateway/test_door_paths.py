"""Forwarded paths, property-tested with generated request targets (hypothesis), not a list of known tricks.

The gateway runs in-process with its real client (aiohttp) pointed at a recording server that stands in for the
programme service: whatever the gateway sends is recorded as the service's server would receive it. Each generated
target goes into the gateway exactly as uvicorn hands it over (`raw_path` as sent, `path` decoded once). Properties:
nothing is a 5xx; whatever reaches the service decodes to a path the service's own OpenAPI document declares under
`/v1` (so never `/metrics`, `/docs`, `/openapi.json` or health), and to the very path the gateway matched; what is
not forwarded is a 404 problem (400 for a control character); and every declared path, whatever its parameters
hold, is forwarded and arrives as sent.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, MutableMapping
from typing import Any
from urllib.parse import quote, unquote

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.main import create_app
from gateway.settings import GatewaySettings
from kit.settings import AuthSettings

from .conftest import BL_KIP3, Platform, TokenFactory

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PIECES = [
    "v1", "programmes", "partners", "measures", "metrics", "openapi.json", "docs", "healthz", "readyz", str(BL_KIP3),
    ".", "..", "", "%2e", "%2E", "%2e%2e", "%252e%252e", "%252E", "%2f", "%2F", "%252f", "%5c", "%00", "%0a", "%0d",
    "%09", "%7f", "%c2%85", "%c0%ae", "%ff", "%25", "%", "%%32%65", ";", "%3b", "%3f", "%23", "~", "+",
]  # fmt: skip
#: Characters a request target may carry raw (uvicorn's parser refuses the others before any app sees them).
TARGET_CHARS = "abcXYZ019-._~!$&'()*+,;=:@%"
HIDDEN = re.compile(r"^/(metrics|docs|openapi\.json|healthz|readyz)(/|$)")


class Recorder:
    """A stand-in for the programme service: records each request target and answers `{}`."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        self.server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                self.targets.append(head.split(b" ", 2)[1].decode("ascii"))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"


@pytest.fixture
async def recorded(platform: Platform, auth_settings: AuthSettings) -> AsyncIterator[tuple[FastAPI, Recorder, Any]]:
    recorder = Recorder()
    url = await recorder.start()
    app = create_app(GatewaySettings(programme_url=url, docs_prefetch=False), auth_settings)
    document = platform.services["programme"].openapi()
    async with app.router.lifespan_context(app):
        app.state.service_docs.documents["programme"] = document
        yield app, recorder, document
    assert recorder.server is not None
    recorder.server.close()


async def _call(app: FastAPI, raw_path: str, authorization: str) -> int:
    """One GET into the gateway as uvicorn would hand it over; the answer's status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "path": unquote(raw_path),
        "raw_path": raw_path.encode("ascii"),
        "query_string": b"",
        "headers": [(b"host", b"gateway"), (b"authorization", authorization.encode())],
    }
    messages: list[dict[str, Any]] = []

    received = False

    async def receive() -> MutableMapping[str, Any]:
        nonlocal received
        if received:  # then the connection stays open until the answer is complete
            await asyncio.sleep(3600)
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(dict(message))

    async with asyncio.timeout(5):
        await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    if start["status"] >= 400:
        content_type = dict(start["headers"]).get(b"content-type", b"")
        assert content_type == b"application/problem+json", (raw_path, start)
    return int(start["status"])


def _templates(document: dict[str, Any]) -> list[re.Pattern[str]]:
    return [
        re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(p))) for p in document["paths"] if p.startswith("/v1/")
    ]


segments = st.sampled_from(PIECES) | st.text(alphabet=TARGET_CHARS, max_size=8)


@PROPERTY
@given(pieces=st.lists(segments, max_size=6))
async def test_only_declared_v1_paths_reach_the_service_and_as_matched(
    pieces: list[str], recorded: tuple[FastAPI, Recorder, Any], token: TokenFactory
) -> None:
    app, recorder, document = recorded
    recorder.targets.clear()
    raw = "/api/programme/" + "/".join(pieces)
    status = await _call(app, raw, token("sem")["Authorization"])
    assert status in (200, 400, 404), (raw, status)
    if status != 200:
        assert recorder.targets == [], (raw, recorder.targets)
        return
    assert len(recorder.targets) == 1, recorder.targets
    received = unquote(recorder.targets[0])  # as the service's server decodes it
    assert any(t.fullmatch(received) for t in _templates(document)), (raw, received)
    assert not HIDDEN.match(received)
    assert all(s not in ("", ".", "..") for s in received.split("/")[1:]), (raw, received)
    assert received == unquote("/" + raw.split("/", 3)[3]), (raw, received)


parameter_values = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="/"), min_size=1, max_size=12
).filter(lambda s: s not in (".", ".."))


@PROPERTY
@given(data=st.data())
async def test_every_declared_path_is_forwarded_whatever_its_parameters_hold(
    data: st.DataObject, recorded: tuple[FastAPI, Recorder, Any], token: TokenFactory
) -> None:
    app, recorder, document = recorded
    recorder.targets.clear()
    template = data.draw(st.sampled_from(sorted(p for p in document["paths"] if p.startswith("/v1/"))))
    path = re.sub(r"\{[^/]+?\}", lambda _: data.draw(parameter_values), template)
    raw = "/api/programme" + "/".join(quote(s, safe="") for s in path.split("/"))
    status = await _call(app, raw, token("sem")["Authorization"])
    assert status == 200, (raw, status)
    assert [unquote(t) for t in recorder.targets] == [path]
