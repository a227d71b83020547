"""The confirmation an irreversible action needs (recording a vote, a review decision, the working
group's decision, publishing, starting execution, deactivating an account, revoking a role): a checkbox
the server requires, so it holds without JavaScript too; static/js/confirm.js turns it into a dialog
that names what will happen (templates: `confirm_box` in web/forms/_fields.html)."""

from __future__ import annotations

from flask import request

FIELD = "confirmed"


def confirmed() -> bool:
    """Whether the person confirmed the action in the form just sent."""
    return request.form.get(FIELD) == "yes"
