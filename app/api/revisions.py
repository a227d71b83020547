"""Submitted revisions and their differences."""

from __future__ import annotations

from flask import jsonify

from app.api import bp, current_user
from app.api.registry import endpoint
from app.api.schemas import RevisionDiffOut, RevisionList, RevisionOut
from app.extensions import db
from approvals.services import plans as plan_service
from approvals.services.revisions import compare_revisions, revisions_of


@endpoint(bp, "GET", "/plans/<int:plan_id>/revisions", summary="方案各次提交的版本（不可修改，含内容哈希）",
          response=RevisionList)  # fmt: skip
def list_revisions(plan_id: int):
    plan = plan_service.get_plan(db.session, current_user(), plan_id)
    items = [RevisionOut(number=r.number, content_hash=r.content_hash, submitted_by_id=r.submitted_by_id,
                         submitted_at=r.submitted_at) for r in revisions_of(db.session, plan)]  # fmt: skip
    return jsonify(RevisionList(items=items).model_dump(mode="json"))


@endpoint(bp, "GET", "/plans/<int:plan_id>/revisions/<int:before>/diff/<int:after>",
          summary="两个版本之间逐字段的差异，包括职工名单的增加、删除和修改", response=RevisionDiffOut)  # fmt: skip
def diff_revisions(plan_id: int, before: int, after: int):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    return jsonify(RevisionDiffOut(**compare_revisions(db.session, user, plan, before, after)).model_dump(mode="json"))
