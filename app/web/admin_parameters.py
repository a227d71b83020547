"""The administrator's parameter pages: local average wages per city and year, the legal parameters as
dated values with their history, each county's minimum-wage tier, and the deadlines (read-only).
Every change goes through an audited service (accounts.set_wage_parameters, services/parameters.py)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired

from app.extensions import db
from app.inputs import query_int
from app.web import bp
from app.web.admin import admin_only, deadline_settings
from app.web.admin_reference import region_choices
from app.web.form_errors import refuse
from app.web.form_fields import DayField, Required
from app.web.session import web_actor
from approvals.errors import ApprovalError
from approvals.rules.parameters import PARAMETERS, UNASSIGNED_TIER, WAGE_TIERS, shown_value
from approvals.services import accounts, administration
from approvals.services import parameters as parameter_service


def _say(text: str) -> str:
    return _(text)


class WageForm(FlaskForm):
    city = SelectField(_l("设区市"), validators=[DataRequired(_l("请选择设区市。"))])
    year = IntegerField(_l("年度"), validators=[InputRequired(_l("请填写年度。"))])
    average = DecimalField(_l("职工月平均工资（元）"), places=2, validators=[InputRequired(_l("请填写月平均工资。"))])


@bp.route("/admin/parameters", methods=["GET", "POST"])
@admin_only
def admin_parameters():
    form = WageForm()
    form.city.choices = [("", _("请选择"))] + region_choices("city")
    wages = administration.wage_parameters(db.session)
    if request.method == "GET":  # "修改" on a row fills the form with that row; the home's link, city and year
        city, year = request.args.get("city"), query_int("year", None)
        if city in dict(form.city.choices) and year:
            form.city.data, form.year.data = city, year
        for row in wages:
            if (row.city_code, row.year) == (city, year):
                form.city.data, form.year.data, form.average.data = city, year, row.average
    status = 200
    if form.validate_on_submit():
        try:
            entry = accounts.set_wage_parameters(db.session, actor=web_actor(), city_code=form.city.data or "",
                                                 year=form.year.data or 0, average=form.average.data)  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
            status = 422
        else:
            db.session.commit()
            flash(_("已设置 %(year)s 年度工资参数。", year=entry.row.year), "success")
            if entry.refreshed:
                flash(_("已按此重新计算%(n)s个起草中方案的经济补偿：%(titles)s。", n=len(entry.refreshed),
                        titles=_("、").join(f"《{r.title}》" for r in entry.refreshed)), "info")  # fmt: skip
            return redirect(url_for("web.admin_parameters"))
    elif form.is_submitted():
        status = 422
    legacy = any(row.minimum is not None for row in wages)
    return render_template("web/admin/parameters.html", form=form, wages=wages, legacy=legacy,
                           deadlines=deadline_settings()), status  # fmt: skip


class ParameterValueForm(FlaskForm):
    key = SelectField(_l("参数"), validators=[DataRequired(_l("请选择参数。"))])
    effective_from = DayField(_l("生效日期"), validators=[Required(_l("请填写生效日期。"))])
    value = StringField(_l("参数值"), validators=[DataRequired(_l("请填写参数值。"))])
    basis = StringField(_l("设定依据（文件名称和文号）"), validators=[DataRequired(_l("请填写设定依据。"))])


@bp.route("/admin/legal-parameters", methods=["GET", "POST"])
@admin_only
def admin_legal_parameters():
    form = ParameterValueForm()
    form.key.choices = [("", _("请选择"))] + [(key, _(p.label)) for key, p in PARAMETERS.items()]
    if request.method == "GET" and request.args.get("key") in PARAMETERS:
        form.key.data = request.args["key"]
    status = 200
    if form.validate_on_submit():
        try:
            row = parameter_service.set_parameter_value(
                db.session, actor=web_actor(), key=form.key.data or "", effective_from=form.effective_from.data,
                value=form.value.data or "", basis=form.basis.data or "")  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
            status = 422
        else:
            db.session.commit()
            flash(_("已设置“%(label)s”自%(day)s起的值。", label=_(PARAMETERS[row.key].label),
                    day=row.effective_from.isoformat()), "success")  # fmt: skip
            return redirect(url_for("web.admin_legal_parameters"))
    elif form.is_submitted():
        status = 422
    histories = parameter_service.parameter_histories(db.session, date.today())
    return render_template("web/admin/legal_parameters.html", form=form, histories=histories, shown=shown_value,
                           say=_say), status  # fmt: skip


class WageTierForm(FlaskForm):
    region = SelectField(_l("县（市、区）"), validators=[DataRequired(_l("请选择县（市、区）。"))])
    tier = SelectField(_l("最低工资类别"), validators=[DataRequired(_l("请选择最低工资类别。"))])
    effective_from = DayField(_l("生效日期"), validators=[Required(_l("请填写生效日期。"))])
    basis = StringField(_l("设定依据（文件名称和文号）"), validators=[DataRequired(_l("请填写设定依据。"))])


@bp.route("/admin/wage-tiers", methods=["GET", "POST"])
@admin_only
def admin_wage_tiers():
    form = WageTierForm()
    form.region.choices = [("", _("请选择"))] + region_choices("city", "county")
    form.tier.choices = [("", _("请选择"))] + [(str(t), _(label)) for t, label in WAGE_TIERS.items()]
    status = 200
    if form.validate_on_submit():
        try:
            row = parameter_service.set_wage_tier(
                db.session, actor=web_actor(), region_code=form.region.data or "",
                effective_from=form.effective_from.data, tier=int(form.tier.data or 0), basis=form.basis.data or "")  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
            status = 422
        else:
            db.session.commit()
            flash(_("已设定最低工资类别（自%(day)s起）。", day=row.effective_from.isoformat()), "success")
            return redirect(url_for("web.admin_wage_tiers"))
    elif form.is_submitted():
        status = 422
    today = date.today()
    regions = [r for r in administration.regions(db.session) if r.level in ("city", "county")]
    current = parameter_service.wage_tiers_on(db.session, today)
    return render_template("web/admin/wage_tiers.html", form=form, regions=regions, current=current,
                           history=parameter_service.wage_tier_history(db.session), tiers=WAGE_TIERS,
                           unassigned=_(WAGE_TIERS[UNASSIGNED_TIER])), status  # fmt: skip
