"""Property-based fuzzing of the evaluation service's OpenAPI document with schemathesis.

The schema is the service's own document; requests go over real HTTP to a real process, which checks the ids it
is given against a real programme process. Each operation gets generated requests with a token of a role that may
call it (SEM for the report due dates and decisions; a Basel-Landschaft editor otherwise); every answer must be no
server error and conform to the documented status codes, content types and schemas, and input the schema forbids
must be refused.
The last test asserts the number of requests actually sent and that none met a server error.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fuzzing import EXAMPLES, FuzzLog
from hypothesis import HealthCheck, settings

from evaluation.main import create_app
from support.platform import Platform

SEM_ONLY: set[tuple[str, str]] = {
    ("PUT", "/v1/annual-report-deadlines/{period_code}"),
    ("POST", "/v1/programmes/{programme_id}/annual-reports/{year}/decisions"),
}

schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_evaluation_api_answers_within_its_contract(
    case: schemathesis.Case[Any], platform: Platform, fuzz_log: FuzzLog
) -> None:
    sem = (case.method.upper(), case.path) in SEM_ONLY
    headers = fuzz_log.headers(platform, "sem") if sem else fuzz_log.headers(platform, "canton-editor", "BL")
    fuzz_log.call("evaluation", case, platform, headers)


def test_evaluation_fuzzing_sent_enough_requests_and_met_no_server_error(fuzz_log: FuzzLog) -> None:
    fuzz_log.assert_campaign("evaluation", schema)
