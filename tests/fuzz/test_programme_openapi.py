"""Property-based fuzzing of the programme service's OpenAPI document with schemathesis.

The schema is the service's own document; requests go over real HTTP to a real process. Each operation gets
generated requests with a token of a role that may call it; every answer must be no server error and conform to
the documented status codes, content types and schemas, and input the schema forbids must be refused.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fuzzing import EXAMPLES, FuzzLog
from hypothesis import HealthCheck, settings

from programme.main import create_app
from support.platform import Platform

SEM_ONLY = {("POST", "/v1/periods"), ("POST", "/v1/funding-areas")}

schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_programme_api_answers_within_its_contract(
    case: schemathesis.Case[Any], platform: Platform, fuzz_log: FuzzLog
) -> None:
    sem = (case.method.upper(), case.path) in SEM_ONLY
    headers = fuzz_log.headers(platform, "sem") if sem else fuzz_log.headers(platform, "canton-editor", "BL")
    fuzz_log.call("programme", case, platform, headers)


def test_programme_fuzzing_met_no_server_error(fuzz_log: FuzzLog) -> None:
    fuzz_log.assert_campaign("programme", schema, min_requests=0)
