"""Objections to a published plan (raised on its public notice page), for those who see the plan, and
their handling: 受理 → 核实 → 答复 → 办结 by the enterprise, 重新办理 by the bureau."""

from __future__ import annotations

from dataclasses import asdict

from flask import jsonify, url_for
from sqlalchemy import func, select

from app.api import bp, current_actor, current_user
from app.api.registry import QueryInt, endpoint
from app.api.schemas import NoticeOut, ObjectionOut, ObjectionPage, ObjectionStepIn, ObjectionStepOut
from app.extensions import db
from app.inputs import query_int
from approvals import policy
from approvals.db import utcnow
from approvals.models import OBJECTION_STATUSES
from approvals.services import plans as plan_service
from approvals.services.objections import STEPS, ObjectionView, objection_views, objections_of, take_step
from approvals.services.public_notice import notice_of


def objection_out(view: ObjectionView) -> ObjectionOut:
    """An objection as the API gives it, its status and steps labelled in Chinese."""
    values = asdict(view)
    values["status_label"] = OBJECTION_STATUSES[view.status]
    values["steps"] = [ObjectionStepOut(step=s.step, step_label=STEPS[s.step].label, text=s.text, at=s.at, by=s.by)
                       for s in view.steps]  # fmt: skip
    return ObjectionOut(**values)


@endpoint(bp, "GET", "/plans/<int:plan_id>/objections",
          summary="职工在公示页面提出的异议（身份证号和电话仅企业经办人、人社部门和管理员可见全文）",
          response=ObjectionPage, query={"page": QueryInt("页码"), "per_page": QueryInt("每页条数（多于200按200）")})  # fmt: skip
def list_objections(plan_id: int):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id)
    page = query_int("page", 1)
    per_page = min(query_int("per_page", 50), 200)
    query = objections_of(plan.id)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    unmasked = policy.may_see_objector(user, plan)
    rows = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    items = [objection_out(view) for view in objection_views(db.session, rows, unmasked=unmasked)]
    notice = notice_of(db.session, plan)
    notice_out = None
    if notice is not None:
        notice_out = NoticeOut(url=url_for("web.public_notice", token=notice.token, _external=True),
                               opens_at=notice.opens_at, closes_at=notice.closes_at, open=notice.is_open(utcnow()))  # fmt: skip
    out = ObjectionPage(notice=notice_out, masked=not unmasked, items=items, total=total, page=page, per_page=per_page)
    return jsonify(out.model_dump(mode="json"))


def _respond(model: ObjectionOut, status: int):
    response = jsonify(model.model_dump(mode="json"))
    response.status_code = status
    return response


@endpoint(bp, "POST", "/plans/<int:plan_id>/objections/<int:objection_id>/steps",
          summary="办理异议：企业经办人依次受理、核实、答复、办结；人社部门可将已办结的异议退回重新办理（顺序不符 409）",
          body=ObjectionStepIn, response=ObjectionOut, errors=(401, 403, 404, 409), status=201)  # fmt: skip
def objection_step(plan_id: int, objection_id: int, body: ObjectionStepIn):
    user = current_user()
    plan = plan_service.get_plan(db.session, user, plan_id, for_update=True)
    objection = take_step(db.session, actor=current_actor(), plan=plan, objection_id=objection_id, step=body.step,
                          text=body.text)  # fmt: skip
    (view,) = objection_views(db.session, [objection], unmasked=policy.may_see_objector(user, plan))
    out = objection_out(view)
    db.session.commit()
    return _respond(out, 201)
