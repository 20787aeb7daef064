"""Every request leaves exactly one JSON log line: who (role, never the token), what (route), how it ended."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import httpx

from kit.ids import seed_uuid


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_a_canton_editors_request_logs_one_line_with_role_route_status_and_no_token(
    client: httpx.AsyncClient, bearer: Any, access_lines: io.StringIO
) -> None:
    token = bearer("canton-editor", canton="BL")
    programme_id = seed_uuid("programme", "does-not-exist")
    response = await client.get(f"/v1/programmes/{programme_id}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404

    logged = lines(access_lines)
    assert len(logged) == 1
    entry = logged[0]
    assert entry["message"] == "request"
    assert entry["service"] == "programme"
    assert entry["role"] == "canton-editor"
    assert entry["method"] == "GET"
    assert entry["route"] == "/v1/programmes/{programme_id}"
    assert entry["path"] == f"/v1/programmes/{programme_id}"
    assert entry["status"] == 404
    assert isinstance(entry["duration_ms"], float | int) and entry["duration_ms"] >= 0
    assert entry["request_id"] == response.headers["X-Request-ID"]
    assert entry["level"] == "INFO"
    raw = access_lines.getvalue()
    assert token not in raw
    assert token.split(".")[2] not in raw  # not even the signature
    assert "Bearer" not in raw and "authorization" not in raw.lower()


async def test_the_gateways_request_id_is_the_one_the_service_logs(
    client: httpx.AsyncClient, bearer: Any, access_lines: io.StringIO
) -> None:
    request_id = uuid.uuid4().hex
    response = await client.get(
        "/v1/programmes",
        headers={"Authorization": f"Bearer {bearer('sem')}", "X-Request-ID": request_id},
    )
    assert response.status_code == 200
    (entry,) = lines(access_lines)
    assert entry["request_id"] == request_id
    assert entry["role"] == "sem"
    assert entry["route"] == "/v1/programmes"


async def test_a_request_without_a_token_is_logged_as_anonymous(
    client: httpx.AsyncClient, access_lines: io.StringIO
) -> None:
    response = await client.get("/v1/programmes", headers={"Authorization": "Bearer not-a-jwt-secret-text"})
    assert response.status_code == 401
    (entry,) = lines(access_lines)
    assert entry["role"] == "anonymous"
    assert entry["status"] == 401
    assert "not-a-jwt-secret-text" not in access_lines.getvalue()


async def test_an_unknown_path_is_logged_under_one_label_not_its_raw_path(
    client: httpx.AsyncClient, access_lines: io.StringIO
) -> None:
    response = await client.get("/no/such/thing?access_token=abc123")
    assert response.status_code == 404
    (entry,) = lines(access_lines)
    assert entry["route"] == "<unmatched>"
    assert "abc123" not in access_lines.getvalue()  # query strings are never logged


async def test_probes_are_logged_at_debug_so_polling_does_not_drown_traffic(
    client: httpx.AsyncClient, access_lines: io.StringIO
) -> None:
    assert (await client.get("/healthz")).status_code == 200
    assert lines(access_lines) == []  # the access logger is at INFO
