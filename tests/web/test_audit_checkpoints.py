"""Signed checkpoints close the gaps of the hash chains: each attack is done in SQL, as someone with
write access to the database but without AUDIT_KEY would do it (docs/audit.md)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, text

from app.extensions import audit_checkpoint_allowance, audit_key, db
from app.worker import CheckpointWatch, run_pass
from approvals import audit, audit_checkpoints
from approvals.actor import SYSTEM
from approvals.db import utcnow
from approvals.models import AuditCheckpoint, AuditEvent
from approvals.services import accounts
from tests import flow


def _plan(api, world, complete_content) -> int:
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(api("union"), p["id"], p["content_hash"])
    return p["id"]


def _scheduled_checkpoint(app, watch: CheckpointWatch | None = None) -> None:
    """The worker's pass once the interval has gone by: it signs the heads."""
    done = run_pass(app, now=utcnow() + timedelta(seconds=app.config["AUDIT_CHECKPOINT_INTERVAL"] + 1), watch=watch)
    assert done.checkpoints == 1, str(done)


def _verify(app, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output


def _events(chain: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.chain == chain).order_by(AuditEvent.seq)))


def _cut_tail(chain: str, keep: int) -> None:
    """Delete a chain's rows after `keep` and move its recorded head back onto the new last row."""
    last = _events(chain)[keep - 1]
    db.session.execute(text("DELETE FROM audit_event WHERE chain = :c AND seq > :k"), {"c": chain, "k": keep})
    db.session.execute(text("UPDATE audit_head SET seq = :s, hash = :h WHERE chain = :c"),
                       {"c": chain, "s": last.seq, "h": last.hash})  # fmt: skip
    db.session.commit()


def _rewrite(chain: str) -> None:
    """Change the first row's content and recompute every hash of the chain and its head."""
    events = _events(chain)
    events[0].summary = {**events[0].summary, "forged": True}
    prev = ""
    for event in events:
        event.prev_hash = prev
        event.hash = prev = audit._event_hash(event)
    db.session.flush()
    db.session.execute(text("UPDATE audit_head SET hash = :h WHERE chain = :c"), {"c": chain, "h": prev})
    db.session.commit()


def _problems(report: audit.VerifyReport, chain: str) -> list[str]:
    return [b.problem for b in report.breaks if b.chain == chain]


def _report() -> audit.VerifyReport:
    db.session.expire_all()
    return audit.verify(db.session, audit_key())


def test_the_worker_signs_on_schedule_and_only_when_a_chain_moved(app, api, world, complete_content):
    _plan(api, world, complete_content)
    before = audit_checkpoints.latest_checkpoint(db.session)
    assert before is not None  # the administration steps that built the world each signed one
    assert run_pass(app).checkpoints == 0  # within the interval: nothing due
    _scheduled_checkpoint(app)
    latest = audit_checkpoints.latest_checkpoint(db.session)
    assert latest.seq == before.seq + 1
    assert latest.prev_signature == before.signature
    assert audit.plan_chain(1) in audit_checkpoints.heads_of(latest)
    later = utcnow() + timedelta(seconds=3 * app.config["AUDIT_CHECKPOINT_INTERVAL"])
    assert run_pass(app, now=later).checkpoints == 0  # nothing moved since: no new signature
    assert _report().ok


def test_a_cut_plan_tail_with_its_head_moved_back_is_detected(app, api, world, complete_content):
    plan_id = _plan(api, world, complete_content)
    _scheduled_checkpoint(app)
    chain = audit.plan_chain(plan_id)
    _cut_tail(chain, keep=3)
    report = _report()
    assert not report.ok
    assert any(p.startswith("链尾缺失：") and "签名检查点记载共" in p for p in _problems(report, chain))
    code, output = _verify(app)
    assert code == 1
    assert f"链 {chain}" in output
    # Nor will a new checkpoint sign over the cut: that would launder it.
    checkpoint, found = audit_checkpoints.make_checkpoint(db.session, audit_key())
    assert checkpoint is None
    assert found[0].chain == chain
    db.session.rollback()
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 1


