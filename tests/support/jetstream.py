"""The NATS server with JetStream the tests are told to use (`KIP_TEST_NATS_URL`).

A test that needs it is marked `needs_nats` and skipped when no server is named; a server that is named but cannot
be reached fails the test, never skips it. Each test works on a stream and subject prefix of its own and deletes
the stream afterwards.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import nats
import pytest

NATS_ENV = "KIP_TEST_NATS_URL"
needs_nats = pytest.mark.skipif(not os.environ.get(NATS_ENV), reason=f"{NATS_ENV} is not set")


def nats_url() -> str:
    return os.environ[NATS_ENV]


@dataclass(frozen=True)
class OwnStream:
    """A stream name and subject prefix no other test uses."""

    stream: str
    prefix: str

    @classmethod
    def new(cls, label: str) -> OwnStream:
        tag = uuid.uuid4().hex[:10]
        return cls(f"KIP{label.upper()}_{tag}", f"kip{label.lower()}{tag}")

    def env(self) -> dict[str, str]:
        """What a service process is told to publish to (or read from) this stream."""
        return {
            "KIP_EVENTS_NATS_URL": nats_url(),
            "KIP_EVENTS_NATS_STREAM": self.stream,
            "KIP_EVENTS_NATS_SUBJECT_PREFIX": self.prefix,
        }


async def connect() -> Any:
    """A connection to the named server, or the test fails."""
    url = nats_url()
    try:
        return await asyncio.wait_for(nats.connect(url, allow_reconnect=False, connect_timeout=3), 5)
    except Exception as exc:  # named but unreachable: fail, never skip
        pytest.fail(f"{NATS_ENV}={url} cannot be reached: {exc!r}")


async def delete_stream(name: str) -> None:
    """Delete a test's stream, if it was made."""
    nc = await connect()
    try:
        js = nc.jetstream()
        if name in {info.config.name for info in await js.streams_info()}:
            await js.delete_stream(name)
    finally:
        await nc.close()


def reachable() -> None:
    """Fail the test at once when the named server cannot be reached (before processes are started)."""

    async def check() -> None:
        await (await connect()).close()

    asyncio.run(check())


@asynccontextmanager
async def jetstream(label: str = "test") -> AsyncIterator[tuple[Any, OwnStream]]:
    """A JetStream context and a stream of the caller's own, deleted afterwards."""
    nc = await connect()
    stream = OwnStream.new(label)
    try:
        yield nc.jetstream(), stream
    finally:
        await delete_stream(stream.stream)
        await nc.close()
