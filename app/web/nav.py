"""The navigation bar: each entry names the roles that see it; modules add their pages here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from flask import Flask
from flask_babel import format_decimal

from app.web.session import web_user
from app.web.tasks import task_url
from approvals import process
from approvals.i18n import N_
from approvals.models import ROLE_LABELS, Role, User


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    roles: frozenset[Role] | None = None  # None: everyone logged in
    badge: str = ""


NAV: list[NavItem] = [
    NavItem("web.home", N_("首页")),
    NavItem("web.tasks", N_("我的待办")),
    NavItem("web.plan_list", N_("方案查询"), frozenset({Role.SUPERVISOR, Role.ENTERPRISE, Role.UNION})),
    NavItem("web.notifications", N_("通知")),
    NavItem("web.audit_trail", N_("审计记录"), frozenset({Role.SUPERVISOR, Role.ADMIN})),
    NavItem("web.admin_users", N_("系统管理"), frozenset({Role.ADMIN})),
]


# A count shown beside an entry (unread notifications…), by endpoint: one cheap query each per page view.
BADGES: dict[str, Callable[[User], int]] = {}


def nav_items() -> list[NavItem]:
    user = web_user()
    items = [item for item in NAV if item.roles is None or item.roles & user.roles]
    return [_counted(item, user) if item.endpoint in BADGES else item for item in items]


def _counted(item: NavItem, user: User) -> NavItem:
    count = BADGES[item.endpoint](user)
    return replace(item, badge=format_decimal(count)) if count else item


def init(app: Flask) -> None:
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.globals.update(nav_items=nav_items, role_labels=ROLE_LABELS, task_url=task_url)
    app.jinja_env.globals.update(process.TEMPLATE_NAMES)  # Task, Status, ...: the process vocabulary
