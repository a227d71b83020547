"""Plans brought to the bureau review over the JSON API, for the review and working-group pages: each is
driven once per test process from a given state and copied back after (tests/snapshots.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.extensions import db
from tests import flow, snapshots
from tests.conftest import World

# Which clerk and union representative act for each enterprise of the `world` fixture.
STAFF = {
    "steel": ("clerk", "union"),
    "small": ("clerk_small", "union_small"),
    "zombie": ("clerk_zombie", "union_zombie"),
}


def in_review(api: Callable[[str], Any], world: World, complete_content: Callable[..., dict[str, Any]],
              firm: str = "steel", title: str = "职工安置方案", verified: bool = True) -> dict[str, Any]:  # fmt: skip
    """A complete plan of `firm`, submitted and passed by the congress: waiting for the bureau; unless not
    `verified`, with the provincial bureau's roster verification that approval needs (domain.md §8)."""

    def build() -> dict[str, Any]:
        clerk, union = (api(name) for name in STAFF[firm])
        plan = flow.create(clerk, complete_content(getattr(world, firm)), title=title)
        flow.submit(clerk, plan["id"])
        total = min(120, getattr(world, firm).headcount)  # no more members than the firm has workers
        flow.vote(union, plan["id"], plan["content_hash"], total=total, present=total * 5 // 6, yes=total * 2 // 3,
                  no=total // 8, abstain=total // 24)  # fmt: skip
        if verified:
            flow.verify(api("province"), plan["id"])
        return flow.plan(clerk, plan["id"])

    return snapshots.cached(db.session, ("in review", firm, title, verified), build)


def high_risk_plan(api: Callable[[str], Any], world: World,
                   complete_content: Callable[..., dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    """The zombie enterprise's plan, approved by the bureau as high-risk: waiting for the working group."""

    def build() -> dict[str, Any]:
        plan = in_review(api, world, complete_content, "zombie")
        assert flow.review(api("province"), plan["id"], "approve")["risk_level"] == "high"
        return plan

    return snapshots.cached(db.session, "high-risk plan", build)
