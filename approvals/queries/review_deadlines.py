"""Where each waiting review stands against its deadline: the bureau's queue and the review page read it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.deadlines import Standing, standing
from approvals.models import HumanTask
from approvals.queries.plan_list import REVIEW_TASK
from approvals.services.supervision import escalated_at

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


def review_deadlines(session: Session, plan_ids: list[int], now: datetime) -> dict[int, Deadline]:
    """The review deadline of each plan of the page that waits for review, in one query.

    The due time is the review task's `due_at` (working days, approvals/deadlines.py), shown as its
    last day and the working days left, as every deadline is; once it has passed the review is
    escalated to the supervisor and stays open.
    """
    if not plan_ids:
        return {}
    rows = session.execute(
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
