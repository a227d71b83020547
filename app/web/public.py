"""The public notice (公示) of a published plan: no login, an unguessable link, rate-limited.

It shows only what approvals.services.public_notice deems public, the roster with IDs masked, the
objection window, and a form to raise an objection. Pages are never cached (the form carries a
CSRF token) nor indexed, and the link never leaves in a Referer header.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import RequestLimit
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from app.extensions import db, limiter
from app.inputs import query_int
from app.web import bp
from app.web.form_fields import attach_details
from app.web.i18n import say
from approvals.actor import public
from approvals.db import utcnow
from approvals.errors import ApprovalError, Invalid, NotFound
from approvals.models import OBJECTION_STATUSES, PublicNotice
from approvals.rules import receipt
from approvals.services.objections import (
    NAME_MAX,
    RECEIPT_NOT_FOUND,
    TEXT_MAX,
    ObjectionInput,
    look_up,
    raise_objection,
)
from approvals.services.public_notice import notice_by_token, public_plan, public_roster, public_worker

ENDPOINTS = {"web.public_notice", "web.public_objection", "web.objection_status"}  # all in session.PUBLIC_ENDPOINTS


class ObjectionForm(FlaskForm):
    """The fields only: the rules (ID check, phone, lengths) are the service's, reported per field."""

    name = StringField(_l("姓名"))
    id_number = StringField(_l("公民身份号码"))
    phone = StringField(_l("联系电话"))
    text = TextAreaField(_l("异议内容"))


# One budget for every public request of an address; objections have a second, smaller one that
# counts only those stored, so a mistyped ID costs nothing but the page budget.
public_limit = limiter.shared_limit(lambda: current_app.config["PUBLIC_PAGE_RATE_LIMIT"], scope="public_notice")


def _render(notice: PublicNotice, form: ObjectionForm, *, refusal: str = "") -> str:
    plan = notice.plan
    name = (request.args.get("q") or "").strip()[:50]
    page = db.paginate(public_roster(plan, name), page=query_int("page", 1),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)  # fmt: skip
    page.items = [public_worker(worker) for worker in page.items]  # nothing unmasked reaches the template
    return render_template("web/public/notice.html", notice=notice, token=notice.token,
                           public=public_plan(db.session, plan), roster=page, q=name, form=form,
                           is_open=notice.is_open(utcnow()), refusal=refusal,
                           days=(notice.closes_at - notice.opens_at).days, name_max=NAME_MAX,
                           text_max=TEXT_MAX)  # fmt: skip


@bp.get("/public/<token>")
@public_limit
def public_notice(token: str):
    return _render(notice_by_token(db.session, token), ObjectionForm(formdata=None))


def _too_many_objections(limit: RequestLimit) -> Response:
    """Over the objection limit: the page again with the worker's text kept, and why (429)."""
    notice = notice_by_token(db.session, (request.view_args or {}).get("token", ""))
    message = _("本网络地址提交异议过于频繁（上限：%(limit)s），本次未提交。请稍后再试，已填写的内容仍在下方。",
                limit=_limit_text(limit))  # fmt: skip
    return Response(_render(notice, ObjectionForm(), refusal=message), status=429)


def _limit_text(limit: RequestLimit) -> str:
    item = limit.limit
    per = {"second": _("秒"), "minute": _("分钟"), "hour": _("小时"), "day": _("天")}.get(item.GRANULARITY.name, "")
    every = f"{item.multiples}{per}" if item.multiples > 1 else per
    return _("每%(every)s%(amount)s次", every=every, amount=item.amount)


@bp.post("/public/<token>/objections")
@public_limit
@limiter.limit(lambda: current_app.config["OBJECTION_RATE_LIMIT"], deduct_when=lambda r: r.status_code == 303,
               on_breach=_too_many_objections)  # fmt: skip
def public_objection(token: str):
    notice = notice_by_token(db.session, token, for_update=True)
    form = ObjectionForm()
    given = ObjectionInput(name=form.name.data or "", id_number=form.id_number.data or "",
                           phone=form.phone.data or "", text=form.text.data or "")  # fmt: skip
    try:
        objection = raise_objection(db.session, actor=public(request.remote_addr or "-"), notice=notice, given=given)
    except ApprovalError as exc:
        db.session.rollback()
        refusal = _field_errors(form, exc)
        return _render(notice_by_token(db.session, token), form, refusal=refusal), exc.status
    db.session.commit()
    flash(_("您的异议已提交，受理码为 %(code)s，请抄下或截图保存。凭受理码和身份证号码后4位，可在“异议办理查询”页面"
            "查看办理进度和答复；企业和人社部门也会通过您留下的电话与您联系。",
            code=receipt.shown(objection.receipt_code)), "success")  # fmt: skip
    return redirect(url_for("web.public_notice", token=token), 303)


class LookupForm(FlaskForm):
    """The receipt code and the last four characters of the objector's ID: both, or nothing is shown."""

    code = StringField(_l("受理码"))
    id_tail = StringField(_l("身份证号码后4位"))


@bp.route("/public/objection-status", methods=["GET", "POST"])
@public_limit
@limiter.limit(lambda: current_app.config["OBJECTION_LOOKUP_RATE_LIMIT"], methods=["POST"])
def objection_status():
    """Where a worker's objection stands and the enterprise's reply. A wrong code and a wrong ID tail
    get the same answer (approvals.services.objections.look_up)."""
    if request.method == "GET":
        return _status_page(LookupForm(formdata=None))
    form = LookupForm()
    try:
        found = look_up(db.session, form.code.data or "", form.id_tail.data or "")
    except NotFound:
        return _status_page(form, refusal=_(RECEIPT_NOT_FOUND)), 404
    return _status_page(form, found=found)


def _status_page(form: LookupForm, **values: object) -> str:
    return render_template("web/public/objection_status.html", form=form, statuses=OBJECTION_STATUSES,
                           code_length=receipt.LENGTH + 2, **values)  # fmt: skip


def _field_errors(form: ObjectionForm, exc: ApprovalError) -> str:
    """Put each problem under its field; what belongs to no field is the refusal shown above the form."""
    if not isinstance(exc, Invalid):
        return say(exc.message)
    return " ".join(attach_details(form, exc))


@bp.after_request
def public_headers(response: Response) -> Response:
    if request.endpoint in ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"  # the link is the key: never pass it on
    return response
