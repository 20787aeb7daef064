"""The evaluation service's national data: every programme known to the service, an output indicator per measure
with yearly targets, and about 100,000 indicator values: totals with breakdowns by sex, age band and target group
(parts of a count add up to the total), 2024 and 2025 confirmed, 2026 reported; SEM's national indicators too."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bench import common as c
from evaluation.indicator.models import Indicator, IndicatorTarget
from evaluation.indicator_value.models import IndicatorValue
from evaluation.reference import ProgrammeRef
from evaluation.seed_data import NATIONAL_GOALS
from programme.seed_data import KIP3_AREAS

SEXES = ("female", "male", "other", "unknown")
AGE_BANDS = ("0-15", "16-25", "26-40", "41-64", "65+")
TARGET_GROUPS = tuple(f"group_{n:02d}" for n in range(22))
VALUE_YEARS = {2024: "confirmed", 2025: "confirmed", 2026: "reported"}
NOTE = "Generated for the benchmark."
SCALE = 10_000  # quantities are stored in ten-thousandths


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _values(
    rng: random.Random, indicator: Any, pid: Any, canton: str, partner: Any, percent: bool
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    now = dt.datetime.now(dt.UTC)
    for year, status in VALUE_YEARS.items():
        total = rng.randint(300, 900) if percent else rng.randint(80, 1200)
        parts: list[tuple[str, str, int]] = [("", "", total)]
        for dimension, categories in (("sex", SEXES), ("age_band", AGE_BANDS), ("target_group", TARGET_GROUPS)):
            amounts = [rng.randint(300, 900) for _ in categories] if percent else _split(total, len(categories), rng)
            parts.extend((dimension, cat, amount) for cat, amount in zip(categories, amounts, strict=True))
        for dimension, category, amount in parts:
            rows.append(
                {
                    "id": c.seed_uuid("indicator-value", f"bench/{canton}/{indicator}/{year}/{dimension}/{category}"),
                    "indicator_id": indicator,
                    "programme_id": pid,
                    "canton": canton,
                    "year": year,
                    "dimension": dimension,
                    "category": category,
                    "value": amount * SCALE // (10 if percent else 1),
                    "status": status,
                    "partner_id": partner,
                    "entered_by": f"partner:{partner}" if partner else f"canton-editor:{canton}",
                    "source": NOTE,
                    "confirmed_by": f"canton-editor:{canton}" if status == "confirmed" else None,
                    "confirmed_at": now if status == "confirmed" else None,
                }
            )
    return rows


def generate() -> dict[str, int]:
    rng = random.Random(8)  # noqa: S311 (reproducible data, not secrets)
    positions = {a["code"]: a["position"] for a in KIP3_AREAS}
    national = [c.seed_uuid("indicator", f"national/{g['code']}") for g in NATIONAL_GOALS]
    refs: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    for canton in c.CANTONS:
        pid = c.programme_id(canton)
        if canton != "BL":
            refs.append({"id": pid, "canton": canton, "period_code": "KIP3", "first_year": 2024, "last_year": 2027})
            for iid in national:  # BL's seeded values of the national indicators stay as they are
                values.extend(_values(rng, iid, pid, canton, None, percent=True))
        for n in range(c.MEASURES_PER_CANTON):
            iid = c.seed_uuid("indicator", f"bench/{canton}/{n}")
            code = c.AREAS[c.area_of_measure(n)]
            indicators.append(
                {
                    "id": iid,
                    "programme_id": pid,
                    "canton": canton,
                    "goal_id": c.outcome_goal_id(canton, positions[code]),
                    "measure_id": c.measure_id(canton, n),
                    "national_goal_id": None,
                    "code": f"{canton}-I{n:02d}",
                    "title": f"Teilnehmende der Massnahme {n} ({canton})",
                    "level": "output",
                    "unit": "count",
                    "direction": "higher_is_better",
                    "aggregation": "sum",
                    "source": NOTE,
                }
            )
            targets.extend(
                {"indicator_id": iid, "year": year, "value": rng.randint(100, 1000) * SCALE, "source": NOTE}
                for year in c.YEARS
            )
            partner = c.partner_id(canton, c.partner_of_measure(n))
            values.extend(_values(rng, iid, pid, canton, partner, percent=False))
    counts = {}
    with c.connect("evaluation") as conn, conn.cursor() as cur:
        for model, rows in (
            (ProgrammeRef, refs),
            (Indicator, indicators),
            (IndicatorTarget, targets),
            (IndicatorValue, values),
        ):
            counts[model.__tablename__] = c.copy_rows(cur, model.__table__, rows)  # type: ignore[arg-type]
    return counts
