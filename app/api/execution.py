"""The execution ledger (实施台账): read it (every role that sees the plan; ID numbers masked for those
without personal-data rights), read and enter one worker's record (the plan's enterprise), close the plan."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from app.api import bp, current_actor, current_user
from app.api.execution_schemas import (
    AmendmentIn,
    AmendmentOut,
    BulkReportOut,
    ChangedFieldOut,
    ClosedOut,
    CorrectionIn,
    CorrectionOut,
    EnteredOut,
    ExecutionRecordOut,
    LedgerOut,
    LedgerRowOut,
    OpenItemOut,
    PartIn,
    WithdrawalIn,
)
from app.api.http import uploaded_file
from app.api.registry import QueryInt, endpoint
from app.errors import said
from app.extensions import db, get_engine
from app.inputs import query_int
from app.web.i18n import say
from approvals import policy
from approvals.execution.amendment import records_kept, start_amendment
from approvals.execution.bulk import bulk_update
from approvals.execution.close import close_plan
from approvals.execution.closing import refusal_message
from approvals.execution.corrections import Change, correct_part, history, withdraw_part
from approvals.execution.items import PART_FIELDS, parts_for
from approvals.execution.ledger import FILTERS, LedgerRow, ledger_of, ledger_row
from approvals.execution.open_items import OpenItem
from approvals.execution.records import record_part
from approvals.execution.workbook import ledger_template
from approvals.i18n import N_, Counted, Np_
from approvals.models import Plan
from approvals.rules.resident_id import mask_id
from approvals.services import plans as plan_service

AMOUNTS = ("severance_due", "severance_paid", "arrears_amount")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _open(items: list[OpenItem]) -> list[OpenItemOut]:
    return [OpenItemOut(key=i.key, label=i.label, message=str(i.message), overdue=i.overdue) for i in items]


def _row(row: LedgerRow, personal: bool) -> LedgerRowOut:
    number = row.worker.id_number
    return LedgerRowOut(row=row.row, worker_id=row.worker.id, name=row.worker.name,
                        id_number=number if personal else mask_id(number), channel=row.worker.channel,
                        open=_open(row.open), late=row.late)  # fmt: skip


def correction_out(change: Change) -> CorrectionOut:
    """One correction or withdrawal as the API says it: labels and values in the caller's language."""
    return CorrectionOut(action="withdrawn" if change.withdrawn else "corrected", part=change.part_key, by=change.by,
                         at=change.at, reason=change.reason,
                         changes=[ChangedFieldOut(field=name, label=said(label), old=str(say(old)) if old else None,
                                                  new=str(say(new)) if new else None)
                                  for name, label, old, new in change.named_fields()])  # fmt: skip


def _corrections(plan: Plan, row: LedgerRow) -> list[CorrectionOut]:
    return [correction_out(change) for change in history(db.session, plan, row.worker.id)]


def _record(row: LedgerRow, plan: Plan) -> ExecutionRecordOut:
    record = row.record
    fields: dict[str, Any] = {}
    if record is not None:
        for name in {n for names in PART_FIELDS.values() for n in names} | {"severance_due"}:
            value = getattr(record, name)
            fields[name] = str(value) if name in AMOUNTS and value is not None else value
        fields["entered"] = {part: EnteredOut(**who) for part, who in (record.entered or {}).items()}
        fields["updated_at"] = record.updated_at
    return ExecutionRecordOut(row=row.row, worker_id=row.worker.id, name=row.worker.name,
                              id_number=row.worker.id_number, channel=row.worker.channel,
                              parts=list(parts_for(row.worker.channel)), open=_open(row.open), late=row.late,
                              corrections=_corrections(plan, row), **fields)  # fmt: skip


@endpoint(bp, "GET", "/plans/<int:plan_id>/execution/ledger", response=LedgerOut, errors=(401, 404, 422),
          summary="实施台账：纳入安置的职工逐人列出未办结和逾期事项，并汇总尚缺各事项的人数",
          query={"show": "all（默认）、open = 未办结、overdue = 有逾期、done = 已办结", "page": QueryInt("页码"),
                 "per_page": QueryInt("每页条数（多于500按500）")})  # fmt: skip
def get_ledger(plan_id: int):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    which = request.args.get("show", "all")
    which = which if which in FILTERS else "all"
    page, per_page = max(query_int("page", 1), 1), min(max(query_int("per_page", 100), 1), 500)
    ledger = ledger_of(db.session, plan)
    rows = ledger.filtered(which)
    personal = policy.sees_personal_data(user, plan)
    items = [_row(r, personal) for r in rows[(page - 1) * per_page : page * per_page]]
    out = LedgerOut(status=plan.status, counts=ledger.counts, short=dict(ledger.open_by_item), items=items,
                    total=len(rows), page=page, per_page=per_page)  # fmt: skip
    return jsonify(out.model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/execution/workers/<int:worker_id>", response=ExecutionRecordOut,
          summary="一名职工的实施记录：各部分登记内容、登记人和时间、未办结事项")  # fmt: skip
def get_execution_record(plan_id: int, worker_id: int):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    policy.require_personal_data(user, plan, N_("查看职工实施记录"))
    return jsonify(_record(ledger_row(db.session, plan, worker_id), plan).model_dump(mode="json"))


@endpoint(bp, "PUT", "/plans/<int:plan_id>/execution/workers/<int:worker_id>/<part>", body=PartIn,
          response=ExecutionRecordOut, errors=(401, 403, 404, 409, 422),
          summary="登记一名职工实施记录的一部分（实施中，企业经办人）：agreement、termination、severance、arrears、"
                  "transfers、unemployment、outcome；逐项校验，有误时不保存并指明字段和规则；实付经济补偿低于按解除日计算的应付金额时拒绝；"
                  "已登记的部分不再重复登记（409 already_entered），有误时更正或撤销")  # fmt: skip
