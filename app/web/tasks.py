"""Which page does each task of the process: the plan page links its open tasks through this map.

A module that owns a task's form registers its view with `@task_form("bpmn_task_id")`; the view
takes `plan_id` as its only URL argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import url_for

View = TypeVar("View", bound=Callable[..., Any])
TASK_FORMS: dict[str, str] = {}  # BPMN user-task id -> endpoint of its form


def task_form(bpmn_id: str) -> Callable[[View], View]:
    def register(view: View) -> View:
        TASK_FORMS[bpmn_id] = f"web.{view.__name__}"
        return view

    return register


def task_url(bpmn_id: str, plan_id: int) -> str | None:
    """The form for this task of this plan, or None where no page does it."""
    endpoint = TASK_FORMS.get(bpmn_id)
    return url_for(endpoint, plan_id=plan_id) if endpoint else None
