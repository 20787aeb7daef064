"""Property-based fuzzing of the evaluation service's OpenAPI document with schemathesis.

The schema is the service's own document; requests go over real HTTP to a real process, which checks the ids it
is given against a real programme process. Each operation gets generated requests with a token of a role that may
call it (SEM for the report due dates and decisions; a Basel-Landschaft editor otherwise); every answer must be no
server error and conform to the documented status codes, content types and schemas, and input the schema forbids
must be refused.
The last test asserts the number of requests actually sent and that none met a server error.
"""

from __future__ import annotations

from fuzzing import service_suite

from evaluation.main import create_app

(
    test_evaluation_api_answers_within_its_contract,
    test_evaluation_workflows_answer_within_the_contract,
    test_evaluation_fuzzing_sent_enough_requests_and_met_no_server_error,
) = service_suite("evaluation", create_app().openapi())
