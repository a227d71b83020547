"""Reference data: regions (GB/T 2260), enterprises and joint working groups."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import Base
from approvals.i18n import N_

INDUSTRIES = {
    "steel": N_("钢铁"),
    "coal": N_("煤炭"),
    "cement": N_("水泥"),
    "flat_glass": N_("平板玻璃"),
    "coke": N_("焦炭"),
    "thermal_power": N_("火电"),
}


def region_prefix(code: str) -> str:
    """The part of a GB/T 2260 code that every region below it shares (130000 → 13)."""
    prefix = code
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def region_covers(outer: str, inner: str) -> bool:
    """True when region `inner` lies within (or is) region `outer`."""
    return inner.startswith(region_prefix(outer))


class Region(Base):
    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(10))  # province | city | county
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))


class Enterprise(Base):
    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    industry: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    headcount: Mapped[int] = mapped_column(Integer)
    zombie: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_group: Mapped[str | None] = mapped_column(String(200))

    region: Mapped[Region] = relationship(lazy="joined")


class WorkingGroup(Base):
    """A joint working group (联合工作组) covering a region."""

    __tablename__ = "working_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
