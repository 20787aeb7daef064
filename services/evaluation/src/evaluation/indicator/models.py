"""Indicators (per goal or measure, or national for SEM's Integration Agenda goals), their yearly targets, and the
rules between indicators' values."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evaluation.database import Base
from evaluation.quantity import QuantityType
from kit.db import IdMixin, TimestampMixin, VersionedMixin


class NationalGoal(IdMixin, TimestampMixin, Base):
    """A goal SEM sets for every canton, such as the five impact goals of the Integration Agenda."""

    __tablename__ = "national_goal"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)


class Indicator(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "indicator"

    #: None for SEM's national indicators, whose values every programme reports.
    programme_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    canton: Mapped[str | None] = mapped_column(String(2), index=True)
    goal_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    measure_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    national_goal_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("national_goal.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(10))
    baseline: Mapped[Decimal | None] = mapped_column(QuantityType)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(20))
    aggregation: Mapped[str] = mapped_column(String(10))
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)


class IndicatorTarget(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "indicator_target"

    indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[Decimal] = mapped_column(QuantityType)
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(Text)


class IndicatorRule(IdMixin, TimestampMixin, Base):
    """A plausibility rule between two indicators: the lower's value never exceeds the upper's for the same
    programme, year and breakdown (e.g. course completers ≤ course participants)."""

    __tablename__ = "indicator_rule"
    __table_args__ = (UniqueConstraint("lower_indicator_id", "upper_indicator_id"),)

    lower_indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    upper_indicator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    canton: Mapped[str | None] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(String(300))
