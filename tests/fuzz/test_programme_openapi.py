"""Property-based fuzzing of the programme service's OpenAPI document with schemathesis.

The schema is the service's own document; requests go over real HTTP to a real process. Each operation gets
generated requests with a token of a role that may call it; every answer must be no server error and conform to
the documented status codes, content types and schemas, and input the schema forbids must be refused.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fuzzing import EXAMPLES, FuzzLog, service_role
from hypothesis import HealthCheck, settings

from programme.main import create_app
from support.platform import Platform

schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_programme_api_answers_within_its_contract(
    case: schemathesis.Case[Any], platform: Platform, fuzz_log: FuzzLog
) -> None:
    headers = fuzz_log.headers(platform, *service_role("programme", case.method, case.path))
    fuzz_log.call("programme", case, platform, headers)


def test_programme_workflows_answer_within_the_contract(platform: Platform, fuzz_log: FuzzLog) -> None:
    fuzz_log.run_workflows("programme", schema, platform, lambda method, path: service_role("programme", method, path))


def test_programme_fuzzing_met_no_server_error(fuzz_log: FuzzLog) -> None:
    fuzz_log.assert_campaign("programme", schema)
