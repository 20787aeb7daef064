"""`/api/<service>/…`: every service's API through the one door, with the caller's token passed on.

The gateway verifies the token before forwarding (the service verifies it again). Request ids and trace context
travel along; a service's answer comes back as it is, 4xx problems included; a timeout is a 504 and an unreachable
or failing service a 502 problem naming the service. `/metrics` is the operators' business and not forwarded.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gateway.caller import call_context
from gateway.links import external_links
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
#: Paths a service answers without a token.
PUBLIC_PATHS = frozenset({"healthz", "readyz"})
#: Paths that stay inside the cluster.
HIDDEN_FIRST_SEGMENTS = frozenset({"metrics"})
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


def _check_path(service: str, path: str) -> None:
    segments = path.split("/")
    if any(s in (".", "..") for s in segments) or (segments and segments[0] in HIDDEN_FIRST_SEGMENTS):
        raise NotFound(f"No such path on the {service} service.")


def _verify(request: Request) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(Msg("Send `Authorization: Bearer <token>`; get one with `kip token`."))
    request.state.principal = get_verifier(request).verify(token.strip())


@router.api_route("/api/{service}/{path:path}", methods=METHODS, include_in_schema=False)
async def forward(service: str, path: str, request: Request) -> Response:
    upstreams: dict[str, Upstream] = request.app.state.upstreams
    upstream = upstreams.get(service)
    if upstream is None:
        raise NotFound(f"There is no service named {service!r}; the services are {', '.join(sorted(upstreams))}.")
    _check_path(service, path)
    if path not in PUBLIC_PATHS:
        _verify(request)
    ctx = call_context(request)
    target = "/" + path + (f"?{request.url.query}" if request.url.query else "")
    # Every end-to-end header goes along (If-Match, Idempotency-Key, Accept, Prefer, ...): the service decides.
    headers = {k: v for k, v in request.headers.items() if k.lower() not in NOT_FORWARDED}
    body = await request.body()
    response = await upstream.send(
        request.method, target, ctx if ctx.authorization else None, content=body or None, headers=headers
    )
    returned = {k: v for k, v in response.headers.items() if k.lower() not in NOT_RETURNED}
    location = returned.get("location")
    if location and location.startswith("/"):
        returned["location"] = f"/api/{service}{location}"
    if "link" in returned:
        returned["link"] = external_links(service, returned["link"])
    return Response(response.content, status_code=response.status_code, headers=returned)
