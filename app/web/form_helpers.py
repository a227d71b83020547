"""Helpers for the forms of the review and working-group pages: choices, and a service's refusal
shown on the form the user filled in, nothing they typed lost."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice

from app.web.form_fields import attach_details
from app.web.i18n import say
from approvals.errors import ApprovalError

Locate = Callable[[str], Field | None]


def choices(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options; labels may be lazy translations."""
    return [SelectChoice(value, label) for value, label in pairs]


def show_refusal(form: FlaskForm, exc: ApprovalError, locate: Locate | None = None) -> str:
    """Put each problem of the refusal on the field it names (`attach_details`, fields found by
    `locate`); return the message for the whole form: the refusal's own, then every problem no field
    could show."""
    return " ".join(dict.fromkeys(str(say(m)) for m in [exc.message, *attach_details(form, exc, locate)]))
