"""Two `flask worker` processes on one PostgreSQL database share the work without doing any item
twice: every due timer fires once, every reminder goes once, every email is delivered once.

PostgreSQL only (TEST_DATABASE_URL): SQLite has no row locks and runs a single worker.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

import notifications
from app.extensions import db
from approvals.actor import SYSTEM
from approvals.db import utcnow
from approvals.demo import create_complete_plan
from approvals.models import AuditEvent, HumanTask, WorkflowInstance
from approvals.signals import objection_received
from approvals.workdays import CHINA, add_working_days, local_date
from config import BASE_DIR, TestConfig
from notifications import contacts
from notifications.models import EmailOutbox, Notification
from tests import flow
from tests.mailserver import MailServer

pytestmark = pytest.mark.skipif(
    not TestConfig.SQLALCHEMY_DATABASE_URI.startswith("postgresql"),
    reason="two workers need PostgreSQL (TEST_DATABASE_URL); SQLite runs one worker",
)

OVERDUE, NEAR, OBJECTIONS = 6, 6, 120


def at_review(api, world, complete_content, moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        clerk = api("clerk")
        p = flow.create(clerk, complete_content(world.steel, workers=5))
        flow.submit(clerk, p["id"])
        flow.vote(api("union"), p["id"], p["content_hash"])
    return p["id"]


def near_start() -> datetime:
    """A day whose 20 working days end on the next working day after today: the deadline is still
    ahead and its reminder is due."""
    today = local_date(utcnow())
    target = add_working_days(today, 1)
    day = today - timedelta(days=1)
    while add_working_days(day, 20) != target:
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=CHINA)


def count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def test_two_workers_deliver_each_email_once_and_fire_each_timer_once(
    app, api, world, complete_content, tmp_path, monkeypatch
):
    # The plans reach the congress in the past, and a worker may see one there between its submission
    # and its vote: with the default period its vote deadline would already have passed in real time.
    # A year's period keeps the vote timer out of the way, so the only due timers are the reviews'.
    monkeypatch.setitem(app.config, "VOTE_DEADLINE_WORKING_DAYS", 250)
    for name, address in [("clerk", "clerk@qiangang.example"), ("reviewer", "reviewer@ts.example"),
                          ("province", "province@hebei.example"), ("supervisor", "supervisor@hebei.example")]:  # fmt: skip
        contacts.set_contact(db.session, actor=SYSTEM, user=world.users[name], email=address)
    db.session.commit()
    with MailServer(delay=0.004) as server:
        env = {**os.environ, "APP_ENV": "production", "DATABASE_URL": TestConfig.SQLALCHEMY_DATABASE_URI,
               "SECRET_KEY": "worker-test", "AUDIT_KEY": "worker-test-audit", "MAIL_HOST": "127.0.0.1", "MAIL_PORT": str(server.port),
               "MAIL_TLS": "none", "WORKER_INTERVAL": "0.2", "PYTHONUNBUFFERED": "1"}  # fmt: skip
        logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
        files = [log.open("w") for log in logs]
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
                cwd=BASE_DIR,
                env=env,
                stdout=file,
                stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            for file in files
        ]
        try:
            # Both workers poll while the work arrives: plans come due one by one (their reviews began
            # long ago, or so long ago that only the reminder is due), then a burst of emails.
            notifications.connect(email=True)
            try:
                long_ago = datetime.now(UTC) - timedelta(days=90)
                overdue = [at_review(api, world, complete_content, long_ago) for _ in range(OVERDUE)]
                near = [at_review(api, world, complete_content, near_start()) for _ in range(NEAR)]
                plan = create_complete_plan(db.session, app.extensions["workflow_engine"], actor=world.actor("clerk"),
                                            enterprise=world.steel, title="异议较多的方案", workers=5)  # fmt: skip
                for n in range(OBJECTIONS):
                    objection_received(
                        plan, session=db.session, objection_id=n + 1, received_at="2026-03-02T09:30:00", on_roster=False
                    )
                db.session.commit()
            finally:
                notifications.connect(email=False)
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                db.session.rollback()
                now = utcnow()
                pending = count(select(EmailOutbox).where(EmailOutbox.status != "sent"))
                due = count(select(WorkflowInstance).where(WorkflowInstance.next_timer_at < now))
                reminders = count(select(HumanTask).where(HumanTask.remind_at <= now, HumanTask.reminded_at.is_(None),
                                                          HumanTask.completed_at.is_(None)))  # fmt: skip
                if not pending and not due and not reminders:
                    break
                assert all(w.poll() is None for w in workers), [log.read_text() for log in logs]
                time.sleep(0.3)
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)
            for w in workers:
                w.wait(timeout=60)
            for file in files:
                file.close()
        outputs = [log.read_text() for log in logs]
        assert [w.returncode for w in workers] == [0, 0], outputs
        messages = list(server.inbox.messages)

    db.session.rollback()
    rows = list(db.session.scalars(select(EmailOutbox)))
    assert len(rows) > 3 * OBJECTIONS
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}  # each claimed once, sent once
    ids = [m["Message-ID"] for m in messages]
    assert len(ids) == len(set(ids)) == len(rows)
    assert {int(re.match(r"<outbox-(\d+)\.", i).group(1)) for i in ids} == {r.id for r in rows}

    escalated = db.session.scalars(select(AuditEvent.plan_id).where(AuditEvent.action == "review.escalated")).all()
    assert sorted(escalated) == sorted(overdue)  # every overdue plan once, no other
    assert count(select(AuditEvent).where(AuditEvent.action == "congress.vote_escalated")) == 0
    overdue_notices = db.session.scalars(select(Notification.plan_id).where(Notification.kind == "review_overdue"))
    assert sorted(overdue_notices) == sorted(overdue * 3)  # supervisor, reviewer, province
    near_notices = db.session.scalars(select(Notification.plan_id).where(Notification.kind == "deadline_near"))
    assert sorted(near_notices) == sorted(near * 2)  # reviewer, province: once each

    def total(label: str, out: str) -> int:
        return sum(int(n) for n in re.findall(label + r" (\d+)", out))

    sent_by = [total("邮件已发送", out) for out in outputs]
    assert sum(sent_by) == len(rows)
    assert all(n > 0 for n in sent_by), (sent_by, outputs)  # both workers took part
    assert sum(total("到期定时器", out) for out in outputs) == OVERDUE
    assert sum(total("期限提醒", out) for out in outputs) == NEAR
