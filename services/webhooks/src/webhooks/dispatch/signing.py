"""Signing secrets and signatures in the Standard Webhooks format (`whsec_<base64>`, `v1,<base64 HMAC-SHA256>`).

The signature is made by the `standardwebhooks` package itself (the reference implementation receivers verify
with), over `<webhook-id>.<webhook-timestamp>.<body>`. During a secret's rotation overlap a delivery carries one
signature per valid secret, space-separated, so a receiver that still has the old secret verifies it too.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signature_header(secrets_: list[str], message_id: str, at: dt.datetime, body: str) -> str:
    return " ".join(Webhook(s).sign(message_id, at, body) for s in secrets_)


def timestamp_header(at: dt.datetime) -> str:
    return str(int(at.timestamp()))
