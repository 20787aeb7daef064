"""Deterministic ids for seeded records, so every service and the CLI name the same seeded entity alike."""

from __future__ import annotations

import uuid

SEED_NAMESPACE = uuid.UUID("5d1c7f0e-3a47-4d2b-9d0e-6b3f0f4c2a10")


def seed_uuid(kind: str, key: str) -> uuid.UUID:
    """`seed_uuid("partner", "ald")` is the id of the seeded partner ald everywhere."""
    return uuid.uuid5(SEED_NAMESPACE, f"{kind}/{key}")
