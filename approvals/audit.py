"""The tamper-evident trail.

Design (docs/audit.md): one hash chain per plan, whose head (seq, hash) lives on the plan row that
every transition of that plan already locks, so transitions of different plans never wait on each
other; events outside any plan go to the "system" chain. Signed checkpoints (HMAC over every
chain head) catch a truncated tail or a chain rewritten from scratch by someone without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from approvals.actor import Actor
from approvals.db import utcnow
from approvals.i18n import N_
from approvals.models import AuditCheckpoint, AuditEvent, Plan
from approvals.rules.content import canonical_json

SYSTEM_CHAIN = "system"

# What each recorded action means, for people reading the trail.
ACTION_LABELS = {
    "plan.created": N_("创建方案"),
    "plan.updated": N_("修改方案"),
    "roster.imported": N_("导入职工实名制台账"),
    "roster.worker_edited": N_("修改职工信息"),
    "funding.evidence_added": N_("上传资金证明材料"),
    "funding.evidence_removed": N_("删除资金证明材料"),
    "objection.received": N_("收到职工异议"),
    "plan.reminded": N_("督查催办"),
    "user.contact_set": N_("设置用户联系方式"),
    "plan.submitted": N_("提交方案"),
    "plan.returned_incomplete": N_("方案不完整，退回补正"),
    "congress.vote_recorded": N_("录入职代会表决结果"),
    "congress.vote_escalated": N_("表决超期，提请督查"),
    "review.decided": N_("人社部门审核决定"),
    "risk.assessed": N_("评定风险等级"),
    "roster.verified": N_("核查职工名单"),
    "review.escalated": N_("审核超期，提请督查"),
    "working_group.formed": N_("组建联合工作组"),
    "working_group.decided": N_("联合工作组意见"),
    "plan.published": N_("公布方案"),
    "execution.started": N_("开始实施"),
    "execution.refused": N_("实施条件未满足，拒绝实施"),
    "enterprise.created": N_("新增企业"),
    "enterprise.updated": N_("修改企业信息"),
    "region.created": N_("新增地区"),
    "user.created": N_("新增用户"),
    "user.role_granted": N_("授予角色"),
    "user.role_revoked": N_("撤销角色"),
    "user.deactivated": N_("停用账号"),
    "user.reactivated": N_("启用账号"),
    "user.password_changed": N_("修改密码"),
    "user.password_reset": N_("管理员重置密码"),
    "user.login_locked": N_("登录失败次数过多，暂时锁定"),
    "user.token_revoked": N_("撤销访问令牌"),
    "user.tokens_revoked": N_("撤销全部访问令牌"),
    "working_group.created": N_("新增联合工作组"),
    "wage_parameters.set": N_("设置工资参数"),
}


def plan_chain(plan_id: int) -> str:
    return f"plan:{plan_id}"


def plan_chain_sql(plan_id: Any) -> ColumnElement[str]:
    """plan_chain() in SQL, for a plan id column."""
    return literal("plan:") + cast(plan_id, String)


def event_body(event: AuditEvent) -> dict[str, Any]:
    """What an event's hash covers, as JSON values: exported with the hash, anyone can recompute it."""
    return {
        "chain": event.chain,
        "seq": event.seq,
        "prev": event.prev_hash,
        "plan": event.plan_id,
        "actor_id": event.actor_id,
        "actor": event.actor_name,
        "role": event.actor_role,
        "action": event.action,
        "summary": event.summary,
        "addr": event.remote_addr,
        "at": event.occurred_at.isoformat(timespec="microseconds"),
    }


def body_hash(body: dict[str, Any]) -> str:
    """SHA-256 of an event body's canonical JSON."""
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def _event_hash(event: AuditEvent) -> str:
    return body_hash(event_body(event))


def record(
    session: Session,
    *,
    actor: Actor,
    role: str,
    action: str,
    summary: dict[str, Any],
    plan: Plan | None = None,
) -> AuditEvent:
    """Append one event to its chain (the plan's, or the system chain)."""
    if plan is not None:
        if plan.id is None:
            session.flush()
        chain, seq, prev = plan_chain(plan.id), plan.audit_seq + 1, plan.audit_head
    else:
        chain = SYSTEM_CHAIN
        last = session.execute(
            select(AuditEvent.seq, AuditEvent.hash)
            .where(AuditEvent.chain == chain)
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        ).first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, "")
    event = AuditEvent(
        chain=chain,
        seq=seq,
        plan_id=plan.id if plan is not None else None,
        actor_id=actor.user.id if actor.user else None,
        actor_name=actor.name,
        actor_role=role,
        action=action,
        summary=summary,
        remote_addr=actor.remote_addr,
        occurred_at=utcnow(),
        prev_hash=prev,
    )
    event.hash = _event_hash(event)
    if plan is not None:
        plan.audit_seq, plan.audit_head = seq, event.hash
    session.add(event)
    return event


@dataclass(frozen=True)
class Break:
    event_id: int | None
    chain: str
    seq: int
    problem: str


