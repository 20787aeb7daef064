"""Who may do what: tokens verified, roles and scopes enforced."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from programme_factories import BL_KIP3, create_programme, problem

from kit.auth import ensure_local_keypair, issue_token


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


async def test_missing_token_is_refused(client: httpx.AsyncClient) -> None:
    body = problem(await client.get("/v1/programmes"), 401)
    assert "Bearer" in body["detail"]


async def test_health_and_docs_are_open(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).status_code == 200
    ready = await client.get("/readyz")
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert (await client.get("/openapi.json")).status_code == 200
    assert (await client.get("/docs")).status_code == 200


async def test_expired_token_is_refused(client: httpx.AsyncClient, private_key: bytes) -> None:
    old = issue_token(private_key, role="sem", now=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))
    assert "expired" in problem(await client.get("/v1/periods", headers=bearer(old)), 401)["detail"]


async def test_token_signed_with_another_key_is_refused(client: httpx.AsyncClient, tmp_path: Path) -> None:
    other_key = ensure_local_keypair(tmp_path)[0]
    problem(await client.get("/v1/periods", headers=bearer(issue_token(other_key, role="sem"))), 401)


async def test_unsigned_and_symmetric_tokens_are_refused(client: httpx.AsyncClient, key_dir: Path) -> None:
    claims = {
        "iss": "kip-local",
        "aud": "kip",
        "sub": "x",
        "role": "sem",
        "exp": int((dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).timestamp()),
    }
    unsigned = jwt.encode(claims, "", algorithm="none")
    problem(await client.get("/v1/periods", headers=bearer(unsigned)), 401)
    public_pem = ensure_local_keypair(key_dir)[1]
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    signature = b64(hmac.new(public_pem, f"{head}.{body}".encode(), hashlib.sha256).digest())
    problem(await client.get("/v1/periods", headers=bearer(f"{head}.{body}.{signature}")), 401)


@pytest.mark.parametrize("claim", [{"issuer": "someone-else"}, {"audience": "other-app"}])
async def test_wrong_issuer_or_audience_is_refused(
    client: httpx.AsyncClient, private_key: bytes, claim: dict[str, Any]
) -> None:
    problem(await client.get("/v1/periods", headers=bearer(issue_token(private_key, role="sem", **claim))), 401)


async def test_garbage_token_is_refused(client: httpx.AsyncClient) -> None:
    problem(await client.get("/v1/periods", headers=bearer("not-a-jwt")), 401)


async def test_canton_token_without_a_valid_canton_is_refused(client: httpx.AsyncClient, private_key: bytes) -> None:
    problem(
        await client.get("/v1/periods", headers=bearer(issue_token(private_key, role="canton-editor", canton="XX"))),
        401,
    )


async def test_bl_editor_cannot_write_a_basel_stadt_programme(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bl = token("canton-editor", canton="BL")
    problem(await client.post("/v1/programmes", json={"canton": "BS", "period": "KIP3", "title": "x"}, headers=bl), 403)
    bs_programme = await create_programme(client, token("canton-editor", canton="BS"))
    response = await client.patch(
        f"/v1/programmes/{bs_programme['id']}", json={"title": "x"}, headers=bl | {"If-Match": '"1"'}
    )
    problem(response, 404)


async def test_viewer_cannot_write(client: httpx.AsyncClient, token: Any, seeded: None) -> None:
    viewer = token("canton-viewer", canton="BL")
    response = await client.patch(
        f"/v1/programmes/{BL_KIP3}", json={"title": "x"}, headers=viewer | {"If-Match": '"1"'}
    )
    problem(response, 403)
    problem(
        await client.post("/v1/programmes", json={"canton": "BL", "period": "KIP2", "title": "x"}, headers=viewer), 403
    )


async def test_sem_reads_every_canton_but_cannot_write_programmes(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    sem = token("sem")
    assert (await client.get(f"/v1/programmes/{BL_KIP3}", headers=sem)).status_code == 200
    problem(
        await client.patch(f"/v1/programmes/{BL_KIP3}", json={"title": "x"}, headers=sem | {"If-Match": '"1"'}), 403
    )


async def test_foreign_programme_answers_like_a_missing_one(
    client: httpx.AsyncClient, token: Any, seeded: None
) -> None:
    bs = token("canton-viewer", canton="BS")
    foreign = problem(await client.get(f"/v1/programmes/{BL_KIP3}", headers=bs), 404)
    missing = problem(await client.get(f"/v1/programmes/{uuid.uuid4()}", headers=bs), 404)
    assert foreign["type"] == missing["type"] and foreign["title"] == missing["title"]
