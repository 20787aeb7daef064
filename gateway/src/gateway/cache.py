"""The views' part cache: what a service answered an audience, kept by audience, trusted briefly while the event
follower keeps it true, revalidated otherwise.

A view fetches its parts (a programme, its measures, the funding figures, ...) from the services. The cache keeps
each answer with its ETag under a key made of the caller's audience (role, canton, partner: a partner is never
handed what a canton was answered, nor one canton what another was), the caller's language, the service, the path
and the query.

When is a kept answer used without asking the service? Only while all of this holds:

- the event follower (`gateway.invalidation`) is healthy: connected to every feed (or to NATS) and caught up;
- the answer was confirmed less than `GATEWAY_VIEW_CACHE_TRUST_SECONDS` ago (the request that confirmed it was
  *sent* then, so an answer racing with a change is never trusted past the change's event);
- no event arrived since about what it shows: an event names a programme, and marks every part about that
  programme (its id in the path or in `programme_id`); an event naming no programme marks every part, and every
  event marks the parts about no single programme (lists, totals);
- no write of the same audience went through this gateway since (read-your-writes).

Otherwise the service is asked with `If-None-Match`: a `304` confirms the kept bytes (they are not sent again),
anything else replaces them. So a change shows at once after the writer's own write through the gateway, after
its event everywhere else, and after `GATEWAY_VIEW_CACHE_TRUST_SECONDS` at the latest whatever happens to events.

Memory is bounded by `GATEWAY_VIEW_CACHE_MAX_BYTES` (least recently used parts and views go first);
`GATEWAY_VIEW_CACHE=off` turns the cache off (every part is fetched in full, for comparison).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

from gateway.errors import UpstreamFailed
from gateway.upstream import VIEW_PARTS, CallContext, Upstream, downstream_problem
from kit.auth import Principal

#: What an entry costs besides its bytes (key, ETag, bookkeeping), so many small answers count too.
ENTRY_OVERHEAD = 300
#: Marks older than the trust bound change nothing (nothing that old is trusted); pruned past this many.
MARKS_KEPT = 4096
_PROGRAMME_IN_PATH = re.compile(r"/programmes/([0-9a-fA-F-]{36})(?:/|$)")

Key = tuple[str, ...]


def audience(principal: Principal) -> str:
    """Who may read the same answers: the role and its canton or partner (the services decide by nothing else)."""
    return f"{principal.role}|{principal.canton or ''}|{principal.partner_id or ''}"


def caller_audience(ctx: CallContext) -> str:
    """The audience of a call; a call made with no verified caller is its own audience (its token's hash)."""
    if ctx.audience is not None:
        return ctx.audience
    return "token|" + hashlib.blake2b(ctx.authorization.encode(), digest_size=16).hexdigest()


def programme_scope(path: str, params: dict[str, Any] | None) -> str | None:
    """The programme a part is about, when its path or query names one; `None` for a part about any."""
    match = _PROGRAMME_IN_PATH.search(path)
    if match is not None:
        return match.group(1).lower()
    named = (params or {}).get("programme_id")
    return str(named).lower() if named else None


@dataclass(slots=True)
class Part:
    etag: str
    content: bytes
    #: `time.monotonic()` when the request that last confirmed it was sent.
    checked_at: float = 0.0
    #: The programme it is about (`None`: about any).
    scope: str | None = None


@dataclass(slots=True)
class View:
    """A composed view's answer, with the parts (key and ETag) it was built from."""

    etag: str
    body: bytes
    headers: list[tuple[str, str]]
    parts: tuple[tuple[Key, str], ...]


Entry = Part | View


def _size(entry: Entry) -> int:
    if isinstance(entry, Part):
        return len(entry.content) + ENTRY_OVERHEAD
    return len(entry.body) + ENTRY_OVERHEAD * (1 + len(entry.parts))


class PartCache:
    """A bounded LRU of service answers by (audience, language, service, path, query), and of views built from
    them; with the marks that decide when a kept answer may be used without asking its service."""

    def __init__(self, max_bytes: int, trust_seconds: float = 0.0) -> None:
        self.parts: LRUCache[Key, Entry] = LRUCache(maxsize=max_bytes, getsizeof=_size)
        #: Views being built, by key: a request for the same view waits for the answer rather than build it again.
        self.building: dict[Key, asyncio.Future[None]] = {}
        self.trust_seconds = trust_seconds
        #: Whether the event follower is connected and caught up; nothing is trusted without one.
        self.follower_healthy: Callable[[], bool] = lambda: False
        #: Starts the follower on the cache's first use (a gateway whose views are never read follows nothing).
        self.starter: Callable[[], asyncio.Task[None] | None] | None = None
        self.follower: asyncio.Task[None] | None = None
        self.reset_at = 0.0  # everything confirmed before is untrusted (follower (re)connected, lost events)
        self.event_at = 0.0  # the last event of any kind
        self.unscoped_at = 0.0  # the last event naming no programme
        self.programme_at: dict[str, float] = {}
        self.written_at: dict[str, float] = {}  # audience -> its last write through this gateway
        self.revalidated = 0
        self.fetched = 0
        self.trusted_hits = 0
        self.events = 0

    @staticmethod
    def key(service: str, path: str, ctx: CallContext, params: dict[str, Any] | None) -> Key:
        query = "&".join(f"{k}={v}" for k, v in sorted((k, str(v)) for k, v in (params or {}).items()))
        return ("part", caller_audience(ctx), ctx.accept_language or "", service, path, query)

    def start_following(self) -> None:
        if self.starter is not None:
            starter, self.starter = self.starter, None
            self.follower = starter()

    def keep(self, key: Key, entry: Entry) -> None:
        if _size(entry) <= self.parts.maxsize:  # an answer larger than the whole cache is not kept
            self.parts[key] = entry

    def clear(self) -> None:
        self.parts.clear()

    # --- marks ---------------------------------------------------------------------------------------------

    def note_event(self, programme_id: str | None) -> None:
        """An event arrived: what it may have changed is asked again before its next use."""
        now = time.monotonic()
        self.events += 1
        self.event_at = now
        if programme_id:
            self.programme_at[programme_id.lower()] = now
            self._prune(self.programme_at, now)
        else:
            self.unscoped_at = now

    def note_write(self, who: str) -> None:
        """A write of this audience went through the gateway: its parts are asked again (read-your-writes)."""
        now = time.monotonic()
        self.written_at[who] = now
        self._prune(self.written_at, now)

    def reset(self) -> None:
        """Events may have been missed: nothing kept so far is used without asking its service."""
        self.reset_at = time.monotonic()

    def _prune(self, marks: dict[str, float], now: float) -> None:
        if len(marks) > MARKS_KEPT:
            old = [k for k, at in marks.items() if at < now - self.trust_seconds]
            for k in old:
                del marks[k]
            if len(marks) > MARKS_KEPT:  # more marks within the trust bound than kept: trust nothing older
                marks.clear()
                self.reset_at = now

    def trusted(self, part: Part, who: str, now: float) -> bool:
        """Whether a kept part may be used without asking its service (see the module's rules)."""
        checked = part.checked_at
        if now - checked >= self.trust_seconds or not self.follower_healthy():
            return False
        if checked <= self.reset_at or checked <= self.written_at.get(who, 0.0):
            return False
        if part.scope is None:
            return checked > self.event_at
        return checked > self.unscoped_at and checked > self.programme_at.get(part.scope, 0.0)

    def view_parts_fresh(self, view: View, who: str) -> bool:
        """Whether every part a kept view was built from is still kept, unchanged and trusted."""
        now = time.monotonic()
        for key, etag in view.parts:
            part = self.parts.get(key)
            if not isinstance(part, Part) or part.etag != etag or not self.trusted(part, who, now):
                return False
        return True


async def get_part(
    upstream: Upstream, cache: PartCache | None, path: str, ctx: CallContext, params: dict[str, Any] | None
) -> bytes:
    """The body of a service's `GET`: from the cache while it is trusted, else confirmed by the service (`304`) or
    fetched anew. Every part read is recorded for the view being built (its ETag is made from them)."""
    recorder = VIEW_PARTS.get()
    if cache is None:
        if recorder is not None:
            recorder.untracked = True  # no part ETags: the view's own ETag comes from its bytes
        return await upstream.get_content(path, ctx, params, part=True)
    cache.start_following()
    key = cache.key(upstream.name, path, ctx, params)
    if recorder is not None:
        recorder.started += 1
    try:
        content, etag = await _read(upstream, cache, key, path, ctx, params)
    except BaseException:
        if recorder is not None:
            recorder.failed = True
        raise
    if recorder is not None:
        if etag is None:
            recorder.untracked = True
        else:
            recorder.parts.append((key, etag))
        recorder.finished += 1
    return content


async def _read(
    upstream: Upstream, cache: PartCache, key: Key, path: str, ctx: CallContext, params: dict[str, Any] | None
) -> tuple[bytes, str | None]:
    """A part's bytes and strong ETag (`None`: the service gave none, and the answer is not kept)."""
    held = cache.parts.get(key)
    if not isinstance(held, Part):
        held = None
    sent = time.monotonic()
    if held is not None and cache.trusted(held, key[1], sent):
        cache.trusted_hits += 1
        return held.content, held.etag
    headers = {"If-None-Match": held.etag} if held is not None else None
    response = await upstream.send("GET", path, ctx, params=params, headers=headers, part=True)
    if response.status_code == 304:
        if held is None:
            raise UpstreamFailed(upstream.name, f"The {upstream.name} service answered {path} with 304 unasked.")
        cache.revalidated += 1
        held.checked_at = sent
        return held.content, held.etag
    if response.status_code >= 400:
        cache.parts.pop(key, None)
        raise downstream_problem(upstream.name, response)
    cache.fetched += 1
    etag = response.headers.get("etag")
    if not etag or etag.startswith("W/"):
        return response.content, None
    cache.keep(key, Part(etag, response.content, sent, programme_scope(path, params)))
    return response.content, etag
