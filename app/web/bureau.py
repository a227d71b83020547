"""The bureau reviewer's home section: the review queue of the plans in their region.

Overdue reviews first, then by deadline; the search and filters are the plan list's
(approvals/queries/plan_list.py), query parameters, so a filtered view is a link. Four queries whatever
the number of plans: the count, the page's ids in order, those plans, and their deadlines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.inputs import query_int
from app.web.home import dashboard
from app.web.plan_filters import PlanFilterForm
from approvals.db import utcnow
from approvals.deadlines import REMIND_WORKING_DAYS, Standing, standing
from approvals.models import INDUSTRIES, HumanTask, Role, User
from approvals.process import Status
from approvals.queries import plan_list
from approvals.queries.plan_list import REVIEW_TASK, RISK_LEVELS, PlanFilter
from approvals.services.supervision import escalated_at
from approvals.services.workflow import STATUS_LABELS

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """Where a waiting review stands against its deadline."""

    standing: Standing | None  # last day and working days left; None: a review without a deadline
    days_overdue: int  # whole calendar days past the deadline (rounded up), 0 before it
    escalated: bool  # the deadline passed and the supervisor was told
    counted_at: datetime | None = None  # when the review reached the bureau and its deadline was counted

    @property
    def overdue(self) -> bool:
        return self.standing is not None and self.standing.overdue


def deadlines(plan_ids: list[int], now: datetime) -> dict[int, Deadline]:
    """The review deadline of each plan of the page that waits for review, in one query.

    The due time is the review task's `due_at` (working days, approvals/deadlines.py), shown as its
    last day and the working days left, as every deadline is; once it has passed the review is
    escalated to the supervisor and stays open.
    """
    if not plan_ids:
        return {}
    rows = db.session.execute(
        select(HumanTask.plan_id, HumanTask.due_at, escalated_at(), HumanTask.ready_at).where(
            HumanTask.plan_id.in_(plan_ids), HumanTask.bpmn_id == REVIEW_TASK, HumanTask.completed_at.is_(None)
        )
    ).all()
    found = {}
    for plan_id, due, escalation, ready_at in rows:
        place = standing(due, now, started_at=ready_at) if due else None
        late = math.ceil((now - due) / DAY) if place and place.overdue else 0
        found[plan_id] = Deadline(place, late, escalation is not None, ready_at)
    return found


@dashboard(Role.BUREAU, lists_tasks=True)
def bureau_home(user: User) -> dict[str, Any]:
    form = PlanFilterForm(user, (Role.BUREAU,), default_status=Status.REVIEW)
    filters = form.chosen()
    wanted = PlanFilter.of(filters, default_status=Status.REVIEW)
    now = utcnow()
    total = plan_list.count(db.session, user, (Role.BUREAU,), wanted)
    page = plan_list.page_of(db.session, plan_list.review_queue(user, wanted, now), total, query_int("page", 1),
                             current_app.config["PAGE_SIZE"])  # fmt: skip
    return {
        "form": form,
        "filters": filters,
        "page": page,
        "deadlines": deadlines([p.id for p in page.items], now),
        "remind_days": REMIND_WORKING_DAYS,  # from then on the deadline is near: the reviewer was reminded
        # translated once per page, not once per row
        "risk_levels": {k: _(v) for k, v in RISK_LEVELS.items()},
        "status_labels": {k: _(v) for k, v in STATUS_LABELS.items()},
        "industries": {k: _(v) for k, v in INDUSTRIES.items()},
        "revision_label": _("第%(n)s版"),
    }