@dataclass(frozen=True)
class VerifyReport:
    checked: int
    breaks: list[Break]
    per_chain: Counter[str] = field(default_factory=Counter)  # events checked in each chain
    checkpoint: AuditCheckpoint | None = None  # the latest signed checkpoint, if any

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        return min(self.breaks, key=lambda b: (b.event_id is None, b.event_id or 0, b.seq), default=None)


def _walk_chains(session: Session, within: ColumnElement[bool] | None) -> Iterator[tuple[str, list[AuditEvent]]]:
    query = select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq).execution_options(yield_per=2000)
    rows = session.scalars(query if within is None else query.where(within))
    chain: str | None = None
    events: list[AuditEvent] = []
    for event in rows:
        if event.chain != chain:
            if chain is not None:
                yield chain, events
            chain, events = event.chain, []
        events.append(event)
    if chain is not None:
        yield chain, events


def _check_chain(chain: str, events: list[AuditEvent]) -> tuple[Break | None, tuple[int, str]]:
    prev, expected = "", 1
    for event in events:
        if event.seq != expected:
            return Break(event.id, chain, expected, f"缺少第{expected}条记录（已被删除）"), (0, "")
        if event.prev_hash != prev:
            return Break(event.id, chain, event.seq, "与前一条记录的哈希不连续"), (0, "")
        if _event_hash(event) != event.hash:
            return Break(event.id, chain, event.seq, "记录内容与其哈希不符（已被修改）"), (0, "")
        prev, expected = event.hash, expected + 1
    return None, (expected - 1, prev)


def verify(session: Session, key: bytes, plans: Select[tuple[int]] | None = None, system: bool = True) -> VerifyReport:
    """Recompute every chain; compare heads with the plans and the latest signed checkpoint.

    `plans` (a SELECT of plan ids) limits the check to those plans' chains, plus the system chain
    when `system`; the checkpoint's signature is always checked, its heads only for those chains.
    """
    within: ColumnElement[bool] | None = None
    if plans is not None:
        scoped = AuditEvent.chain.in_(select(plan_chain_sql(plans.subquery().c[0])))
        within = or_(scoped, AuditEvent.chain == SYSTEM_CHAIN) if system else scoped
    breaks: list[Break] = []
    heads: dict[str, tuple[int, str]] = {}
    per_chain: Counter[str] = Counter()
    for chain, events in _walk_chains(session, within):
        per_chain[chain] = len(events)
        broken, head = _check_chain(chain, events)
        if broken:
            breaks.append(broken)
        heads[chain] = head
    plan_heads = select(Plan.id, Plan.audit_seq, Plan.audit_head)
    in_scope: set[str] | None = None
    if plans is not None:
        plan_heads = plan_heads.where(Plan.id.in_(plans))
        in_scope = {SYSTEM_CHAIN} if system else set()
    for plan_id, seq, head in session.execute(plan_heads):
        if in_scope is not None:
            in_scope.add(plan_chain(plan_id))
        have = heads.get(plan_chain(plan_id), (0, ""))
        if seq and have != (seq, head) and not any(b.chain == plan_chain(plan_id) for b in breaks):
            breaks.append(Break(None, plan_chain(plan_id), seq, f"链尾缺失：方案记载共{seq}条，实存{have[0]}条"))
    checkpoint = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()
    if checkpoint is not None:
        breaks.extend(_check_checkpoint(checkpoint, heads, key, session, in_scope))
    return VerifyReport(sum(per_chain.values()), breaks, per_chain, checkpoint)


def _check_checkpoint(
    checkpoint: AuditCheckpoint,
    heads: dict[str, tuple[int, str]],
    key: bytes,
    session: Session,
    in_scope: set[str] | None,
) -> list[Break]:
    expected = hmac.new(key, checkpoint.heads.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, checkpoint.signature):
        return [Break(None, "checkpoint", checkpoint.id, "检查点签名无效（检查点已被篡改）")]
    found: list[Break] = []
    for chain, (seq, digest) in json.loads(checkpoint.heads).items():
        if in_scope is not None and chain not in in_scope:
            continue
        row = session.execute(
            select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.chain == chain, AuditEvent.seq == seq)
        ).first()
        if row is None or row[1] != digest:
            found.append(Break(row[0] if row else None, chain, seq,
                               f"与{checkpoint.created_at:%Y-%m-%d %H:%M}的签名检查点不符"))  # fmt: skip
    return found


def make_checkpoint(session: Session, key: bytes) -> AuditCheckpoint:
    """Sign the current head of every chain."""
    rows = session.execute(select(AuditEvent.chain, func.max(AuditEvent.seq)).group_by(AuditEvent.chain)).all()
    heads: dict[str, list[Any]] = {}
    for chain, seq in rows:
        digest = session.scalar(select(AuditEvent.hash).where(AuditEvent.chain == chain, AuditEvent.seq == seq))
        heads[chain] = [seq, digest]
    body = canonical_json(heads)
    checkpoint = AuditCheckpoint(heads=body, signature=hmac.new(key, body.encode(), hashlib.sha256).hexdigest())
    session.add(checkpoint)
    return checkpoint
