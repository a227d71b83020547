"""A service's refusal shown on the form that asked for it: under the field it names, else above it."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from app.extensions import db
from app.web.form_fields import attach_details
from app.web.i18n import say
from approvals.errors import ApprovalError


def refuse(form: FlaskForm, exc: ApprovalError) -> None:
    """Roll back what the service began and attach its message for the re-rendered form
    (the user's input stays in the form)."""
    db.session.rollback()
    for message in dict.fromkeys(attach_details(form, exc)):
        flash(say(message), "danger")
