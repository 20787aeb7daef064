"""Property-based fuzzing of the programme service's OpenAPI document with schemathesis.

The schema is the service's own document; requests go over real HTTP to a real process. Each operation gets
generated requests with a token of a role that may call it; every answer must be no server error and conform to
the documented status codes, content types and schemas.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from support.platform import Platform

from programme.main import create_app

EXAMPLES = int(os.environ.get("KIP_FUZZ_EXAMPLES", "15"))
SEM_ONLY = {("POST", "/v1/periods"), ("POST", "/v1/funding-areas")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_programme_api_answers_within_its_contract(case: schemathesis.Case, platform: Platform) -> None:
    sem = (case.method.upper(), case.path) in SEM_ONLY
    headers = platform.headers("sem") if sem else platform.headers("canton-editor", canton="BL")
    case.call_and_validate(base_url=platform.url("programme"), headers=headers, checks=CHECKS)
