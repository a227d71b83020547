"""The in-app notification centre: a user's own notifications, read and unread.

Functions take the session and the user; they flush, never commit (the view commits). Titles and
messages are rendered in the user's language (notifications/messages.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from approvals.db import utcnow
from approvals.errors import NotFound
from approvals.i18n import N_, Text
from approvals.models import User
from notifications.messages import language_of, render
from notifications.models import Notification

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Item:
    id: int
    kind: str
    plan_id: int | None
    role: str
    title: str
    message: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True)
class Page:
    items: list[Item]
    total: int
    unread: int
    page: int
    per_page: int


def as_item(notification: Notification, user: User, interface: str | None = None) -> Item:
    """The notification as the user reads it: in `language_of(user, interface)`."""
    words = render(notification.kind, notification.payload, language=language_of(user, interface),
                   user_name=user.display_name,
                   role=notification.role, plan_id=notification.plan_id, body=False)  # fmt: skip
    return Item(notification.id, notification.kind, notification.plan_id, notification.role, words.subject,
                words.summary, notification.payload, notification.created_at, notification.read_at)  # fmt: skip


def unread_count(session: Session, user: User) -> int:
    return (
        session.scalar(select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))) or 0
    )


def list_notifications(session: Session, user: User, *, unread_only: bool = False, page: int = 1,
                       per_page: int = 20, interface: str | None = None) -> Page:  # fmt: skip
    """Newest first; `per_page` at most MAX_PER_PAGE; in the language of `as_item`."""
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    mine = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        mine = mine.where(Notification.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    rows = session.scalars(mine.order_by(Notification.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return Page([as_item(n, user, interface) for n in rows], total, unread_count(session, user), page, per_page)


def mark_read(session: Session, user: User, notification_id: int) -> Item:
    """Mark one of the user's notifications read (again: no change); another's is 404."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("notification_not_found", Text(N_("通知不存在。")))
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return as_item(notification, user)


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notification of the user read; returns how many were unread."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