def test_a_plan_chain_rewritten_with_recomputed_hashes_is_detected(app, api, world, complete_content):
    plan_id = _plan(api, world, complete_content)
    _scheduled_checkpoint(app)
    chain = audit.plan_chain(plan_id)
    _rewrite(chain)
    assert audit._check_chain(chain, _events(chain))[0] is None  # the chain agrees with itself
    report = _report()
    assert not report.ok
    assert any("不符（链被改写）" in p for p in _problems(report, chain))


def _administration_step(name: str) -> None:
    accounts.create_working_group(db.session, actor=SYSTEM, name=name, region_code="130000")
    db.session.commit()


def test_an_administration_step_is_signed_in_its_own_transaction(app, world):
    before = audit_checkpoints.latest_checkpoint(db.session).seq
    _administration_step("张家口工作组")
    latest = audit_checkpoints.latest_checkpoint(db.session)
    assert latest.seq == before + 1
    assert audit_checkpoints.heads_of(latest)[audit.SYSTEM_CHAIN] == audit.head_of(db.session, audit.SYSTEM_CHAIN)


def test_a_login_lockout_is_recorded_but_waits_for_the_schedule(app, api, world):
    """What an anonymous visitor causes may not make the system sign a whole checkpoint each time."""
    before = audit_checkpoints.latest_checkpoint(db.session).seq
    answers = [api(None).post("/tokens", json={"username": "clerk", "password": "Wrong#2026x"}).status_code
               for _ in range(5)]  # fmt: skip
    assert answers == [401, 401, 401, 401, 429]  # the fifth locks the account
    assert _events(audit.SYSTEM_CHAIN)[-1].action == "user.login_locked"
    assert audit_checkpoints.latest_checkpoint(db.session).seq == before


def test_an_administration_step_commits_unsigned_when_the_chains_no_longer_extend_the_checkpoint(
    app, api, world, complete_content, caplog
):
    plan_id = _plan(api, world, complete_content)
    _scheduled_checkpoint(app)
    before = audit_checkpoints.latest_checkpoint(db.session).seq
    _cut_tail(audit.plan_chain(plan_id), keep=2)
    _administration_step("张家口工作组")
    assert audit.head_of(db.session, audit.SYSTEM_CHAIN)[1] == _events(audit.SYSTEM_CHAIN)[-1].hash  # committed
    assert audit_checkpoints.latest_checkpoint(db.session).seq == before  # but not signed over the cut
    assert "audit checkpoint refused" in caplog.text


def test_a_cut_system_tail_is_detected_with_or_without_its_head_moved_back(app, world):
    _administration_step("张家口工作组")
    _administration_step("承德工作组")
    last = audit.head_of(db.session, audit.SYSTEM_CHAIN)[0]
    db.session.execute(text("DELETE FROM audit_event WHERE chain = 'system' AND seq = :s"), {"s": last})
    db.session.commit()
    assert any(p.startswith("链尾缺失：") for p in _problems(_report(), audit.SYSTEM_CHAIN))
    _cut_tail(audit.SYSTEM_CHAIN, keep=last - 1)  # the head moved back too
    report = _report()
    assert any("签名检查点记载共" in p for p in _problems(report, audit.SYSTEM_CHAIN))


def test_deleting_every_checkpoint_then_rewriting_is_detected(app, api, world, complete_content):
    plan_id = _plan(api, world, complete_content)
    _scheduled_checkpoint(app)
    db.session.execute(text("DELETE FROM audit_checkpoint"))
    db.session.execute(text("DELETE FROM audit_head WHERE chain = 'checkpoints'"))
    db.session.commit()
    _rewrite(audit.plan_chain(plan_id))
    report = _report()
    assert [b.problem for b in report.breaks] == [f"没有任何签名检查点，却已有{report.checked}条审计记录"]


def test_events_left_unsigned_longer_than_the_schedule_allows_are_a_finding(app, api, world, complete_content):
    plan_id = _plan(api, world, complete_content)  # recorded after the last administration step's checkpoint
    now = utcnow()
    allowance = audit_checkpoint_allowance()
    assert audit.verify(db.session, audit_key(), max_age=allowance, now=now + allowance / 2).ok
    report = audit.verify(db.session, audit_key(), max_age=allowance, now=now + allowance + timedelta(minutes=1))
    assert [(b.chain, b.seq) for b in report.breaks] == [(audit.plan_chain(plan_id), 1)]
    assert "未纳入任何签名检查点" in report.breaks[0].problem


