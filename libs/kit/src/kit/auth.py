"""Bearer tokens: who is calling, in which role and scope.

Every service verifies tokens itself; nothing trusts a network position. In production the keys come from the
canton's OpenID Connect provider (`KIP_AUTH_JWKS_URL`); the embedded default signs and verifies with a local
RSA key kept under `var/keys/`. Only asymmetric algorithms are accepted, so `alg: none` and HS256 tokens
signed with the public key are refused.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import jwt
from cachetools import TLRUCache
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kit.i18n import Msg
from kit.problems import Forbidden, Unauthorized
from kit.settings import AuthSettings

CANTONS = (
    "ZH", "BE", "LU", "UR", "SZ", "OW", "NW", "GL", "ZG", "FR", "SO", "BS", "BL",
    "SH", "AR", "AI", "SG", "GR", "AG", "TG", "TI", "VD", "VS", "NE", "GE", "JU",
)  # fmt: skip

PRIVATE_KEY_FILE = "signing-key.pem"
PUBLIC_KEY_FILE = "signing-key.pub.pem"


class Role(enum.StrEnum):
    CANTON_EDITOR = "canton-editor"
    CANTON_VIEWER = "canton-viewer"
    SEM = "sem"
    PARTNER = "partner"


@dataclass(frozen=True)
class Principal:
    """The verified caller. `canton` is set for canton roles, `partner_id` for partners."""

    subject: str
    role: Role
    canton: str | None = None
    partner_id: uuid.UUID | None = None

    @property
    def is_canton(self) -> bool:
        return self.role in (Role.CANTON_EDITOR, Role.CANTON_VIEWER)

    @property
    def is_sem(self) -> bool:
        return self.role is Role.SEM

    @property
    def is_partner(self) -> bool:
        return self.role is Role.PARTNER

    def can_read_canton(self, canton: str) -> bool:
        return self.is_sem or (self.is_canton and self.canton == canton)

    def can_edit_canton(self, canton: str) -> bool:
        return self.role is Role.CANTON_EDITOR and self.canton == canton

    def require_editor(self, canton: str) -> None:
        """Refuse unless the caller edits this canton; readers of the canton get 403, others were 404 before."""
        if not self.can_edit_canton(canton):
            raise Forbidden(Msg("Only a canton editor of {canton} may change this.", canton=canton))


# --- keys -----------------------------------------------------------------------------------------------


def ensure_local_keypair(key_dir: Path) -> tuple[bytes, bytes]:
    """Create the embedded default's RSA key pair once; concurrent starters agree on one key."""
    key_dir.mkdir(parents=True, exist_ok=True)
    private_path = key_dir / PRIVATE_KEY_FILE
    public_path = key_dir / PUBLIC_KEY_FILE
    if not private_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = key_dir / f".{PRIVATE_KEY_FILE}.{os.getpid()}.{uuid.uuid4().hex}"
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        try:
            os.link(tmp, private_path)  # atomic: fails if another process won the race
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    private_pem = private_path.read_bytes()
    if not public_path.exists():
        private_key = serialization.load_pem_private_key(private_pem, password=None)
        public_pem = private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        tmp = key_dir / f".{PUBLIC_KEY_FILE}.{os.getpid()}.{uuid.uuid4().hex}"
        tmp.write_bytes(public_pem)
        tmp.replace(public_path)
    return private_pem, public_path.read_bytes()


def issue_token(
    private_pem: bytes,
    *,
    role: Role | str,
    canton: str | None = None,
    partner_id: uuid.UUID | str | None = None,
    subject: str | None = None,
    issuer: str = "kip-local",
    audience: str = "kip",
    lifetime: dt.timedelta = dt.timedelta(hours=8),
    now: dt.datetime | None = None,
) -> str:
    """Sign a token for the embedded default (`kip token`) and for tests."""
    now = now or dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject or f"{role}:{canton or partner_id or 'all'}",
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()) - 1,
        "exp": int((now + lifetime).timestamp()),
        "role": str(Role(role)),
    }
    if canton:
        claims["canton"] = canton
    if partner_id:
        claims["partner_id"] = str(partner_id)
    return jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": "kip-local"})


# --- verification ---------------------------------------------------------------------------------------


#: How long a verified token is taken on trust without checking its signature again (never past its expiry).
VERIFIED_TOKEN_TTL_SECONDS = 60.0


