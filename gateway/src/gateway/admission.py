"""Admission: at most `GATEWAY_MAX_IN_FLIGHT` API requests are in progress in the gateway at once; the others
wait their turn at the door, in arrival order.

Without it, more load than the machine can serve slows every request in progress alike: the services' event
loops share their time among all of them, until calls run into their timeouts (504) and views lose parts
(`degraded`), with the work already done for them thrown away. Overload turned into errors. With it, a bounded
number of requests run at full speed and the rest wait before they start; that wait is taken from no service
call's and no view's budget, so overload becomes waiting, not failure. A request that cannot start within
`GATEWAY_ADMISSION_TIMEOUT` seconds is answered `503 overloaded` with `Retry-After`.

A slot is held for the work of answering, not for the client's reading: it is given back as soon as the answer is
in the server's hands whole (its last body part), or when handing one part of a streamed answer has waited
`GATEWAY_ADMISSION_SEND_HOLD` seconds for the client to read. A part that waits `GATEWAY_SEND_TIMEOUT` seconds
cuts the answer (`kit.serving.AnswerCut`: the connection is closed), so a client that stops reading holds neither a
slot nor, for longer than that, a service's connection.

Health, readiness, metrics and the documentation are never held back. `/metrics` shows the requests in progress
and waiting (`kip_gateway_in_flight_requests`, `kip_gateway_waiting_requests`) and those turned away
(`kip_gateway_overloaded_requests_total`).
"""

from __future__ import annotations

import asyncio

from prometheus_client import CollectorRegistry, Counter, Gauge
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.problems import problem_response
from kit.serving import AnswerCut

#: Requests under this prefix wait for admission; everything else (health, metrics, docs) goes straight in.
ADMITTED_PREFIX = "/api/"
#: The event feed's long polls wait for events, not for the machine: holding a slot while idle would starve others.
UNADMITTED_FEED = "/api/v1/events"


class AdmissionMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_in_flight: int,
        timeout: float,
        send_hold: float = 1.0,
        send_timeout: float = 30.0,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.app = app
        self.timeout = timeout
        self.send_hold = send_hold
        self.send_timeout = send_timeout
        self.max_in_flight = max_in_flight
        self.slots = asyncio.Semaphore(max_in_flight)
        self.waiting = 0
        self.in_flight = 0
        registry = registry or CollectorRegistry()
        in_flight = Gauge("kip_gateway_in_flight_requests", "API requests in progress.", registry=registry)
        in_flight.set_function(lambda: float(self.in_flight))
        waiting = Gauge("kip_gateway_waiting_requests", "API requests waiting to start.", registry=registry)
        waiting.set_function(lambda: float(self.waiting))
        self.overloaded = Counter(
            "kip_gateway_overloaded_requests",
            "API requests answered 503 because they could not start within the admission timeout.",
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not path.startswith(ADMITTED_PREFIX) or path == UNADMITTED_FEED:
            await self.app(scope, receive, send)
            return
        self.waiting += 1
        try:
            async with asyncio.timeout(self.timeout):
                await self.slots.acquire()
        except TimeoutError:
            self.overloaded.inc()
            response = problem_response(
                503,
                "overloaded",
                "The gateway is overloaded",
                f"More requests are in progress than the gateway serves at once ({self.max_in_flight}), and this "
                f"one could not start within {self.timeout:g} s. Try again later.",
                headers={"Retry-After": "5"},
            )
            await response(scope, receive, send)
            return
        finally:
            self.waiting -= 1
        self.in_flight += 1
        held = True
        loop = asyncio.get_running_loop()

        def release() -> None:
            nonlocal held
            if held:
                held = False
                self.in_flight -= 1
                self.slots.release()

        async def send_releasing(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
                return
            if not message.get("more_body", False):
                release()  # the answer is whole in the server's hands: what remains is the client's reading
                await send(message)
                return
            timer = loop.call_later(self.send_hold, release) if held else None
            try:
                async with asyncio.timeout(self.send_timeout):
                    await send(message)
            except TimeoutError as exc:
                raise AnswerCut(f"the client read nothing of the answer for {self.send_timeout:g} s") from exc
            finally:
                if timer is not None:
                    timer.cancel()

        try:
            await self.app(scope, receive, send_releasing)
        finally:
            release()
