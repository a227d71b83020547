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
    __table_args__ = (Index("ix_human_task_open", "lane", "completed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    task_uuid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(50))
    ready_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    plan: Mapped[Plan] = relationship(lazy="raise_on_sql")  # load it explicitly (inbox pages)
