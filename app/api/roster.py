"""The real-name roster: template, two-step import, paging, export."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from app.api import bp, current_actor, current_user
from app.api.http import created, uploaded_file
from app.api.registry import QueryInt, endpoint
from app.api.schemas import (
    OtherRecordOut,
    RosterReportOut,
    VerificationIn,
    VerificationList,
    VerificationOut,
    WorkerChangeOut,
    WorkerDetail,
    WorkerEditOut,
    WorkerOut,
    WorkerPage,
    WorkerPatch,
)
from app.errors import error_response, said, said_in_details
from app.extensions import db
from app.inputs import query_int
from approvals import policy
from approvals.i18n import N_, Counted, Np_
from approvals.privacy import hide_personal
from approvals.roster.workbook import roster_export, roster_template
from approvals.services import plans as plan_service
from approvals.services.roster import (
    edit_worker,
    import_roster,
    roster_rows_for_export,
    worker_history,
    worker_issue_said,
    worker_of,
)
from approvals.services.roster_view import (
    RosterFilter,
    other_records,
    roster_ids,
    roster_page,
    roster_total,
    roster_workers,
)
from approvals.services.verification import record_verification, verification_views

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> Response:
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename=roster.xlsx; filename*=UTF-8''{filename}"})  # fmt: skip


@endpoint(bp, "GET", "/roster-template", summary="下载职工实名制台账模板（.xlsx，含下拉选项和填写说明）",
          errors=(401,), produces=XLSX)  # fmt: skip
def template():
    return _xlsx(
        roster_template(), "%E8%81%8C%E5%B7%A5%E5%AE%9E%E5%90%8D%E5%88%B6%E5%8F%B0%E8%B4%A6%E6%A8%A1%E6%9D%BF.xlsx"
    )


@endpoint(bp, "PUT", "/plans/<int:plan_id>/roster",
          summary="上传职工名单：dry_run=1 只校验；否则无错误时保存，有错误时不保存（accept_valid=1 则只保存无误的行）",
          upload="file", response=RosterReportOut, errors=(401, 403, 404, 409, 413),
          query={"dry_run": "1 = 只校验，不保存", "accept_valid": "1 = 有错误时仍保存无误的行"})  # fmt: skip
def put_roster(plan_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    data, filename = uploaded_file("roster")
    report = import_roster(db.session, actor=current_actor(), plan=plan, data=data, filename=filename,
                           dry_run=request.args.get("dry_run") == "1", accept_valid=request.args.get("accept_valid") == "1")  # fmt: skip
    out = RosterReportOut(**report.as_dict()).model_dump(mode="json")
    if report.committed:
        db.session.commit()
        return jsonify(out)
    db.session.rollback()
    if report.errors and request.args.get("dry_run") != "1":
        # the report said as the upload page says it: each row's message in the caller's language
        said_report = RosterReportOut(**said_in_details(report.as_dict())).model_dump(mode="json")
        message = Counted(Np_("名单有%(n)s行存在错误，未保存任何数据。请修改后重新上传，或选择只保存无误的行。",
                              "名单有%(n)s行存在错误，未保存任何数据。请修改后重新上传，或选择只保存无误的行。"),
                          report.rejected, n=report.rejected)  # fmt: skip
        response = jsonify({"error": "roster_invalid", "message": said(message), "details": said_report})
        response.status_code = 422
        return response
    return jsonify(out)


@endpoint(bp, "GET", "/plans/<int:plan_id>/roster", summary="分页查看职工名单", response=WorkerPage,
          query={"page": QueryInt("页码"), "per_page": QueryInt("每页条数（多于500按500）"), "q": "按姓名或公民身份号码查找（全称或开头部分）",
                 "channel": "按安置渠道筛选", "contract_type": "按劳动合同类型筛选", "excluded": "1 = 不纳入安置范围的",
                 "protected": "1 = 特殊群体", "art42": "1 = 受劳动合同法第四十二条保护的", "couple": "1 = 双职工夫妻",
                 "unreachable": "1 = 暂时联系不上的", "reached_retirement": "1 = 已达法定退休年龄的",
                 "warnings": "1 = 有提示的"})  # fmt: skip
def get_roster(plan_id: int):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    sees = policy.sees_personal_data(user, plan)  # else: masked ID numbers, no personal fields, no ID search
    page = query_int("page", 1)
    per_page = min(query_int("per_page", 50), 500)
    chosen = RosterFilter.from_args(request.args)
    total = roster_total(db.session, plan, chosen, roster_ids(plan.id, chosen, search_ids=sees))
    ids = roster_page(plan.id, chosen, search_ids=sees, page=page, per_page=per_page)
    workers = roster_workers(db.session, list(db.session.scalars(ids)))
    items = [WorkerOut(**(_worker_fields(w) if sees else hide_personal(_worker_fields(w)))) for w in workers]
    return jsonify(WorkerPage(items=items, total=total, page=page, per_page=per_page).model_dump(mode="json"))


def _worker_fields(w: Any) -> dict[str, Any]:
    return {"id_number": w.id_number, "name": w.name, "sex": w.sex, "birth_date": w.birth_date,
            "hire_date": w.hire_date, "work_start": w.work_start, "channel": w.channel, "in_scope": w.in_scope,
            "retirement_date": w.retirement_date,
            "severance": None if w.severance is None else str(w.severance),
            "medical_subsidy": None if w.medical_subsidy is None else str(w.medical_subsidy),
            "internal_retirement_cost": None if w.internal_retirement_cost is None else str(w.internal_retirement_cost),
            "warnings": [worker_issue_said(issue) for issue in w.warnings or []]}  # fmt: skip


def _worker_detail(plan: Any, worker: Any) -> WorkerDetail:
    history = [WorkerChangeOut(change=c.change, before=c.before, import_id=c.import_id, changed_by_id=c.changed_by_id,
                               changed_at=c.changed_at) for c in worker_history(db.session, plan, worker.id_number)]  # fmt: skip
    return WorkerDetail(**_worker_fields(worker), row=worker.roster_row, data=worker.data,
                        history=history, elsewhere=_elsewhere(plan, worker))  # fmt: skip


def _elsewhere(plan: Any, worker: Any) -> list[OtherRecordOut] | None:
    """The other plans holding the worker or the spouse: for the bureau only (policy.sees_data_matches)."""
    if not policy.sees_data_matches(current_user(), plan):
        return None
    return [OtherRecordOut(relation=r.relation, plan_id=r.plan.id, plan_title=r.plan.title,
                           enterprise=r.plan.enterprise.name, name=r.name)
            for r in other_records(db.session, plan, [worker]).get(worker.id_number, [])]  # fmt: skip


@endpoint(bp, "GET", "/plans/<int:plan_id>/roster/<id_number>", response=WorkerDetail,
          summary="查看一名职工：名单中的全部字段、计算结果、提示和修改历史")  # fmt: skip
def get_worker(plan_id: int, id_number: str):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    policy.require_personal_data(user, plan, N_("查看职工个人信息"))
    return jsonify(_worker_detail(plan, worker_of(db.session, plan, id_number)).model_dump(mode="json"))


@endpoint(bp, "PATCH", "/plans/<int:plan_id>/roster/<id_number>", body=WorkerPatch, response=WorkerEditOut,
          summary="修改一名职工的字段（起草阶段，企业经办人）：与导入相同的逐行校验，有误时不保存并返回同样的报告",
          errors=(401, 403, 404, 409))  # fmt: skip
def patch_worker(plan_id: int, id_number: str, body: WorkerPatch):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    report, worker = edit_worker(db.session, actor=current_actor(), plan=plan, id_number=id_number, changes=body.root)
    out = RosterReportOut(**said_in_details(report.as_dict())).model_dump(mode="json")
    if report.errors:
        db.session.rollback()
        message = Counted(Np_("第%(row)s行有%(n)s处错误，未保存。请修改后重新提交。", "第%(row)s行有%(n)s处错误，未保存。请修改后重新提交。"),
                          len(report.errors), row=report.errors[0].row, n=len(report.errors))  # fmt: skip
        return error_response(422, "roster_invalid", message, out)
    result = WorkerEditOut(report=RosterReportOut(**report.as_dict()), worker=_worker_detail(plan, worker))
    db.session.commit()
    return jsonify(result.model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/roster/export", summary="导出当前职工名单（.xlsx）", produces=XLSX)
def export_roster(plan_id: int):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    return _xlsx(roster_export(roster_rows_for_export(db.session, user, plan)), "roster.xlsx")


def _verification_out(v: Any) -> VerificationOut:
    return VerificationOut(id=v.id, method=v.method, sample=v.sample, result=v.result,
                           workers_checked=v.workers_checked, recorded_by_id=v.recorded_by_id,
                           recorded_at=v.recorded_at)  # fmt: skip


@endpoint(bp, "POST", "/plans/<int:plan_id>/verifications",
          summary="人社部门核查职工名单：实地调查、电话抽查、社保数据比对、用工凭证或工资发放记录",
          body=VerificationIn, response=VerificationOut, errors=(401, 403, 404), status=201)  # fmt: skip
def verify_roster(plan_id: int, body: VerificationIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    verification = record_verification(db.session, actor=current_actor(), plan=plan, method=body.method,
                                       sample=body.sample, result=body.result, workers=body.workers_checked)  # fmt: skip
    db.session.flush()
    out = _verification_out(verification)
    db.session.commit()
    return created(out.model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/verifications", summary="名单核查记录", response=VerificationList)
def list_verifications(plan_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id)
    items = [_verification_out(v) for v in verification_views(db.session, current_user(), plan)]
    return jsonify(VerificationList(items=items).model_dump(mode="json"))
