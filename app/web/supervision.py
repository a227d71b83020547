"""The supervisor's section of the home page: the region at a glance and the votes and reviews past their
deadline."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from app.web.home import dashboard
from approvals.models import Region, Role, User
from approvals.queries.plan_list import region_choices
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
    # Each count opens the plan list of its city and stage. A supervisor of one county chooses no city
    # (the list's choices are within their grant): their whole list is that city's.
    choosable = {code for code, _name in region_choices(db.session, user, (Role.SUPERVISOR,))}
    return {
        "regions": [r.name for r in regions if r is not None],
        "cities": cities,
        "statuses": STATUS_LABELS,
        "totals": totals,
        "city_filter": {c.code: {"city": c.code} if c.code in choosable else {} for c in cities},
        "overdue": overdue_tasks(db.session, user, limit=OVERDUE_SHOWN),
        "overdue_limit": OVERDUE_SHOWN,
        "reminder_max": MAX_MESSAGE,
    }
