"""The public notice (公示) of a published plan and the objections (异议) workers raise on it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import Base, utcnow
from approvals.i18n import N_
from approvals.models.accounts import User
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


# Where an objection stands (domain.md §8: 受理 → 核实 → 答复 → 办结); each step moves it one on.
OBJECTION_STATUSES = {
    "received": N_("待受理"),
    "accepted": N_("已受理，待核实"),
    "verified": N_("已核实，待答复"),
    "replied": N_("已答复，待办结"),
    "closed": N_("已办结"),
}


class Objection(Base):
    """A worker's objection to a published plan, as submitted on the public page, and where its
    handling stands. The steps themselves are ObjectionStep rows."""

    __tablename__ = "objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))  # checked (GB 11643), 18-character form
    phone: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    remote_addr: Mapped[str] = mapped_column(String(45))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The worker's key to follow it on the public page (with the last four characters of the ID):
    # random, never derived from the id (approvals/rules/receipt.py).
    receipt_code: Mapped[str] = mapped_column(String(12), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="received", server_default="received")
    # The answer the worker reads on the public page: the latest 答复 step's text.
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime)

    steps: Mapped[list[ObjectionStep]] = relationship(order_by="ObjectionStep.id", back_populates="objection")


class ObjectionStep(Base):
    """One step of handling an objection (受理, 核实, 答复, 办结, or the bureau's 重新办理), with its text."""

    __tablename__ = "objection_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objection.id"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    objection: Mapped[Objection] = relationship(back_populates="steps")
    user: Mapped[User] = relationship()
