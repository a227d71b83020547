"""Official documents (PDF) and the case file (zip) of a plan: whoever may see the plan may download the
documents; the case file holds the rosters in full, so only those who see personal data get it."""

from __future__ import annotations

from app import downloads
from app.api import bp, current_user
from app.api.registry import QueryInt, endpoint
from app.extensions import db
from app.inputs import query_int
from approvals.services.plans import get_plan


@endpoint(bp, "GET", "/plans/<int:plan_id>/documents/<kind>.pdf",
          summary="下载文书（PDF）：published-plan 公布文本、congress-vote 表决结果记录、review-opinion 审核意见书、"
                  "working-group 联合工作组工作记录；尚未产生的文书答409",
          errors=(401, 404, 409, 422), produces=downloads.PDF,
          query={"n": QueryInt("第几次表决、审核或工作组记录（从1开始），默认最近一次")})  # fmt: skip
def plan_document(plan_id: int, kind: str):
    plan = get_plan(db.session, current_user(), plan_id)
    return downloads.plan_document(plan, kind, query_int("n", None))


@endpoint(bp, "GET", "/plans/<int:plan_id>/case-file.zip",
          summary="下载卷宗（zip）：各版本、文书、表决、审核、审计链摘录和SHA-256清单（含职工个人信息：本企业、工会和人社部门）",
          errors=(401, 403, 404),
          produces=downloads.ZIP)  # fmt: skip
def case_file(plan_id: int):
    user = current_user()
    return downloads.case_file(user, get_plan(db.session, user, plan_id))
