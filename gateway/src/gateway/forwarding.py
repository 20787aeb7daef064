"""`/api/<service>/…`: every service's API through the one door, with the caller's token passed on.

The gateway verifies the token before forwarding (the service verifies it again). Only the paths the service's
OpenAPI document declares under `/v1` are forwarded (`gateway.paths`). Request ids and trace context travel along,
forwarding headers are the gateway's own; a service's answer comes back as it is, streamed and bounded, 4xx problems
included; a timeout is a 504 and an unreachable or failing service a 502 problem naming the service.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from gateway.caller import call_context
from gateway.docs.router import ServiceDocs
from gateway.links import external_links
from gateway.paths import API_PREFIX, declared_templates, forwarded_path, service_path
from gateway.upstream import Upstream
from kit.auth import get_verifier
from kit.i18n import Msg
from kit.problems import NotFound, Unauthorized

router = APIRouter()

#: Headers that belong to one connection (RFC 9110 §7.6.1) and never travel past a proxy.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
#: Request headers the gateway does not pass on: its own connection's, and those `CallContext` sets.
NOT_FORWARDED = HOP_BY_HOP | {
    "host",
    "content-length",
    "accept-encoding",
    "cookie",
    "authorization",
    "x-request-id",
    "traceparent",
    "tracestate",
}
#: Response headers the gateway sets itself (length and encoding of the body it sends, its own request id).
NOT_RETURNED = HOP_BY_HOP | {"content-length", "content-encoding", "date", "server", "x-request-id"}
#: Request headers about the connection the gateway sets itself: a client's own are never passed on.
FORWARDING_HEADERS = frozenset({"forwarded", "x-real-ip", "x-client-ip"})
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


def _verify(request: Request) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(Msg("Send `Authorization: Bearer <token>`; get one with `kip token`."))
    request.state.principal = get_verifier(request).verify(token.strip())


async def _templates(request: Request, service: str) -> tuple[str, ...]:
    """The `/v1` path templates of the service's OpenAPI document, read when first needed."""
    docs: ServiceDocs = request.app.state.service_docs
    return declared_templates(await docs.require(service))


def _dropped(name: str) -> bool:
    return name in NOT_FORWARDED or name in FORWARDING_HEADERS or name.startswith("x-forwarded-")


def _passed_headers(request: Request) -> dict[str, str]:
    """Every end-to-end header goes along (If-Match, Idempotency-Key, Accept, Prefer, ...): the service decides.
    Forwarding headers are the gateway's own: who connected to it, over which scheme, to which host."""
    headers = {k: v for k, v in request.headers.items() if not _dropped(k.lower())}
    headers["X-Forwarded-For"] = request.client.host if request.client else "unknown"
    headers["X-Forwarded-Proto"] = request.url.scheme
    if "host" in request.headers:
        headers["X-Forwarded-Host"] = request.headers["host"]
    return headers


#: Platform-wide paths that one service owns, forwarded as they are: `/api/v1/webhooks/…` is the webhooks
#: service's `/v1/webhooks/…` (also reachable as `/api/webhooks/v1/webhooks/…`).
OWNED_PATHS = {"webhooks": "webhooks"}


@router.api_route("/api/v1/{owned}", methods=METHODS, include_in_schema=False)
@router.api_route("/api/v1/{owned}/{path:path}", methods=METHODS, include_in_schema=False)
async def forward_owned(owned: str, request: Request, path: str = "") -> Response:
    service = OWNED_PATHS.get(owned)
    if service is None:
        raise NotFound(f"There is no API at /api/v1/{owned}.")
    decoded = API_PREFIX + service_path(request.scope.get("raw_path") or request.url.path.encode())
    return await _forward(service, decoded, request, public_prefix="/api")


@router.api_route("/api/{service}/{path:path}", methods=METHODS, include_in_schema=False)
async def forward(service: str, path: str, request: Request) -> Response:
    decoded = service_path(request.scope.get("raw_path") or request.url.path.encode())
    return await _forward(service, decoded, request)


async def _forward(service: str, decoded: str, request: Request, public_prefix: str | None = None) -> Response:
    upstreams: dict[str, Upstream] = request.app.state.upstreams
    upstream = upstreams.get(service)
    if upstream is None:
        raise NotFound(
            Msg(
                "There is no service named {service}; the services are {services}.",
                service=repr(service),
                services=", ".join(sorted(upstreams)),
            )
        )
    _verify(request)
    ctx = call_context(request)
    target = forwarded_path(service, decoded, await _templates(request, service))
    query = request.scope.get("query_string", b"").decode("latin-1")
    body = await request.body()
    headers = _passed_headers(request)
    target_query = target + (f"?{query}" if query else "")
    response = await upstream.open(request.method, target_query, ctx, content=body or None, headers=headers)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > upstream.max_bytes:
        await response.aclose()
        raise upstream.too_large(request.method, target)
    returned = {k: v for k, v in response.headers.items() if k.lower() not in NOT_RETURNED}
    location = returned.get("location")
    if location and location.startswith("/"):
        returned["location"] = f"{public_prefix or f'/api/{service}'}{location}"
    if "link" in returned:
        returned["link"] = external_links(service, returned["link"])
    # Streamed: the answer is passed on as it comes, bounded in size and time (past a bound the connection is cut).
    return StreamingResponse(
        upstream.stream(response, request.method, target), status_code=response.status_code, headers=returned
    )
