"""What the benchmark's generator and runner share: the databases, the cantons, the ids and a COPY helper."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Table

from kit.ids import seed_uuid as seed_uuid

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
ADMIN_URL = os.environ.get("KIP_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PREFIX = os.environ.get("KIP_BENCH_DB_PREFIX", "kip_bench")
SERVICES = ("programme", "funding", "evaluation")

#: The 26 cantons; BL's programme is the seeded one, the others are generated alike.
CANTONS: tuple[str, ...] = ("ZH", "BE", "LU", "UR", "SZ", "OW", "NW", "GL", "ZG", "FR", "SO", "BS", "BL")
CANTONS += ("SH", "AR", "AI", "SG", "GR", "AG", "TG", "TI", "VD", "VS", "NE", "GE", "JU")
YEARS = (2024, 2025, 2026, 2027)
AREAS = (
    "information_needs_assessment_counselling",
    "language",
    "training_and_employability",
    "early_childhood",
    "living_together_participation",
    "diversity_discrimination_protection",
    "interpreting",
)
MEASURES_PER_CANTON = 35
PARTNERS_PER_CANTON = 20
AGREEMENTS_PER_CANTON = 200
DISBURSEMENTS = 1_000_000
INDICATOR_VALUES = 100_000
#: The generator's version: data made by another version is made again.
DATA_VERSION = "1"


def database_name(service: str) -> str:
    return f"{PREFIX}_{service}"


def database_url(service: str) -> str:
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{database_name(service)}"


def programme_id(canton: str) -> uuid.UUID:
    return seed_uuid("programme", f"{canton}-KIP3")


def area_id(code: str) -> uuid.UUID:
    return seed_uuid("funding-area", f"KIP3/{code}")


def strategic_goal_id(area_position: int, n: int) -> uuid.UUID:
    return seed_uuid("goal", f"KIP3/{area_position}.{n}")


def partner_id(canton: str, n: int) -> uuid.UUID:
    return seed_uuid("partner", f"bench/{canton}/{n}")


def measure_id(canton: str, n: int) -> uuid.UUID:
    return seed_uuid("measure", f"bench/{canton}/{n}")


def outcome_goal_id(canton: str, area_position: int) -> uuid.UUID:
    return seed_uuid("goal", f"bench/{canton}/{area_position}")


def agreement_id(canton: str, n: int) -> uuid.UUID:
    return seed_uuid("agreement", f"bench/{canton}/{n}")


def measure_of_agreement(n: int) -> int:
    return n % MEASURES_PER_CANTON


def area_of_measure(n: int) -> int:
    """0-based position of the measure's funding area (five measures per area)."""
    return n % len(AREAS)


def partner_of_measure(n: int) -> int:
    return n % PARTNERS_PER_CANTON


def _plain(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def copy_rows(cur: psycopg.Cursor[Any], table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """COPY rows into a service's table; columns a row leaves out get the model's plain defaults."""
    now = dt.datetime.now(dt.UTC)
    defaults: dict[str, Any] = {"created_at": now, "updated_at": now, "version": 1, "illustrative": True}
    for column in table.columns:
        if column.name not in defaults and column.default is not None and column.default.is_scalar:
            defaults[column.name] = getattr(column.default, "arg", None)
        elif column.name not in defaults and isinstance(getattr(column.server_default, "arg", None), str):
            defaults[column.name] = column.server_default.arg  # type: ignore[union-attr]  # a plain literal
    columns = [c.name for c in table.columns]
    count = 0
    with cur.copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_plain(row[c] if c in row else defaults.get(c)) for c in columns])
            count += 1
    return count


def connect(service: str) -> psycopg.Connection[Any]:
    return psycopg.connect(database_url(service), autocommit=False)
