"""Fan-out for composed views: parts fetched concurrently, each required or optional, all within one budget.

A required part's failure fails the view (its 4xx passes through, otherwise 502/504); an optional part's failure
leaves it out and names it in `degraded`. Whatever the services do, a view returns by its deadline: parts still
running then are cancelled — a required one makes the view a 504, an optional one is degraded.

`CachedViewRoute` keeps a view's answer with the parts it was built from, and tags it from their ETags.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from gateway.cache import Key, PartCache, View, audience
from gateway.errors import DownstreamProblemError, UpstreamFailed, UpstreamTimeout
from gateway.upstream import VIEW_PARTS, ViewParts
from kit.auth import _bearer, current_principal

logger = logging.getLogger("gateway.compose")

PartFactory = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class Part:
    fetch: PartFactory
    required: bool
    service: str


def required(service: str, fetch: PartFactory) -> Part:
    return Part(fetch, True, service)


def optional(service: str, fetch: PartFactory) -> Part:
    return Part(fetch, False, service)


def _drop_result(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.info("a late view part ended with %s", type(task.exception()).__name__)


@dataclass
class Fanout:
    """One view's budget, shared by its stages; collects what was degraded on the way."""

    view: str
    timeout: float
    all_required: bool = False
    degraded: list[str] = field(default_factory=list)
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = asyncio.get_running_loop().time() + self.timeout

    def remaining(self) -> float:
        return max(0.0, self._deadline - asyncio.get_running_loop().time())

    async def run(self, parts: dict[str, Part]) -> dict[str, Any]:
        """Fetch every part at once; returns the values of the parts that came back."""
        if not parts:
            return {}
        if self.remaining() <= 0.0:
            # A stage reached after the deadline (the previous one used the whole budget) starts no call: each would
            # run on in the background to its own call timeout, costing the services and the gateway for nothing.
            return self._settle(parts, {}, set(parts))
        tasks = {name: asyncio.ensure_future(part.fetch()) for name, part in parts.items()}
        required_tasks = {tasks[n] for n, p in parts.items() if p.required or self.all_required}
        pending = set(tasks.values())
        while pending:
            done, pending = await asyncio.wait(pending, timeout=self.remaining(), return_when=asyncio.FIRST_COMPLETED)
            if not done:
                break  # the view's deadline
            if any(t in required_tasks and t.exception() is not None for t in done):
                break  # a required part failed: the view fails now, without waiting for the rest
        for task in pending:
            # Not cancelled: a request cancelled half-way can leave its pooled connection unusable, and enough of
            # them starve the pool. A late part ends on its own call timeout; its result is dropped.
            task.add_done_callback(_drop_result)
        return self._settle(parts, tasks, {name for name, task in tasks.items() if task in pending})

    def _settle(
        self, parts: dict[str, Part], tasks: Mapping[str, asyncio.Future[Any]], late: set[str]
    ) -> dict[str, Any]:
        """The values of the parts that came back; the rest degraded, or the view's failure raised."""
        values: dict[str, Any] = {}
        failure: BaseException | None = None
        timed_out: BaseException | None = None
        for name, part in parts.items():
            must = part.required or self.all_required
            task = tasks.get(name)
            if name in late or task is None:
                error: BaseException = UpstreamTimeout(
                    part.service, f"The {self.view} view gave up waiting for the {part.service} service ({name})."
                )
            elif task.exception() is not None:
                error = task.exception()  # type: ignore[assignment]
            else:
                values[name] = task.result()
                continue
            if must and name in late:
                timed_out = timed_out or error
            elif must:
                failure = failure or error
            elif isinstance(error, UpstreamFailed | UpstreamTimeout | DownstreamProblemError):
                logger.info("%s view: part %s degraded: %s", self.view, name, error)
                self.degraded.append(name)
            else:
                failure = failure or error
        failure = failure or timed_out
        if failure is not None:
            raise failure
        return values


class CachedViewRoute(APIRoute):
    """A view route whose `GET` answers are kept with the parts they were built from (`gateway.cache`).

    The view's ETag is made of its parts' ETags (with the view's path and query, the caller's audience and language,
    and the day, for what a view computes from the date): it changes whenever a part does. When every part a kept
    answer was built from is still trusted and unchanged, the kept answer is sent without fetching or building
    anything, and `If-None-Match` with its ETag is a `304` (kit's `ConditionalGetMiddleware`); requests that find
    the same answer being built wait for it rather than build it again. An answer with a
    part that failed, came late or was read around the part cache is neither kept nor tagged from its parts.
    Used with `APIRouter(route_class=CachedViewRoute)`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def cached_view(request: Request) -> Response:
            cache: PartCache | None = getattr(request.app.state, "view_cache", None)
            if cache is None or request.method != "GET":
                return await handler(request)
            cache.start_following()
            principal = await current_principal(request, await _bearer(request))
            who = audience(principal)
            key = _view_key(request, who)
            kept = cache.parts.get(key)
            if isinstance(kept, View) and cache.view_parts_fresh(kept, who):
                return _kept_answer(cache, kept)
            building = cache.building.get(key)
            if building is not None:  # the same answer is being built: wait for it rather than build it again
                await asyncio.shield(building)
                kept = cache.parts.get(key)
                if isinstance(kept, View) and cache.view_parts_fresh(kept, who):
                    return _kept_answer(cache, kept)
            done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            cache.building[key] = done
            recorder = ViewParts()
            token = VIEW_PARTS.set(recorder)
            try:
                response = await handler(request)
            finally:
                VIEW_PARTS.reset(token)
                if cache.building.get(key) is done:
                    del cache.building[key]
                done.set_result(None)
            if response.status_code == 200 and recorder.complete and "etag" not in response.headers:
                parts = tuple(sorted(recorder.parts))
                response.headers["etag"] = _view_etag(key, parts)
                headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _NOT_KEPT]
                cache.keep(key, View(response.headers["etag"], bytes(response.body), headers, parts))
            return response

        return cached_view


def _kept_answer(cache: PartCache, kept: View) -> Response:
    cache.trusted_hits += 1
    return Response(kept.body, headers={**dict(kept.headers), "etag": kept.etag})


#: Headers of a kept view that are made anew for each answer.
_NOT_KEPT = frozenset({"content-length", "etag"})


def _view_key(request: Request, who: str) -> Key:
    today = dt.datetime.now(dt.UTC).date().isoformat()
    query = "&".join(sorted(request.url.query.split("&"))) if request.url.query else ""
    language = request.headers.get("accept-language", "")
    return ("view", who, language, request.url.path, query, today)


def _view_etag(key: Key, parts: tuple[tuple[Key, str], ...]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for item in (*key, *(f"{'|'.join(k)}={etag}" for k, etag in parts)):
        digest.update(item.encode())
        digest.update(b"\0")
    return f'"v-{digest.hexdigest()}"'
