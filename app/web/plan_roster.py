"""The roster tab of the plan page: search, filters and pages in SQL, personal data only for those
who may see it (approvals.policy.sees_personal_data)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.inputs import query_int
from approvals import policy
from approvals.models import Plan, User
from approvals.paging import Page
from approvals.roster.columns import BY_KEY
from approvals.rules.content import CHANNELS
from approvals.services.roster_view import (
    RosterFilter,
    other_records,
    roster_ids,
    roster_page,
    roster_total,
    roster_workers,
)

CONTRACT_TYPES = {value: label for label, value in BY_KEY["contract_type"].choices}


def roster_tab(plan: Plan, args: Any, sees_personal_data: bool, user: User) -> dict[str, Any]:
    """The page of workers asked for and the filter that found them; for the bureau, the other plans
    on which the page's workers or their spouses appear, with a link to those it may open."""
    f = RosterFilter.from_args(args)
    number, size = query_int("page", 1), current_app.config["PAGE_SIZE"]
    ids = roster_page(plan.id, f, search_ids=sees_personal_data, page=number, per_page=size)
    total = roster_total(db.session, plan, f, roster_ids(plan.id, f, search_ids=sees_personal_data))
    # the page's ids, then their rows; the total is the roster summary's count where it keeps it
    page = Page(roster_workers(db.session, list(db.session.scalars(ids))), number, size, total)
    return {
        "filter": f,
        "page": page,
        # translated once here, not once per row of the table
        "channels": {key: _(label) for key, label in CHANNELS.items()},
        "contract_types": {key: _(label) for key, label in CONTRACT_TYPES.items()},
        "id_search_refused": bool(f.q) and f.searches_id() and not sees_personal_data,
        **_elsewhere(plan, page.items, user),
    }


def _elsewhere(plan: Plan, workers: list[Any], user: User) -> dict[str, Any]:
    if not policy.sees_data_matches(user, plan):
        return {"elsewhere": {}, "may_open": set()}
    found = other_records(db.session, plan, workers)
    plans = {r.plan.id: r.plan for records in found.values() for r in records}
    return {"elsewhere": found, "may_open": {i for i, other in plans.items() if policy.can_view(user, other)}}
