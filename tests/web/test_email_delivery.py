"""Email: outbox rows in the event's transaction, real delivery to a local SMTP server (aiosmtpd),
the reader's language, retries with back-off, permanent failures kept, and `flask mail`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import notifications
from app.extensions import db
from app.worker import run_pass
from approvals.actor import SYSTEM
from approvals.db import utcnow
from approvals.demo import create_complete_plan
from approvals.errors import Invalid
from approvals.signals import objection_received
from notifications import contacts
from notifications.models import EmailOutbox, Notification
from tests import flow
from tests.mailserver import MailServer, free_port


@pytest.fixture
def server():
    with MailServer() as running:
        yield running


@pytest.fixture
def mail_on(app, server):
    """Email on, to the test server, as config.py would set it with MAIL_HOST."""
    settings = {"MAIL_HOST": "127.0.0.1", "MAIL_PORT": server.port, "MAIL_TLS": "none", "MAIL_USERNAME": "",
                "MAIL_SENDER": "职工安置方案审批系统 <noreply@rsj.example.gov.cn>", "APP_BASE_URL": "https://anzhi.example",
                "MAIL_MAX_ATTEMPTS": 8, "MAIL_RETRY_BASE_SECONDS": 60}  # fmt: skip
    before = {k: app.config[k] for k in settings}
    app.config.update(settings)
    notifications.connect(email=True)
    yield server.inbox
    app.config.update(before)
    notifications.connect(email=False)


def contact(world, name: str, email: str | None, language: str | None = None) -> None:
    contacts.set_contact(db.session, actor=SYSTEM, user=world.users[name], email=email, language=language)
    db.session.commit()


def outbox() -> list[EmailOutbox]:
    db.session.expire_all()
    return list(db.session.scalars(select(EmailOutbox).order_by(EmailOutbox.id)))


def one_objection(world, engine) -> None:
    """An event for the enterprise and the bureau, of whom only the clerk has an address."""
    plan = create_complete_plan(db.session, engine, actor=world.actor("clerk"), enterprise=world.steel,
                                title="迁安钢铁职工安置方案")  # fmt: skip
    objection_received(plan, session=db.session, objection_id=7, received_at="2026-03-02T09:30:00", on_roster=False)
    db.session.commit()


def test_mail_goes_out_in_each_readers_language_and_reads_back(app, api, world, complete_content, mail_on):
    contact(world, "clerk", "li.clerk@qiangang.example")
    contact(world, "reviewer", "wang.reviewer@tangshan.example", "en")
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(api("union"), p["id"], p["content_hash"])
    rows = outbox()
    # The union and the provincial reviewer have no address: in the system only.
    assert sorted((r.to_address, r.notification.kind, r.status) for r in rows) == [
        ("li.clerk@qiangang.example", "vote_recorded", "pending"),
        ("wang.reviewer@tangshan.example", "task_ready", "pending"),
    ]
    assert run_pass(app).sent == 2
    assert {r.status for r in outbox()} == {"sent"}
    assert all(r.attempts == 1 and r.sent_at for r in outbox())
    by_to = {m["To"].addresses[0].addr_spec: m for m in mail_on.messages}
    zh = by_to["li.clerk@qiangang.example"]
    assert zh["Subject"] == "【表决结果】《迁安钢铁职工安置方案》：表决通过"
    assert zh["From"].addresses[0].display_name == "职工安置方案审批系统"
    assert zh["Content-Language"] == "zh-CN"
    text = zh.get_content()
    assert text.startswith("clerk（企业经办人），您好：")
    assert "表决通过（赞成80票，全体代表/职工120人）。" in text
    assert "请登录系统查看、办理：https://anzhi.example" in text
    en = by_to["wang.reviewer@tangshan.example"]
    assert en["Subject"] == '[Action needed] Labour bureau review: "迁安钢铁职工安置方案"'
    assert "Deadline: " in en.get_content()
    assert "working days" in en.get_content()
    # On the wire the Chinese subject is RFC 2047 encoded and the body is not raw UTF-8 bytes.
    raw = next(r for r in mail_on.raw if b"li.clerk@" in r)
    assert b"Subject: =?utf-8?" in raw
    assert "表决通过".encode() not in raw
    assert run_pass(app).sent == 0  # nothing goes twice
    assert len(mail_on.messages) == 2


def test_without_mail_host_no_outbox_rows(app, api, world, complete_content):
    contact(world, "clerk", "li.clerk@qiangang.example")
    assert app.config["MAIL_HOST"] == ""
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(api("union"), p["id"], p["content_hash"])
    assert outbox() == []
    assert db.session.scalar(select(func.count()).where(Notification.kind == "vote_recorded")) == 1
    assert run_pass(app).busy is False


def test_the_outbox_row_rolls_back_with_its_event(app, world, engine, mail_on):
    contact(world, "clerk", "li.clerk@qiangang.example")
    plan = create_complete_plan(db.session, engine, actor=world.actor("clerk"), enterprise=world.steel, title="回滚")
    db.session.commit()
    objection_received(plan, session=db.session, objection_id=1, received_at="2026-03-02T09:30:00", on_roster=False)
    assert len(outbox()) == 1  # written, not yet committed
    db.session.rollback()
    assert outbox() == []
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_refusing_server_is_retried_with_exponential_back_off(app, world, engine, mail_on):
    contact(world, "clerk", "li.clerk@qiangang.example")
    one_objection(world, engine)
    mail_on.refusals = ["451 4.3.0 Mailbox busy, try again later", "421 4.7.0 Too many connections"]
    t0 = utcnow()
    assert run_pass(app, now=t0).retrying == 1
    (row,) = outbox()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "451" in row.last_error
    assert "try again later" in row.last_error
    assert row.next_attempt_at == t0 + timedelta(seconds=60)
    assert run_pass(app, now=t0 + timedelta(seconds=59)).busy is False  # not yet due
    assert run_pass(app, now=t0 + timedelta(seconds=61)).retrying == 1
    (row,) = outbox()
    assert (row.attempts, row.next_attempt_at) == (2, t0 + timedelta(seconds=61 + 120))  # doubled
    assert "421" in row.last_error
    assert mail_on.messages == []
    assert run_pass(app, now=t0 + timedelta(seconds=182)).sent == 1
    (row,) = outbox()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    assert len(mail_on.messages) == 1
    assert mail_on.messages[0]["Subject"] == "【异议】《迁安钢铁职工安置方案》收到职工异议"
    assert mail_on.messages[0]["Message-ID"].startswith(f"<outbox-{row.id}.")


def test_a_server_that_is_down_is_a_transient_failure(app, world, engine, mail_on):
    contact(world, "clerk", "li.clerk@qiangang.example")
    one_objection(world, engine)
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    assert run_pass(app).retrying == 1
    (row,) = outbox()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in row.last_error


def test_after_the_last_attempt_the_row_is_kept_as_failed(app, world, engine, mail_on):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    contact(world, "clerk", "li.clerk@qiangang.example")
    one_objection(world, engine)
    mail_on.refusals = ["451 4.3.0 try later"] * 2
    t0 = utcnow()
    run_pass(app, now=t0)
    assert run_pass(app, now=t0 + timedelta(minutes=2)).failed == 1
    (row,) = outbox()
    assert (row.status, row.attempts) == ("failed", 2)
    assert run_pass(app, now=t0 + timedelta(days=1)).busy is False  # never again by itself


def test_a_permanent_refusal_fails_at_once_then_flask_mail_retry_sends_it(app, world, engine, mail_on):
    contact(world, "clerk", "li.clerk@qiangang.example")
    one_objection(world, engine)
    mail_on.refusals = ["550 5.1.1 No such user here"]
    assert run_pass(app).failed == 1
    (row,) = outbox()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550" in row.last_error
    assert "No such user" in row.last_error
    cli = app.test_cli_runner()
    listed = cli.invoke(args=["mail", "list", "--status", "failed"])
    assert listed.exit_code == 0, listed.output
    assert f"{row.id}\tfailed\t尝试1次\tli.clerk@qiangang.example\tobjection_received" in listed.output
    assert "550 5.1.1 No such user here" in listed.output
    assert cli.invoke(args=["mail", "list", "--status", "sent"]).output.strip() == "共0条"
    assert cli.invoke(args=["mail", "retry"]).exit_code != 0  # an id or --all-failed is needed
    retried = cli.invoke(args=["mail", "retry", str(row.id)])
    assert retried.exit_code == 0, retried.output
    assert "已重新排队1封邮件" in retried.output
    (row,) = outbox()
    assert (row.status, row.attempts) == ("pending", 0)
    assert run_pass(app).sent == 1
    assert len(mail_on.messages) == 1
    assert cli.invoke(args=["mail", "retry", "--all-failed"]).output.startswith("已重新排队0封邮件")


def test_an_address_and_a_language_are_checked(world):
    with pytest.raises(Invalid, match="格式不正确") as bad:
        contacts.set_contact(db.session, actor=SYSTEM, user=world.users["clerk"], email="not-an-address")
    assert bad.value.details[0]["field"] == "email"
    with pytest.raises(Invalid, match="语言须为") as wrong:
        contacts.set_contact(db.session, actor=SYSTEM, user=world.users["clerk"], language="fr")
    assert wrong.value.details[0]["field"] == "language"


def test_an_unknown_tls_mode_is_refused_not_sent_in_clear(app, world, engine, mail_on):
    contact(world, "clerk", "li.clerk@qiangang.example")
    one_objection(world, engine)
    app.config["MAIL_TLS"] = "tls"
    with pytest.raises(ValueError, match="MAIL_TLS must be one of starttls, ssl, none"):
        run_pass(app)
    assert [r.status for r in outbox()] == ["pending"]
    assert mail_on.messages == []
