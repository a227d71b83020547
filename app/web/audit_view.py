"""The audit trail for supervisors (their region) and administrators (everything): search, exports
of exactly what is filtered, and verification of the hash chains."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from flask import Response, abort, current_app, render_template, request, stream_with_context
from flask_babel import format_datetime, get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.extensions import audit_checkpoint_allowance, audit_key, db
from app.inputs import DB_INT_MAX, query_int
from app.web import bp
from app.web.audit_summary import summary_text
from app.web.form_errors import refuse
from app.web.session import web_user
from approvals import audit_checkpoints
from approvals.audit import ACTION_LABELS
from approvals.errors import Invalid
from approvals.exports import csv_chunks, xlsx_bytes
from approvals.i18n import N_
from approvals.models import ROLE_LABELS, Plan, Role
from approvals.policy import require_any_role
from approvals.services.audit_trail import (
    Page,
    TrailFilter,
    TrailRow,
    enterprises_for,
    reach_of,
    trail_page,
    trail_rows,
    verify_trail,
)

ROLE_NAMES = {
    **{str(role): label for role, label in ROLE_LABELS.items()},
    "system": N_("系统"),
}  # the engine acts as "system"
# (title, width in the XLSX, class of the page's column)
COLUMNS = (
    (N_("记录编号"), 10, "text-nowrap"),
    (N_("时间"), 20, "text-nowrap"),
    (N_("人员"), 22, "col-person"),
    (N_("角色"), 16, "col-role"),
    (N_("操作"), 24, "col-action"),
    (N_("方案"), 36, "col-plan"),
    (N_("企业"), 28, "col-enterprise"),
    (N_("内容摘要"), 60, "summary"),
    (N_("来源地址"), 16, "text-nowrap"),
)
PLAN_COLUMN = 5


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    number = int(value)
    if not 1 <= number <= DB_INT_MAX:  # names no row; the form says so instead of the database failing
        raise ValueError(number)
    return number


class TrailFilterForm(FlaskForm):
    """The filter is a GET form: bookmarkable, and the exports take the same query string."""

    class Meta:
        csrf = False

    person = StringField(_l("人员"), validators=[Optional(), Length(max=64)])
    enterprise = SelectField(_l("企业"), coerce=_optional_int, validate_choice=False)
    action = SelectField(_l("操作"), default="")
    date_from = DateField(_l("起始日期"), validators=[Optional()])
    date_to = DateField(_l("截止日期"), validators=[Optional()])
    plan = IntegerField(_l("方案"), validators=[Optional(), NumberRange(min=1, max=DB_INT_MAX)])

    def fill_choices(self) -> None:
        # "" (not None, which a browser would send back as the text "None"): no enterprise chosen.
        self.enterprise.choices = [("", _("全部企业"))] + [
            (e.id, e.name) for e in enterprises_for(db.session, web_user())
        ]
        self.action.choices = [("", _("全部操作"))] + sorted(
            ((key, _(label)) for key, label in ACTION_LABELS.items()), key=lambda c: c[1]
        )

    def trail_filter(self) -> TrailFilter:
        return TrailFilter(
            person=self.person.data or "",
            enterprise_id=self.enterprise.data,
            plan_id=self.plan.data,
            action=self.action.data or "",
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            timezone=get_timezone(),
        )


def _filter_form() -> TrailFilterForm:
    reach_of(web_user())  # 403 before anything else for readers of neither kind
    form = TrailFilterForm(request.args)
    form.fill_choices()
    return form


def trail_header() -> list[str]:
    return [_(title) for title, _width, _css in COLUMNS]


def trail_cells(row: TrailRow) -> list[str]:
    """One event as the page shows it and the exports write it."""
    person = row.actor_name
    if row.actor_display and row.actor_display != row.actor_name:
        person = _("%(name)s（%(username)s）", name=row.actor_display, username=row.actor_name)
    role = ROLE_NAMES.get(row.role, row.role)
    return [
        str(row.event_id),
        format_datetime(row.occurred_at, "yyyy-MM-dd HH:mm:ss"),
        person,
        _(role),
        _(ACTION_LABELS[row.action]) if row.action in ACTION_LABELS else row.action,
        row.plan_title or "",
        row.enterprise_name or "",
        summary_text(row.action, row.summary),
        row.remote_addr,
    ]


def _render(form: TrailFilterForm, page: Page[TrailRow] | None, status: int = 200):
    plan = db.session.get(Plan, form.plan.data) if form.plan.data and page is not None else None
    rows = [(row, trail_cells(row)) for row in page.items] if page else []
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("web/audit/trail.html", form=form, page=page, rows=rows, header=trail_header(),
                           plan=plan, args=args, plan_column=PLAN_COLUMN,
                           column_classes=[css for _title, _width, css in COLUMNS]), status  # fmt: skip


@bp.get("/audit")
def audit_trail():
    form = _filter_form()
    if not form.validate():
        return _render(form, None, 422)
    try:
        page = trail_page(db.session, web_user(), form.trail_filter(), query_int("page", 1),
                          current_app.config["PAGE_SIZE"])  # fmt: skip
    except Invalid as exc:
        refuse(form, exc)
        return _render(form, None, 422)
    return _render(form, page)


@bp.get("/audit/export.<fmt>")
def audit_export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    form = _filter_form()
    if not form.validate():
        return _render(form, None, 422)
    user, wanted = web_user(), form.trail_filter()
    try:
        rows = trail_rows(db.session, user, wanted)
        first = next(rows, None)  # runs the query now: a refused filter answers here, not mid-download
    except Invalid as exc:
        refuse(form, exc)
        return _render(form, None, 422)
    name = f"audit-{date.today():%Y%m%d}.{fmt}"

    def cells() -> Iterator[list[str]]:
        if first is not None:
            yield trail_cells(first)
            for row in rows:
                yield trail_cells(row)

    headers = {"Content-Disposition": f"attachment; filename={name}"}
    if fmt == "csv":
        # text/csv: Werkzeug adds "; charset=utf-8" itself
        return Response(stream_with_context(csv_chunks(trail_header(), cells())), mimetype="text/csv", headers=headers)
    body = xlsx_bytes(_("审计记录"), trail_header(), cells(), [width for _title, width, _css in COLUMNS])
    return Response(body, headers=headers,
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


@bp.get("/audit/verify")
def audit_verify():
    check = verify_trail(db.session, web_user(), audit_key(), max_age=audit_checkpoint_allowance())
    page = Page.of(check.chains, query_int("page", 1), current_app.config["PAGE_SIZE"])
    broken = sum(1 for c in check.chains if not c.ok)
    return render_template("web/audit/verify.html", check=check, page=page, broken=broken,
                           may_export=Role.ADMIN in web_user().roles)  # fmt: skip


@bp.get("/audit/checkpoints.json")
def audit_checkpoints_export():
    """Every signed checkpoint, for the administrator to keep outside the database (`flask audit
    verify --against` checks the database against it)."""
    require_any_role(web_user(), (Role.ADMIN,), N_("导出签名检查点"))
    body = json.dumps(audit_checkpoints.export(db.session, audit_key()), ensure_ascii=False, indent=1)
    name = f"audit-checkpoints-{date.today():%Y%m%d}.json"
    return Response(body, mimetype="application/json; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}", "Cache-Control": "no-store"})  # fmt: skip
