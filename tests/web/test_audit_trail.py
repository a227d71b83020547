"""The audit trail: every action attributed, chained per plan, tampering detected."""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.extensions import audit_key, db
from approvals import audit
from approvals.models import AuditEvent, Plan
from tests import flow


def _published_plan(api, world, complete_content) -> int:
    clerk, union, reviewer = api("clerk"), api("union"), api("reviewer")
    p = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    flow.review(reviewer, p["id"], "approve")
    flow.publish(clerk, p["id"])
    return p["id"]


def _verify(app) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def test_every_action_is_attributed(api, world, complete_content):
    plan_id = _published_plan(api, world, complete_content)
    items = api("supervisor").get(f"/plans/{plan_id}/audit").json["items"]
    assert [(e["action"], e["actor"], e["role"]) for e in items] == [
        ("plan.created", "clerk", "enterprise"),
        ("roster.imported", "clerk", "enterprise"),
        ("plan.updated", "clerk", "enterprise"),
        ("funding.evidence_added", "clerk", "enterprise"),
        ("funding.evidence_added", "clerk", "enterprise"),
        ("plan.submitted", "clerk", "enterprise"),
        # minutes, resolution and signed attendance sheet go with the vote (企业民主管理规定; domain.md §5)
        *[("congress.document_uploaded", "union", "union")] * 3,
        ("congress.vote_recorded", "union", "union"),
        ("roster.verified", "reviewer", "bureau"),  # approval needs the bureau's own check (domain.md §8)
        ("review.decided", "reviewer", "bureau"),
        ("risk.assessed", "reviewer", "bureau"),
        ("plan.published", "clerk", "enterprise"),
    ]
    assert all(e["remote_addr"] == "127.0.0.1" for e in items)
    assert [e["seq"] for e in items] == list(range(1, 15))
    assert items[9]["summary"]["yes"] == 80


def test_intact_chain_verifies(app, api, world, complete_content):
    _published_plan(api, world, complete_content)
    code, output = _verify(app)
    assert code == 0
    assert output.startswith("OK")
    body = api("supervisor").get("/audit/verify").json
    assert body["ok"] is True
    assert body["checked"] > 6


def test_edited_row_is_detected(app, api, world, complete_content):
    plan_id = _published_plan(api, world, complete_content)
    target = db.session.scalars(
        select(AuditEvent).where(AuditEvent.plan_id == plan_id, AuditEvent.action == "congress.vote_recorded")
    ).one()
    db.session.execute(text("UPDATE audit_event SET actor_name = 'someone_else' WHERE id = :id"), {"id": target.id})
    db.session.commit()
    code, output = _verify(app)
    assert code == 1
    assert f"记录编号 {target.id}" in output
    assert "已被修改" in output
    body = api("supervisor").get("/audit/verify").json
    assert body["ok"] is False
    assert body["first_break"]["event_id"] == target.id


def test_deleted_middle_row_is_detected(app, api, world, complete_content):
    plan_id = _published_plan(api, world, complete_content)
    db.session.execute(text("DELETE FROM audit_event WHERE plan_id = :p AND seq = 3"), {"p": plan_id})
    db.session.commit()
    code, output = _verify(app)
    assert code == 1
    assert "第3条" in output


def test_deleted_tail_row_is_detected(app, api, world, complete_content):
    plan_id = _published_plan(api, world, complete_content)
    last = db.session.scalar(select(func.max(AuditEvent.seq)).where(AuditEvent.plan_id == plan_id))
    db.session.execute(text("DELETE FROM audit_event WHERE plan_id = :p AND seq = :s"), {"p": plan_id, "s": last})
    db.session.commit()
    code, output = _verify(app)
    assert code == 1
    assert "链尾缺失" in output


def test_rewritten_chain_is_caught_by_the_signed_checkpoint(app, api, world, complete_content):
    plan_id = _published_plan(api, world, complete_content)
    assert app.test_cli_runner().invoke(args=["audit", "checkpoint"]).exit_code == 0
    # A forger with database access rewrites a row and recomputes every later hash and the head.
    events = list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.plan_id == plan_id).order_by(AuditEvent.seq)
    ))  # fmt: skip
    events[3].summary = {**events[3].summary, "decision": "return"}
    prev = events[2].hash
    for event in events[3:]:
        event.prev_hash = prev
        event.hash = audit._event_hash(event)
        prev = event.hash
    plan = db.session.get(Plan, plan_id)
    plan.audit_head = prev
    db.session.commit()
    assert audit.verify(db.session, b"not-the-key").ok is False  # signature check needs the key
    report = audit.verify(db.session, audit_key())
    assert not report.ok
    assert "签名检查点" in report.first.problem


def test_system_chain_records_administration(app, world):
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.chain == audit.SYSTEM_CHAIN)).all()
    actions = {e.action for e in events}
    assert {"enterprise.created", "user.role_granted", "working_group.created"} <= actions
    assert audit.verify(db.session, audit_key()).ok


def test_plans_have_independent_chains(api, world, complete_content):
    clerk, small = api("clerk"), api("clerk_small")
    a = flow.create(clerk, complete_content(world.steel))
    b = flow.create(small, complete_content(world.small))
    flow.submit(clerk, a["id"])
    rows = db.session.execute(
        select(AuditEvent.chain, AuditEvent.seq, AuditEvent.prev_hash).where(AuditEvent.plan_id.in_([a["id"], b["id"]]))
    ).all()
    chains = {r.chain for r in rows}
    assert chains == {f"plan:{a['id']}", f"plan:{b['id']}"}
    firsts = [r for r in rows if r.seq == 1]
    assert all(r.prev_hash == "" for r in firsts)


def test_refused_execution_is_recorded(api, world, complete_content):
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    response = clerk.post(f"/plans/{p['id']}/execution")
    assert response.status_code == 409
    unmet = {c["key"] for c in response.json["details"]["unmet"]}
    assert unmet == {"congress_passed", "bureau_approved", "published", "notice_window_over"}
    items = clerk.get(f"/plans/{p['id']}/audit").json["items"]
    assert items[-1]["action"] == "execution.refused"
    assert set(items[-1]["summary"]["unmet"]) == unmet
