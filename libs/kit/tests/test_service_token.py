"""The platform's own credential: verifiable by every part, renewed before it expires, taken from settings in
production."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.auth import Role, TokenVerifier
from kit.service_token import ServiceCredential, ServiceTokenSettings
from kit.settings import AuthSettings


def test_embedded_token_is_a_verifiable_sem_token_naming_the_service(tmp_path: Path) -> None:
    auth = AuthSettings(local_key_dir=tmp_path)
    credential = ServiceCredential("funding", auth, ServiceTokenSettings())
    principal = TokenVerifier(auth).verify(credential.token())
    assert principal.role is Role.SEM
    assert principal.subject == "service:funding"
    assert credential.token() == credential.token()  # reused until renewal is due


def test_configured_token_file_is_read_on_every_call(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("first\n", encoding="utf-8")
    credential = ServiceCredential(
        "webhooks", AuthSettings(local_key_dir=tmp_path), ServiceTokenSettings(service_token_file=path)
    )
    assert credential.headers() == {"Authorization": "Bearer first"}
    path.write_text("second", encoding="utf-8")
    assert credential.token() == "second"


def test_identity_provider_without_a_configured_token_is_refused(tmp_path: Path) -> None:
    auth = AuthSettings(local_key_dir=tmp_path, jwks_url="https://idp.example/jwks")
    with pytest.raises(RuntimeError, match="KIP_SERVICE_TOKEN"):
        ServiceCredential("funding", auth, ServiceTokenSettings()).token()
