"""`flask worker`: fires due timers, sends deadline reminders, delivers the email outbox, renders and
stores the official documents of the plans whose records changed (app/documents/store.py) and signs
a checkpoint of the audit chains every AUDIT_CHECKPOINT_INTERVAL.

All state is in the database (the timer due times, the reminder marks, the outbox rows), so a
worker can stop and start at any time and picks up where things stand. Every item is claimed
with FOR UPDATE SKIP LOCKED and committed on its own, so two workers on PostgreSQL share the
work without doing any item twice. SQLite has no row locks: run one worker there.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from app.documents import store as document_store
from app.extensions import audit_checkpoint_interval, audit_key, db, get_engine
from approvals import audit_checkpoints
from approvals.db import utcnow
from approvals.engine import WorkflowEngine
from approvals.services.timers import (
    claim_due_reminder,
    claim_due_timer,
    run_plan_timers,
    send_reminder,
    upgrade_executions,
)
from notifications.delivery import Mailer, MailSettings, deliver_one

log = logging.getLogger(__name__)


@dataclass
class Pass:
    """What one pass did."""

    timers: int = 0
    reminders: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: int = 0
    checkpoints: int = 0
    documents: int = 0  # rendered and stored (a pass renders all that waits: it leaves nothing due)

    @property
    def busy(self) -> bool:
        return any((self.timers, self.reminders, self.sent, self.retrying, self.failed))

    def __str__(self) -> str:
        return (f"到期定时器 {self.timers} 个；期限提醒 {self.reminders} 条；邮件已发送 {self.sent} 封、"
                f"待重试 {self.retrying} 封、失败 {self.failed} 封；生成文书 {self.documents} 份；签名检查点 {self.checkpoints} 个；"
                f"出错 {self.errors} 项")  # fmt: skip


@dataclass
class CheckpointWatch:
    """The highest checkpoint number this worker has seen: kept outside the database, so that the
    checkpoint sequence going backwards (its latest checkpoints deleted) is noticed."""

    highest: int = 0


def _checkpoint(session: Session, now: datetime, watch: CheckpointWatch, done: Pass) -> None:
    latest = audit_checkpoints.latest_checkpoint(session)
    seen = latest.seq if latest is not None else 0
    if seen < watch.highest:
        # Never sign over the gap: a new checkpoint would reuse the deleted numbers.
        log.error("audit checkpoints went backwards: number %s seen, the latest is now %s", watch.highest, seen)
        done.errors += 1
        session.rollback()
        return
    watch.highest = seen
    if audit_checkpoints.checkpoint_due(session, audit_checkpoint_interval(), now):
        checkpoint, found = audit_checkpoints.make_checkpoint(session, audit_key(), now)
        if checkpoint is None:
            session.rollback()
            log.error("audit checkpoint refused: %s", "; ".join(f"{b.chain} #{b.seq}: {b.problem}" for b in found))
            done.errors += 1
            return
        session.commit()
        watch.highest = checkpoint.seq
        done.checkpoints += 1
    else:
        session.rollback()


def _timers(session: Session, engine: WorkflowEngine, now: datetime, stop: threading.Event, done: Pass) -> None:
    # Each plan once a pass: one run fires every timer due (a daily cycle catches up on all the days missed),
    # and a plan whose timer the engine does not find due yet is not taken again and again.
    seen: set[int] = set()
    while not stop.is_set() and (plan := claim_due_timer(session, now, seen)) is not None:
        plan_id = plan.id
        seen.add(plan_id)
        try:
            run_plan_timers(session, engine, plan, now)
            session.commit()
            done.timers += 1
        except Exception:
            session.rollback()
            log.exception("timers of plan %s failed; left for the next pass", plan_id)
            done.errors += 1


def _reminders(session: Session, now: datetime, stop: threading.Event, done: Pass) -> None:
    while not stop.is_set() and (claimed := claim_due_reminder(session, now)) is not None:
        sent = send_reminder(session, *claimed, now)
        session.commit()
        done.reminders += sent


def _mail(session: Session, settings: MailSettings, now: datetime, stop: threading.Event, done: Pass) -> None:
    mailer = Mailer(settings)
    try:
        while not stop.is_set() and (row := deliver_one(session, mailer, now)) is not None:
            status = row.status
            session.commit()
            if status == "sent":
                done.sent += 1
            elif status == "failed":
                done.failed += 1
            else:
                done.retrying += 1
    finally:
        mailer.close()


def _documents(session: Session, stop: threading.Event, done: Pass) -> None:
    """Render what the plans waiting in `document_job` do not have stored yet: each plan claimed and its row
    deleted in a transaction of its own, then rendered without holding any lock (a request meanwhile that
    finds nothing stored renders and stores it itself; the same key is kept once)."""
    while not stop.is_set() and (plan_id := document_store.claim_job(session)) is not None:
        session.commit()
        try:
            done.documents += document_store.render_plan(session, plan_id, stop)
        except Exception:
            session.rollback()
            log.exception("documents of plan %s failed; the first download will render them", plan_id)
            done.errors += 1


def run_pass(
    app: Flask, stop: threading.Event | None = None, now: datetime | None = None, watch: CheckpointWatch | None = None
) -> Pass:
    """Everything due at `now` (default: the start of the pass), timers first so that the mail
    they cause goes out in the same pass, and the audit checkpoint last, over what they recorded."""
    stop = stop or threading.Event()
    now = now or utcnow()
    session, done = db.session, Pass()
    try:
        _timers(session, get_engine(), now, stop, done)
        _reminders(session, now, stop, done)
        if app.config["MAIL_HOST"]:
            _mail(session, MailSettings.from_config(app.config), now, stop, done)
        _documents(session, stop, done)
        if not stop.is_set():
            _checkpoint(session, now, watch or CheckpointWatch(), done)
    except Exception:
        session.rollback()
        raise
    return done


def run(app: Flask, *, interval: float, once: bool, stop: threading.Event, report=print) -> None:
    """Pass after pass until `stop` is set (after the item in hand); sleep `interval` seconds when
    a pass found nothing due. A pass that fails (the database went away) is logged and retried."""
    watch = CheckpointWatch()
    asked = document_store.request_outdated(db.session)
    db.session.commit()
    if asked:
        report(f"文书版式已更新：{asked} 个方案的文书将重新生成")
    upgraded = upgrade_executions(db.session, get_engine())
    if upgraded:
        report(f"流程已更新：{upgraded} 个实施中方案的期限检查定时器已启用")
    while not stop.is_set():
        try:
            done = run_pass(app, stop, watch=watch)
        except Exception:
            if once:
                raise
            log.exception("worker pass failed; retrying in %s s", interval)
            stop.wait(interval)
            continue
        if done.busy or done.documents or done.checkpoints or done.errors or once:
            report(str(done))
        if once:
            return
        if not done.busy:
            stop.wait(interval)
