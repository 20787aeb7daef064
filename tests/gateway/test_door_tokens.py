"""Any token the platform cannot verify is a 401 problem, whatever its header says: generated headers (any `alg`,
symmetric or `none`, one that does not fit the key, non-string values, a missing or odd `kid`, garbage that is not
JSON) with valid claims, at a service, through forwarding and at a composed view."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.auth import ensure_local_keypair

from .conftest import BL_KIP3, Platform

ALGORITHMS = ["none", "None", "NONE", "HS256", "HS512", "ES256", "ES384", "PS256", "PS512", "RS256", "RS512", "EdDSA"]
JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3)
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


CLAIMS = {"iss": "kip-local", "aud": "kip", "sub": "sem:all", "role": "sem", "exp": int(time.time()) + 3600}

headers = st.fixed_dictionaries(
    {"alg": st.sampled_from(ALGORITHMS) | st.sampled_from(ALGORITHMS) | JSON_VALUES},
    optional={
        "kid": st.one_of(st.just("kip-local"), JSON_VALUES),
        "typ": st.one_of(st.just("JWT"), JSON_VALUES),
        "jwk": st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=3),
        "crit": st.lists(st.text(max_size=5), max_size=2),
    },
)
structured_headers = headers.map(lambda h: json.dumps(h).encode())
garbage_headers = st.binary(max_size=40) | JSON_VALUES.map(lambda v: json.dumps(v).encode())


@st.composite
def tokens(draw: st.DrawFn, public_pem: bytes, raw_headers: st.SearchStrategy[bytes]) -> str:
    header = _b64(draw(raw_headers))
    signing_input = f"{header}.{_b64(json.dumps(CLAIMS).encode())}"
    signature = draw(
        st.one_of(
            st.binary(max_size=300).map(_b64),
            # HS256 "signed" with the public key: the classic confusion attack.
            st.just(_b64(hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest())),
            st.just(""),
        )
    )
    return f"{signing_input}.{signature}"


async def _statuses(app: FastAPI, token: str, paths: list[str]) -> list[tuple[int, Any, str | None]]:
    out = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as client:
        for path in paths:
            response = await client.get(path, headers={"Authorization": f"Bearer {token}"})
            out.append((response.status_code, response.json().get("type"), response.headers.get("www-authenticate")))
    return out


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(data=st.data())
async def test_a_token_the_platform_cannot_verify_is_a_401_whatever_its_header_says(
    data: st.DataObject, platform: Platform, gateway: FastAPI, key_dir: Any
) -> None:
    await _assert_refused(data.draw(tokens(ensure_local_keypair(key_dir)[1], structured_headers)), platform, gateway)


@PROPERTY
@given(data=st.data())
async def test_a_token_whose_header_is_garbage_is_a_401(
    data: st.DataObject, platform: Platform, gateway: FastAPI, key_dir: Any
) -> None:
    await _assert_refused(data.draw(tokens(ensure_local_keypair(key_dir)[1], garbage_headers)), platform, gateway)


async def _assert_refused(token: str, platform: Platform, gateway: FastAPI) -> None:
    at_service = await _statuses(platform.services["programme"], token, [f"/v1/programmes/{BL_KIP3}"])
    at_gateway = await _statuses(
        gateway,
        token,
        [f"/api/programme/v1/programmes/{BL_KIP3}", "/api/v1/views/sem/programmes?period=KIP3&year=2025"],
    )
    for status, problem_type, challenge in at_service + at_gateway:
        assert (status, problem_type, challenge) == (401, "/problems/unauthorized", "Bearer"), token
