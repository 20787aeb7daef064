"""Checkpoints outside the database: MACed lines, the newest found in a long file's tail, a forged line noticed."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import SecretStr

from kit.audit_keys import AuditSettings, checkpoint_file, last_checkpoint, make_keyring, write_checkpoint

RING = make_keyring(AuditSettings(keys={"k1": SecretStr("one"), "k2": SecretStr("two")}, key_id="k2"))


def test_the_newest_checkpoint_is_found_among_thousands_written_out_of_order(tmp_path: Path) -> None:
    path = checkpoint_file("programme", "postgresql://db:5432/kip_programme", tmp_path)
    for seq in range(1, 3001):
        write_checkpoint(path, RING, "programme", seq if seq % 10 else seq + 1, f"h{seq}", "2026-01-01T00:00:00")
    write_checkpoint(path, RING, "programme", 2999, "late", "2026-01-01T00:00:00")
    newest, forged = last_checkpoint(path, RING)
    assert newest is not None and (newest["seq"], newest["hash"], newest["key_id"]) == (3001, "h3000", "k2")
    assert forged is False
    assert path.stat().st_size > 64 * 1024  # only the tail was read


def test_a_line_without_the_right_mac_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "trail.jsonl"
    write_checkpoint(path, RING, "funding", 5, "h5", "2026-01-01T00:00:00")
    forged = {"trail": "funding", "seq": 9, "hash": "h9", "at": "x", "key_id": "k2", "mac": "0" * 64}
    with path.open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
    newest, bad = last_checkpoint(path, RING)
    assert newest is not None and newest["seq"] == 5 and bad is True
    other_ring = make_keyring(AuditSettings(keys={"k2": SecretStr("not two")}))
    assert last_checkpoint(path, other_ring) == (None, True)


def test_each_database_has_its_own_file(tmp_path: Path) -> None:
    a = checkpoint_file("funding", "sqlite:///var/funding.db", tmp_path)
    b = checkpoint_file("funding", "postgresql://db/kip_funding", tmp_path)
    assert a != b and a.parent == tmp_path and a.name.startswith("funding-")
