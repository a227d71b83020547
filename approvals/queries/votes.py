"""The union's view of its enterprises' congress votes: the plans waiting for a vote (oldest first) and the
votes recorded lately."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from approvals.models import CongressVote, Enterprise, HumanTask, Plan
from approvals.process import Task

RECENT_VOTES = 20


def waiting_votes(session: Session, enterprise_ids: list[int]) -> Sequence[Row[tuple[Plan, datetime, datetime | None]]]:
    """Each plan of the enterprises waiting for its congress vote, with when it began waiting and its due time."""
    return session.execute(
        select(Plan, HumanTask.ready_at, HumanTask.due_at)
        .join(HumanTask, HumanTask.plan_id == Plan.id)
        .where(Plan.enterprise_id.in_(enterprise_ids), HumanTask.bpmn_id == Task.CONGRESS_VOTE,
               HumanTask.completed_at.is_(None))
        .order_by(HumanTask.ready_at)
    ).all()  # fmt: skip


def recent_votes(session: Session, enterprise_ids: list[int],
                 limit: int = RECENT_VOTES) -> Sequence[Row[tuple[CongressVote, str, str]]]:  # fmt: skip
    """The latest votes recorded on the enterprises' plans, with the plan's title and the enterprise's name."""
    return session.execute(
        select(CongressVote, Plan.title, Enterprise.name)
        .join(Plan, CongressVote.plan_id == Plan.id)
        .join(Enterprise, Plan.enterprise_id == Enterprise.id)
        .where(Plan.enterprise_id.in_(enterprise_ids))
        .order_by(CongressVote.recorded_at.desc(), CongressVote.id.desc())
        .limit(limit)
    ).all()
