"""Outbound notifications: listens to approvals.signals, never imported by approvals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from approvals.db import utcnow
from approvals.models import Plan
from approvals.signals import plan_event
from notifications.models import Notification

KIND_LABELS = {
    "task_ready": "有待办事项",
    "plan_returned": "方案被退回",
    "vote_recorded": "职代会表决结果已录入",
    "review_overdue": "审核超期",
    "plan_published": "方案已公布",
}


def _on_plan_event(plan: Plan, *, session: Any, kind: str, roles: list[str],
                   payload: dict[str, Any]) -> None:  # fmt: skip
    rows = [{"plan_id": plan.id, "kind": kind, "recipient_role": str(role), "status": "pending", "attempts": 0,
             "payload": {"title": plan.title, **payload}, "created_at": utcnow()} for role in roles]  # fmt: skip
    # One multi-row INSERT for all recipients; pending plan changes are flushed once, later.
    with session.no_autoflush:
        session.execute(insert(Notification), rows)


def connect() -> None:
    """Write an outbox row for every plan event, in the same session."""
    plan_event.connect(_on_plan_event, weak=False)
