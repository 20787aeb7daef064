"""Settings shared by every service; each service subclasses `ServiceSettings` with its own env prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_VAR_DIR = Path("var")


class AuthSettings(BaseSettings):
    """How bearer tokens are verified; shared by all services (`KIP_AUTH_*`).

    With `jwks_url` set, tokens come from the canton's OpenID Connect provider. Without it, the embedded
    default verifies tokens signed with the local key under `var/keys/` that `kip token` uses.
    """

    model_config = SettingsConfigDict(env_prefix="KIP_AUTH_", extra="ignore")

    issuer: str = "kip-local"
    audience: str = "kip"
    jwks_url: str | None = None
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256", "PS256"])
    local_key_dir: Path = DEFAULT_VAR_DIR / "keys"
    leeway_seconds: int = 30


class ServiceSettings(BaseSettings):
    """What every service needs: a database URL and the service's own URL."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = "sqlite:///var/service.db"
    sql_echo: bool = False
    #: PostgreSQL connections kept open per process. Keep it at or above the requests one process serves at once:
    #: a request beyond it opens an overflow connection (up to a quarter more) that is closed after use, and
    #: opening one costs more than the read it serves.
    pool_size: int = 16
