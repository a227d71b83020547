"""The services for leaving workers of a plan in execution (冀人社发〔2018〕38号 §四): who is short, one worker's
ledger, and the enterprise's records (services, difficulty persons, households, posts, self-employment
support). Reading is for whoever sees the plan (a worker's ledger only for those who see personal data);
recording is the enterprise's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from flask import jsonify, request
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.api import bp, current_actor, current_user
from app.api.execution import correction_out
from app.api.execution_schemas import CorrectionOut
from app.api.http import created
from app.api.registry import endpoint
from app.api.schemas import Strict, UtcDateTime
from app.extensions import db
from approvals import policy
from approvals.execution.records import jsonable
from approvals.execution_services import ledger
from approvals.execution_services.common import require_recorder
from approvals.execution_services.corrections import KINDS as CORRECTABLE
from approvals.execution_services.corrections import correct_record, withdraw_record
from approvals.execution_services.corrections import history as service_history
from approvals.execution_services.difficulty import confirm_difficulty, file_difficulty, record_assistance
from approvals.execution_services.households import (
    add_member,
    household_of,
    proposed_couples,
    record_household,
    record_post,
)
from approvals.execution_services.rules import (
    DIFFICULTY_CRITERIA,
    MIN_JOB_RECOMMENDATIONS,
    MIN_OTHER_SERVICES,
    SERVICE_KINDS,
    SUPPORT_KINDS,
)
from approvals.execution_services.self_employment import record_support
from approvals.execution_services.services import record_service
from approvals.i18n import N_
from approvals.models import Plan, RosterWorker
from approvals.services import plans as plan_service

ServiceKind = Literal["job_recommendation", "career_guidance", "employment_service", "vocational_training"]
Criterion = Literal["age", "disability", "zero_employment_family", "long_term_unemployed", "other"]
PostKind = Literal["public_welfare", "employment", "business"]
SupportKind = Literal["incubator", "training_subsidy", "guaranteed_loan"]
Relation = Literal["head", "spouse", "child", "parent", "other"]
ID_NUMBER = "<id_number>"
WORKER = f"/plans/<int:plan_id>/execution-services/workers/{ID_NUMBER}"
RECORD_ERRORS = (401, 403, 404, 409, 422)


class ShortfallOut(BaseModel):
    row: int = Field(description="在导出名单中的行号（表头为第1行）")
    id_number: str = Field(description="公民身份号码（无权查看个人信息者为遮蔽后的号码）")
    name: str
    channel: str
    job_recommendations: int = Field(description=f"期限内的岗位推荐次数（至少{MIN_JOB_RECOMMENDATIONS}次）")
    other_services: int = Field(description=f"期限内的职业指导、就业服务、职业培训次数（至少{MIN_OTHER_SERVICES}次）")
    job_recommendations_short: int
    other_services_short: int
    due: date = Field(description="服务计入的截止日（开始实施之日起的设定期限）")
    overdue: bool
    difficulty: Literal["", "confirmed", "filed"] = Field(
        description="就业困难人员：confirmed 已认定，filed 已建档立卡"
    )
    zero_employment_family: bool


class ShortfallList(BaseModel):
    items: list[ShortfallOut]
    leaving: int = Field(description="离开企业、应提供就业服务的职工人数")
    short: int = Field(description="服务尚未达到最低要求的人数")


def _row(r: ledger.LedgerRow) -> ShortfallOut:
    s = r.services
    return ShortfallOut(row=s.row, id_number=r.id_number, name=s.name, channel=s.channel,
                        job_recommendations=s.count.job_recommendations, other_services=s.count.other_services,
                        job_recommendations_short=s.job_recommendations_short,
                        other_services_short=s.other_services_short, due=s.count.due, overdue=r.overdue,
                        difficulty=r.difficulty, zero_employment_family=r.zero_employment)  # fmt: skip


@endpoint(bp, "GET", "/plans/<int:plan_id>/execution-services",
          summary="实施中方案的分流职工就业服务：每名离开企业的职工的服务次数和差额（冀人社发〔2018〕38号第四条：至少3次岗位推荐和"
                  "1次职业指导、就业服务或职业培训）；?short=1 只列未达到要求的职工；方案尚未开始实施 409",
          response=ShortfallList, errors=(401, 403, 404, 409, 422), query={"short": "1：只列服务未达到最低要求的职工"})  # fmt: skip
def list_execution_services(plan_id: int):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    rows = ledger.ledger_rows(db.session, user, plan)
    items = [_row(r) for r in rows if request.args.get("short") != "1" or r.services.count.short]
    out = ShortfallList(items=items, leaving=len(rows), short=sum(1 for r in rows if r.services.count.short))
    return jsonify(out.model_dump(mode="json"))


class ServiceOut(BaseModel):
    id: int
    kind: ServiceKind
    kind_label: str
    provided_on: date
    provider: str
    result: str
    recorded_at: UtcDateTime


class DifficultyOut(BaseModel):
    criteria: list[Criterion]
    criteria_labels: list[str]
    note: str
    confirmed_at: UtcDateTime
    filed_on: date | None
    file_number: str | None


class AssistanceOut(BaseModel):
    id: int
    provided_on: date
    helper: str
    content: str
    result: str


class SupportOut(BaseModel):
    id: int
    kind: SupportKind
    kind_label: str
    granted_on: date
    provider: str
    amount: Decimal | None
    reference: str


class WorkerLedgerOut(BaseModel):
    row: int
    id_number: str
    name: str
    channel: str
    leaving: bool = Field(
        description="是否离开企业（否：与企业保持劳动关系或已达退休年龄，不属于须提供就业服务的分流职工）"
    )
    job_recommendations: int
    other_services: int
    job_recommendations_short: int
    other_services_short: int
    due: date
    services: list[ServiceOut]
    proposed_criteria: list[Criterion] = Field(
        description="系统根据名单和家庭登记提出的就业困难人员认定条件，待企业确认"
    )
    difficulty: DifficultyOut | None
    assistance: list[AssistanceOut]
    self_employment: list[SupportOut]
    outcome_kind: str | None = Field(
        description="实施记录中登记的安置去向：职工上岗情况的唯一来源，以 PUT /plans/{plan_id}/execution/workers/{worker_id}/outcome 登记"
    )
    household_id: int | None
    zero_employment_family: bool
    corrections: list[CorrectionOut] = Field(
        default_factory=list, description="该职工就业服务记录的更正和撤销（谁、何时、理由、原值和新值），按时间先后"
    )


def _ledger_out(w: ledger.WorkerLedger) -> WorkerLedgerOut:
    d = w.difficulty
    return WorkerLedgerOut(
        row=w.row, id_number=w.worker.id_number, name=w.worker.name, channel=w.worker.channel or "", leaving=w.leaving,
        job_recommendations=w.count.job_recommendations, other_services=w.count.other_services,
        job_recommendations_short=w.count.job_recommendations_short, other_services_short=w.count.other_services_short,
        due=w.count.due,
        services=[ServiceOut(id=s.id, kind=s.kind, kind_label=SERVICE_KINDS[s.kind], provided_on=s.provided_on,  # type: ignore[arg-type]
                             provider=s.provider, result=s.result, recorded_at=s.recorded_at) for s in w.services],
        proposed_criteria=w.proposed,  # type: ignore[arg-type]
        difficulty=DifficultyOut(criteria=d.criteria, criteria_labels=[DIFFICULTY_CRITERIA[c] for c in d.criteria],  # type: ignore[arg-type]
                                 note=d.note, confirmed_at=d.confirmed_at, filed_on=d.filed_on,
                                 file_number=d.file_number) if d else None,
        assistance=[AssistanceOut(id=a.id, provided_on=a.provided_on, helper=a.helper, content=a.content,
                                  result=a.result) for a in w.assistance],
        self_employment=[SupportOut(id=s.id, kind=s.kind, kind_label=SUPPORT_KINDS[s.kind], granted_on=s.granted_on,  # type: ignore[arg-type]
                                    provider=s.provider, amount=s.amount, reference=s.reference) for s in w.supports],
        outcome_kind=w.outcome_kind,
        household_id=w.household.id if w.household else None,
        zero_employment_family=bool(w.household and w.household.zero_employment),
    )  # fmt: skip


def _worker_out(plan_id: int, id_number: str) -> WorkerLedgerOut:
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    found = ledger.worker_ledger(db.session, user, plan, id_number)
    out = _ledger_out(found)
    out.corrections = [correction_out(c) for c in service_history(db.session, plan, worker_id=found.worker.id)]
    return out


@endpoint(bp, "GET", WORKER,
          summary="一名职工的就业服务台账：服务记录、就业困难人员认定与建档、“一对一”援助、创业扶持、上岗情况（仅本企业、工会和人社部门）",
          response=WorkerLedgerOut, errors=(401, 403, 404, 409))  # fmt: skip
def execution_services_worker(plan_id: int, id_number: str):
    return jsonify(_worker_out(plan_id, id_number).model_dump(mode="json"))


def _recorded(plan_id: int, id_number: str):
    """Commit the change, then answer 201 with the worker's ledger as it now stands."""
    db.session.commit()
    return created(_worker_out(plan_id, id_number).model_dump(mode="json"))


