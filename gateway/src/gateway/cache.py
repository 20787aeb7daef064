"""The views' part cache: what a service answered a caller, kept per caller and revalidated before every use.

A view fetches its parts (a programme, its measures, the funding figures, ...) from the services. The cache keeps
each answer with its ETag under a key made of the caller's credentials (so a partner is never handed what a canton
was answered, nor one canton what another was), the service, the path and the query. Before a kept answer is
used, the service is asked with `If-None-Match`: a `304` means it is still what the service would answer now, and
the kept bytes are used without being sent again; anything else replaces them. A kept answer is therefore never
stale for its reader, whoever changed the data and through whichever door.

Memory is bounded by `GATEWAY_VIEW_CACHE_MAX_BYTES` (least recently used answers go first);
`GATEWAY_VIEW_CACHE=off` turns the cache off (every part is fetched in full, for comparison).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

from gateway.errors import UpstreamFailed
from gateway.upstream import CallContext, Upstream, downstream_problem

#: What an entry costs besides its bytes (key, ETag, bookkeeping), so many small answers count too.
ENTRY_OVERHEAD = 300

Key = tuple[str, str, str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True, slots=True)
class Part:
    etag: str
    content: bytes


def _size(part: Part) -> int:
    return len(part.content) + ENTRY_OVERHEAD


class PartCache:
    """A bounded LRU of service answers by (caller, service, path, query)."""

    def __init__(self, max_bytes: int) -> None:
        self.parts: LRUCache[Key, Part] = LRUCache(maxsize=max_bytes, getsizeof=_size)
        self.revalidated = 0
        self.fetched = 0

    @staticmethod
    def key(service: str, path: str, ctx: CallContext, params: dict[str, Any] | None) -> Key:
        caller = hashlib.blake2b(ctx.authorization.encode(), digest_size=16).hexdigest()
        return caller, service, path, tuple(sorted((k, str(v)) for k, v in (params or {}).items()))

    def keep(self, key: Key, part: Part) -> None:
        if _size(part) <= self.parts.maxsize:  # an answer larger than the whole cache is not kept
            self.parts[key] = part

    def clear(self) -> None:
        self.parts.clear()


async def get_part(
    upstream: Upstream, cache: PartCache | None, path: str, ctx: CallContext, params: dict[str, Any] | None
) -> bytes:
    """The body of a service's `GET`, from the cache when the service confirms it with a `304`."""
    if cache is None:
        return await upstream.get_content(path, ctx, params)
    key = cache.key(upstream.name, path, ctx, params)
    held = cache.parts.get(key)
    headers = {"If-None-Match": held.etag} if held is not None else None
    response = await upstream.send("GET", path, ctx, params=params, headers=headers)
    if response.status_code == 304:
        if held is None:
            raise UpstreamFailed(upstream.name, f"The {upstream.name} service answered {path} with 304 unasked.")
        cache.revalidated += 1
        return held.content
    if response.status_code >= 400:
        cache.parts.pop(key, None)
        raise downstream_problem(upstream.name, response)
    cache.fetched += 1
    etag = response.headers.get("etag")
    if etag and not etag.startswith("W/"):
        cache.keep(key, Part(etag, response.content))
    return response.content
