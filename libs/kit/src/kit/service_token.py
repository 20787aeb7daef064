"""The platform's own credential, for a part that reads another part on nobody's behalf.

Most calls between services carry the caller's token. A few run with no caller: a consumer following another
service's event feed, the webhook dispatcher reading every feed. They present a token of their own, with the SEM
role (read everything; the consumer filters by audience itself, with the feed's own rules).

- Production (`KIP_AUTH_JWKS_URL` set): the operator provides the token, obtained from the canton's OpenID Connect
  provider with the client-credentials grant, in `KIP_SERVICE_TOKEN` or in the file `KIP_SERVICE_TOKEN_FILE` (read
  again on every call, so a sidecar can rotate it).
- Embedded default: the part signs a short-lived token itself with the local key under `var/keys/`, exactly as
  `kip token` does; its subject is `service:<name>`, so the audit trail tells it from a person.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from kit.auth import Role, ensure_local_keypair, issue_token
from kit.settings import AuthSettings

#: A self-signed token lives this long and is renewed when less than a third of it is left.
LIFETIME = dt.timedelta(minutes=15)


class ServiceTokenSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KIP_", extra="ignore")

    service_token: str | None = None
    service_token_file: Path | None = None


class ServiceCredential:
    """Hands out a bearer token for `service` (e.g. `funding`), renewing a self-signed one before it expires."""

    def __init__(
        self,
        service: str,
        auth: AuthSettings | None = None,
        settings: ServiceTokenSettings | None = None,
    ) -> None:
        self.service = service
        self.auth = auth or AuthSettings()
        self.settings = settings or ServiceTokenSettings()
        self._token: str | None = None
        self._renew_at = 0.0

    def token(self) -> str:
        if self.settings.service_token_file is not None:
            return self.settings.service_token_file.read_text(encoding="utf-8").strip()
        if self.settings.service_token:
            return self.settings.service_token
        if self.auth.jwks_url:
            raise RuntimeError(
                "KIP_SERVICE_TOKEN or KIP_SERVICE_TOKEN_FILE must be set when tokens come from an identity provider"
            )
        now = time.time()
        if self._token is None or now >= self._renew_at:
            private_pem, _ = ensure_local_keypair(self.auth.local_key_dir)
            self._token = issue_token(
                private_pem,
                role=Role.SEM,
                subject=f"service:{self.service}",
                issuer=self.auth.issuer,
                audience=self.auth.audience,
                lifetime=LIFETIME,
            )
            self._renew_at = now + LIFETIME.total_seconds() * 2 / 3
        return self._token

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}
