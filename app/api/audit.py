"""The audit trail over the API."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from app.api import bp, current_user
from app.api.registry import endpoint
from app.api.schemas import AuditEventOut, AuditList, VerifyOut
from app.extensions import audit_checkpoint_allowance, audit_key, db
from approvals import audit
from approvals.models import AuditEvent
from approvals.services.audit_trail import verify_trail
from approvals.services.plans import get_plan


@endpoint(bp, "GET", "/plans/<int:plan_id>/audit", summary="方案的审计记录（时间线）", response=AuditList)
def plan_audit(plan_id: int):
    plan = get_plan(db.session, current_user(), plan_id)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.chain == audit.plan_chain(plan.id)).order_by(AuditEvent.seq)
    )
    items = [AuditEventOut(id=e.id, seq=e.seq, actor=e.actor_name, role=e.actor_role,
                           action=e.action, summary=e.summary, remote_addr=e.remote_addr,
                           occurred_at=e.occurred_at, hash=e.hash) for e in events]  # fmt: skip
    return jsonify(AuditList(items=items).model_dump(mode="json"))


@endpoint(bp, "GET", "/audit/verify", summary="校验审计链是否完整（督查人员、管理员）", response=VerifyOut,
          errors=(401, 403))  # fmt: skip
def verify_audit():
    report = verify_trail(db.session, current_user(), audit_key(), max_age=audit_checkpoint_allowance()).report
    first = report.first
    return jsonify(VerifyOut(ok=report.ok, checked=report.checked, breaks=len(report.breaks),
                             first_break=first.__dict__ if first else None).model_dump())  # fmt: skip
