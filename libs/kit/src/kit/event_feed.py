"""A service's event feed over HTTP (`GET /v1/events`) and its event catalogue (`GET /asyncapi.json`).

The feed serves the service's `event` table in position order after a cursor, to whoever may read what the events
are about, by the same rules as the API: SEM every event, a canton user its canton's, a partner those about
itself (`partner_id`). Events about no partner (a programme, an evaluation, an annual report) reach no partner.
Positions are commit-ordered (see `kit.events`), so resuming after the last position seen misses nothing and
repeats nothing. With `wait`, a request that finds nothing waits up to that many seconds for the next event.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import Principal, PrincipalDep
from kit.event_schema import MAX_POSITION as MAX_POSITION
from kit.event_schema import MAX_WAIT as MAX_WAIT
from kit.event_schema import TYPE_PATTERN as TYPE_PATTERN
from kit.event_schema import CloudEvent as CloudEvent
from kit.event_schema import EventData as EventData
from kit.event_schema import ServiceEventPage as ServiceEventPage
from kit.events import Catalogue, cloud_event
from kit.problems import problem_responses
from kit.session import SessionDep

#: How often a waiting request looks again for events committed by other processes (this process wakes it at once).
POLL_SECONDS = 0.5


class Wakeup:
    """Wakes waiting feed requests and the relay when this process commits events."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        event = self._event
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await event.wait()


def sees_event(principal: Principal, canton: str | None, partner_id: str | None) -> bool:
    """The audience rule for one event (its `canton` and `partner_id`), the same as `visible_events` applies in SQL:
    SEM sees every event, a partner those about itself, a canton user those of its canton. Consumers that filter
    for someone else (the webhook dispatcher for an endpoint's owner) use this, not a copy of the rule."""
    if principal.is_partner:
        return partner_id is not None and partner_id == str(principal.partner_id)
    if not principal.is_sem:
        return canton is not None and canton == principal.canton
    return True


def visible_events(catalogue: Catalogue, principal: Principal) -> Any:
    """The events `principal` may read (the rule of `sees_event`, as a query)."""
    model = catalogue.model
    query = select(model)
    if principal.is_partner:
        return query.where(model.partner_id == str(principal.partner_id))
    if not principal.is_sem:
        return query.where(model.canton == principal.canton)
    return query


async def read_events(
    session: AsyncSession,
    query: Any,
    model: Any,
    after: int,
    limit: int,
    wait: float,
    wakeup: Wakeup | None,
) -> list[Any]:
    deadline = time.monotonic() + wait
    statement = query.where(model.position > after).order_by(model.position).limit(limit)
    while True:
        rows = list((await session.execute(statement)).scalars())
        remaining = deadline - time.monotonic()
        if rows or remaining <= 0:
            return rows
        await session.rollback()  # end the read snapshot, so the next look sees newer commits
        if wakeup is not None:
            await wakeup.wait(min(POLL_SECONDS, remaining))
        else:
            await asyncio.sleep(min(POLL_SECONDS, remaining))


def events_router(catalogue: Catalogue) -> APIRouter:
    router = APIRouter(tags=["events"], responses=problem_responses(401, 422))
    model = catalogue.model

    @router.get("/v1/events", response_model=ServiceEventPage, summary="Read the event feed after a cursor")
    async def list_events(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        after: Annotated[
            int, Query(ge=0, le=MAX_POSITION, description="The last position seen; 0 from the start.")
        ] = 0,
        type: Annotated[str | None, Query(pattern=TYPE_PATTERN, max_length=100)] = None,
        programme_id: uuid.UUID | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT, description="Seconds to wait for a first event.")] = 0,
    ) -> ServiceEventPage:
        """This service's domain events (CloudEvents 1.0) after `cursor`, oldest first, only those about what the caller
        may read. Keep the returned cursor and ask again to resume; events are delivered at least once."""
        query = visible_events(catalogue, principal)
        if type is not None:
            query = query.where(model.type == type)
        if programme_id is not None:
            query = query.where(model.programme_id == str(programme_id))
        wakeup = getattr(request.app.state, "event_wakeup", None)
        rows = await read_events(session, query, model, after, limit, wait, wakeup)
        return ServiceEventPage(
            events=[CloudEvent.model_validate(cloud_event(r)) for r in rows],
            cursor=rows[-1].position if rows else after,
        )

    @router.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_document() -> dict[str, Any]:
        return asyncapi(catalogue)

    return router


def asyncapi(catalogue: Catalogue) -> dict[str, Any]:
    """The service's events as an AsyncAPI 3 document: one channel per type (its NATS subject as the address)."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for type_, rule in catalogue.types().items():
        what = type_.rsplit(".", 1)[1]
        data_schema: dict[str, Any] = {"$ref": "#/components/schemas/EventData"}
        if rule.column is not None:
            data_schema = {
                "allOf": [data_schema, {"required": [rule.column], "properties": {rule.column: {"const": what}}}]
            }
            if not rule.values:
                data_schema["allOf"][1]["properties"][rule.column] = {"description": "Its new value."}
        summary = rule.summary or f"A {rule.table.replace('_', ' ')} was {what.replace('_', ' ')}."
        messages[type_] = {
            "name": type_,
            "title": type_,
            "summary": summary,
            "contentType": "application/cloudevents+json",
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/CloudEvent"},
                    {"properties": {"type": {"const": type_}, "data": data_schema}},
                ]
            },
        }
        channels[type_] = {
            "address": f"kip.{catalogue.service}.{type_}",
            "description": summary,
            "messages": {type_: {"$ref": f"#/components/messages/{type_}"}},
        }
        operations[f"receive.{type_}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{type_}"},
            "messages": [{"$ref": f"#/channels/{type_}/messages/{type_}"}],
        }
    schemas = CloudEvent.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schemas.pop("$defs", {})
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"KIP {catalogue.service} events", "version": "1.0.0"},
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": {"CloudEvent": schemas, **defs}},
    }
