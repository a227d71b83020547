"""The roster tab of the plan page: search, filters and pages in SQL, personal data only for those
who may see it (approvals.policy.sees_personal_data)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.inputs import query_int
from approvals.models import Plan
from approvals.roster.columns import BY_KEY
from approvals.rules.content import CHANNELS
from approvals.services.roster_view import RosterFilter, roster_ids, roster_workers

CONTRACT_TYPES = {value: label for label, value in BY_KEY["contract_type"].choices}


def roster_tab(plan: Plan, args: Any, sees_personal_data: bool) -> dict[str, Any]:
    """The page of workers asked for and the filter that found them."""
    f = RosterFilter.from_args(args)
    page = db.paginate(
        roster_ids(plan.id, f, search_ids=sees_personal_data),
        page=query_int("page", 1),
        per_page=current_app.config["PAGE_SIZE"],
        max_per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
        count=True,
    )
    page.items = roster_workers(db.session, page.items)  # the page's ids, then their rows
    return {
        "filter": f,
        "page": page,
        # translated once here, not once per row of the table
        "channels": {key: _(label) for key, label in CHANNELS.items()},
        "contract_types": {key: _(label) for key, label in CONTRACT_TYPES.items()},
        "id_search_refused": bool(f.q) and f.searches_id() and not sees_personal_data,
    }
