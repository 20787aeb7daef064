"""Property-based fuzzing of the programme service's OpenAPI document with schemathesis.

The schema is the service's own document; requests go over real HTTP to a real process. Each operation gets
generated requests with a token of a role that may call it; every answer must be no server error and conform to
the documented status codes, content types and schemas, and input the schema forbids must be refused.
"""

from __future__ import annotations

from fuzzing import service_suite

from programme.main import create_app

(
    test_programme_api_answers_within_its_contract,
    test_programme_workflows_answer_within_the_contract,
    test_programme_fuzzing_met_no_server_error,
) = service_suite("programme", create_app().openapi())
