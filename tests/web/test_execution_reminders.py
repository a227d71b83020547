"""The deadlines of the execution stage, checked by the process's timer on carry_out_plan (execution_deadlines_due,
00:00 China time each day): the enterprise is reminded before the last day of the unemployment list (失业保险条例
Art 16, 7 days) and the transfers (劳动合同法 Art 50, 15 days), and before the services due date of the workers
short of the services minimum (冀人社发〔2018〕38号 §四); past it, the bureau and the supervisor are told and the
trail records it; each message once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db, get_engine
from app.worker import run_pass
from approvals import signals
from approvals.engine import WorkflowEngine
from approvals.execution.records import record_part
from approvals.execution.reminders import check_plan, remind_plan, remind_services
from approvals.execution_services.services import record_service, service_shortfalls, services_due
from approvals.models import AuditEvent, HumanTask, Plan, RosterWorker, WorkflowInstance
from approvals.services.timers import upgrade_executions
from notifications.messages import render
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


# Published and carried out from Mon 2026-12-07 10:00 China time: the process checks at 00:00 China time from
# Tue 12-08 (= Mon 16:00 UTC) on.
STARTED = datetime(2026, 12, 7, 2, 0)


def _midnight(day: date) -> datetime:
    """00:00 China time on `day`, a few seconds past, as naive UTC (the worker's `now`)."""
    return datetime(day.year, day.month, day.day) - timedelta(hours=8) + timedelta(seconds=5)


def _pass(app, day: date):  # type: ignore[no-untyped-def]
    moment = _midnight(day)
    with time_machine.travel(moment.replace(tzinfo=UTC), tick=False):
        done = run_pass(app, now=moment)
    db.session.commit()
    return done


@pytest.fixture
def timed(world) -> Plan:  # type: ignore[no-untyped-def]
    """The steel plan carried out from STARTED, one worker's relation ended on ENDED (a Friday)."""
    with time_machine.travel(STARTED.replace(tzinfo=UTC), tick=False):
        plan = plan_at(db.session, get_engine(), world, "executing", firm="steel")
        wages_for(db.session, "130200", 2025)
        worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                               RosterWorker.channel == "termination")).first()  # fmt: skip
        record_part(db.session, actor=world.actor("clerk"), plan=plan, worker_id=worker.id, part="termination",
                    values={"terminated_on": ENDED.isoformat()}, today=date(2026, 12, 7))  # fmt: skip
        db.session.commit()
    return plan


def _instance(plan: Plan) -> WorkflowInstance:
    return db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == plan.id)).one()


def test_the_process_timer_checks_at_midnight_china_time_and_reminds_once(app, timed):
    assert _instance(timed).next_timer_at == datetime(2026, 12, 7, 16, 0)  # Tue 12-08 00:00 China time
    with time_machine.travel(datetime(2026, 12, 7, 15, 59, tzinfo=UTC), tick=False):
        assert run_pass(app, now=datetime(2026, 12, 7, 15, 59)).timers == 0  # not yet due
    done = _pass(app, date(2026, 12, 8))  # Tue: the list (Fri 12-11) is 3 working days off, not yet within them
    assert done.timers == 1
    assert _told(timed, "execution_due") == set()
    assert _instance(timed).next_timer_at == datetime(2026, 12, 8, 16, 0)  # re-armed for the next day
    _pass(app, date(2026, 12, 9))  # Wed: within REMIND_WORKING_DAYS of Fri
    assert _told(timed, "execution_due") == {"enterprise"}
    _pass(app, date(2026, 12, 10))
    notes = db.session.scalars(select(Notification).where(Notification.kind == "execution_due")).all()
    assert len(notes) == len({n.user_id for n in notes})  # once
    assert [i["key"] for i in notes[0].payload["items"]] == ["unemployment_listed_on"]
    (task,) = db.session.scalars(select(HumanTask).where(HumanTask.plan_id == timed.id,
                                                         HumanTask.completed_at.is_(None))).all()  # fmt: skip
    assert task.bpmn_id == "carry_out_plan"
    assert task.due_at is None
    assert [e.action for e in _events_of(timed, "execution.overdue")] == []


def test_a_pass_takes_a_plan_once_even_when_the_engine_finds_nothing_due(app, timed):
    # The worker's `now` ahead of the clock the engine reads (it fires nothing): the pass ends all the same.
    with time_machine.travel((STARTED + timedelta(hours=1)).replace(tzinfo=UTC), tick=False):
        done = run_pass(app, now=datetime(2026, 12, 30))
    assert done.timers == 1
    assert _instance(timed).next_timer_at == datetime(2026, 12, 7, 16, 0)


def _events_of(plan: Plan, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id,
                                                           AuditEvent.action == action)))  # fmt: skip