def _verified_until(_token: str, entry: tuple[Principal, float], now: float) -> float:
    return min(entry[1], now + VERIFIED_TOKEN_TTL_SECONDS)


class TokenVerifier:
    """Verifies a JWT against the local public key or the OIDC provider's JWKS.

    A token that passed is remembered (up to 4,096 of them) until it expires, at most for
    `VERIFIED_TOKEN_TTL_SECONDS`: other cantonal systems call with the same token many times, and checking an RSA
    signature is the largest part of reading one record. Refused tokens are never remembered."""

    def __init__(self, settings: AuthSettings, public_pem: bytes | None = None) -> None:
        self.settings = settings
        self._verified: TLRUCache[str, tuple[Principal, float]] = TLRUCache(
            maxsize=4096, ttu=_verified_until, timer=time.time
        )
        self._jwks = jwt.PyJWKClient(settings.jwks_url, cache_keys=True) if settings.jwks_url else None
        self._public_key: Any = None
        if self._jwks is None:
            if public_pem is None:
                _, public_pem = ensure_local_keypair(settings.local_key_dir)
            self._public_key = serialization.load_pem_public_key(public_pem)

    def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None:
            return known[0]
        principal, expires = self._verify(token)
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        """Any token that cannot be verified is a 401, whatever its header claims: unknown, symmetric or `none`
        algorithms, an algorithm that does not fit the key, a garbled header, an unknown key id."""
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise Unauthorized(Msg("The bearer token is not a valid JWT.")) from exc
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self.settings.algorithms:
            raise Unauthorized(Msg("Tokens signed with {alg} are not accepted.", alg=repr(alg)))
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._public_key
            algorithms = fitting_algorithms(key, self.settings.algorithms)
            if alg not in algorithms:
                raise Unauthorized(Msg("The bearer token's algorithm {alg} does not fit the signing key.", alg=alg))
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized(Msg("The bearer token has expired.")) from exc
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise Unauthorized(Msg("The bearer token was refused: {reason}.", reason=type(exc).__name__)) from exc
        return principal_from_claims(claims), float(claims["exp"]) + self.settings.leeway_seconds


#: Which algorithm families each kind of public key verifies.
_FAMILIES: tuple[tuple[type[Any], tuple[str, ...]], ...] = (
    (rsa.RSAPublicKey, ("RS", "PS")),
    (ec.EllipticCurvePublicKey, ("ES",)),
    (ed25519.Ed25519PublicKey, ("EdDSA",)),
    (ed448.Ed448PublicKey, ("EdDSA",)),
)


def fitting_algorithms(key: Any, algorithms: list[str]) -> list[str]:
    """The configured algorithms that can verify with `key` (an RSA key never checks an ES256 signature)."""
    for kind, prefixes in _FAMILIES:
        if isinstance(key, kind):
            return [a for a in algorithms if a.startswith(prefixes)]
    return []


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        role = Role(str(claims.get("role")))
    except ValueError as exc:
        raise Unauthorized(Msg("The token names no known role.")) from exc
    canton = claims.get("canton")
    partner_raw = claims.get("partner_id")
    if role in (Role.CANTON_EDITOR, Role.CANTON_VIEWER) and canton not in CANTONS:
        raise Unauthorized(Msg("A canton token must name one of the 26 canton codes."))
    partner_id = None
    if role is Role.PARTNER:
        try:
            partner_id = uuid.UUID(str(partner_raw))
        except ValueError as exc:
            raise Unauthorized(Msg("A partner token must name its partner organisation's id.")) from exc
    return Principal(
        subject=str(claims["sub"]), role=role, canton=canton if role is not Role.SEM else None, partner_id=partner_id
    )


_bearer = HTTPBearer(auto_error=False, description="A JWT from the canton's OIDC provider, or `kip token`.")


@lru_cache(maxsize=1)
def _default_verifier() -> TokenVerifier:
    return TokenVerifier(AuthSettings())


def get_verifier(request: Request) -> TokenVerifier:
    verifier = getattr(request.app.state, "token_verifier", None)
    return verifier if verifier is not None else _default_verifier()


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized(Msg("Send `Authorization: Bearer <token>`; get one with `kip token`."))
    principal = get_verifier(request).verify(credentials.credentials)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_roles(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        raise Forbidden(Msg("The role {role} may not do this.", role=str(principal.role)))
