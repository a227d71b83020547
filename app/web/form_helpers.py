"""Helpers for the forms of the review and working-group pages: choices, and a service's refusal
shown on the form the user filled in, nothing they typed lost."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice

from approvals.errors import ApprovalError

Locate = Callable[[str], Field | None]


def choices(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options; labels may be lazy translations."""
    return [SelectChoice(value, label) for value, label in pairs]


def show_refusal(form: FlaskForm, exc: ApprovalError, locate: Locate | None = None) -> str:
    """Put each problem of an `Invalid` on the field it names (`details[i]["field"]`, found by
    `locate`, by default the form field of that name); return the message for the whole form:
    the refusal's own, then every problem no field could show."""
    find = locate or (lambda name: form._fields.get(name))
    messages = [exc.message]
    for problem in exc.details if isinstance(exc.details, list) else []:
        if not isinstance(problem, dict):
            continue
        message = str(problem.get("message") or exc.message)
        field = find(str(problem.get("field", "")))
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            messages.append(message)
    return " ".join(dict.fromkeys(messages))
