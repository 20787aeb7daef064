"""Every operation of every service, called by every caller: the outcome must be the matrix's, cell for cell.

The apps run in-process on seeded databases (SQLite and PostgreSQL); writes send a stale `If-Match`, so a caller
who passes authorization meets 412 and the data stay as seeded. Where a caller must not see a record (404) or an
id in the body (422), the same call with an id nobody has must answer alike: same status, type and title.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from authz_callers import BAD_TOKENS, CALLERS, ROLES
from authz_matrix import MATRIX, PATH_IDS, Row
from authz_world import World, missing_id, running_world
from fastapi import FastAPI

from evaluation.main import create_app as evaluation_app
from funding.main import create_app as funding_app
from programme.main import create_app as programme_app
from support.platform import Platform

DOCUMENTS: dict[str, Callable[[], FastAPI]] = {
    "programme": programme_app,
    "funding": funding_app,
    "evaluation": evaluation_app,
}
STALE = '"999999"'


def operations() -> dict[str, dict[str, Any]]:
    """Every operation of every service's OpenAPI document, keyed like the matrix."""
    found: dict[str, dict[str, Any]] = {}
    for service, create_app in DOCUMENTS.items():
        for path, methods in create_app().openapi()["paths"].items():
            for method, operation in methods.items():
                found[f"{service} {method.upper()} {path}"] = operation
    return found


def expected_outcomes(key: str, row: Row) -> dict[str, str]:
    outcomes = dict(zip(ROLES, row.expected.split(), strict=True))
    refused = "401" if key.split()[2].startswith("/v1/") else "ok"
    return {**outcomes, **dict.fromkeys(BAD_TOKENS, refused)}


def outcome(response: httpx.Response) -> str:
    status = response.status_code
    if 200 <= status < 300 or status in (409, 412):
        return "ok"
    return str(status)


def resolve(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        return ids[value[1:]]
    if isinstance(value, dict):
        return {k: resolve(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, ids) for v in value]
    return value


def first_id(value: Any) -> str | None:
    """The first id a body names: the one a missing id replaces for the foreign-id comparison."""
    if isinstance(value, str) and value.startswith("$"):
        return value[1:]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return next((found for found in map(first_id, items) if found), None)


async def call(world: World, key: str, row: Row, caller: str, ids: dict[str, str], params: list[str]) -> httpx.Response:
    service, method, template = key.split()
    path = template
    for name in params:
        path = path.replace("{" + name + "}", resolve(PATH_IDS[name], ids))
    headers = dict(world.headers[caller])
    operation = OPERATIONS[key]
    names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
    if "If-Match" in names:
        headers["If-Match"] = STALE
    if "Idempotency-Key" in names:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    body = resolve(row.request.body, ids)
    query = resolve(row.request.query, ids)
    response: httpx.Response = await world.clients[service].request(
        method, path, params=query, json=body, headers=headers
    )
    return response


def problem(response: httpx.Response) -> tuple[int, str, str, list[Any]]:
    data = response.json()
    locs = sorted(str(e.get("loc")) for e in data.get("errors") or [])
    return response.status_code, data.get("type"), data.get("title"), locs


OPERATIONS = operations()


def test_every_operation_of_every_service_has_a_row() -> None:
    assert set(OPERATIONS) - set(MATRIX) == set(), "operations without a row in the matrix"
    assert set(MATRIX) - set(OPERATIONS) == set(), "rows of operations that no longer exist"


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_every_row_names_one_outcome_per_role(key: str) -> None:
    outcomes = MATRIX[key].expected.split()
    assert len(outcomes) == len(ROLES) and set(outcomes) <= {"ok", "401", "403", "404", "422"}


async def test_every_cell_answers_as_the_matrix_says(seeded_platform: Platform) -> None:
    cells, foreign, differences = 0, 0, []
    seen: Counter[str] = Counter()
    async with running_world(seeded_platform) as world:
        for key, row in MATRIX.items():
            params = [n for n in PATH_IDS if "{" + n + "}" in key]
            expected = expected_outcomes(key, row)
            # Refused callers first, so a write that succeeds cannot change what they would have met.
            for caller in sorted(CALLERS, key=lambda c: expected[c] == "ok"):
                response = await call(world, key, row, caller, world.ids, params)
                cells += 1
                got = outcome(response)
                seen[got] += 1
                if got != expected[caller]:
                    differences.append(f"{key} as {caller}: expected {expected[caller]}, got {response.status_code}")
                    continue
                if got not in ("404", "422") or caller in BAD_TOKENS:
                    continue
                # A foreign id must answer exactly like an id nobody has.
                ids = dict(world.ids)
                replaced = [PATH_IDS[n][1:] for n in params if PATH_IDS[n].startswith("$")]
                named = first_id(row.request.query) or first_id(row.request.body)
                addressed = replaced[-1] if replaced else None
                target = (addressed if got == "404" else named) or addressed or named
                assert target is not None, key
                ids[target] = missing_id()
                missing = await call(world, key, row, caller, ids, params)
                foreign += 1
                if problem(missing)[:3] != problem(response)[:3] or (
                    got == "422" and problem(missing)[3] != problem(response)[3]
                ):
                    differences.append(f"{key} as {caller}: foreign {problem(response)} ≠ missing {problem(missing)}")
    print(
        f"\n{seeded_platform.backend}: {len(MATRIX)} operations × {len(CALLERS)} callers = {cells} cells, "
        f"{foreign} foreign-id comparisons, {len(differences)} differences; outcomes {dict(seen)}"
    )
    assert not differences, "\n".join(differences)