def test_deleted_latest_checkpoints_are_noticed_by_the_count_and_by_the_worker(app, api, world, complete_content):
    _plan(api, world, complete_content)
    watch = CheckpointWatch()
    _scheduled_checkpoint(app, watch)
    latest = audit_checkpoints.latest_checkpoint(db.session)
    db.session.execute(text("DELETE FROM audit_checkpoint WHERE seq = :s"), {"s": latest.seq})
    db.session.commit()
    assert any("检查点已被删除" in b.problem for b in _report().breaks)  # the count in the head row
    previous = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc())).first()
    db.session.execute(text("UPDATE audit_head SET seq = :s, hash = :h WHERE chain = 'checkpoints'"),
                       {"s": previous.seq, "h": previous.signature})  # fmt: skip
    db.session.commit()
    assert _report().ok  # undetectable inside the database once the count is forged too, but:
    later = utcnow() + timedelta(seconds=5 * app.config["AUDIT_CHECKPOINT_INTERVAL"])
    done = run_pass(app, now=later, watch=watch)
    assert done.errors == 1
    assert done.checkpoints == 0


def test_an_edited_checkpoint_is_detected(app, world):
    latest = audit_checkpoints.latest_checkpoint(db.session).seq
    db.session.execute(text("UPDATE audit_checkpoint SET heads = '{}' WHERE seq = :s"), {"s": latest})
    db.session.commit()
    assert "检查点记载的链尾与其签名不符（检查点已被篡改）" in [b.problem for b in _report().breaks]
    db.session.execute(text("UPDATE audit_checkpoint SET heads_hash = :h WHERE seq = 1"), {"h": "0" * 64})
    db.session.commit()
    assert [(b.seq, b.problem) for b in _report().breaks if b.seq == 1] == [(1, "检查点签名无效（检查点已被篡改）")]


def test_an_exported_copy_catches_what_the_database_alone_cannot(app, api, world, complete_content, tmp_path):
    plan_id = _plan(api, world, complete_content)
    _scheduled_checkpoint(app)
    copy = tmp_path / "checkpoints.json"
    result = app.test_cli_runner().invoke(args=["audit", "export-checkpoints", "--out", str(copy)])
    assert result.exit_code == 0, result.output
    assert _verify(app, "--against", str(copy)) == (0, _verify(app)[1])
    # Everything goes: the checkpoints, their count, and the plan's chain is rewritten.
    db.session.execute(text("DELETE FROM audit_checkpoint"))
    db.session.execute(text("DELETE FROM audit_head WHERE chain = 'checkpoints'"))
    db.session.commit()
    _rewrite(audit.plan_chain(plan_id))
    code, output = _verify(app, "--against", str(copy))
    assert code == 1
    assert "导出副本中的第1号签名检查点已从数据库中删除" in output
    assert f"链 {audit.plan_chain(plan_id)}" in output
    assert "导出副本中的" in output


def test_an_altered_or_broken_export_is_refused_with_the_reason(app, world, tmp_path):
    copy = tmp_path / "checkpoints.json"
    app.test_cli_runner().invoke(args=["audit", "export-checkpoints", "--out", str(copy)])
    data = json.loads(copy.read_text(encoding="utf-8"))
    data["checkpoints"] = data["checkpoints"][:-1]
    copy.write_text(json.dumps(data), encoding="utf-8")
    code, output = _verify(app, "--against", str(copy))
    assert code == 1
    assert "导出文件的签名无效" in output
    copy.write_text("{not json", encoding="utf-8")
    code, output = _verify(app, "--against", str(copy))
    assert code == 1
    assert "不是JSON文件：第1行" in output


def test_the_api_verifies_a_city_supervisor_s_region_only(app, api, world, complete_content):
    plan_id = _plan(api, world, complete_content)  # 迁安 (唐山)
    _scheduled_checkpoint(app)
    _rewrite(audit.plan_chain(plan_id))
    province = api("supervisor").get("/audit/verify").json
    assert province["ok"] is False
    assert province["first_break"]["chain"] == audit.plan_chain(plan_id)
    xingtai = api("supervisor_other").get("/audit/verify")  # 邢台: not their plan
    assert xingtai.status_code == 200
    assert xingtai.json["ok"] is True
    assert api("clerk").get("/audit/verify").status_code == 403
