"""The demo's plan in execution: published some weeks ago, its ledger partly filled in through the services
(approvals/execution/records.py, approvals/execution_services/), so that its trail is the one a clerk's work
leaves. Development only."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.actor import SYSTEM, Actor
from approvals.db import utcnow
from approvals.execution.items import AGREEMENT_BY_CHANNEL
from approvals.execution.records import record_part
from approvals.execution_services.difficulty import confirm_difficulty, file_difficulty, proposals, record_assistance
from approvals.execution_services.households import add_member, record_household, record_post
from approvals.execution_services.self_employment import record_support
from approvals.execution_services.services import record_service
from approvals.models import ExecutionRecord, Plan, RosterWorker
from approvals.services.accounts import set_wage_parameters
from approvals.services.public_notice import notice_of
from approvals.services.publication import start_execution
from approvals.services.roster import city_of
from approvals.workdays import local_date

PUBLISHED_DAYS_AGO = 100  # the plan was published this many days before the demo is loaded
STARTED_DAYS_AGO = 50  # and its execution started this many days before
# The demo city's average monthly wage for recent years (development only: administrators enter the published one).
RECENT_AVERAGE_WAGE = Decimal("7350.00")
OTHER_SERVICE_RESULTS = {
    "career_guidance": "已完成职业指导，明确求职方向。",
    "employment_service": "已办理求职登记，提供政策咨询和招聘会信息。",
    "vocational_training": "参加电工职业技能培训，已取得结业证书。",
}


def backdate_publication(session: Session, plan: Plan, days: int) -> None:
    """Move the plan's publication and its public notice `days` into the past, as if that time had passed: the
    notice's window is over, and the services may be dated since publication."""
    shift = timedelta(days=days)
    notice = notice_of(session, plan)
    assert notice is not None
    assert plan.published_at is not None
    plan.published_at -= shift
    notice.opens_at -= shift
    notice.closes_at -= shift
    session.flush()


