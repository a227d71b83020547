"""Notifications: listens to approvals.signals, never imported by approvals.

Each plan event becomes, in the same session and so the same transaction, one in-app
notification per user the event is for (every active user whose grant of one of the event's roles
reaches the plan; one row per user however many such grants they hold) and, while email is on,
one outbox row per such user with an email address. Two statements per event at most: an
INSERT … SELECT over the grants, and one over the rows just inserted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, func, insert, literal, select, update

from approvals import policy
from approvals.db import utcnow
from approvals.models import Plan, Role, RoleGrant, User
from approvals.signals import plan_event, task_closed
from notifications.models import EmailOutbox, Notification

_settings = {"email": False}
# What is said about a task while it waits (its payload names it): done once the task is.
ABOUT_A_TASK = ("task_ready", "deadline_near", "review_overdue", "vote_overdue")


def email_enabled() -> bool:
    return _settings["email"]


def _on_plan_event(plan: Plan, *, session: Any, kind: str, roles: list[str],
                   payload: dict[str, Any]) -> None:  # fmt: skip
    now = utcnow()
    body = {"title": plan.title, "enterprise": plan.enterprise.name, **payload}
    recipients = (
        select(
            RoleGrant.user_id,
            func.min(RoleGrant.role),
            literal(plan.id, Integer),
            literal(kind, String),
            literal(body, JSON),
            literal(now, DateTime),
        )
        .join(User, User.id == RoleGrant.user_id)
        .where(User.active.is_(True), policy.grants_reaching(plan, [Role(r) for r in roles]))
        .group_by(RoleGrant.user_id)
    )
    rows = insert(Notification).from_select(["user_id", "role", "plan_id", "kind", "payload", "created_at"], recipients)
    # Pending plan changes are flushed once, later: these rows need none of them.
    with session.no_autoflush:
        if not _settings["email"]:
            session.execute(rows)
            return
        ids = list(session.scalars(rows.returning(Notification.id)))
        if not ids:
            return
        emails = (
            select(
                Notification.id,
                User.email,
                literal("pending", String),
                literal(0, Integer),
                literal(now, DateTime),
                literal(now, DateTime),
            )
            .join(User, User.id == Notification.user_id)
            .where(Notification.id.in_(ids), User.email.is_not(None), User.email != "")
        )
        session.execute(
            insert(EmailOutbox).from_select(
                ["notification_id", "to_address", "status", "attempts", "next_attempt_at", "created_at"], emails
            )
        )


def _on_task_closed(plan: Plan, *, session: Any, task: str) -> None:
    """Mark done (read, for everyone who was told) what was said about a task that is done: it no longer
    waits in anyone's unread list, whoever of the lane did it."""
    with session.no_autoflush:
        session.execute(
            update(Notification)
            .where(Notification.plan_id == plan.id, Notification.read_at.is_(None),
                   Notification.kind.in_(ABOUT_A_TASK), Notification.payload["task"].as_string() == task)
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )  # fmt: skip


def connect(*, email: bool = False) -> None:
    """Write the notifications of every plan event in its session; with `email`, the outbox too. Mark
    those about a task done when the task is."""
    _settings["email"] = email
    plan_event.connect(_on_plan_event, weak=False)
    task_closed.connect(_on_task_closed, weak=False)
