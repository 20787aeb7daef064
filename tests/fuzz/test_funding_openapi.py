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

from fuzzing import service_suite

from funding.main import create_app

(
    test_funding_api_answers_within_its_contract,
    test_funding_workflows_answer_within_the_contract,
    test_funding_fuzzing_sent_enough_requests_and_met_no_server_error,
) = service_suite("funding", create_app().openapi())
