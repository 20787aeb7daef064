"""Conditional `GET` (RFC 9110 §13.1.2): every answer has a strong ETag, and `If-None-Match` gives a `304`.

A route that sets its own `ETag` (a resource's version, a view's parts) keeps it; any other successful `GET` gets
a strong ETag made from the bytes of its body, so the same answer always has the same tag and any change to what
it shows changes the tag. When `If-None-Match` names the current tag (weak comparison, a list, or `*`), the answer
is a `304` with the ETag and no body: the transfer is saved, and a cache in front (the gateway's) can revalidate
what it holds. A streamed answer (more than one body message) passes through untouched.
"""

from __future__ import annotations

import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: One entity tag of a header value: an optional weak prefix and a quoted opaque tag (RFC 9110 §8.8.3).
_ENTITY_TAG = re.compile(r'\s*(W/)?("[^"]*")\s*(?:,|$)')
#: The headers a `304` keeps (RFC 9110 §15.4.5 and the ones that are not about the body).
_DROPPED_ON_304 = frozenset({b"content-length", b"content-type", b"content-encoding", b"content-language"})


def body_etag(body: bytes) -> str:
    """The strong ETag of an answer's bytes."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def opaque_tags(header: str) -> list[str] | None:
    """The opaque tags of an `If-None-Match` value, weak prefixes dropped; `None` for `*`, `[]` when unreadable."""
    if header.strip() == "*":
        return None
    tags: list[str] = []
    position = 0
    text = header.strip()
    while position < len(text):
        match = _ENTITY_TAG.match(text, position)
        if match is None:
            return []
        tags.append(match.group(2))
        position = match.end()
    return tags


def none_match(if_none_match: str | None, etag: str) -> bool:
    """Whether `If-None-Match` names `etag` (weak comparison, as §13.1.2 prescribes); `*` names any."""
    if if_none_match is None:
        return False
    tags = opaque_tags(if_none_match)
    current = etag[2:] if etag.startswith("W/") else etag
    return tags is None or current in tags


class ConditionalGetMiddleware:
    """Pure ASGI: gives a successful `GET` its ETag and answers `If-None-Match` with `304 Not Modified`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if_none_match = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"if-none-match"), None)
        start: Message | None = None
        streaming = False

        async def conditional_send(message: Message) -> None:
            nonlocal start, streaming
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    streaming = True  # nothing to do for other statuses: pass everything on
                    await send(message)
                else:
                    start = message
                return
            if message["type"] != "http.response.body" or streaming or start is None:
                await send(message)
                return
            if message.get("more_body", False):
                streaming = True
                await send(start)
                await send(message)
                return
            await self._finish(start, message.get("body", b""), if_none_match, send)

        await self.app(scope, receive, conditional_send)

    @staticmethod
    async def _finish(start: Message, body: bytes, if_none_match: str | None, send: Send) -> None:
        headers = list(start.get("headers", []))
        etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
        if etag is None:
            etag = body_etag(body)
            headers.append((b"etag", etag.encode("latin-1")))
        if none_match(if_none_match, etag):
            kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
