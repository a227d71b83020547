"""The home page: what waits for the user, then one section per role they hold.

A role's section is a function registered with `@dashboard(role)` that returns the context of
the template `web/home/_<role>.html`; the area modules (enterprise, bureau, …) register theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, render_template
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.session import web_user
from approvals.models import HumanTask, Plan, Role, User
from approvals.process import Task
from approvals.queries.plan_list import LIST_ONLY
from approvals.services.inbox import open_tasks_for
from approvals.services.return_reasons import SOURCE_LABELS, open_reasons_of, source_of

Dashboard = Callable[[User], dict[str, Any]]
DASHBOARDS: dict[Role, Dashboard] = {}
ROLE_ORDER = list(Role)


# Roles whose section is itself the list of their tasks (the bureau's review queue): a user holding
# only such roles gets no separate "my tasks" list repeating it.
LISTS_TASKS: set[Role] = set()
TASK_ROLES = {Role.ENTERPRISE, Role.UNION, Role.BUREAU, Role.WORKING_GROUP}


def dashboard(role: Role, lists_tasks: bool = False) -> Callable[[Dashboard], Dashboard]:
    def register(fn: Dashboard) -> Dashboard:
        DASHBOARDS[role] = fn
        if lists_tasks:
            LISTS_TASKS.add(role)
        return fn

    return register


HOME_TASKS = 20  # the first tasks on the home page; the rest on the tasks page


def _my_tasks(user: User) -> Select[tuple[HumanTask]]:
    return open_tasks_for(user).options(
        contains_eager(HumanTask.plan).options(contains_eager(Plan.enterprise), *LIST_ONLY)
    )


@bp.get("/")
def home():
    user = web_user()
    if not (user.roles & TASK_ROLES) - LISTS_TASKS:
        tasks, total = [], None  # nothing but what a section lists already
    else:
        tasks = db.session.scalars(_my_tasks(user).limit(HOME_TASKS)).all()
        total = len(tasks)
    if total == HOME_TASKS:
        total = db.session.scalar(select(func.count()).select_from(open_tasks_for(user).order_by(None).subquery()))
    sections = [(role, DASHBOARDS[role](user)) for role in ROLE_ORDER if role in user.roles and role in DASHBOARDS]
    return render_template("web/home.html", tasks=tasks, total=total, sections=sections, **task_reasons(tasks))


def task_reasons(tasks: Iterable[HumanTask]) -> dict[str, Any]:
    """What the task list shows beside a drafting task: the open reasons of the return that caused it."""
    drafting = [t.plan_id for t in tasks if t.bpmn_id == Task.DRAFT_PLAN]
    return {"task_reasons": open_reasons_of(db.session, drafting), "source_labels": SOURCE_LABELS,
            "source_of": source_of}  # fmt: skip


@bp.get("/tasks")
def tasks():
    """All my open tasks, oldest first, a page at a time."""
    page = db.paginate(_my_tasks(web_user()), page=query_int("page", 1),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)  # fmt: skip
    return render_template("web/tasks.html", page=page, **task_reasons(page.items))
