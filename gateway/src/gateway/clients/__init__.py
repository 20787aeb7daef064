"""Typed tolerant-reader clients, one per service, over the gateway's long-lived upstream clients."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.cache import PartCache
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
    def from_upstreams(cls, upstreams: dict[str, Upstream], cache: PartCache | None = None) -> Clients:
        return cls(
            programme=ProgrammeClient(upstreams["programme"], cache),
            funding=FundingClient(upstreams["funding"], cache),
            evaluation=EvaluationClient(upstreams["evaluation"], cache),
        )
