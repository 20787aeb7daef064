"""The event types an endpoint may ask for: the union of the source services' catalogues (`/asyncapi.json`).

Services never import each other, so the catalogue is read over HTTP from each source and kept for
`WEBHOOKS_CATALOGUE_SECONDS`. A source that cannot be read makes registration a 503 (a type cannot be judged
against a catalogue that is missing), never a silent acceptance.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from kit.problems import UpstreamUnavailable
from webhooks.settings import WebhooksSettings

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


class EventCatalogue:
    def __init__(self, settings: WebhooksSettings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client
        self._types: frozenset[str] | None = None
        self._read_at = 0.0
        self._lock = asyncio.Lock()

    async def _read(self, service: str, url: str) -> set[str]:
        try:
            response = await self.client.get(f"{url}/asyncapi.json", timeout=self.settings.feed_timeout)
            if response.status_code != 200 or len(response.content) > MAX_DOCUMENT_BYTES:
                raise httpx.HTTPError(f"status {response.status_code}")
            return set(response.json().get("channels", {}))
        except (httpx.HTTPError, ValueError) as exc:
            raise UpstreamUnavailable(
                f"The event catalogue of the {service} service cannot be read now, so the event types cannot be "
                "checked; try again shortly."
            ) from exc

    async def types(self) -> frozenset[str]:
        async with self._lock:
            fresh = time.monotonic() - self._read_at < self.settings.catalogue_seconds
            if self._types is None or not fresh:
                found = await asyncio.gather(*(self._read(s, u) for s, u in self.settings.sources().items()))
                self._types = frozenset().union(*found)
                self._read_at = time.monotonic()
            return self._types
