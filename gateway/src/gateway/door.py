"""The door: an API request's body is in the gateway, whole and within its bounds, before the request waits for
admission or costs a service anything.

A client that sends its headers and then dawdles over the body holds no admission slot, no service call and at
most the route's body limit of memory, and only until `KIP_BODY_READ_TIMEOUT` (then `408 body-timeout`). Who may
be receiving a body at once is bounded too: a request with a body needs a valid token first (`401` before a byte
of it is read), one caller (token subject) receives at most `GATEWAY_MAX_UPLOADS_PER_CALLER` bodies at once
(`429 too-many-uploads`), and the gateway at most `GATEWAY_MAX_UPLOADS` (`503 overloaded`). Requests without a
body (reads) pass straight through to admission. A path with a control character is a `400 invalid-path` here.

An answer that fails after it has begun (a forwarded stream past its size or time bound, a service that broke off,
a client that stopped reading or went away) cannot become a problem any more: the door logs one line saying why and
cuts the connection (`kit.serving.cut_answer`), so the client does not take a truncated answer for a whole one and
the log holds no traceback for what is an expected event. Anything else after the start is still a crash.
"""

from __future__ import annotations

import logging
from collections import Counter

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.admission import ADMITTED_PREFIX
from gateway.paths import InvalidPath, has_control_character
from kit.auth import TokenVerifier
from kit.i18n import Msg
from kit.limits import LimitSettings, Refusal, declared_refusal, expects_body, read_body, replay
from kit.problems import Problem, Unauthorized, problem_response
from kit.serving import AnswerCut, cut_answer

logger = logging.getLogger("gateway.door")
#: What may end a begun answer without being a crash.
EXPECTED_CUTS = (Problem, AnswerCut, ClientDisconnect, OSError)


def expected_cut(exc: BaseException) -> BaseException | None:
    """The expected reason in `exc`'s chain (frameworks re-raise a handled problem as a `RuntimeError` once the
    answer has started), or None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, EXPECTED_CUTS):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


class DoorMiddleware:
    def __init__(
        self, app: ASGIApp, *, limits: LimitSettings, per_caller: int, at_once: int, retry_after: int = 1
    ) -> None:
        self.app = app
        self.limits = limits
        self.per_caller = per_caller
        self.at_once = at_once
        self.retry_after = retry_after
        self.receiving: Counter[str] = Counter()
        self.total = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not path.startswith(ADMITTED_PREFIX):
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._enter(scope, receive, watched, path)
        except Exception as exc:
            reason = expected_cut(exc) if started else None
            if reason is None:
                raise
            detail = getattr(reason, "detail", None) or str(reason) or type(reason).__name__
            logger.warning("cut the begun answer to %s %s: %s", scope.get("method"), path, detail)
            cut_answer(scope)

    async def _enter(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        if has_control_character(path):
            # Before routing, which would not match such a path at all and answer with a redirect.
            exc = InvalidPath("The path contains a control character (such as NUL or a line break).")
            await problem_response(exc.status, exc.type_slug, exc.title, exc.detail)(scope, receive, send)
            return
        if not expects_body(scope):
            await self.app(scope, receive, send)
            return
        limit = self.limits.limit_for(path)
        refusal = declared_refusal(scope, limit)
        if refusal is not None:
            await refusal.send(scope, receive, send)
            return
        try:
            subject = self._subject(scope)
        except Problem as exc:
            headers = {"WWW-Authenticate": "Bearer", "Connection": "close"}
            await problem_response(exc.status, exc.type_slug, exc.title, exc.detail, headers=headers)(
                scope, receive, send
            )
            return
        refusal = self._crowded(subject)
        if refusal is not None:
            await problem_response(
                refusal.status,
                refusal.type_slug,
                refusal.title,
                refusal.detail,
                headers={"Retry-After": str(self.retry_after), "Connection": "close"},
            )(scope, receive, send)
            return
        self.receiving[subject] += 1
        self.total += 1
        try:
            body = await read_body(receive, limit, self.limits.body_read_timeout)
        finally:
            self.total -= 1
            self.receiving[subject] -= 1
            if not self.receiving[subject]:
                del self.receiving[subject]
        if isinstance(body, Refusal):
            await body.send(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)

    def _subject(self, scope: Scope) -> str:
        """The verified caller's subject; a missing or invalid token is refused (`Unauthorized`) here."""
        token = ""
        for key, value in scope.get("headers", ()):
            if key.lower() == b"authorization":
                scheme, _, token = bytes(value).decode("latin-1").partition(" ")
                token = token.strip() if scheme.lower() == "bearer" else ""
        verifier: TokenVerifier = scope["app"].state.token_verifier
        if not token:
            raise Unauthorized(Msg("Send `Authorization: Bearer <token>`; get one with `kip token`."))
        return verifier.verify(token).subject

    def _crowded(self, subject: str) -> Refusal | None:
        if self.receiving[subject] >= self.per_caller:
            return Refusal(
                429,
                "too-many-uploads",
                "Too many request bodies at once",
                f"This caller is already sending {self.per_caller} request bodies; wait until one is answered.",
            )
        if self.total >= self.at_once:
            return Refusal(
                503,
                "overloaded",
                "The gateway is overloaded",
                f"The gateway is receiving {self.at_once} request bodies at once. Try again later.",
            )
        return None
