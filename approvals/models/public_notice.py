"""The public notice (公示) of a published plan and the objections (异议) workers raise on it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import Base, utcnow
from approvals.models.plans import Plan


class PublicNotice(Base):
    """Opened when the plan is published: the unguessable link and the objection window."""

    __tablename__ = "public_notice"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), primary_key=True)
    # The only key to the page: random, URL-safe, never derived from the plan's id.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    opens_at: Mapped[datetime] = mapped_column(DateTime)
    # Fixed at publication, so a later change of the parameter never moves an announced date.
    closes_at: Mapped[datetime] = mapped_column(DateTime)

    plan: Mapped[Plan] = relationship()

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class Objection(Base):
    """A worker's objection to a published plan, as submitted on the public page."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))  # checked (GB 11643), 18-character form
    phone: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    remote_addr: Mapped[str] = mapped_column(String(45))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
