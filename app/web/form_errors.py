"""A service's refusal shown on the form that asked for it: under the field it names, else above it."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from app.extensions import db
from approvals.errors import ApprovalError


def refuse(form: FlaskForm, exc: ApprovalError) -> None:
    """Roll back what the service began and attach its message for the re-rendered form
    (the user's input stays in the form)."""
    db.session.rollback()
    shown = False
    for detail in exc.details if isinstance(exc.details, list) else []:
        field = form._fields.get(str(detail.get("field")))
        if field is not None:
            field.errors = [*field.errors, detail.get("message") or exc.message]
            shown = True
    if not shown:
        flash(exc.message, "danger")
