"""Fan-out for composed views: parts fetched concurrently, each required or optional, all within one budget.

A required part's failure fails the view (its 4xx passes through, otherwise 502/504); an optional part's failure
leaves it out and names it in `degraded`. Whatever the services do, a view returns by its deadline: parts still
running then are cancelled — a required one makes the view a 504, an optional one is degraded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.errors import DownstreamProblemError, UpstreamFailed, UpstreamTimeout

logger = logging.getLogger("gateway.compose")

PartFactory = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class Part:
    fetch: PartFactory
    required: bool
    service: str


def required(service: str, fetch: PartFactory) -> Part:
    return Part(fetch, True, service)


def optional(service: str, fetch: PartFactory) -> Part:
    return Part(fetch, False, service)


def _drop_result(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.info("a late view part ended with %s", type(task.exception()).__name__)


@dataclass
class Fanout:
    """One view's budget, shared by its stages; collects what was degraded on the way."""

    view: str
    timeout: float
    all_required: bool = False
    degraded: list[str] = field(default_factory=list)
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = asyncio.get_running_loop().time() + self.timeout

    def remaining(self) -> float:
        return max(0.0, self._deadline - asyncio.get_running_loop().time())

    async def run(self, parts: dict[str, Part]) -> dict[str, Any]:
        """Fetch every part at once; returns the values of the parts that came back."""
        if not parts:
            return {}
        if self.remaining() <= 0.0:
            # A stage reached after the deadline (the previous one used the whole budget) starts no call: each would
            # run on in the background to its own call timeout, costing the services and the gateway for nothing.
            return self._settle(parts, {}, set(parts))
        tasks = {name: asyncio.ensure_future(part.fetch()) for name, part in parts.items()}
        required_tasks = {tasks[n] for n, p in parts.items() if p.required or self.all_required}
        pending = set(tasks.values())
        while pending:
            done, pending = await asyncio.wait(pending, timeout=self.remaining(), return_when=asyncio.FIRST_COMPLETED)
            if not done:
                break  # the view's deadline
            if any(t in required_tasks and t.exception() is not None for t in done):
                break  # a required part failed: the view fails now, without waiting for the rest
        for task in pending:
            # Not cancelled: a request cancelled half-way can leave its pooled connection unusable, and enough of
            # them starve the pool. A late part ends on its own call timeout; its result is dropped.
            task.add_done_callback(_drop_result)
        return self._settle(parts, tasks, {name for name, task in tasks.items() if task in pending})

    def _settle(
        self, parts: dict[str, Part], tasks: Mapping[str, asyncio.Future[Any]], late: set[str]
    ) -> dict[str, Any]:
        """The values of the parts that came back; the rest degraded, or the view's failure raised."""
        values: dict[str, Any] = {}
        failure: BaseException | None = None
        timed_out: BaseException | None = None
        for name, part in parts.items():
            must = part.required or self.all_required
            task = tasks.get(name)
            if name in late or task is None:
                error: BaseException = UpstreamTimeout(
                    part.service, f"The {self.view} view gave up waiting for the {part.service} service ({name})."
                )
            elif task.exception() is not None:
                error = task.exception()  # type: ignore[assignment]
            else:
                values[name] = task.result()
                continue
            if must and name in late:
                timed_out = timed_out or error
            elif must:
                failure = failure or error
            elif isinstance(error, UpstreamFailed | UpstreamTimeout | DownstreamProblemError):
                logger.info("%s view: part %s degraded: %s", self.view, name, error)
                self.degraded.append(name)
            else:
                failure = failure or error
        failure = failure or timed_out
        if failure is not None:
            raise failure
        return values
