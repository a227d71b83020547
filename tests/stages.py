"""Plans waiting at every stage of the process, built with the core services directly (no HTTP) once per
test process and copied back for each test (tests/snapshots.py), which then sends every request it needs
against them.

The plans belong to the zombie coal firm of tests/conftest.py `world` (high risk: its approved plan
goes to the joint working group, so every stage exists for one firm); `foreign` is a drafting plan
of the steel firm, whose objects (evidence files, workers) stand for "another plan's object". The
published plan also has an objection from its public notice and a roster verification by the bureau.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from approvals.actor import public
from approvals.demo import (
    WG_MEMBERS,
    attach_congress_documents,
    create_complete_plan,
    record_sample_vote,
    verify_roster,
)
from approvals.engine import WorkflowEngine
from approvals.models import CongressDocument, FundingEvidence, Plan, RosterWorker
from approvals.rules.congress import VoteCounts
from approvals.rules.resident_id import check_character
from approvals.services.objections import ObjectionInput, raise_objection
from approvals.services.public_notice import notice_of
from approvals.services.publication import publish_plan, start_execution
from approvals.services.review import review_plan
from approvals.services.submission import submit_plan
from approvals.services.verification import record_verification
from approvals.services.working_group import record_working_group
from config import TestConfig
from tests import snapshots

# Every stage a plan of the zombie firm waits at, in process order.
STAGES = ("drafting", "congress", "review", "working_group", "publication", "published", "executing")
OBJECTOR_ID = "13028319800315002" + check_character("13028319800315002")


@dataclass(frozen=True)
class Staged:
    """Ids only: the rows themselves are expired by every commit of the requests that follow."""

    plans: dict[str, int]  # stage -> the id of the zombie firm's plan waiting there
    foreign: int  # the steel firm's drafting plan
    evidence: dict[int, int]  # plan id -> the id of its first evidence file
    workers: dict[int, str]  # plan id -> an ID number on its roster
    token: str  # the public notice of the published plan
    objection: int  # one objection on it
    congress_documents: dict[int, int]  # plan id -> the id of the first document of its vote (voted plans)


def plan_at(session: Session, engine: WorkflowEngine, world: Any, stage: str, *, firm: str = "zombie",
            seed: int = 1, title: str | None = None, reviewer: str = "province",
            counts: VoteCounts | None = None) -> Plan:  # fmt: skip
    """A complete plan of `firm` driven by the services until it waits at `stage`: its own clerk and union
    act, `reviewer` approves, the provincial working group clears a high-risk plan."""
    enterprise = getattr(world, firm)
    staff = "" if firm == "steel" else f"_{firm}"
    clerk, union = world.actor(f"clerk{staff}"), world.actor(f"union{staff}")
    plan = create_complete_plan(session, engine, actor=clerk, enterprise=enterprise, seed=seed,
                                title=title or f"{enterprise.name}职工安置方案（{stage}）")  # fmt: skip
    if stage == "drafting":
        return plan
    submit_plan(session, engine, actor=clerk, plan=plan)
    if stage == "congress":  # the union has uploaded the session's documents; the vote is still to record
        attach_congress_documents(session, union, plan)
        return plan
    record_sample_vote(
        session, engine, union, plan, counts=counts, congress_threshold=TestConfig.CONGRESS_HEADCOUNT_THRESHOLD
    )
    if stage == "review":
        return plan
    verify_roster(session, world.actor(reviewer), plan)  # approval needs the bureau's own check (domain.md §8)
    review_plan(session, engine, actor=world.actor(reviewer), plan=plan, decision="approve", reasons="")
    if plan.status == "working_group":
        if stage == "working_group":
            return plan
        record_working_group(session, engine, actor=world.actor("wg"), plan=plan, members=WG_MEMBERS,
                             contact_point="企业人力资源部", findings="已核实安置渠道和资金来源。", decision="cleared")  # fmt: skip
    if stage == "publication":
        return plan
    publish_plan(session, engine, actor=clerk, plan=plan)
    if stage == "published":
        return plan
    end_notice_window(session, plan)
    assert not start_execution(session, actor=clerk, plan=plan)
    return plan


def end_notice_window(session: Session, plan: Plan) -> None:
    """Move the plan's public notice into the past, as if its window had run its course: execution
    waits for the window's end (approvals/rules/gate.py)."""
    notice = notice_of(session, plan)
    assert notice is not None
    shift = notice.closes_at - notice.opens_at + timedelta(minutes=1)
    notice.opens_at -= shift
    notice.closes_at -= shift
    session.flush()


def build(session: Session, engine: WorkflowEngine, world: Any) -> Staged:
    """Every stage of the zombie firm's process, the steel firm's drafting plan, an objection on the published
    plan and a roster verification of it; committed. Built once per test process, then copied back
    (tests/snapshots.py)."""
    return snapshots.cached(session, "stages", lambda: _build(session, engine, world))


def _build(session: Session, engine: WorkflowEngine, world: Any) -> Staged:
    plans = {stage: plan_at(session, engine, world, stage, seed=n) for n, stage in enumerate(STAGES, start=1)}
    for stage, plan in plans.items():
        assert plan.status == stage, (stage, plan.status)
    foreign = plan_at(session, engine, world, "drafting", firm="steel", seed=20)
    notice = notice_of(session, plans["published"])
    assert notice is not None
    given = ObjectionInput(name="王某", id_number=OBJECTOR_ID, phone="13812345678", text="本人不在名单中。")
    objection = raise_objection(session, actor=public("198.51.100.1"), notice=notice, given=given)
    ids = [plan.id for plan in plans.values()] + [foreign.id]
    checked = session.scalars(select(RosterWorker.id_number).where(RosterWorker.plan_id == plans["published"].id)
                              .order_by(RosterWorker.id).limit(2)).all()  # fmt: skip
    record_verification(session, actor=world.actor("province"), plan=plans["published"], method="phone_check",
                        sample=f"抽查{len(checked)}人", result=f"{checked[0]}等属实", workers=list(checked))  # fmt: skip
    first_evidence = select(FundingEvidence.plan_id, func.min(FundingEvidence.id)).group_by(FundingEvidence.plan_id)
    first_worker = select(RosterWorker.plan_id, func.min(RosterWorker.id_number)).group_by(RosterWorker.plan_id)
    evidence = dict(session.execute(first_evidence.where(FundingEvidence.plan_id.in_(ids))).tuples().all())
    workers = dict(session.execute(first_worker.where(RosterWorker.plan_id.in_(ids))).tuples().all())
    first_document = select(CongressDocument.plan_id, func.min(CongressDocument.id)).group_by(CongressDocument.plan_id)
    documents = dict(session.execute(first_document.where(CongressDocument.plan_id.in_(ids))).tuples().all())
    staged = Staged({stage: plan.id for stage, plan in plans.items()}, foreign.id, evidence, workers, notice.token,
                    objection.id, documents)  # fmt: skip
    session.commit()
    return staged
