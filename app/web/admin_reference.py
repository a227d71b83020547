"""The administrator's pages, part two: enterprises, regions and working groups (parameters are in
admin_parameters.py). Every change goes through services/accounts.py, which audits it."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.extensions import db
from app.web import bp
from app.web.admin import admin_only
from app.web.form_errors import refuse
from app.web.session import web_actor
from approvals.errors import ApprovalError, NotFound
from approvals.i18n import N_, Text
from approvals.models import INDUSTRIES, Enterprise
from approvals.services import accounts, administration


def region_choices(*levels: str) -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} {r.name}") for r in administration.regions(db.session) if r.level in levels]


# --------------------------------------------------------------------------------------------
# Enterprises
# --------------------------------------------------------------------------------------------


class EnterpriseForm(FlaskForm):
    name = StringField(_l("企业名称"), validators=[DataRequired(_l("请填写企业名称。")),
                                                Length(max=200, message=_l("企业名称不超过200个字符。"))])  # fmt: skip
    uscc = StringField(_l("统一社会信用代码"), validators=[DataRequired(_l("请填写统一社会信用代码。")),
                                                     Length(max=30, message=_l("统一社会信用代码为18位。"))])  # fmt: skip
    industry = SelectField(_l("行业"), validators=[DataRequired(_l("请选择行业。"))])
    region = SelectField(_l("所在地区"), validators=[DataRequired(_l("请选择所在地区。"))])
    headcount = IntegerField(_l("在册职工人数"), validators=[InputRequired(_l("请填写在册职工人数。"))])
    zombie = BooleanField(_l("拟出清的“僵尸企业”"))
    parent_group = StringField(_l("上级集团公司"), validators=[Optional(), Length(max=200)])

    def fill_choices(self) -> None:
        self.industry.choices = [("", _("请选择"))] + [(key, _(label)) for key, label in INDUSTRIES.items()]
        self.region.choices = [("", _("请选择"))] + region_choices("city", "county")


@bp.get("/admin/enterprises")
@admin_only
def admin_enterprises():
    search = request.args.get("q", "")
    page = db.paginate(administration.enterprises_query(search), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)  # fmt: skip
    return render_template("web/admin/enterprises.html", page=page, search=search, industries=INDUSTRIES)


def _enterprise_fields(form: EnterpriseForm) -> dict[str, Any]:
    return {
        "name": form.name.data or "",
        "uscc": (form.uscc.data or "").strip().upper(),
        "industry": form.industry.data or "",
        "region_code": form.region.data or "",
        "headcount": form.headcount.data or 0,
        "zombie": bool(form.zombie.data),
        "parent_group": (form.parent_group.data or "").strip() or None,
    }


@bp.route("/admin/enterprises/new", methods=["GET", "POST"])
@admin_only
def admin_enterprise_new():
    form = EnterpriseForm()
    form.fill_choices()
    if form.validate_on_submit():
        try:
            firm = accounts.create_enterprise(db.session, actor=web_actor(), **_enterprise_fields(form))
        except ApprovalError as exc:
            refuse(form, exc)
        else:
            db.session.commit()
            flash(_("已登记企业“%(name)s”。", name=firm.name), "success")
            return redirect(url_for("web.admin_enterprises"))
    return render_template("web/admin/enterprise_form.html", form=form, enterprise=None)


@bp.route("/admin/enterprises/<int:enterprise_id>/edit", methods=["GET", "POST"])
@admin_only
def admin_enterprise_edit(enterprise_id: int):
    firm = db.session.get(Enterprise, enterprise_id)
    if firm is None:
        raise NotFound("enterprise_not_found", Text(N_("企业不存在。")))
    form = EnterpriseForm(obj=firm) if request.method == "GET" else EnterpriseForm()
    if request.method == "GET":
        form.region.data = firm.region_code
    form.fill_choices()
    if form.validate_on_submit():
        try:
            accounts.update_enterprise(db.session, actor=web_actor(), enterprise=firm, **_enterprise_fields(form))
        except ApprovalError as exc:
            refuse(form, exc)
        else:
            db.session.commit()
            flash(_("已保存企业“%(name)s”的信息。", name=firm.name), "success")
            return redirect(url_for("web.admin_enterprises"))
    return render_template("web/admin/enterprise_form.html", form=form, enterprise=firm)


# --------------------------------------------------------------------------------------------
# Regions and working groups
# --------------------------------------------------------------------------------------------


class RegionForm(FlaskForm):
    code = StringField(_l("地区代码"), validators=[DataRequired(_l("请填写6位地区代码。")), Length(max=6, message=_l("地区代码为6位数字。"))])  # fmt: skip
    name = StringField(_l("地区名称"), validators=[DataRequired(_l("请填写地区名称。")), Length(max=64)])


@bp.route("/admin/regions", methods=["GET", "POST"])
@admin_only
def admin_regions():
    form = RegionForm()
    if form.validate_on_submit():
        try:
            region = accounts.create_region(db.session, actor=web_actor(), code=form.code.data or "",
                                            name=form.name.data or "")  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
        else:
            db.session.commit()
            flash(_("已添加地区 %(code)s %(name)s。", code=region.code, name=region.name), "success")
            return redirect(url_for("web.admin_regions"))
    return render_template("web/admin/regions.html", form=form, regions=administration.regions(db.session),
                           levels=accounts.REGION_LEVELS)  # fmt: skip


class WorkingGroupForm(FlaskForm):
    name = StringField(_l("工作组名称"), validators=[DataRequired(_l("请填写工作组名称。")), Length(max=200)])
    region = SelectField(_l("覆盖地区"), validators=[DataRequired(_l("请选择覆盖地区。"))])


@bp.route("/admin/working-groups", methods=["GET", "POST"])
@admin_only
def admin_working_groups():
    form = WorkingGroupForm()
    form.region.choices = [("", _("请选择"))] + region_choices("province", "city", "county")
    if form.validate_on_submit():
        try:
            group = accounts.create_working_group(db.session, actor=web_actor(), name=form.name.data or "",
                                                  region_code=form.region.data or "")  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
        else:
            db.session.commit()
            flash(_("已新增联合工作组“%(name)s”。", name=group.name), "success")
            return redirect(url_for("web.admin_working_groups"))
    return render_template("web/admin/working_groups.html", form=form, groups=administration.working_groups(db.session))
