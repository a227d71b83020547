"""Plan endpoints: create, read, edit, and every step of the process."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request

from app.api import bp, current_actor, current_user
from app.api.decisions import reasons_out, shown, vote_out
from app.api.registry import QueryInt, endpoint
from app.api.schemas import (
    CheckItemOut,
    ConditionOut,
    EnterpriseOut,
    ExecutionOut,
    FindingOut,
    PlanCreate,
    PlanList,
    PlanOut,
    PlanPatch,
    PlanSummary,
    ReviewChecklistOut,
    ReviewIn,
    SubmitIn,
    SubmitOut,
    TaskList,
    TaskOut,
    VoteAnswer,
    VoteIn,
    WorkingGroupIn,
)
from app.errors import said, said_in_details
from app.extensions import db, deadline_periods, get_engine
from app.gate_setting import waits_for_notice
from app.inputs import query_int
from approvals import policy
from approvals.errors import Invalid
from approvals.i18n import N_, Counted, Listing, Np_, Text
from approvals.models import HumanTask, Plan, Role
from approvals.queries import plan_list
from approvals.queries.review import CheckItem, checklist, compose_reasons
from approvals.rules.congress import BallotRecord, VoteCounts
from approvals.rules.gate import gate_conditions
from approvals.services import plans as plan_service
from approvals.services.congress import record_congress_vote
from approvals.services.gate import gate_facts, plan_gate
from approvals.services.inbox import open_tasks_for
from approvals.services.publication import publish_plan, start_execution
from approvals.services.return_reasons import open_reasons
from approvals.services.review import review_plan
from approvals.services.submission import submit_plan
from approvals.services.workflow import STATUS_LABELS, open_tasks
from approvals.services.working_group import record_working_group

ACTION_ERRORS = (401, 403, 404, 409)


def task_out(task: HumanTask) -> TaskOut:
    return TaskOut(id=task.id, plan_id=task.plan_id, task=task.bpmn_id, title=task.title,
                   lane=task.lane, ready_at=task.ready_at, due_at=task.due_at)  # fmt: skip


def summary_fields(plan: Plan) -> dict[str, Any]:
    e = plan.enterprise
    return {
        "id": plan.id,
        "title": plan.title,
        "enterprise": EnterpriseOut(
            id=e.id, name=e.name, uscc=e.uscc, industry=e.industry, region_code=e.region_code, zombie=e.zombie
        ),  # fmt: skip
        "status": plan.status,
        "status_label": STATUS_LABELS.get(plan.status, plan.status),
        "content_hash": plan.content_hash,
        "risk_level": plan.risk_level,
        "version": plan.version,
    }


def plan_out(plan: Plan) -> PlanOut:
    db.session.flush()
    facts = gate_facts(
        plan, waits_for_notice=waits_for_notice()
    )  # the missing items once, for the checklist and the gate alike
    return PlanOut(
        **summary_fields(plan),
        revision=plan.revision_number,
        submitted_hash=plan.content_hash if plan.revision_number else None,
        risk_reason=plan.risk_reason,
        open_tasks=[task_out(t) for t in open_tasks(db.session, plan)],
        gate=[ConditionOut(**c.as_dict()) for c in gate_conditions(facts)],
        missing=[FindingOut(**f.as_dict()) for f in facts.missing],
        published_at=plan.published_at,
        execution_started_at=plan.execution_started_at,
        content=plan.content,
        open_reasons=reasons_out(open_reasons(db.session, plan), shown(current_user(), plan), {}),
    )


def _locked_plan(plan_id: int) -> Plan:
    return plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)


def _respond(model: Any, status: int = 200):
    response = jsonify(model.model_dump(mode="json"))
    response.status_code = status
    return response


@endpoint(bp, "GET", "/plans", summary="列出当前用户可见的方案", response=PlanList, errors=(401, 422),
          query={"page": QueryInt("页码，从1开始"), "per_page": QueryInt("每页条数（多于100按100）"),
                 "q": "查找：方案名称、企业名称或统一社会信用代码，多个词以空格分隔，须全部找到",
                 "city": "地区代码（设区市含其所辖县区）", "industry": "行业", "risk": "风险等级：high、normal、none（未评估）",
                 "status": "按阶段筛选"})  # fmt: skip
def list_plans():
    """The plans the user's grants reach, searched and filtered as the web's lists are (approvals/queries)."""
    page = query_int("page", 1)
    per_page = min(query_int("per_page", 20), 100)
    text = request.args.get("q", "").strip()
    if len(text) > plan_list.SEARCH_MAX:
        message = Text(N_("查询参数“q”不得超过%(limit)s个字符。"), limit=plan_list.SEARCH_MAX)
        raise Invalid("invalid_parameter", message, [{"field": "q", "rule": "max_length", "message": message,
                                                       "maximum": plan_list.SEARCH_MAX}])  # fmt: skip
    wanted = plan_list.PlanFilter(text, request.args.get("city", ""), request.args.get("industry", ""),
                                  request.args.get("risk", ""), request.args.get("status") or plan_list.ALL_STAGES)  # fmt: skip
    user = current_user()
    ids = plan_list.oldest_first(user, None, wanted).offset((page - 1) * per_page).limit(per_page)
    chosen = list(db.session.scalars(ids))
    items = [PlanSummary(**summary_fields(p)) for p in plan_list.plans_in_order(db.session, chosen)]
    return _respond(PlanList(items=items, total=plan_list.count(db.session, user, None, wanted), page=page,
                             per_page=per_page))  # fmt: skip


@endpoint(bp, "POST", "/plans", summary="起草新方案（企业经办人）", body=PlanCreate, response=PlanOut,
          errors=(401, 403, 404), status=201)  # fmt: skip
def create_plan(body: PlanCreate):
    plan = plan_service.create_plan(
        db.session, get_engine(), actor=current_actor(), title=body.title, content=body.content,
        enterprise_id=body.enterprise_id,
    )  # fmt: skip
    out = plan_out(plan)
    db.session.commit()
    return _respond(out, 201)


@endpoint(bp, "GET", "/plans/<int:plan_id>", summary="方案详情：阶段、版本哈希、风险、待办、实施前提",
          response=PlanOut)  # fmt: skip
def get_plan(plan_id: int):
    return _respond(plan_out(plan_service.get_plan(db.session, current_user(), plan_id)))


@endpoint(bp, "PATCH", "/plans/<int:plan_id>", summary="修改起草中的方案（其他阶段返回409）",
          body=PlanPatch, response=PlanOut, errors=ACTION_ERRORS)  # fmt: skip
def update_plan(plan_id: int, body: PlanPatch):
    plan = _locked_plan(plan_id)
    expected = body.version
    if expected is None and request.headers.get("If-Match", "").strip('"').isdigit():
        expected = int(request.headers["If-Match"].strip('"'))
    plan_service.update_plan(db.session, actor=current_actor(), plan=plan, title=body.title,
                             sections=body.content, expected_version=expected)  # fmt: skip
    out = plan_out(plan)
    db.session.commit()
    return _respond(out)


@endpoint(bp, "POST", "/plans/<int:plan_id>/submit",
          summary="提交方案（完整性检查；不完整则退回并列明缺项）。被退回后重新提交须逐条答复退回理由（answers），"
                  "未答复的理由以422 reasons_unanswered 指明",
          body=SubmitIn, body_optional=True, response=SubmitOut, errors=ACTION_ERRORS + (422,))  # fmt: skip
def submit(plan_id: int, body: SubmitIn):
    plan = _locked_plan(plan_id)
    answers = {}
    for item in body.answers:
        if item.reason_id in answers:
            message = Text(N_("退回理由（编号%(id)s）答复了不止一次，每条理由只答复一次。"), id=item.reason_id)
            raise Invalid("invalid_answers", message, [{"field": "answers", "rule": "one_answer_per_reason",
                                                        "reason_id": item.reason_id, "message": message}])  # fmt: skip
        answers[item.reason_id] = item.answer
    result = submit_plan(db.session, get_engine(), actor=current_actor(), plan=plan,
                         periods=deadline_periods(), answers=answers)  # fmt: skip
    out = SubmitOut(accepted=result.accepted, vote_skipped=result.vote_skipped,
                    missing=[FindingOut(**f.as_dict()) for f in result.missing], plan=plan_out(plan))  # fmt: skip
    # An incomplete submission is a real step of the process (back to drafting) and is kept
    # in the trail; the answer is 422 with every missing item.
    db.session.commit()
    if not result.accepted:
        message = Counted(Np_("方案不完整，已退回起草，共缺%(n)s项。", "方案不完整，已退回起草，共缺%(n)s项。"),
                          len(result.missing), n=len(result.missing))  # fmt: skip
        missing = [FindingOut(**said_in_details(f.as_dict())) for f in result.missing]  # each in the caller's language
        response = jsonify({"error": "plan_incomplete", "message": said(message),
                            "details": out.model_copy(update={"missing": missing}).model_dump(mode="json")})  # fmt: skip
        response.status_code = 422
        return response
    return _respond(out)


@endpoint(bp, "POST", "/plans/<int:plan_id>/congress-votes",
          summary="录入职工代表大会/职工大会表决结果（工会代表）：票数、表决方式、主持人、监票人；会议记录、决议和签到表须先以 "
                  "POST /plans/{plan_id}/congress-votes/documents/{kind} 上传。答复含结果 outcome：passed、rejected 或 invalid_session",
          body=VoteIn, response=VoteAnswer, errors=ACTION_ERRORS, status=201)  # fmt: skip
def congress_vote(plan_id: int, body: VoteIn):
    plan = _locked_plan(plan_id)
    counts = VoteCounts(body.body_type, body.total_members, body.present, body.yes, body.no,
                        body.abstain)  # fmt: skip
    record = BallotRecord(body.ballots_issued, body.ballots_returned, body.ballots_valid, body.secret_ballot,
                          body.chair, tuple(name.strip() for name in body.scrutineers))  # fmt: skip
    vote = record_congress_vote(db.session, get_engine(), actor=current_actor(), plan=plan, counts=counts,
                                record=record, held_on=body.held_on, plan_hash=body.plan_revision_hash,
                                explanation=body.explanation,
                                congress_threshold=current_app.config["CONGRESS_HEADCOUNT_THRESHOLD"],
                                periods=deadline_periods())  # fmt: skip
    recorded = vote_out(vote, lambda value: value or "")  # the union sees personal data
    out = VoteAnswer(**plan_out(plan).model_dump(), outcome=recorded.outcome, outcome_label=recorded.outcome_label,
                     vote=recorded)  # fmt: skip
    db.session.commit()
    return _respond(out, 201)


@endpoint(bp, "POST", "/plans/<int:plan_id>/review", summary="人社部门审核：同意或退回（须写理由）",
          body=ReviewIn, response=PlanOut, errors=ACTION_ERRORS, status=201)  # fmt: skip
def review(plan_id: int, body: ReviewIn):
    plan = _locked_plan(plan_id)
    reasons = body.reasons
    if body.reason_items:
        own = [reasons] if isinstance(reasons, str) else list(reasons)
        reasons = compose_reasons(body.decision, body.reason_items, own, _checklist(plan))
    review_plan(db.session, get_engine(), actor=current_actor(), plan=plan,
                decision=body.decision, reasons=reasons,
                min_verifications=current_app.config["MIN_ROSTER_VERIFICATIONS"])  # fmt: skip
    out = plan_out(plan)
    db.session.commit()
    return _respond(out, 201)


def _checklist(plan: Plan) -> list[CheckItem]:
    return checklist(db.session, plan, waits_for_notice=waits_for_notice(),
                     min_verifications=current_app.config["MIN_ROSTER_VERIFICATIONS"])  # fmt: skip


@endpoint(bp, "GET", "/plans/<int:plan_id>/review-checklist",
          summary="人社部门审核检查项：逐项是否满足及规则所见；退回时以 key 勾选为理由（与网页审核表单相同）",
          response=ReviewChecklistOut, errors=(401, 403, 404))  # fmt: skip
def review_checklist(plan_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id)
    policy.require_role(current_user(), plan, Role.BUREAU, N_("查看审核检查项"))
    return _respond(ReviewChecklistOut(items=[CheckItemOut(key=i.key, label=i.label, met=i.met, reason=i.reason,
                                                            details=list(i.details)) for i in _checklist(plan)]))  # fmt: skip


@endpoint(bp, "POST", "/plans/<int:plan_id>/working-group",
          summary="联合工作组：组建（成员、联系点）并/或记录意见与结论（cleared|revise）",
          body=WorkingGroupIn, response=PlanOut, errors=ACTION_ERRORS, status=201)  # fmt: skip
def working_group(plan_id: int, body: WorkingGroupIn):
    plan = _locked_plan(plan_id)
    members = [m.model_dump() for m in body.members] if body.members is not None else None
    record_working_group(db.session, get_engine(), actor=current_actor(), plan=plan,
                         members=members, contact_point=body.contact_point,
                         findings=body.findings, decision=body.decision)  # fmt: skip
    out = plan_out(plan)
    db.session.commit()
    return _respond(out, 201)


@endpoint(bp, "POST", "/plans/<int:plan_id>/publish", summary="公布已审核通过的方案（企业经办人）",
          response=PlanOut, errors=ACTION_ERRORS)  # fmt: skip
def publish(plan_id: int):
    plan = _locked_plan(plan_id)
    publish_plan(db.session, get_engine(), actor=current_actor(), plan=plan,
                 notice_days=current_app.config["PUBLIC_NOTICE_DAYS"])  # fmt: skip
    out = plan_out(plan)
    db.session.commit()
    return _respond(out)


@endpoint(bp, "POST", "/plans/<int:plan_id>/execution",
          summary="启动实施：任一前提不满足即拒绝并逐项说明（409）", response=ExecutionOut,
          errors=ACTION_ERRORS, status=201)  # fmt: skip
def execution(plan_id: int):
    plan = _locked_plan(plan_id)
    unmet = start_execution(db.session, actor=current_actor(), plan=plan, waits_for_notice=waits_for_notice())
    gate = [ConditionOut(**c.as_dict()) for c in plan_gate(plan, waits_for_notice=waits_for_notice())]
    db.session.commit()  # a refusal is recorded in the trail too
    if unmet:
        response = jsonify({"error": "execution_refused",
                            "message": said(Text(N_("不得实施：%(unmet)s"), unmet=Listing(
                                [Text(N_("%(label)s（%(reason)s）"), label=Text(c.label), reason=c.reason) for c in unmet]))),
                            "details": {"unmet": [c.as_dict() for c in unmet],
                                        "gate": [c.model_dump() for c in gate]}})  # fmt: skip
        response.status_code = 409
        return response
    return _respond(ExecutionOut(started=True, gate=gate), 201)


@endpoint(bp, "GET", "/tasks", summary="我的待办任务", response=TaskList, errors=(401,))
def my_tasks():
    tasks = db.session.scalars(open_tasks_for(current_user()).limit(500))
    return _respond(TaskList(items=[task_out(t) for t in tasks]))