class ServiceIn(Strict):
    kind: ServiceKind = Field(
        description="job_recommendation 岗位推荐、career_guidance 职业指导、employment_service 就业服务、vocational_training 职业培训"
    )
    provided_on: date
    provider: str = Field(max_length=200)
    result: str = Field(max_length=2000)


@endpoint(bp, "POST", f"{WORKER}/services", summary="记录一次就业服务（企业经办人）", body=ServiceIn,
          response=WorkerLedgerOut, errors=RECORD_ERRORS, status=201)  # fmt: skip
def record_execution_service(plan_id: int, id_number: str, body: ServiceIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    record_service(db.session, actor=current_actor(), plan=plan, id_number=id_number, kind=body.kind,
                   provided_on=body.provided_on, provider=body.provider, result=body.result)  # fmt: skip
    return _recorded(plan_id, id_number)


class DifficultyIn(Strict):
    criteria: list[Criterion] = Field(min_length=1, max_length=5)
    note: str = Field("", max_length=2000, description="长期失业、省定其他情形须说明")


@endpoint(bp, "POST", f"{WORKER}/difficulty", summary="认定就业困难人员（企业经办人确认认定条件）", body=DifficultyIn,
          response=WorkerLedgerOut, errors=RECORD_ERRORS, status=201)  # fmt: skip
def confirm_execution_difficulty(plan_id: int, id_number: str, body: DifficultyIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    confirm_difficulty(db.session, actor=current_actor(), plan=plan, id_number=id_number, criteria=list(body.criteria),
                       note=body.note)  # fmt: skip
    return _recorded(plan_id, id_number)


class FilingIn(Strict):
    filed_on: date
    file_number: str = Field(max_length=100)


@endpoint(bp, "POST", f"{WORKER}/difficulty/filing", summary="就业困难人员建档立卡（建档日期、档案编号）", body=FilingIn,
          response=WorkerLedgerOut, errors=RECORD_ERRORS, status=201)  # fmt: skip
def file_execution_difficulty(plan_id: int, id_number: str, body: FilingIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    file_difficulty(db.session, actor=current_actor(), plan=plan, id_number=id_number, filed_on=body.filed_on,
                    file_number=body.file_number)  # fmt: skip
    return _recorded(plan_id, id_number)


class AssistanceIn(Strict):
    provided_on: date
    helper: str = Field(max_length=50)
    content: str = Field(max_length=2000)
    result: str = Field(max_length=2000)


@endpoint(bp, "POST", f"{WORKER}/assistance", summary="记录一次“一对一”就业援助（已建档立卡的就业困难人员）",
          body=AssistanceIn, response=WorkerLedgerOut, errors=RECORD_ERRORS, status=201)  # fmt: skip
def record_execution_assistance(plan_id: int, id_number: str, body: AssistanceIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    record_assistance(db.session, actor=current_actor(), plan=plan, id_number=id_number, provided_on=body.provided_on,
                      helper=body.helper, content=body.content, result=body.result)  # fmt: skip
    return _recorded(plan_id, id_number)


class SupportIn(Strict):
    kind: SupportKind = Field(
        description="incubator 入驻创业孵化基地、training_subsidy 创业培训补贴、guaranteed_loan 创业担保贷款"
    )
    granted_on: date
    provider: str = Field(max_length=200)
    amount: Decimal | None = Field(
        None, description="补贴或贷款金额（元）；创业担保贷款不得超过办理之日有效的个人额度上限"
    )
    reference: str = Field("", max_length=100)


@endpoint(bp, "POST", f"{WORKER}/self-employment", summary="记录一项创业扶持（超过额度上限的创业担保贷款 422）",
          body=SupportIn, response=WorkerLedgerOut, errors=RECORD_ERRORS, status=201)  # fmt: skip
def record_execution_support(plan_id: int, id_number: str, body: SupportIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    record_support(db.session, actor=current_actor(), plan=plan, id_number=id_number, kind=body.kind,
                   granted_on=body.granted_on, provider=body.provider, amount=body.amount, reference=body.reference)  # fmt: skip
    return _recorded(plan_id, id_number)


class PostIn(Strict):
    kind: PostKind = Field(
        description="public_welfare 公益性岗位（须填截止日期）、employment 单位就业、business 自主创业（已登记注册）"
    )
    employer: str = Field(max_length=200)
    post: str = Field(max_length=200)
    starts_on: date
    ends_on: date | None = None


class MemberOut(BaseModel):
    id: int
    name: str
    id_number: str | None = Field(
        description="本方案职工的公民身份号码（无权查看个人信息者为遮蔽后的号码）；其他家庭成员为空"
    )
    relation: Relation
    leaving: bool
    working_age: bool
    has_work: bool


class HouseholdOut(BaseModel):
    id: int
    zero_employment_family: bool = Field(
        description="法定劳动年龄内的成员均无工作（零就业家庭），直至一人上岗（优先公益性岗位）"
    )
    members: list[MemberOut]


class HouseholdList(BaseModel):
    items: list[HouseholdOut]
    proposed: list[list[str]] = Field(
        description="名单中互为配偶、尚未登记为家庭的职工（公民身份号码，仅有权查看个人信息者可见）"
    )


def _households_out(plan_id: int) -> HouseholdList:
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    items = [HouseholdOut(id=h.id, zero_employment_family=h.zero_employment,
                          members=[MemberOut(id=m.id, name=m.name, id_number=m.id_number, relation=m.relation,  # type: ignore[arg-type]
                                             leaving=m.leaving, working_age=m.working_age, has_work=m.has_work)
                                   for m in h.members]) for h in ledger.household_list(db.session, user, plan)]  # fmt: skip
    couples = ([[a.id_number, b.id_number] for a, b in proposed_couples(db.session, plan)]
               if policy.sees_personal_data(user, plan) else [])  # fmt: skip
    return HouseholdList(items=items, proposed=couples)


@endpoint(bp, "GET", "/plans/<int:plan_id>/households",
          summary="实施中方案的家庭登记：零就业家庭在前（冀人社发〔2018〕38号第四条“确保不出现零就业家庭”）",
          response=HouseholdList, errors=(401, 403, 404, 409))  # fmt: skip
def list_households(plan_id: int):
    return jsonify(_households_out(plan_id).model_dump(mode="json"))


class HouseholdMemberIn(Strict):
    id_number: str = Field(max_length=18)
    relation: Relation


class HouseholdIn(Strict):
    members: list[HouseholdMemberIn] = Field(min_length=1, max_length=20, description="本方案的职工，每人只能属于一户")


@endpoint(bp, "POST", "/plans/<int:plan_id>/households", summary="登记一户家庭（本方案的职工及其与户主关系）",
          body=HouseholdIn, response=HouseholdList, errors=RECORD_ERRORS, status=201)  # fmt: skip
def create_household(plan_id: int, body: HouseholdIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    record_household(db.session, actor=current_actor(), plan=plan,
                     members=[(m.id_number, m.relation) for m in body.members])  # fmt: skip
    db.session.commit()
    return created(_households_out(plan_id).model_dump(mode="json"))


class OtherMemberIn(Strict):
    name: str = Field(max_length=50)
    relation: Relation
    sex: Literal["M", "F"]
    birth_date: date
    employed: bool


@endpoint(bp, "POST", "/plans/<int:plan_id>/households/<int:household_id>/members",
          summary="登记家庭中不是本方案职工的成员（性别、出生日期、是否在业）", body=OtherMemberIn, response=HouseholdList,
          errors=RECORD_ERRORS, status=201)  # fmt: skip
def add_household_member(plan_id: int, household_id: int, body: OtherMemberIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    add_member(db.session, actor=current_actor(), plan=plan, household_id=household_id, name=body.name,
               relation=body.relation, sex=body.sex, birth_date=body.birth_date, employed=body.employed)  # fmt: skip
    db.session.commit()
    return created(_households_out(plan_id).model_dump(mode="json"))


@endpoint(bp, "POST", "/plans/<int:plan_id>/households/<int:household_id>/members/<int:member_id>/posts",
          summary="记录家庭成员（非本方案职工）上岗情况", body=PostIn, response=HouseholdList, errors=RECORD_ERRORS,
          status=201)  # fmt: skip
def record_member_post(plan_id: int, household_id: int, member_id: int, body: PostIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    require_recorder(current_actor(), plan, N_("记录上岗情况"))  # the role before the household: 403, not 404
    household_of(db.session, plan, household_id)
    record_post(db.session, actor=current_actor(), plan=plan, member_id=member_id, household_id=household_id, kind=body.kind,
                employer=body.employer, post=body.post, starts_on=body.starts_on, ends_on=body.ends_on)  # fmt: skip
    db.session.commit()
    return created(_households_out(plan_id).model_dump(mode="json"))


class ServiceCorrectionIn(Strict):
    reason: str = Field(max_length=500, description="更正理由（1至500个字），记入审计记录")
    values: dict[str, str | int | float | None] = Field(
        description="该记录更正后的全部字段，与记录时相同（日期如2026-12-07）：service 为 kind、provided_on、provider、"
        "result；assistance 为 provided_on、helper、content、result；support 为 kind、granted_on、provider、amount、"
        "reference；post 为 kind、employer、post、starts_on、ends_on"
    )


class ServiceWithdrawalIn(Strict):
    reason: str = Field(max_length=500, description="撤销理由（1至500个字），记入审计记录")


class ServiceCorrectionOut(BaseModel):
    record: str = Field(description="service、assistance、support 或 post")
    record_id: int
    values: dict[str, str] = Field(description="更正后的记录；撤销后为空")
    corrections: list[CorrectionOut] = Field(description="该职工（或该家庭成员）就业服务记录的更正和撤销，按时间先后")


RECORD = "/plans/<int:plan_id>/execution-services/records/<what>/<int:record_id>"
RECORD_KINDS = "service = 就业服务、assistance = “一对一”就业援助、support = 创业扶持、post = 家庭成员上岗情况"


def _corrections_out(plan: Plan, what: str, record_id: int, record: object | None, whose: dict[str, int]) -> object:
    changes = service_history(db.session, plan, worker_id=whose.get("worker_id"),
                              member_ids={whose["member_id"]} if "member_id" in whose else None)  # fmt: skip
    values = {name: str(jsonable(getattr(record, name))) for name in CORRECTABLE[what].fields
              if record is not None and getattr(record, name) is not None}  # fmt: skip
    out = ServiceCorrectionOut(record=what, record_id=record_id, values=values,
                               corrections=[correction_out(change) for change in changes])  # fmt: skip
    db.session.commit()
    return jsonify(out.model_dump(mode="json"))


def _whose(plan: Plan, what: str, record_id: int) -> dict[str, int]:
    """Whose record it is (read before a withdrawal removes it): the worker's roster id, or the member's."""
    kind = CORRECTABLE.get(what)
    record = db.session.get(kind.model, record_id) if kind else None
    if record is None or record.plan_id != plan.id:
        return {}
    if what == "post":
        return {"member_id": record.member_id}
    worker = db.session.scalars(select(RosterWorker.id).where(RosterWorker.plan_id == plan.id,
                                                              RosterWorker.id_number == record.id_number)).first()  # fmt: skip
    return {"worker_id": worker} if worker else {}


@endpoint(bp, "POST", f"{RECORD}/correction", body=ServiceCorrectionIn, response=ServiceCorrectionOut,
          errors=RECORD_ERRORS,
          summary=f"更正一条就业服务记录（{RECORD_KINDS}；实施中，企业经办人；方案变更期间和实施完毕后不可）：须填写理由，"
                  "按记录时的规则校验（创业担保贷款仍不得超过办理之日的个人额度上限）；原值、新值和理由记入审计记录")  # fmt: skip
def correct_execution_service_record(plan_id: int, what: str, record_id: int, body: ServiceCorrectionIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    whose = _whose(plan, what, record_id)
    record = correct_record(db.session, actor=current_actor(), plan=plan, what=what, record_id=record_id,
                            values=body.values, reason=body.reason)  # fmt: skip
    return _corrections_out(plan, what, record_id, record, whose)


@endpoint(bp, "POST", f"{RECORD}/withdrawal", body=ServiceWithdrawalIn, response=ServiceCorrectionOut,
          errors=RECORD_ERRORS,
          summary=f"撤销一条就业服务记录（{RECORD_KINDS}；实施中，企业经办人）：须填写理由，记录删除，原值和理由记入审计记录；"
                  "服务次数和未达要求的职工随之重新计算")  # fmt: skip
def withdraw_execution_service_record(plan_id: int, what: str, record_id: int, body: ServiceWithdrawalIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    whose = _whose(plan, what, record_id)
    withdraw_record(db.session, actor=current_actor(), plan=plan, what=what, record_id=record_id, reason=body.reason)
    return _corrections_out(plan, what, record_id, None, whose)
