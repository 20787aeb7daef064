"""The callers of the authorization matrix: six real roles and seven ways a token can be wrong.

Every bad token is built the way an attacker would build it: expired, signed by another RSA key, `alg: none`,
HS256 with the service's public key as the HMAC secret, or a correct signature over the wrong issuer or audience.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kit.auth import ensure_local_keypair, issue_token
from kit.ids import seed_uuid

PARTNER_A = "ald"
PARTNER_B = "srk-bl"

#: The valid callers, in the column order of the matrix rows.
ROLES = ("bl_editor", "bl_viewer", "bs_editor", "sem", "partner_a", "partner_b")
#: Callers whose token must be refused before anything else happens.
BAD_TOKENS = (
    "no_token",
    "expired",
    "other_key",
    "alg_none",
    "hs256_public_key",
    "wrong_issuer",
    "wrong_audience",
)
CALLERS = ROLES + BAD_TOKENS


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(role: str = "canton-editor", canton: str = "BL") -> dict[str, Any]:
    now = int(dt.datetime.now(dt.UTC).timestamp())
    return {
        "iss": "kip-local",
        "aud": "kip",
        "sub": f"attacker:{role}",
        "iat": now,
        "nbf": now - 1,
        "exp": now + 3600,
        "role": role,
        "canton": canton,
    }


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())


def caller_headers(key_dir: Path) -> dict[str, dict[str, str]]:
    """The `Authorization` header of every caller (none for `no_token`)."""
    private_pem, public_pem = ensure_local_keypair(key_dir)

    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def signed(role: str, **claims: Any) -> dict[str, str]:
        return bearer(issue_token(private_pem, role=role, **claims))

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    hs_input = _unsigned({"alg": "HS256", "typ": "JWT"}, _claims())
    hs_signature = _b64(hmac.new(public_pem, hs_input.encode(), hashlib.sha256).digest())
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    return {
        "bl_editor": signed("canton-editor", canton="BL", subject="bl-editor-anna"),
        "bl_viewer": signed("canton-viewer", canton="BL", subject="bl-viewer-urs"),
        "bs_editor": signed("canton-editor", canton="BS", subject="bs-editor-lea"),
        "sem": signed("sem", subject="sem-finance"),
        "partner_a": signed("partner", partner_id=seed_uuid("partner", PARTNER_A), subject="ald-office"),
        "partner_b": signed("partner", partner_id=seed_uuid("partner", PARTNER_B), subject="srk-office"),
        "no_token": {},
        "expired": bearer(issue_token(private_pem, role="canton-editor", canton="BL", now=long_ago)),
        "other_key": bearer(issue_token(other_key, role="canton-editor", canton="BL")),
        "alg_none": bearer(_unsigned({"alg": "none", "typ": "JWT"}, _claims()) + "."),
        "hs256_public_key": bearer(f"{hs_input}.{hs_signature}"),
        "wrong_issuer": bearer(issue_token(private_pem, role="canton-editor", canton="BL", issuer="evil-idp")),
        "wrong_audience": bearer(issue_token(private_pem, role="canton-editor", canton="BL", audience="other-app")),
    }
