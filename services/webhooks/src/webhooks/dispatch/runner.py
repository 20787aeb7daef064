"""The dispatcher's life in the service process: one feed reader per source (or, with `KIP_EVENTS_NATS_URL` set,
one JetStream reader) and the sender, started with the app and stopped with it. Every replica may run it; they
share the work through the database and the stream (see `ingest`, `jetstream`, `sender`)."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
from fastapi import FastAPI

from kit.event_settings import EventSettings
from kit.service_token import ServiceCredential
from kit.settings import AuthSettings
from webhooks.dispatch.ingest import FeedReader
from webhooks.dispatch.jetstream import JetStreamReader
from webhooks.dispatch.sender import Sender
from webhooks.settings import WebhooksSettings


class Dispatcher:
    def __init__(self, app: FastAPI, settings: WebhooksSettings, auth: AuthSettings) -> None:
        state = app.state
        limits = httpx.Limits(max_connections=settings.send_concurrency * 2, max_keepalive_connections=0)
        self.feed_client = httpx.AsyncClient(trust_env=False, timeout=settings.feed_timeout)
        self.send_client = httpx.AsyncClient(
            trust_env=False,
            follow_redirects=False,
            limits=limits,
            timeout=httpx.Timeout(settings.send_timeout, connect=settings.send_connect_timeout),
        )
        credential = ServiceCredential("webhooks", auth)
        queue = state.sqlite_write_queue
        events = EventSettings()
        self.stream = (
            JetStreamReader(settings, events, state.session_factory, queue, state.delivery_wakeup)
            if events.nats_url
            else None
        )
        self.readers = (
            []
            if self.stream is not None
            else [
                FeedReader(
                    source,
                    url,
                    settings,
                    state.session_factory,
                    queue,
                    self.feed_client,
                    credential,
                    state.delivery_wakeup,
                )
                for source, url in settings.sources().items()
            ]
        )
        self.sender = Sender(settings, state.session_factory, queue, self.send_client, state.delivery_wakeup)
        self.tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.tasks = [asyncio.create_task(r.run()) for r in self.readers]
        if self.stream is not None:
            self.tasks.append(asyncio.create_task(self.stream.run()))
        self.tasks.append(asyncio.create_task(self.sender.run()))

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.stream is not None:
            await self.stream.close()
        await self.feed_client.aclose()
        await self.send_client.aclose()
