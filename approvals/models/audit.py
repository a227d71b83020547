"""The append-only audit trail: one hash chain per plan, plus signed checkpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from approvals.db import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain: Mapped[str] = mapped_column(String(40))  # "plan:<id>" or "system"
    seq: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60), index=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    remote_addr: Mapped[str] = mapped_column(String(45))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The head of one chain ("plan:<id>", "system", or "checkpoints" for the checkpoints' own
    sequence), version-locked on its own row: appending to a plan's trail never stales the plan."""

    __tablename__ = "audit_head"

    chain: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class AuditCheckpoint(Base):
    """A signed snapshot of every chain's head: detects truncated tails and rewritten chains.

    Checkpoints form a chain of their own: each is numbered (`seq`, 1, 2, …) and signs the previous
    one's signature, so a deleted or replaced checkpoint shows as a gap (approvals/audit_checkpoints.py).
    """

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    heads: Mapped[str] = mapped_column(Text)  # canonical JSON {chain: [seq, hash]}
    heads_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of `heads`, which the signature covers
    prev_signature: Mapped[str] = mapped_column(String(64), default="")
    # 1: signed over `heads` alone (before checkpoints were chained); 2: over seq, prev, time, heads_hash.
    scheme: Mapped[int] = mapped_column(Integer, default=2)
    signature: Mapped[str] = mapped_column(String(64))
