"""Workflow persistence: process versions, per-plan instance state and the task mirror."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import Base, utcnow

if TYPE_CHECKING:
    from approvals.models.plans import Plan


class ProcessVersion(Base):
    """One version of the process files, stored once, keyed by the hash of the files."""

    __tablename__ = "process_version"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100))
    spec_json: Mapped[str] = mapped_column(Text)
    sources: Mapped[dict[str, str] | None] = mapped_column(JSON)  # file name -> the BPMN/DMN XML
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WorkflowInstance(Base):
    """The engine state of one plan's process, without the spec."""

    __tablename__ = "workflow_instance"
    # The review deadline by plan without reading the (large) engine state beside it.
    __table_args__ = (Index("ix_workflow_instance_timer", "plan_id", "next_timer_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), unique=True)
    process_version: Mapped[str] = mapped_column(ForeignKey("process_version.hash"))
    state: Mapped[str] = mapped_column(Text)
    completed: Mapped[bool] = mapped_column(default=False)
    next_timer_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class HumanTask(Base):
    """A ready user task, mirrored so inboxes never deserialize a workflow."""

    __tablename__ = "human_task"
    # Open tasks by lane (inboxes); a plan's open task of one step and since when (the review
    # queue's order), read from the index alone.
    __table_args__ = (
        Index("ix_human_task_open", "lane", "completed_at"),
        Index("ix_human_task_plan_step", "plan_id", "bpmn_id", "completed_at", "ready_at"),
        Index("ix_human_task_deadline", "bpmn_id", "completed_at", "due_at"),  # the review queue, in deadline order
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    task_uuid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(50))
    ready_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A task with a timer (the review deadline): when it is due, when to say it is near, and
    # when that was said (approvals.deadlines; the worker sends the reminder once).
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    remind_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    plan: Mapped[Plan] = relationship(lazy="raise_on_sql")  # load it explicitly (inbox pages)
