"""The fan-out rules without any service: required parts fail the view, optional ones degrade, and the budget
holds whatever the parts do."""

from __future__ import annotations

import asyncio
import time

import pytest

from gateway.compose import Fanout, PartFactory, optional, required
from gateway.errors import UpstreamFailed, UpstreamTimeout


async def _value(v: int, delay: float = 0.0) -> int:
    await asyncio.sleep(delay)
    return v


async def _fail() -> int:
    raise UpstreamFailed("funding", "down")


async def test_parts_run_concurrently_and_an_optional_failure_is_named_in_degraded() -> None:
    fanout = Fanout("test", 2.0)
    started = time.monotonic()
    values = await fanout.run(
        {
            "a": required("programme", lambda: _value(1, 0.2)),
            "b": optional("evaluation", lambda: _value(2, 0.2)),
            "c": optional("funding", _fail),
        }
    )
    assert time.monotonic() - started < 0.35
    assert values == {"a": 1, "b": 2}
    assert fanout.degraded == ["c"]


async def test_a_required_failure_fails_the_view() -> None:
    with pytest.raises(UpstreamFailed):
        await Fanout("test", 1.0).run({"a": required("funding", _fail), "b": optional("x", lambda: _value(1))})


async def test_the_budget_holds_and_a_late_required_part_is_a_timeout_naming_its_service() -> None:
    fanout = Fanout("test", 0.2)
    values = await fanout.run({"slow": optional("evaluation", lambda: _value(1, 5)), "fast": required("p", _value2)})
    assert values == {"fast": 2} and fanout.degraded == ["slow"]
    with pytest.raises(UpstreamTimeout) as caught:
        await Fanout("test", 0.2).run({"slow": required("evaluation", lambda: _value(1, 5))})
    assert caught.value.service == "evaluation"


async def test_for_a_submission_every_part_is_required() -> None:
    with pytest.raises(UpstreamFailed):
        await Fanout("test", 1.0, all_required=True).run({"c": optional("funding", _fail)})


async def _value2() -> int:
    return 2


async def test_a_stage_reached_after_the_deadline_starts_no_call() -> None:
    """The first stage uses the whole budget; the second starts none of its parts and names them degraded (or, for
    a required part, fails the view with a timeout)."""
    started: list[str] = []

    def fetch(name: str) -> PartFactory:
        async def run() -> int:
            started.append(name)
            return 1

        return run

    fanout = Fanout("test", 0.1)
    assert await fanout.run({"slow": optional("evaluation", lambda: _value(1, 5))}) == {}
    assert await fanout.run({"late:1": optional("evaluation", fetch("a")), "late:2": optional("x", fetch("b"))}) == {}
    assert started == []
    assert fanout.degraded == ["slow", "late:1", "late:2"]
    with pytest.raises(UpstreamTimeout) as caught:
        await fanout.run({"needed": required("programme", fetch("c"))})
    assert caught.value.service == "programme" and started == []
