"""A problem's `instance` is the URL the caller called (RFC 9457 §3.1.5), not a service's internal path.

A service behind the gateway names its own path (`/v1/measures/…`) and a view's failing part names the service
call; the caller knows neither. This pure ASGI middleware rewrites `instance` in every `application/problem+json`
answer of the gateway to the path the caller used (`/api/programme/v1/measures/…`, `/api/v1/views/…`).
Problem bodies are small; every other answer passes through untouched and unbuffered.
"""

from __future__ import annotations

import json

from starlette.datastructures import URL, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.problems import PROBLEM_MEDIA_TYPE


class ProblemInstanceMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = MutableHeaders(raw=message["headers"]).get("content-type", "")
                if content_type.startswith(PROBLEM_MEDIA_TYPE):
                    start = message
                    return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            if body:  # empty for a `HEAD`
                body = _with_instance(body, URL(scope=scope).path)
                MutableHeaders(raw=start["headers"])["content-length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, rewrite)


def _with_instance(body: bytes, path: str) -> bytes:
    try:
        problem = json.loads(body)
    except ValueError:
        return body
    if not isinstance(problem, dict):
        return body
    problem["instance"] = path
    return json.dumps(problem, ensure_ascii=False, separators=(",", ":")).encode()
