"""The notification centre of the signed-in user, and the supervisor's reminder (催办)."""

from __future__ import annotations

from flask import jsonify, request

from app.api import bp, current_actor, current_user
from app.api.registry import QueryInt, endpoint
from app.api.schemas import (
    NotificationList,
    NotificationOut,
    ReadAllOut,
    ReminderIn,
    ReminderOut,
    UnreadCountOut,
)
from app.extensions import db
from app.inputs import query_int
from approvals.services.plans import get_plan
from approvals.services.supervisor_reminder import remind
from notifications import centre


def _out(item: centre.Item) -> NotificationOut:
    return NotificationOut(id=item.id, kind=item.kind, plan_id=item.plan_id, role=item.role, title=item.title,
                           message=item.message, data=item.data, created_at=item.created_at,
                           read=item.read_at is not None, read_at=item.read_at)  # fmt: skip


def _respond(model, status: int = 200):
    response = jsonify(model.model_dump(mode="json"))
    response.status_code = status
    return response


@endpoint(bp, "GET", "/notifications", summary="我的通知（最新在前），含未读数", response=NotificationList,
          errors=(401,), query={"unread": "1：只看未读", "page": QueryInt("页码，从1开始"), "per_page": QueryInt("每页条数（多于100按100）")})  # fmt: skip
def list_notifications():
    page = centre.list_notifications(
        db.session, current_user(), unread_only=request.args.get("unread") in ("1", "true"),
        page=query_int("page", 1), per_page=query_int("per_page", 20),
    )  # fmt: skip
    return _respond(NotificationList(items=[_out(i) for i in page.items], total=page.total, unread=page.unread,
                                     page=page.page, per_page=page.per_page))  # fmt: skip


@endpoint(bp, "GET", "/notifications/unread-count", summary="未读通知数", response=UnreadCountOut, errors=(401,))
def unread_count():
    return _respond(UnreadCountOut(unread=centre.unread_count(db.session, current_user())))


@endpoint(bp, "POST", "/notifications/<int:notification_id>/read", summary="标记一条通知为已读",
          response=NotificationOut, errors=(401, 404))  # fmt: skip
def read_one(notification_id: int):
    item = centre.mark_read(db.session, current_user(), notification_id)
    db.session.commit()
    return _respond(_out(item))


@endpoint(bp, "POST", "/notifications/read-all", summary="全部标记为已读", response=ReadAllOut, errors=(401,))
def read_all():
    user = current_user()
    marked = centre.mark_all_read(db.session, user)
    db.session.commit()
    return _respond(ReadAllOut(marked=marked, unread=centre.unread_count(db.session, user)))


@endpoint(bp, "POST", "/plans/<int:plan_id>/reminders", summary="督查人员催办：通知方案待办事项的办理人（记入审计）",
          body=ReminderIn, response=ReminderOut, errors=(401, 403, 404, 409), status=201)  # fmt: skip
def send_reminder(plan_id: int, body: ReminderIn):
    plan = get_plan(db.session, current_user(), plan_id, for_update=True)
    sent = remind(db.session, actor=current_actor(), plan=plan, message=body.message)
    db.session.commit()
    return _respond(ReminderOut(plan_id=plan_id, roles=sent.roles, tasks=sent.tasks, message=sent.message), 201)
