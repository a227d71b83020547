"""The supervisor's section of the home page: the region at a glance and the votes and reviews past their
deadline."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.web.home import dashboard
from approvals.models import Region, Role, User
from approvals.services.supervision import overdue_tasks, region_overview
from approvals.services.supervisor_reminder import MAX_MESSAGE
from approvals.services.workflow import STATUS_LABELS

OVERDUE_SHOWN = 100


@dashboard(Role.SUPERVISOR)
def supervisor_home(user: User) -> dict[str, Any]:
    codes = [g.region_code for g in user.grants_for(Role.SUPERVISOR) if g.region_code]
    regions = [db.session.get(Region, code) for code in codes]
    cities = region_overview(db.session, user)
    totals = {status: sum(c.by_status.get(status, 0) for c in cities) for status in STATUS_LABELS}
    return {
        "regions": [r.name for r in regions if r is not None],
        "cities": cities,
        "statuses": STATUS_LABELS,
        "totals": totals,
        "overdue": overdue_tasks(db.session, user, limit=OVERDUE_SHOWN),
        "overdue_limit": OVERDUE_SHOWN,
        "reminder_max": MAX_MESSAGE,
    }