def put_execution_part(plan_id: int, worker_id: int, part: str, body: PartIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    record_part(db.session, actor=current_actor(), plan=plan, worker_id=worker_id, part=part, values=body.root)
    out = _record(ledger_row(db.session, plan, worker_id), plan)
    db.session.commit()
    return jsonify(out.model_dump(mode="json"))


@endpoint(bp, "POST", "/plans/<int:plan_id>/execution/workers/<int:worker_id>/<part>/correction", body=CorrectionIn,
          response=ExecutionRecordOut, errors=(401, 403, 404, 409, 422),
          summary="更正一名职工实施记录中已登记的一部分（实施中，企业经办人；方案变更期间和实施完毕后不可）：须填写理由，"
                  "按登记时的规则逐项校验（实付经济补偿仍不得低于按解除日计算的应付金额；更正解除日期时，已登记的经济补偿、"
                  "转移和名单报送须仍然成立）；原值、新值和理由记入审计记录")  # fmt: skip
def correct_execution_part(plan_id: int, worker_id: int, part: str, body: CorrectionIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    correct_part(db.session, actor=current_actor(), plan=plan, worker_id=worker_id, part=part, values=body.values,
                 reason=body.reason)  # fmt: skip
    out = _record(ledger_row(db.session, plan, worker_id), plan)
    db.session.commit()
    return jsonify(out.model_dump(mode="json"))


@endpoint(bp, "POST", "/plans/<int:plan_id>/execution/workers/<int:worker_id>/<part>/withdrawal", body=WithdrawalIn,
          response=ExecutionRecordOut, errors=(401, 403, 404, 409, 422),
          summary="撤销一名职工实施记录中已登记的一部分（实施中，企业经办人）：须填写理由，该部分恢复为未登记；"
                  "已登记经济补偿、转移或名单报送时不能撤销解除劳动关系（409）；原值和理由记入审计记录")  # fmt: skip
def withdraw_execution_part(plan_id: int, worker_id: int, part: str, body: WithdrawalIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    withdraw_part(db.session, actor=current_actor(), plan=plan, worker_id=worker_id, part=part, reason=body.reason)
    out = _record(ledger_row(db.session, plan, worker_id), plan)
    db.session.commit()
    return jsonify(out.model_dump(mode="json"))


@endpoint(bp, "POST", "/plans/<int:plan_id>/execution/close", response=ClosedOut, errors=(401, 403, 404, 409),
          summary="确认实施完毕：任一职工尚有未办结或逾期事项即拒绝（409），逐人列出行号、姓名和事项")  # fmt: skip
def close_execution(plan_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    blockers = close_plan(db.session, get_engine(), actor=current_actor(), plan=plan)
    db.session.commit()  # a refusal is recorded in the trail too
    if blockers:
        response = jsonify({"error": "close_refused", "message": str(refusal_message(blockers)),
                            "details": {"open": [b.as_dict() for b in blockers]}})  # fmt: skip
        response.status_code = 409
        return response
    return jsonify(ClosedOut(closed=True, workers=len(ledger_of(db.session, plan).rows)).model_dump(mode="json"))


@endpoint(bp, "POST", "/plans/<int:plan_id>/execution/amend", body=AmendmentIn, response=AmendmentOut,
          errors=(401, 403, 404, 409, 422),
          summary="变更已公布的方案（本企业经办人）：方案退回起草形成新版本，重新经职工代表大会表决和人社部门审核后再公布；"
                  "变更期间暂停实施登记，已登记的情况保留")  # fmt: skip
def amend_execution(plan_id: int, body: AmendmentIn):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    amendment = start_amendment(db.session, get_engine(), actor=current_actor(), plan=plan, reason=body.reason)
    out = AmendmentOut(amendment=amendment.number, from_revision=amendment.from_revision, status=plan.status,
                       records_kept=records_kept(db.session, plan))  # fmt: skip
    db.session.commit()
    return jsonify(out.model_dump(mode="json"))


@endpoint(bp, "GET", "/execution-template", summary="下载实施台账批量登记模板（.xlsx，含下拉选项）", errors=(401,),
          produces=XLSX)  # fmt: skip
def execution_template():
    return Response(ledger_template(), mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename=execution-ledger.xlsx"})  # fmt: skip


@endpoint(bp, "PUT", "/plans/<int:plan_id>/execution/ledger", upload="file", response=BulkReportOut,
          errors=(401, 403, 404, 409, 413),
          summary="批量登记实施情况（.xlsx，实施中，企业经办人）：dry_run=1 只校验；否则全部无误时保存，有误时不保存；报告指明行、列和规则",
          query={"dry_run": "1 = 只校验，不保存"})  # fmt: skip
def put_ledger(plan_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id, for_update=True)
    data, filename = uploaded_file("execution-ledger.xlsx")
    report = bulk_update(db.session, actor=current_actor(), plan=plan, data=data, filename=filename,
                         dry_run=request.args.get("dry_run") == "1")  # fmt: skip
    out = BulkReportOut(**report.as_dict()).model_dump(mode="json")
    if report.committed:
        db.session.commit()
        return jsonify(out)
    db.session.rollback()
    if report.errors and not report.dry_run:
        response = jsonify({"error": "ledger_invalid", "details": out,
                            "message": said(Counted(Np_("有%(n)s处错误，未保存任何数据。请修改后重新上传。",
                                                        "有%(n)s处错误，未保存任何数据。请修改后重新上传。"),
                                                    len(report.errors), n=len(report.errors)))})  # fmt: skip
        response.status_code = 422
        return response
    return jsonify(out)
