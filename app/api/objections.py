"""Objections to a published plan (raised on its public notice page), for those who see the plan."""

from __future__ import annotations

from dataclasses import asdict

from flask import jsonify, url_for
from sqlalchemy import func, select

from app.api import bp, current_user
from app.api.registry import QueryInt, endpoint
from app.api.schemas import NoticeOut, ObjectionOut, ObjectionPage
from app.extensions import db
from app.inputs import query_int
from approvals import policy
from approvals.db import utcnow
from approvals.services import plans as plan_service
from approvals.services.objections import objection_views, objections_of
from approvals.services.public_notice import notice_of


@endpoint(bp, "GET", "/plans/<int:plan_id>/objections",
          summary="职工在公示页面提出的异议（身份证号和电话仅企业经办人、人社部门和管理员可见全文）",
          response=ObjectionPage, query={"page": QueryInt("页码"), "per_page": QueryInt("每页条数（多于200按200）")})  # fmt: skip
def list_objections(plan_id: int):  # type: ignore[no-untyped-def]
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    page = query_int("page", 1)
    per_page = min(query_int("per_page", 50), 200)
    query = objections_of(plan.id)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    unmasked = policy.may_see_objector(user, plan)
    rows = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    items = [ObjectionOut(**asdict(view)) for view in objection_views(db.session, rows, unmasked=unmasked)]
    notice = notice_of(db.session, plan)
    notice_out = None
    if notice is not None:
        notice_out = NoticeOut(url=url_for("web.public_notice", token=notice.token, _external=True),
                               opens_at=notice.opens_at, closes_at=notice.closes_at, open=notice.is_open(utcnow()))  # fmt: skip
    out = ObjectionPage(notice=notice_out, masked=not unmasked, items=items, total=total, page=page, per_page=per_page)
    return jsonify(out.model_dump(mode="json"))
