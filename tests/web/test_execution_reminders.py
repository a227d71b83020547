"""The law's periods after a worker's end, watched by the worker: the enterprise is reminded before the last
day of the unemployment list (失业保险条例 Art 16, 7 days) and the transfers (劳动合同法 Art 50, 15 days);
past it, the bureau and the supervisor are told and the trail records it; each message once."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db, get_engine
from app.worker import run_pass
from approvals.execution.records import record_part
from approvals.execution.reminders import remind_plan
from approvals.models import AuditEvent, Plan, RosterWorker
from notifications.models import Notification
from tests.execution_support import wages_for
from tests.stages import plan_at

ENDED = date(2026, 12, 4)  # a Friday: the list is due Fri 12-11, the transfers Mon 12-21 (Sat 12-19 moved on)


@pytest.fixture
def ended(world) -> Plan:  # type: ignore[no-untyped-def]
    plan = plan_at(db.session, get_engine(), world, "executing", firm="steel")
    wages_for(db.session, "130200", 2025)
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                           RosterWorker.channel == "termination")).first()  # fmt: skip
    record_part(db.session, actor=world.actor("clerk"), plan=plan, worker_id=worker.id, part="termination",
                values={"terminated_on": ENDED.isoformat()}, today=ENDED)  # fmt: skip
    db.session.commit()
    return plan


def _told(plan: Plan, kind: str) -> set[str]:
    return {n.role for n in db.session.scalars(select(Notification).where(Notification.plan_id == plan.id,
                                                                          Notification.kind == kind))}  # fmt: skip


def test_nothing_is_said_while_the_last_day_is_far(ended):
    assert remind_plan(db.session, ended, date(2026, 12, 7)) == 0


def test_the_enterprise_is_reminded_once_when_the_list_is_due_within_three_working_days(ended):
    assert remind_plan(db.session, ended, date(2026, 12, 9)) == 1
    assert remind_plan(db.session, ended, date(2026, 12, 10)) == 0  # once
    db.session.commit()
    assert _told(ended, "execution_due") == {"enterprise"}
    (note,) = db.session.scalars(select(Notification).where(Notification.kind == "execution_due")).all()
    assert [i["key"] for i in note.payload["items"]] == ["unemployment_listed_on"]
    assert note.payload["items"][0]["due_on"] == "2026-12-11"


def test_past_the_last_day_the_bureau_and_the_supervisor_are_told_and_the_trail_records_it(ended):
    assert remind_plan(db.session, ended, date(2026, 12, 14)) == 1
    assert remind_plan(db.session, ended, date(2026, 12, 15)) == 0
    db.session.commit()
    assert _told(ended, "execution_overdue") == {"enterprise", "bureau", "supervisor"}
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "execution.overdue")).all()
    assert event.summary["items"] == ["unemployment_listed_on"]
    assert event.summary["days"] == 3


def test_the_worker_pass_sends_them(app, ended):
    done = run_pass(app, now=datetime(2026, 12, 22, 2))  # 10:00 China time
    assert done.reminders == 1  # one overdue message for the list and both transfers
    db.session.commit()
    notes = db.session.scalars(select(Notification).where(Notification.kind == "execution_overdue",
                                                          Notification.role == "bureau")).all()  # fmt: skip
    assert len({n.user_id for n in notes}) == len(notes)  # once for each bureau user who reaches the plan
    assert {i["key"] for i in notes[0].payload["items"]} == {"unemployment_listed_on", "insurance_transferred_on",
                                                         "file_transferred_on"}  # fmt: skip
