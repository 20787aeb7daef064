"""What every fuzzing module shares: the example count, the checks, and a counter of the requests really sent."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from support.platform import Platform

#: Generated examples per operation and phase; `make fuzz` raises it for a longer campaign.
EXAMPLES = int(os.environ.get("KIP_FUZZ_EXAMPLES", "15"))
#: The fewest generated requests each service must receive in one run.
MIN_REQUESTS = int(os.environ.get("KIP_FUZZ_MIN_REQUESTS", "1000"))
#: What every generated request must satisfy.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def withholds_token(case: schemathesis.Case) -> bool:
    """A negative case whose mutation removed or mangled the `Authorization` header: it goes out as generated,
    without the valid token (which would undo the mutation)."""
    data = case.meta.phase.data if case.meta is not None else None
    if getattr(data, "parameter", None) == "Authorization":
        return True
    mutations = getattr(data, "mutations", None) or ()
    return any(
        getattr(m.parameter_location, "value", None) == "header"
        and (m.parameter == "Authorization" or "Authorization" in str(m.original_value))
        for m in mutations
    )


@dataclass
class FuzzLog:
    """Requests sent, server errors met and operations reached, per service."""

    requests: Counter[str] = field(default_factory=Counter)
    server_errors: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    operations: dict[str, set[str]] = field(default_factory=dict)
    _headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, platform: Platform, role: str, canton: str | None = None) -> dict[str, str]:
        """A token per role, signed once (loading the RSA key costs more than a request)."""
        key = f"{role}/{canton}"
        if key not in self._headers:
            self._headers[key] = platform.headers(role, canton=canton) if canton else platform.headers(role)
        return self._headers[key]

    def call(self, service: str, case: schemathesis.Case, platform: Platform, headers: dict[str, str]) -> None:
        """Send one generated request to the real process and validate the answer against the document."""
        self.operations.setdefault(service, set()).add(f"{case.method.upper()} {case.path}")
        self.requests[service] += 1
        if case.path == "/v1/events" and case.query:
            case.query.pop("wait", None)  # a long poll waits on purpose (tests/events covers it)
        if withholds_token(case):
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        response = case.call(base_url=platform.url(service), headers=headers)
        self.statuses.setdefault(service, Counter())[response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors[service] += 1
        case.validate_response(response, checks=CHECKS)

    def assert_campaign(self, service: str, schema: schemathesis.BaseSchema, min_requests: int = MIN_REQUESTS) -> None:
        """After every operation of `service` was fuzzed: enough requests, and not one server error."""
        expected = {f"{op.method.upper()} {op.path}" for op in (r.ok() for r in schema.get_all_operations())}
        reached = self.operations.get(service, set())
        if not expected <= reached:
            pytest.skip(f"only {len(reached)} of {len(expected)} {service} operations were fuzzed in this run")
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.get(service, Counter()).items()))
        print(f"\n{service}: {self.requests[service]} generated requests, {self.server_errors[service]} server errors")
        print(f"{service} statuses: {statuses}")
        assert self.server_errors[service] == 0
        assert self.requests[service] >= min_requests, (
            f"{service} received {self.requests[service]} generated requests; at least {min_requests} are required"
        )