def carry_out(session: Session, clerk: Actor, plan: Plan) -> None:
    """Start the published plan's execution and enter what a clerk would have entered by now: some workers
    done, some open, one file transfer overdue, services, a household and an employment-difficulty person."""
    backdate_publication(session, plan, PUBLISHED_DAYS_AGO)
    now = utcnow()
    today = local_date(now)
    for year in (today.year - 2, today.year - 1):  # the severance due at an end this year or last needs them
        set_wage_parameters(session, actor=SYSTEM, city_code=city_of(plan), year=year, average=RECENT_AVERAGE_WAGE)
    unmet = start_execution(session, actor=clerk, plan=plan, now=now - timedelta(days=STARTED_DAYS_AGO))
    assert not unmet, [c.key for c in unmet]

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    workers = list(session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id)
                                   .order_by(RosterWorker.id)))  # fmt: skip
    by_channel: dict[str, list[RosterWorker]] = {}
    for worker in workers:
        by_channel.setdefault(worker.channel or "", []).append(worker)

    def enter(worker: RosterWorker, part: str, **values: Any) -> None:
        record_part(session, actor=clerk, plan=plan, worker_id=worker.id, part=part, values=values, today=today)

    def agree(worker: RosterWorker, days: int) -> None:
        enter(worker, "agreement", agreement_kind=AGREEMENT_BY_CHANNEL[worker.channel or ""],
              agreement_signed_on=ago(days).isoformat())  # fmt: skip

    def end(worker: RosterWorker, days: int, *, paid: bool = True) -> None:
        """Agreement, end with its certificate the same day, no arrears, and the severance due paid."""
        agree(worker, days + 5)
        enter(worker, "termination", terminated_on=ago(days).isoformat(), certificate_issued_on=ago(days).isoformat())
        enter(worker, "arrears", arrears_amount="0")
        if paid:
            record = enter_record(worker)
            enter(worker, "severance", severance_paid=str(record.severance_due), severance_paid_on=ago(days).isoformat(),
                  payment_reference=f"冀东钢财付〔{today.year}〕{worker.id % 1000:03d}号")  # fmt: skip

    def enter_record(worker: RosterWorker) -> ExecutionRecord:
        return session.scalars(select(ExecutionRecord).where(ExecutionRecord.plan_id == plan.id,
                                                             ExecutionRecord.worker_id == worker.id)).one()  # fmt: skip

    def serve(worker: RosterWorker, jobs: int, other: str | None, first: int) -> None:
        for n in range(jobs):
            record_service(session, actor=clerk, plan=plan, id_number=worker.id_number, kind="job_recommendation",
                           provided_on=ago(first - 7 * n), provider="迁安市公共就业服务中心",
                           result=("推荐至河北示范装备制造有限公司操作工岗位，已面试。", "推荐至迁安示范物流有限公司仓管岗位，未录用。",
                                   "推荐至唐山示范建材有限公司质检岗位，已录用。")[n % 3])  # fmt: skip
        if other:
            record_service(session, actor=clerk, plan=plan, id_number=worker.id_number, kind=other,
                           provided_on=ago(first - 3), provider="迁安市公共就业服务中心",
                           result=OTHER_SERVICE_RESULTS[other])  # fmt: skip

    terminated = by_channel.get("termination", [])
    self_employed = by_channel.get("self_employment", [])
    welfare = by_channel.get("public_welfare", [])
    retiring = by_channel.get("internal_retirement", [])
    transferred = by_channel.get("transfer_training", []) + by_channel.get("transformation", [])

    # Terminated workers: the first done and placed, the second with a file transfer overdue, the third
    # agreed only (in a household whose other member has no work).
    done, late, open_ = terminated[0], terminated[1], terminated[2]
    end(done, 40)
    enter(done, "transfers", insurance_transferred_on=ago(35).isoformat(), file_transferred_on=ago(33).isoformat())
    enter(done, "unemployment", unemployment_listed_on=ago(37).isoformat())
    enter(done, "outcome", outcome_kind="employed", employer="唐山示范建材有限公司", post="质检员",
          started_on=ago(12).isoformat())  # fmt: skip
    serve(done, 3, "career_guidance", 45)
    end(late, 30)
    enter(late, "transfers", insurance_transferred_on=ago(20).isoformat())  # the file: still open, overdue
    enter(late, "unemployment", unemployment_listed_on=ago(26).isoformat())
    serve(late, 2, None, 40)
    agree(open_, 8)
    serve(open_, 1, "vocational_training", 30)

    # Self-employment: one done with a start-up loan, one with the relation ended and nothing else yet.
    first = self_employed[0]
    end(first, 35)
    enter(first, "transfers", insurance_transferred_on=ago(30).isoformat(), file_transferred_on=ago(30).isoformat())
    enter(first, "unemployment", unemployment_listed_on=ago(33).isoformat())
    enter(first, "outcome", outcome_kind="self_employment", business="迁安市示范汽车维修部",
          registration="92130283MA0DEMO01X", started_on=ago(20).isoformat())  # fmt: skip
    record_support(session, actor=clerk, plan=plan, id_number=first.id_number, kind="guaranteed_loan",
                   granted_on=ago(25), provider="迁安市创业担保贷款中心", amount="150000",
                   reference="迁创贷〔2026〕18号")  # fmt: skip
    serve(first, 3, "employment_service", 48)
    end(self_employed[1], 10, paid=False)

    # Public-welfare posts: one placed, one agreed.
    placed = welfare[0]
    end(placed, 30)
    enter(placed, "transfers", insurance_transferred_on=ago(25).isoformat(), file_transferred_on=ago(24).isoformat())
    enter(placed, "unemployment", unemployment_listed_on=ago(28).isoformat())
    enter(placed, "outcome", outcome_kind="public_welfare", post="社区保洁员", employer="迁安市城管局",
          started_on=ago(20).isoformat(), ends_on=(today + timedelta(days=3 * 365)).isoformat())  # fmt: skip
    serve(placed, 3, "career_guidance", 40)
    agree(welfare[1], 6)

    # Workers who stay: internal retirement and transfers, mostly complete.
    for n, worker in enumerate(retiring[:2]):
        agree(worker, 45 - n)
        enter(worker, "arrears", arrears_amount="0")
        enter(worker, "outcome", outcome_kind="internal_retirement", started_on=ago(40 - n).isoformat())
    for n, worker in enumerate(transferred[:3]):
        agree(worker, 44 - n)
        enter(worker, "arrears", arrears_amount="0")
        if worker.channel == "transformation":
            enter(worker, "outcome", outcome_kind="employed", employer="冀东示范钢铁有限公司新材料分公司",
                  post="设备维护工", started_on=ago(35).isoformat())  # fmt: skip
        else:
            enter(worker, "outcome", outcome_kind="training", course="数控机床操作转岗培训", result="结业，考核合格",
                  started_on=ago(40).isoformat(), finished_on=ago(10).isoformat())  # fmt: skip

    # A household: the open terminated worker and a spouse who is no worker and has no job (a zero-employment
    # household), so the worker is proposed and confirmed as an employment-difficulty person and filed.
    household = record_household(session, actor=clerk, plan=plan, members=[(open_.id_number, "head")])
    spouse = add_member(session, actor=clerk, plan=plan, household_id=household.id, name="孙某梅", relation="spouse", sex="F",
               birth_date=date(open_.birth_date.year + 1, 3, 12), employed=False)  # fmt: skip
    criteria = proposals(session, plan, [open_], today)[open_.id_number]
    confirm_difficulty(session, actor=clerk, plan=plan, id_number=open_.id_number, criteria=criteria,
                       note="夫妻双方均无工作，家庭生活困难。")  # fmt: skip
    file_difficulty(session, actor=clerk, plan=plan, id_number=open_.id_number, filed_on=ago(5),
                    file_number=f"迁就困〔{today.year}〕027号")  # fmt: skip
    record_assistance(session, actor=clerk, plan=plan, id_number=open_.id_number, provided_on=ago(3),
                      helper="刘某华", content="上门走访，了解求职意向，推荐公益性岗位。", result="本人同意参加公益性岗位面试。")  # fmt: skip
    record_post(session, actor=clerk, plan=plan, kind="public_welfare", employer="迁安市某街道办事处",
                post="社区公共服务员", starts_on=ago(2), ends_on=today + timedelta(days=365),
                member_id=spouse.id)  # fmt: skip
