"""Property-based fuzzing of the funding service's OpenAPI document with schemathesis.

The schema is the service's own document; requests go over real HTTP to a real process, which checks the ids it
is given against a real programme process (and reads goal achievement from a real evaluation process). Each
operation gets generated requests with a token of a role that may call it (recording a federal payment, deciding a
settlement and recording its repayment are SEM's; a Basel-Landschaft editor otherwise); every answer must be no
server error and conform to the documented status codes, content types and schemas, and input the schema forbids
must be refused.
The last test asserts the number of requests actually sent and that none met a server error.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fuzzing import EXAMPLES, FuzzLog, service_role
from hypothesis import HealthCheck, settings

from funding.main import create_app
from support.platform import Platform

schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_funding_api_answers_within_its_contract(
    case: schemathesis.Case[Any], platform: Platform, fuzz_log: FuzzLog
) -> None:
    headers = fuzz_log.headers(platform, *service_role("funding", case.method, case.path))
    fuzz_log.call("funding", case, platform, headers)


def test_funding_workflows_answer_within_the_contract(platform: Platform, fuzz_log: FuzzLog) -> None:
    fuzz_log.run_workflows("funding", schema, platform, lambda method, path: service_role("funding", method, path))


def test_funding_fuzzing_sent_enough_requests_and_met_no_server_error(fuzz_log: FuzzLog) -> None:
    fuzz_log.assert_campaign("funding", schema)
