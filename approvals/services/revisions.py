"""Submitted revisions of a plan and what changed between two of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import policy
from approvals.errors import NotFound
from approvals.i18n import N_, Text
from approvals.models import Plan, PlanRevision, User
from approvals.privacy import hide_personal_in_diff
from approvals.rules.revisions import diff_roster, diff_values
from approvals.services.roster import snapshot_rows


def revisions_of(session: Session, plan: Plan) -> list[PlanRevision]:
    return list(
        session.scalars(select(PlanRevision).where(PlanRevision.plan_id == plan.id).order_by(PlanRevision.number))
    )


def _revision(session: Session, plan: Plan, number: int) -> PlanRevision:
    revision = session.scalars(
        select(PlanRevision).where(PlanRevision.plan_id == plan.id, PlanRevision.number == number)
    ).first()
    if revision is None:
        raise NotFound("revision_not_found", Text(N_("方案第%(number)s版不存在。"), number=number))
    return revision


def compare_revisions(session: Session, user: User, plan: Plan, before: int, after: int) -> dict[str, Any]:
    """Field-level differences of the content and the roster between two submitted revisions, the
    roster's personal data hidden from those who may not see it (approvals/privacy.py)."""
    old, new = _revision(session, plan, before), _revision(session, plan, after)
    old_rows, new_rows = snapshot_rows(old.roster), snapshot_rows(new.roster)
    roster = diff_roster(old_rows, new_rows)
    named = [*roster.added, *roster.removed, *roster.changed]
    names = {n: (new_rows.get(n) or old_rows[n]).get("name", "") for n in named}
    shown = {**roster.as_dict(), "names": names}  # the workers' names, by ID number
    if not policy.sees_personal_data(user, plan):
        shown = hide_personal_in_diff(shown)
    return {
        "before": {"number": old.number, "content_hash": old.content_hash},
        "after": {"number": new.number, "content_hash": new.content_hash},
        "content": [
            {"path": c.path, "before": c.before, "after": c.after}
            for c in diff_values({"title": old.title, **old.content}, {"title": new.title, **new.content})
        ],
        "roster": shown,
    }
