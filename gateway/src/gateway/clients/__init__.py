"""Typed tolerant-reader clients, one per service, over the gateway's long-lived upstream clients."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.clients.evaluation import EvaluationClient
from gateway.clients.funding import FundingClient
from gateway.clients.programme import ProgrammeClient
from gateway.upstream import Upstream


@dataclass(frozen=True)
class Clients:
    programme: ProgrammeClient
    funding: FundingClient
    evaluation: EvaluationClient

    @classmethod
    def from_upstreams(cls, upstreams: dict[str, Upstream]) -> Clients:
        return cls(
            programme=ProgrammeClient(upstreams["programme"]),
            funding=FundingClient(upstreams["funding"]),
            evaluation=EvaluationClient(upstreams["evaluation"]),
        )
