"""Official documents (PDF) and the case file (zip) of a plan: whoever may see the plan may download them."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, request

from app.api import bp, current_user
from app.api.registry import endpoint
from app.documents.case_file import build_case_file
from app.documents.context import document
from app.documents.render import renderer
from app.extensions import audit_key, db
from approvals.errors import Invalid
from approvals.services.plans import get_plan

PDF = "application/pdf"
ZIP = "application/zip"


def _download(data: bytes, mimetype: str, filename: str, title: str) -> Response:
    """An attachment named in ASCII, with the Chinese title as the UTF-8 filename (RFC 6266)."""
    disposition = f"attachment; filename={filename}; filename*=UTF-8''{quote(title)}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": disposition})


def _number() -> int | None:
    raw = request.args.get("n")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise Invalid("invalid_number", "参数 n 须为正整数（第几份，从1开始）。",
                      [{"field": "n", "rule": "positive_integer", "message": "须为正整数"}])  # fmt: skip
    return int(raw)


@endpoint(bp, "GET", "/plans/<int:plan_id>/documents/<kind>.pdf",
          summary="下载文书（PDF）：published-plan 公布文本、congress-vote 表决结果记录、review-opinion 审核意见书、"
                  "working-group 联合工作组工作记录；尚未产生的文书答409",
          errors=(401, 404, 409, 422), produces=PDF,
          query={"n": "第几次表决、审核或工作组记录（从1开始），默认最近一次"})  # fmt: skip
def plan_document(plan_id: int, kind: str):  # type: ignore[no-untyped-def]
    plan = get_plan(db.session, current_user(), plan_id)
    found = document(db.session, plan, kind, _number())
    pdf = renderer().render(found.kind.template, found.context)
    return _download(pdf, PDF, found.filename, f"{found.title}.pdf")


@endpoint(bp, "GET", "/plans/<int:plan_id>/case-file.zip",
          summary="下载卷宗（zip）：各版本、文书、表决、审核、审计链摘录和SHA-256清单", errors=(401, 404),
          produces=ZIP)  # fmt: skip
def case_file(plan_id: int):  # type: ignore[no-untyped-def]
    plan = get_plan(db.session, current_user(), plan_id)
    data = build_case_file(db.session, plan, renderer(), audit_key())
    return _download(data, ZIP, f"plan-{plan.id}-case-file.zip", f"{plan.title}·卷宗.zip")
