"""The audit trail's secrets and its anchor outside the database: the keys that MAC each record, and checkpoints.

Whoever holds only the database cannot rewrite the trail unnoticed: each record's hash is an HMAC-SHA256 under a
key the database never sees (a record names its key's id, so keys rotate: new records use `KIP_AUDIT_KEY_ID`, the
old keys stay in `KIP_AUDIT_KEYS` for verification). And after every transaction that wrote records, the head of
the chain (sequence number and hash), MACed as well, is appended as one JSON line to a checkpoint file outside the
database (`KIP_AUDIT_CHECKPOINT_DIR`, one file per service and database): whoever deletes the newest records, or
empties the table and writes a new chain into it, leaves a head that does not match the last checkpoint.

Embedded default: without configured keys a random local key is made once under `var/keys/audit-local.key`
(like the local token signing key) and checkpoints go to `var/audit-checkpoints/`. In production give the keys
from a secret store and point the checkpoint directory at append-only storage (a volume mounted append-only, or a
directory synchronised to object storage with a retention lock, e.g. S3 Object Lock in compliance mode).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

from kit.canonical import canonical_json
from kit.settings import DEFAULT_VAR_DIR

logger = logging.getLogger("kip.audit")
LOCAL_KEY_ID = "local"
#: How much of a checkpoint file's end is read to find the newest checkpoint (lines are about 300 bytes; writers
#: of several processes may append slightly out of order, so the highest sequence number in the tail wins).
TAIL_BYTES = 64 * 1024


class AuditSettings(BaseSettings):
    """`KIP_AUDIT_*`: the keys of the audit chain and where its checkpoints go."""

    model_config = SettingsConfigDict(env_prefix="KIP_AUDIT_", extra="ignore")

    keys: dict[str, SecretStr] = Field(default_factory=dict, description='JSON: {"<key id>": "<secret>"}.')
    key_id: str | None = Field(default=None, description="The key that MACs new records; default the last one.")
    key_dir: Path = DEFAULT_VAR_DIR / "keys"
    checkpoint_dir: Path = DEFAULT_VAR_DIR / "audit-checkpoints"


@dataclass(frozen=True)
class Keyring:
    keys: Mapping[str, bytes]
    current: str

    def mac(self, key_id: str, payload: bytes) -> str | None:
        """HMAC-SHA256 of `payload` under the named key, or None for a key this keyring does not know."""
        key = self.keys.get(key_id)
        return None if key is None else hmac.new(key, payload, hashlib.sha256).hexdigest()


def _local_key(key_dir: Path) -> bytes:
    path = key_dir / "audit-local.key"
    key_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip().encode()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def make_keyring(settings: AuditSettings) -> Keyring:
    keys = {kid: secret.get_secret_value().encode() for kid, secret in settings.keys.items()}
    if not keys:
        keys = {LOCAL_KEY_ID: _local_key(settings.key_dir)}
    current = settings.key_id or list(keys)[-1]
    if current not in keys:
        raise ValueError(f"KIP_AUDIT_KEY_ID names {current!r}, which KIP_AUDIT_KEYS does not hold")
    return Keyring(keys, current)


@functools.cache
def keyring() -> Keyring:
    """The process's keyring, from `KIP_AUDIT_*` (read once)."""
    return make_keyring(AuditSettings())


def database_identity(url: URL | str) -> str:
    """Which database a trail lives in: PostgreSQL's host, port and name, or the SQLite file's absolute path."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database or "").resolve())
    return f"{parsed.host or ''}:{parsed.port or 5432}/{parsed.database or ''}"


@functools.cache
def checkpoint_file(service: str, url: URL | str, directory: Path | None = None) -> Path:
    """The file of one service's trail in one database (cached: it is asked for on every write)."""
    identity = database_identity(url)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return (directory or AuditSettings().checkpoint_dir) / f"{service}-{digest}.jsonl"


def _payload(entry: Mapping[str, Any]) -> bytes:
    body = {k: entry[k] for k in sorted(entry) if k != "mac"}
    return canonical_json(body, ascii_only=True)


def write_checkpoint(path: Path, ring: Keyring, trail: str, seq: int, head_hash: str, at: str) -> None:
    """Append the head (seq, hash) as one MACed JSON line; one `write` to a file opened for appending, so lines
    of several processes do not interleave."""
    entry: dict[str, Any] = {"trail": trail, "seq": seq, "hash": head_hash, "at": at, "key_id": ring.current}
    entry["mac"] = ring.mac(ring.current, _payload(entry))
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def last_checkpoint(path: Path, ring: Keyring) -> tuple[dict[str, Any] | None, bool]:
    """The newest checkpoint in the file's tail, and whether the tail holds a line whose MAC is wrong (a forged
    or altered checkpoint)."""
    if not path.exists():
        return None, False
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - TAIL_BYTES))
        tail = handle.read().decode("utf-8", "replace").splitlines()
    if size > TAIL_BYTES:
        tail = tail[1:]  # the first line may be cut
    newest: dict[str, Any] | None = None
    forged = False
    for line in tail:
        try:
            entry = json.loads(line)
            mac = ring.mac(str(entry["key_id"]), _payload(entry))
            valid = mac is not None and hmac.compare_digest(mac, str(entry["mac"]))
        except (ValueError, KeyError, TypeError):
            valid, entry = False, None
        if not valid or entry is None:
            forged = True
            continue
        if newest is None or int(entry["seq"]) > int(newest["seq"]):
            newest = entry
    return newest, forged


def forget_checkpoints(url: URL | str, directory: Path | None = None) -> None:
    """Remove every service's checkpoints of one database: for test plumbing that empties or re-creates it."""
    identity = database_identity(url)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    for path in (directory or AuditSettings().checkpoint_dir).glob(f"*-{digest}.jsonl"):
        path.unlink(missing_ok=True)
