"""Plan events write outbox rows in the same transaction as the change."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from notifications.models import Notification
from tests import flow


def _rows(plan_id):
    return [(n.kind, n.recipient_role) for n in db.session.scalars(
        select(Notification).where(Notification.plan_id == plan_id).order_by(Notification.id))]  # fmt: skip


def test_each_step_tells_who_is_next(api, world, complete_content):
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    flow.review(reviewer, p["id"], "return", "请补充协议。")
    assert _rows(p["id"]) == [
        ("task_ready", "union"),
        ("vote_recorded", "enterprise"),
        ("vote_recorded", "bureau"),
        ("plan_returned", "enterprise"),
    ]
    returned = db.session.scalars(select(Notification).where(Notification.kind == "plan_returned")).one()
    assert returned.payload["reasons"] == "请补充协议。"


def test_a_refused_action_writes_no_notification(api, world, complete_content):
    clerk, union = api("clerk"), api("union")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    before = db.session.scalar(select(func.count()).select_from(Notification))
    flow.vote(union, p["id"], p["content_hash"], present=130, status=422)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == before
