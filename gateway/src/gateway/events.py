"""`GET /api/v1/events`: the platform's event feed, merged from the services' own feeds; `GET /asyncapi.json`: the
catalogue of every event type, merged from the services' AsyncAPI documents.

Each service decides from the caller's token which of its events the caller may see (the same rules as its API).
The cursor is opaque to callers: base64url of the position reached in each service's feed. A page holds a prefix
of each service's remaining events (merged by time, never reordered within a service), and the cursor moves each
service's position exactly to the last event of that service the page holds, so a consumer that stores the cursor
it last processed and resumes from it after any crash misses nothing and sees nothing twice. A service that does
not answer is named in `degraded` and its position stays where it was.

With `wait`, the gateway asks every service to wait up to that many seconds for a first event and answers as soon
as one of them has some (the others' positions stay where they were).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import heapq
import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from gateway.caller import CallerDep
from gateway.errors import UpstreamFailed, UpstreamTimeout
from gateway.settings import EVENT_SOURCES as SERVICES
from gateway.upstream import Upstream, downstream_problem
from kit.event_schema import MAX_POSITION, MAX_WAIT, TYPE_PATTERN, CloudEvent
from kit.i18n import Msg
from kit.problems import InvalidInput, problem_responses

router = APIRouter(tags=["events"])


class EventPage(BaseModel):
    events: list[CloudEvent]
    cursor: str = Field(description="Pass as `after` next time: the position after the last event of this page.")
    degraded: list[str] = Field(description="Services whose feed could not be read; their events come later.")


def encode_cursor(positions: dict[str, int]) -> str:
    raw = json.dumps({s: positions.get(s, 0) for s in SERVICES}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, int]:
    if not cursor:
        return dict.fromkeys(SERVICES, 0)
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        positions = {s: decoded.get(s, 0) for s in SERVICES}
        if set(decoded) - set(SERVICES) or any(
            type(p) is not int or not 0 <= p <= MAX_POSITION for p in positions.values()
        ):
            raise ValueError(cursor)
    except (ValueError, AttributeError, binascii.Error) as exc:
        raise InvalidInput(
            Msg(
                "The cursor is not one this feed gave out; pass the `cursor` of an "
                "earlier answer, or nothing to start from the beginning.",
            ),
            field=["query", "after"],
        ) from exc
    return positions


async def _fetch(request: Request, caller: Any, service: str, params: dict[str, Any], wait: float) -> list[Any]:
    upstream: Upstream = request.app.state.upstreams[service]
    budget = request.app.state.settings.timeout(service) + wait
    response = await upstream.send("GET", "/v1/events", caller.ctx, params=params, wait=budget)
    if response.status_code >= 400:
        raise downstream_problem(service, response)
    events: list[Any] = response.json()["events"]
    return events


@router.get(
    "/api/v1/events",
    response_model=EventPage,
    summary="Read the platform's events after a cursor",
    responses=problem_responses(401, 422, 502, 504),
)
async def list_events(
    request: Request,
    caller: CallerDep,
    after: Annotated[str | None, Query(max_length=500, description="The `cursor` of the last page processed.")] = None,
    type: Annotated[str | None, Query(pattern=TYPE_PATTERN, max_length=100, description="Only this type.")] = None,
    programme_id: Annotated[uuid.UUID | None, Query(description="Only events about this programme.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT, description="Seconds to wait for a first event.")] = 0,
) -> EventPage:
    """The platform's domain events of every service after a resumable cursor, filtered by what the caller may read
    (the same rules as the API). The catalogue of event types is `/asyncapi.json`."""
    positions = decode_cursor(after)
    filters = {k: str(v) for k, v in (("type", type), ("programme_id", programme_id)) if v is not None}
    tasks = {
        asyncio.create_task(
            _fetch(request, caller, s, {"after": positions[s], "limit": limit, "wait": wait, **filters}, wait)
        ): s
        for s in SERVICES
    }
    found: dict[str, list[Any]] = {}
    degraded: list[str] = []
    pending = set(tasks)
    try:
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                try:
                    found[tasks[task]] = task.result()
                except (UpstreamFailed, UpstreamTimeout):
                    degraded.append(tasks[task])
            if wait and any(found.values()):
                break
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    tagged = [[(e["time"], i, s, e) for e in found.get(s, [])] for i, s in enumerate(SERVICES)]
    page = [item for _, item in zip(range(limit), heapq.merge(*tagged, key=lambda t: (t[0], t[1])), strict=False)]
    for _, _, service, event in page:
        positions[service] = int(event["sequence"])
    return EventPage(
        events=[CloudEvent.model_validate(e) for *_, e in page],
        cursor=encode_cursor(positions),
        degraded=sorted(degraded, key=SERVICES.index),
    )


@router.get("/asyncapi.json", include_in_schema=False)
async def asyncapi_document(request: Request) -> dict[str, Any]:
    """Every event type of the platform: the services' catalogues in one AsyncAPI 3 document."""
    upstreams: dict[str, Upstream] = request.app.state.upstreams
    wait = request.app.state.settings.docs_fetch_timeout
    if not hasattr(request.app.state, "asyncapi_parts"):
        request.app.state.asyncapi_parts = {}
    cached: dict[str, dict[str, Any]] = request.app.state.asyncapi_parts

    async def fetch(service: str) -> None:
        try:
            response = await upstreams[service].send("GET", "/asyncapi.json", None, wait=wait)
            if response.status_code == 200:
                cached[service] = response.json()
        except (UpstreamFailed, UpstreamTimeout, ValueError):
            return

    await asyncio.gather(*(fetch(s) for s in SERVICES if s not in cached))
    return merged_asyncapi([cached[s] for s in SERVICES if s in cached], [s for s in SERVICES if s not in cached])


def merged_asyncapi(parts: list[dict[str, Any]], missing: list[str]) -> dict[str, Any]:
    document: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {
            "title": "KIP platform events",
            "version": "1.0.0",
            "description": (
                "Every domain event of the platform, as CloudEvents 1.0 JSON. Read them from the feed "
                "`GET /api/v1/events?after=<cursor>` (the events your token may see), or from NATS JetStream "
                "(stream `KIP`, subjects `kip.<service>.<type>`, `Nats-Msg-Id` = event id) where it is configured. "
                "Delivery is at least once and ordered per subject: de-duplicate by `id`."
                + (f" Not available just now: {', '.join(missing)}." if missing else "")
            ),
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": {},
        "operations": {},
        "components": {"messages": {}, "schemas": {}},
    }
    for part in parts:
        document["channels"].update(part.get("channels", {}))
        document["operations"].update(part.get("operations", {}))
        components = part.get("components", {})
        document["components"]["messages"].update(components.get("messages", {}))
        document["components"]["schemas"].update(components.get("schemas", {}))
    return document
