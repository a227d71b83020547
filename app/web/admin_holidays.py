"""The administrator's holiday page: the State Council's public holidays and make-up working days (调休) for
the years `chinese-calendar` does not know yet, entered through the audited service
(approvals/services/holidays.py); deadlines in those years are then counted on them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired

from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.admin import admin_only
from app.web.form_errors import refuse
from app.web.session import web_actor
from approvals.db import utcnow
from approvals.errors import ApprovalError
from approvals.models.holidays import HOLIDAY, MAKEUP_WORKDAY
from approvals.services import holidays
from approvals.workdays import LIBRARY_YEARS, local_date


class HolidayForm(FlaskForm):
    year = IntegerField(_l("年度"), validators=[InputRequired(_l("请填写年度。"))])
    holidays = TextAreaField(_l("法定节假日（放假日）"), render_kw={"rows": 8})
    workdays = TextAreaField(_l("调休上班日"), render_kw={"rows": 4})
    basis = StringField(_l("依据（国务院办公厅通知的名称和文号）"))


@bp.route("/admin/holidays", methods=["GET", "POST"])
@admin_only
def admin_holidays():
    form = HolidayForm()
    entered = holidays.entered_years(db.session)
    today = local_date(utcnow())
    missing = holidays.missing_years(db.session, today)
    if request.method == "GET":  # "修改" on a year fills the form with its days; else the first missing year
        year = query_int("year", None) or (missing[0] if missing else None)
        form.year.data = year
        for row in entered:
            if row.year == year:
                form.holidays.data = "\n".join(d.isoformat() for d in row.holidays)
                form.workdays.data = "\n".join(d.isoformat() for d in row.workdays)
                form.basis.data = row.basis
    status = 200
    if form.validate_on_submit():
        days, problems = holidays.parse_days(form.holidays.data or "", HOLIDAY)
        extra, more = holidays.parse_days(form.workdays.data or "", MAKEUP_WORKDAY)
        try:
            row = holidays.set_arrangement(db.session, actor=web_actor(), year=form.year.data or 0, holidays=days,
                                           workdays=extra, basis=form.basis.data or "", problems=problems + more)  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
            status = 422
        else:
            db.session.commit()
            flash(_("已录入%(year)s年节假日安排：放假%(h)s天，调休上班%(w)s天；该年度的期限按此计算。",
                    year=row.year, h=len(set(days)), w=len(set(extra))), "success")  # fmt: skip
            return redirect(url_for("web.admin_holidays"))
    elif form.is_submitted():
        status = 422
    return render_template("web/admin/holidays.html", form=form, entered=entered, missing=missing,
                           library=LIBRARY_YEARS), status  # fmt: skip
