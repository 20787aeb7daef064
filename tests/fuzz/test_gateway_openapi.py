"""Property-based fuzzing of the gateway's merged OpenAPI document with schemathesis.

The schema is the gateway's merged document (its views, exports, events and every forwarded operation of the three
services), built by the gateway's own merge from the apps' documents; the first test checks that the running
gateway serves exactly this document at `/openapi.json`. Requests go over real HTTP to the real gateway process, which
verifies, forwards and composes from real service processes. Each operation gets generated requests with a token
of a role that may call it (`fuzzing.gateway_role`); every answer must be no server error and conform to the
documented status codes, content types and schemas, and input the schema forbids must be refused. The stateful
phase runs workflows that follow the links schemathesis infers between operations. The last test asserts the
number of requests actually sent and that none met a server error.
"""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import schemathesis
from fuzzing import GATEWAY_EXAMPLES, FuzzLog, gateway_role
from hypothesis import HealthCheck, settings

from gateway.docs.merge import merged_document
from gateway.main import create_app
from gateway.settings import SERVICES
from support.platform import Platform


def _document() -> dict[str, Any]:
    services = {s: importlib.import_module(f"{s}.main").create_app().openapi() for s in SERVICES}
    return merged_document(create_app().openapi(), services, SERVICES)


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_fuzzed_document_is_the_one_the_gateway_serves(platform: Platform) -> None:
    served = httpx.get(f"{platform.url('gateway')}/openapi.json", timeout=30).json()
    assert served == httpx.Response(200, json=DOCUMENT).json()


@schema.parametrize()
@settings(max_examples=GATEWAY_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_gateway_api_answers_within_its_contract(
    case: schemathesis.Case[Any], platform: Platform, fuzz_log: FuzzLog
) -> None:
    headers = fuzz_log.headers(platform, *gateway_role(case.method, case.path))
    fuzz_log.call("gateway", case, platform, headers)


def test_gateway_workflows_answer_within_the_contract(platform: Platform, fuzz_log: FuzzLog) -> None:
    fuzz_log.run_workflows("gateway", schema, platform, gateway_role, target="gateway")


def test_gateway_fuzzing_sent_enough_requests_and_met_no_server_error(fuzz_log: FuzzLog) -> None:
    fuzz_log.assert_campaign("gateway", schema)
