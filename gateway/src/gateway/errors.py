"""How a service's failure reaches the gateway's caller.

A service's own 4xx problem passes through unchanged (it already says what the caller did wrong); a service
that does not answer in time is a 504, one that cannot be reached or fails is a 502, both naming the service.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

from kit.problems import PROBLEM_MEDIA_TYPE, Problem

#: Response headers of a downstream problem that mean something to the caller.
PASSED_PROBLEM_HEADERS = ("www-authenticate", "retry-after", "etag")


class UpstreamTimeout(Problem):
    type_slug = "upstream-timeout"
    title = "A service did not answer in time"
    status = 504

    def __init__(self, service: str, detail: str) -> None:
        super().__init__(detail, service=service)
        self.service = service


class UpstreamFailed(Problem):
    type_slug = "upstream-failed"
    title = "A service could not be reached or failed"
    status = 502

    def __init__(self, service: str, detail: str) -> None:
        super().__init__(detail, service=service)
        self.service = service


class DownstreamProblemError(Exception):
    """A service's 4xx answer, carried to the caller byte for byte."""

    def __init__(
        self, service: str, status: int, content: bytes, media_type: str | None, headers: dict[str, str]
    ) -> None:
        super().__init__(f"{service} answered {status}")
        self.service = service
        self.status = status
        self.content = content
        self.media_type = media_type or PROBLEM_MEDIA_TYPE
        self.headers = headers


async def _handle_downstream(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DownstreamProblemError)
    return Response(exc.content, status_code=exc.status, media_type=exc.media_type, headers=exc.headers)


def install_gateway_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DownstreamProblemError, _handle_downstream)


UpstreamError = UpstreamTimeout | UpstreamFailed | DownstreamProblemError
