"""The notification centre: my notifications, newest first, unread ones highlighted, each linking to its
plan (and to the task that waits, where a page does it); mark one or all read. The navigation bar shows
the unread count (one indexed COUNT per page view).

Everything goes through `notifications.centre`: another user's notification is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.i18n import select_locale
from app.web.nav import BADGES
from app.web.session import safe_next, web_user
from app.web.tasks import task_url
from approvals.models import HumanTask, User
from approvals.paging import Page
from notifications import centre

OBJECTION_KINDS = ("objection_received", "objection_step")


def _unread(user: User) -> int:
    return centre.unread_count(db.session, user)


BADGES["web.notifications"] = _unread


def _open_tasks(items: list[centre.Item]) -> set[tuple[int, str]]:
    """(plan, task) of the tasks the page's notifications name that are still open: one query."""
    plans = {i.plan_id for i in items if i.plan_id is not None and isinstance(i.data.get("task"), str)}
    if not plans:
        return set()
    rows = db.session.execute(select(HumanTask.plan_id, HumanTask.bpmn_id)
                              .where(HumanTask.plan_id.in_(plans), HumanTask.completed_at.is_(None)))  # fmt: skip
    return {(plan_id, bpmn_id) for plan_id, bpmn_id in rows}


def task_done(item: centre.Item, open_tasks: set[tuple[int, str]]) -> bool:
    """Whether the task a notification is about has been done (or withdrawn): it no longer waits."""
    task = item.data.get("task")
    return item.plan_id is not None and isinstance(task, str) and (item.plan_id, task) not in open_tasks


def links(item: centre.Item, open_tasks: set[tuple[int, str]]) -> list[tuple[str, str]]:
    """Where a notification leads: the task's page while it still waits, the objections, the plan."""
    if item.plan_id is None:
        return []
    found = []
    task = item.data.get("task")
    if isinstance(task, str) and (item.plan_id, task) in open_tasks and (url := task_url(task, item.plan_id)):
        found.append((_("去办理"), url))
    if item.kind in OBJECTION_KINDS:
        found.append((_("查看异议"), url_for("web.plan_objections", plan_id=item.plan_id)))
    if item.kind == "execution_service_recorded":
        found.append((_("查看就业服务"), url_for("web.execution_services", plan_id=item.plan_id)))
    found.append((_("查看方案"), url_for("web.plan", plan_id=item.plan_id)))
    return found


@bp.get("/notifications")
def notifications():
    unread_only = request.args.get("unread") == "1"
    page = centre.list_notifications(db.session, web_user(), unread_only=unread_only,
                                     page=query_int("page", 1),
                                     per_page=current_app.config["PAGE_SIZE"], interface=select_locale())  # fmt: skip
    waiting = _open_tasks(page.items)
    return render_template("web/notifications.html", page=Page(page.items, page.page, page.per_page, page.total),
                           unread=page.unread, unread_only=unread_only,
                           items=[(i, links(i, waiting), task_done(i, waiting)) for i in page.items])  # fmt: skip


def _back(default: dict[str, Any]) -> str:
    return safe_next(request.form.get("next"), url_for("web.notifications", **default))


@bp.post("/notifications/<int:notification_id>/read")
def read_notification(notification_id: int):
    centre.mark_read(db.session, web_user(), notification_id)
    db.session.commit()
    return redirect(_back({}))


@bp.post("/notifications/read-all")
def read_all_notifications():
    marked = centre.mark_all_read(db.session, web_user())
    db.session.commit()
    flash(
        _("已将 %(n)s 条通知标为已读。", n=marked) if marked else _("没有未读通知。"), "success" if marked else "info"
    )
    return redirect(_back({}))