def test_past_the_last_day_the_timer_escalates_with_the_trail_and_the_messages_together(app, timed, monkeypatch):
    # Sat 12-12 00:00 China time: the list's last day (Fri 12-11) has passed.
    real_send = signals.plan_event.send

    def refuse(sender, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("kind") == "execution_overdue":
            raise RuntimeError("mail queue down")
        return real_send(sender, **kwargs)

    monkeypatch.setattr(signals.plan_event, "send", refuse)
    failed = _pass(app, date(2026, 12, 12))
    assert failed.errors == 1
    assert _events_of(timed, "execution.overdue") == []  # the trail's event went with the failed messages
    assert _instance(timed).next_timer_at < _midnight(date(2026, 12, 12))  # and the timer waits to fire again
    monkeypatch.setattr(signals.plan_event, "send", real_send)
    _pass(app, date(2026, 12, 12))
    (event,) = _events_of(timed, "execution.overdue")
    assert event.summary["items"] == ["unemployment_listed_on"]
    assert event.summary["days"] == 1
    assert _told(timed, "execution_overdue") == {"enterprise", "bureau", "supervisor"}
    _pass(app, date(2026, 12, 13))
    assert len(_events_of(timed, "execution.overdue")) == 1  # once per record and period


def test_the_worker_pass_sends_them_after_a_pause(app, timed):
    _pass(app, date(2026, 12, 22))  # the worker was down for two weeks: one pass catches up
    notes = db.session.scalars(select(Notification).where(Notification.kind == "execution_overdue",
                                                          Notification.role == "bureau")).all()  # fmt: skip
    assert len({n.user_id for n in notes}) == len(notes)  # once for each bureau user who reaches the plan
    assert {i["key"] for n in notes for i in n.payload["items"]} == {
        "unemployment_listed_on", "insurance_transferred_on", "file_transferred_on"}  # fmt: skip
    assert _instance(timed).next_timer_at == datetime(2026, 12, 22, 16, 0)


def test_leaving_workers_short_of_the_services_minimum_are_named_near_the_due_date_and_once_overdue(world, ended):
    """冀人社发〔2018〕38号 §四: 3 job recommendations and 1 other service for each leaving worker by the due date."""
    due = services_due(db.session, ended)
    short = service_shortfalls(db.session, ended.id, on=due)
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == ended.id,
                                                           RosterWorker.name == short[0].name)).one()  # fmt: skip
    record_service(db.session, actor=world.actor("clerk"), plan=ended, id_number=worker.id_number,
                   kind="job_recommendation", provided_on=ended.execution_started_at.date(), provider="人才市场",
                   result="已推荐")  # fmt: skip
    assert remind_services(db.session, ended, due - timedelta(days=30)) == 0
    assert remind_services(db.session, ended, due) == 1  # the due date itself: within REMIND_WORKING_DAYS
    assert remind_services(db.session, ended, due) == 0  # once
    db.session.commit()
    (note,) = db.session.scalars(select(Notification).where(Notification.kind == "services_due")).all()
    assert note.role == "enterprise"
    assert note.payload["count"] == len(short)
    named = {w["row"]: w for w in note.payload["workers"]}
    assert named[short[0].row]["name"] == worker.name
    assert named[short[0].row]["job_recommendations_short"] == 2  # one of three given
    assert named[short[0].row]["other_services_short"] == 1
    for language, said in (("zh_CN", "还差岗位推荐2次，还差其他服务1次"),
                           ("en", "2 job recommendations short, 1 other service short")):  # fmt: skip
        text = render("services_due", {**note.payload, "title": "T", "enterprise": "E"}, language=language,
                      user_name="U", role="enterprise", plan_id=ended.id).body  # fmt: skip
        assert f"({worker.name}):" in text or f"（{worker.name}）：" in text
        assert said in text
    after = due + timedelta(days=2)
    assert remind_services(db.session, ended, after) == 1
    assert remind_services(db.session, ended, after + timedelta(days=1)) == 0
    db.session.commit()
    assert _told(ended, "services_overdue") == {"enterprise", "bureau", "supervisor"}
    (event,) = _events_of(ended, "execution_service.overdue")
    assert event.summary == {"due_on": due.isoformat(), "workers": len(short), "rows": [s.row for s in short],
                             "days": 2}  # fmt: skip


def test_nobody_short_means_no_services_message(world, ended):
    due = services_due(db.session, ended)
    clerk = world.actor("clerk")
    for s in service_shortfalls(db.session, ended.id, on=due):
        number = db.session.scalars(select(RosterWorker.id_number).where(RosterWorker.plan_id == ended.id,
                                                                          RosterWorker.name == s.name)).one()  # fmt: skip
        for kind in ["job_recommendation"] * 3 + ["career_guidance"]:
            record_service(db.session, actor=clerk, plan=ended, id_number=number, kind=kind,
                           provided_on=ended.execution_started_at.date(), provider="人才市场", result="已提供")  # fmt: skip
    assert remind_services(db.session, ended, due) == 0
    assert remind_services(db.session, ended, due + timedelta(days=1)) == 0


def test_nothing_is_checked_once_the_plan_is_closed(ended):
    ended.status = "closed"
    assert check_plan(db.session, ended, date(2026, 12, 22)) == 0


def test_a_plan_carried_out_on_the_version_before_the_timer_gets_it_when_the_worker_starts(world):
    before = WorkflowEngine(Path(__file__).parent.parent / "workflows" / "fixtures" / "before_timers")
    with time_machine.travel(STARTED.replace(tzinfo=UTC), tick=False):
        plan = plan_at(db.session, before, world, "executing", firm="steel")
        db.session.commit()
        old = db.session.scalars(select(HumanTask).where(HumanTask.plan_id == plan.id,
                                                         HumanTask.completed_at.is_(None))).one()  # fmt: skip
        old_uuid, old_ready = old.task_uuid, old.ready_at
        assert _instance(plan).next_timer_at is None
        assert upgrade_executions(db.session, get_engine()) == 1
        assert upgrade_executions(db.session, get_engine()) == 0  # done once
    instance = _instance(plan)
    assert instance.process_version == get_engine().current_version
    assert instance.next_timer_at == datetime(2026, 12, 7, 16, 0)
    (task,) = db.session.scalars(select(HumanTask).where(HumanTask.plan_id == plan.id,
                                                         HumanTask.completed_at.is_(None))).all()  # fmt: skip
    assert task.bpmn_id == "carry_out_plan"
    assert task.task_uuid != old_uuid  # the stage entered again, the timer waiting on it
    assert task.ready_at == old_ready  # its row kept: its place in the lists and its ready time stay
    assert db.session.get(Plan, plan.id).status == "executing"
    assert _events_of(plan, "process.migrated")
