"""Canonical JSON: one byte form for a value, so that the same value always hashes the same.

Keys sorted, no white space, UTF-8 (or ASCII escapes, where a stored hash was made that way), no NaN. `plain`
turns the values the platform stores (UUIDs, Decimals, dates, enums) into their JSON form first. The audit chain,
its checkpoints, the annual-report snapshots and the idempotency fingerprint of a request all hash these bytes.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
import uuid
from typing import Any


def plain(value: Any) -> Any:
    """The JSON form of a stored value: UUIDs and Decimals as strings (`format(d, "f")`, never float), dates in
    ISO 8601, enums by value; lists and dicts element by element."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def canonical_json(value: Any, *, ascii_only: bool = False) -> bytes:
    """The canonical bytes of a JSON value. `ascii_only` escapes non-ASCII characters (`\\u00e9`): the form that
    fingerprints made before this helper existed, kept so they still compare equal."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=ascii_only, allow_nan=False).encode()


def sha256_hex(value: Any, *, ascii_only: bool = False) -> str:
    """SHA-256 of the canonical bytes, in hex."""
    return hashlib.sha256(canonical_json(value, ascii_only=ascii_only)).hexdigest()
