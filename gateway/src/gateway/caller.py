"""The verified caller of a gateway request and what travels with it to the services.

The gateway checks the token itself (kit.auth) before it forwards or composes anything; the services check it
again, since nothing trusts a network position.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated

from asgi_correlation_id import correlation_id
from fastapi import Depends, Request

from gateway.cache import audience
from gateway.upstream import CallContext
from kit.auth import Principal, PrincipalDep, Role
from kit.i18n import Msg
from kit.problems import Forbidden


@dataclass(frozen=True)
class Caller:
    principal: Principal
    ctx: CallContext

    def require(self, *roles: Role) -> None:
        """Refuse a view to roles it is not made for, before anything is fetched (so nothing is revealed)."""
        if self.principal.role not in roles:
            raise Forbidden(Msg("This view is not for the role {role}.", role=self.principal.role))


def call_context(request: Request) -> CallContext:
    return CallContext(
        authorization=request.headers.get("authorization", ""),
        request_id=correlation_id.get() or request.headers.get("x-request-id"),
        traceparent=request.headers.get("traceparent"),
        tracestate=request.headers.get("tracestate"),
        accept_language=request.headers.get("accept-language"),
    )


async def current_caller(request: Request, principal: PrincipalDep) -> Caller:
    return Caller(principal=principal, ctx=replace(call_context(request), audience=audience(principal)))


CallerDep = Annotated[Caller, Depends(current_caller)]
