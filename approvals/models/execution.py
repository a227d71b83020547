"""The execution ledger (实施台账, domain.md §6): what became of each worker of a published plan."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from approvals.db import Base, utcnow


class ExecutionRecord(Base):
    """One worker's execution record: the agreement, the end of the relation, the money, the transfers and
    the outcome, each part with who entered it and when (`entered`)."""

    __tablename__ = "execution_record"
    __table_args__ = (
        UniqueConstraint("plan_id", "worker_id"),
        Index("ix_execution_record_plan", "plan_id", "worker_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("roster_worker.id"))
    # The agreement signed with the worker (approvals/execution/items.py AGREEMENT_KINDS) and its date.
    agreement_kind: Mapped[str | None] = mapped_column(String(30))
    agreement_signed_on: Mapped[date | None] = mapped_column(Date)
    # The day the labour relation ended and the certificate of it (劳动合同法 Art 50 ¶1, 实施条例 Art 24).
    terminated_on: Mapped[date | None] = mapped_column(Date)
    certificate_issued_on: Mapped[date | None] = mapped_column(Date)
    # Severance: the amount due recomputed at terminated_on (None: not computable yet), and the payment.
    severance_due: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    severance_paid: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    severance_paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    # Wage and social-insurance arrears owed to the worker, and the day they were settled (0: none owed).
    arrears_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    arrears_settled_on: Mapped[date | None] = mapped_column(Date)
    # 劳动合同法 Art 50 ¶1: social-insurance and personnel-file transfer within 15 days of the end.
    insurance_transferred_on: Mapped[date | None] = mapped_column(Date)
    file_transferred_on: Mapped[date | None] = mapped_column(Date)
    # 失业保险条例 Art 16: the unemployment list to the insurance agency within 7 days of the end.
    unemployment_listed_on: Mapped[date | None] = mapped_column(Date)
    # The placement outcome (items.OUTCOME_KINDS) and its facts (items.OUTCOME_FIELDS), dates as ISO text.
    outcome_kind: Mapped[str | None] = mapped_column(String(30))
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Who entered each part, and when: {part: {"by": user id, "name": display name, "at": ISO moment}}.
    entered: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The deadline messages sent for this record, once each: {period key: "near" | "overdue"}.
    reminded: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PlanAmendment(Base):
    """A published plan changed (方案变更): the execution stage interrupted, the plan back at drafting for a new
    revision, a new congress vote and a new bureau review. Written when the enterprise starts it; `published_at`
    when the amended plan is published, `resumed_at` when execution resumes through the gate again. The
    workers' execution records are kept throughout (they stay attached to the roster rows, which a roster import
    updates in place by ID number)."""

    __tablename__ = "plan_amendment"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1-based within the plan
    reason: Mapped[str] = mapped_column(Text)
    # The published revision the amendment starts from (the reviewer's diff is against it).
    from_revision: Mapped[int] = mapped_column(Integer)
    published_hash: Mapped[str] = mapped_column(String(64))
    # When execution had started before the amendment (kept: execution resumes with its first start).
    execution_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    resumed_at: Mapped[datetime | None] = mapped_column(DateTime)
