"""Dated values of the legal parameters (approvals/rules/parameters.py) and the minimum-wage tier of each
county: reference data the administrator edits, each row kept (a correction is a later row, never an edit)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from approvals.db import Base, utcnow


class ParameterValue(Base):
    """A parameter's value from `effective_from` on, until a later effective_from (issue 11 §6)."""

    __tablename__ = "parameter_value"
    __table_args__ = (Index("ix_parameter_value_key", "key", "effective_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date] = mapped_column(Date)
    value: Mapped[str] = mapped_column(String(200))  # canonical text (rules.parameters.stored_text)
    basis: Mapped[str] = mapped_column(String(200))  # the document the value was set under
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: seeded by the system
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RegionWageTier(Base):
    """The minimum-wage tier (一至四类) of a county-level division from `effective_from` on."""

    __tablename__ = "region_wage_tier"
    __table_args__ = (Index("ix_region_wage_tier_region", "region_code", "effective_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    effective_from: Mapped[date] = mapped_column(Date)
    tier: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(200))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
