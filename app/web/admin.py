"""The administrator's pages, part one: the home section and the users (accounts, roles with their
reach, deactivation). Every change goes through services/accounts.py, which audits it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from app.extensions import db
from app.web import bp
from app.web.confirmation import confirmed
from app.web.form_errors import refuse
from app.web.home import dashboard
from app.web.i18n import say
from app.web.session import web_actor, web_user
from approvals import policy
from approvals.audit import ACTION_LABELS
from approvals.db import utcnow
from approvals.errors import ApprovalError, NotFound
from approvals.i18n import N_, Text
from approvals.models import ROLE_LABELS, Enterprise, Role, RoleGrant, User, WorkingGroup
from approvals.reach import REACH_OF_ROLE
from approvals.services import accounts, administration, holidays, passwords
from approvals.workdays import local_date

View = TypeVar("View", bound=Callable[..., Any])

# Deadlines come from the deployment configuration (config.py); the page shows them read-only.
DEADLINE_SETTINGS = (
    (
        "REVIEW_DEADLINE_WORKING_DAYS",
        N_("人社部门审核期限（工作日）"),
        N_(
            "自方案进入审核的次日起按工作日计算（法定节假日和调休按国家安排），届满前3个工作日提醒，超期提请督查人员督办。"
        ),
    ),
    (
        "VOTE_DEADLINE_WORKING_DAYS",
        N_("职工代表大会表决期限（工作日）"),
        N_(
            "自方案提交职工代表大会审议的次日起按工作日计算，会议无效需重新召开的重新起算；届满前3个工作日提醒工会，超期提请督查人员督办。"
        ),
    ),
)


def admin_only(view: View) -> View:
    """403 for everyone but administrators."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        policy.require_any_role(web_user(), (Role.ADMIN,), N_("系统管理"))
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def deadline_settings() -> list[tuple[str, str, str, Any]]:
    return [(key, label, note, current_app.config.get(key)) for key, label, note in DEADLINE_SETTINGS]


@dashboard(Role.ADMIN)
def admin_home(user: User) -> dict[str, Any]:
    return {
        "overview": administration.overview(db.session),
        "holidays_missing": holidays.missing_years(db.session, local_date(utcnow())),
        "stale_wages": administration.stale_wage_cities(
            db.session, local_date(utcnow()).year, current_app.config["WAGE_FIGURES_MAX_AGE_YEARS"]
        ),
        "wage_max_age": current_app.config["WAGE_FIGURES_MAX_AGE_YEARS"],
        "wage_year_due": local_date(utcnow()).year - 1,  # the previous year's figure (劳动合同法 Art 47)
        "deadlines": deadline_settings(),
        "action_labels": ACTION_LABELS,
    }


# --------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------


class UserForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[
        DataRequired(_l("请填写用户名。")), Length(max=64, message=_l("用户名不超过64个字符。")),
        Regexp(r"^[A-Za-z0-9_.\-]+$", message=_l("用户名只能包含英文字母、数字、下划线、点和连字符。"))])  # fmt: skip
    display_name = StringField(_l("姓名"), validators=[Length(max=100, message=_l("姓名不超过100个字符。"))])
    password = PasswordField(_l("初始密码"), validators=[DataRequired(_l("请填写初始密码。"))])
    confirm = PasswordField(_l("再次输入密码"), validators=[
        DataRequired(_l("请再次输入密码。")), EqualTo("password", message=_l("两次输入的密码不一致。"))])  # fmt: skip


def _optional_int(value: Any) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class GrantForm(FlaskForm):
    role = SelectField(_l("角色"), validators=[DataRequired(_l("请选择角色。"))])
    enterprise = SelectField(_l("所属企业"), coerce=_optional_int)
    region = SelectField(_l("所辖地区"), default="")
    working_group = SelectField(_l("联合工作组"), coerce=_optional_int)

    def fill_choices(self) -> None:
        self.role.choices = [("", _("请选择"))] + [(str(r), _(label)) for r, label in ROLE_LABELS.items()]
        self.enterprise.choices = [(None, "—")] + [
            (e.id, f"{e.name}（{e.uscc}）") for e in db.session.scalars(administration.enterprises_query())
        ]
        self.region.choices = [("", "—")] + [(r.code, f"{r.code} {r.name}") for r in administration.regions(db.session)]
        self.working_group.choices = [(None, "—")] + [
            (row.group.id, row.group.name) for row in administration.working_groups(db.session)
        ]


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("新的临时密码"), validators=[DataRequired(_l("请填写新的临时密码。"))],
                             description=_l("用户下次登录后须先修改密码；其登录会话和访问令牌立即失效。"),
                             render_kw={"autocomplete": "new-password"})  # fmt: skip
    confirm = PasswordField(_l("再次输入密码"), validators=[
        DataRequired(_l("请再次输入密码。")), EqualTo("password", message=_l("两次输入的密码不一致。"))],
        render_kw={"autocomplete": "new-password"})  # fmt: skip


def reach_names() -> dict[str, dict[Any, str]]:
    """Names of regions and working groups, to show each grant's reach."""
    return {
        "regions": {r.code: r.name for r in administration.regions(db.session)},
        "groups": {g.group.id: g.group.name for g in administration.working_groups(db.session)},
    }


@bp.get("/admin/users")
@admin_only
def admin_users():
    search = request.args.get("q", "")
    page = db.paginate(administration.users_query(search), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("web/admin/users.html", page=page, search=search, **reach_names())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_only
def admin_user_new():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(db.session, actor=web_actor(), username=form.username.data or "",
                                        password=form.password.data or "", display_name=form.display_name.data or "")  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
        else:
            db.session.commit()
            flash(_("已创建用户“%(name)s”。请为其授予角色。", name=user.username), "success")
            return redirect(url_for("web.admin_user", user_id=user.id))
    return render_template("web/admin/user_new.html", form=form)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user_not_found", Text(N_("用户不存在。")))
    return user


def _render_user(user: User, grant_form: GrantForm, status: int = 200,
                 reset_form: ResetPasswordForm | None = None, confirm_refused: str = ""):  # fmt: skip
    """The user's page; `confirm_refused` names the button sent without its confirmation ("active", "grant-<id>")."""
    return render_template("web/admin/user.html", user=user, grant_form=grant_form, confirm=ConfirmForm(),
                           reset_form=reset_form or ResetPasswordForm(formdata=None), confirm_refused=confirm_refused,
                           reach_of_role=REACH_OF_ROLE, deactivation_refused=accounts.deactivation_refused(
                               web_user(), user), revocation_refused=lambda g: accounts.revocation_refused(web_user(), g),
                           **reach_names()), status  # fmt: skip


def _unconfirmed(user: User, which: str):
    """Deactivating an account or revoking a role sent without its confirmation: nothing changes (422)."""
    form = GrantForm(formdata=None)
    form.fill_choices()
    return _render_user(user, form, 422, confirm_refused=which)


@bp.get("/admin/users/<int:user_id>")
@admin_only
def admin_user(user_id: int):
    form = GrantForm()
    form.fill_choices()
    return _render_user(_user(user_id), form)


@bp.post("/admin/users/<int:user_id>/grants")
@admin_only
def admin_user_grant(user_id: int):
    user = _user(user_id)
    form = GrantForm()
    form.fill_choices()
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            accounts.grant_role(
                db.session, actor=web_actor(), user=user, role=role,
                enterprise=db.session.get(Enterprise, form.enterprise.data) if form.enterprise.data else None,
                region_code=form.region.data or None,
                working_group=db.session.get(WorkingGroup, form.working_group.data) if form.working_group.data else None,
            )  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
        else:
            db.session.commit()
            flash(_("已授予“%(name)s”%(role)s角色。", name=user.username, role=_(ROLE_LABELS[role])), "success")
            return redirect(url_for("web.admin_user", user_id=user.id))
    return _render_user(user, form, 422)


@bp.post("/admin/users/<int:user_id>/grants/<int:grant_id>/revoke")
@admin_only
def admin_user_revoke(user_id: int, grant_id: int):
    user = _user(user_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id:
        raise NotFound("grant_not_found", Text(N_("该角色授权不存在。")))
    form = ConfirmForm()
    if form.validate_on_submit() and not confirmed():
        return _unconfirmed(user, f"grant-{grant.id}")
    if form.validate_on_submit():
        role = _(ROLE_LABELS[Role(grant.role)])
        try:
            accounts.revoke_role(db.session, actor=web_actor(), grant=grant)
        except ApprovalError as exc:
            db.session.rollback()
            flash(say(exc.message), "danger")
        else:
            db.session.commit()
            flash(_("已撤销“%(name)s”的%(role)s角色。", name=user.username, role=role), "success")
    return redirect(url_for("web.admin_user", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/active/<int:active>")
@admin_only
def admin_user_active(user_id: int, active: int):
    user = _user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit() and not active and not confirmed():  # enabling again asks nothing
        return _unconfirmed(user, "active")
    if form.validate_on_submit():
        try:
            accounts.set_user_active(db.session, actor=web_actor(), user=user, active=bool(active))
        except ApprovalError as exc:
            db.session.rollback()
            flash(say(exc.message), "danger")
        else:
            db.session.commit()
            if active:
                flash(_("已启用账号“%(name)s”。", name=user.username), "success")
            else:
                flash(_("已停用账号“%(name)s”，该用户不能再登录。", name=user.username), "success")
    return redirect(url_for("web.admin_user", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/password")
@admin_only
def admin_user_password(user_id: int):
    """Reset a user's password: they must change it at their next login."""
    user = _user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.reset_password(db.session, actor=web_actor(), user=user, new=form.password.data or "")
        except ApprovalError as exc:
            refuse(form, exc)
        else:
            db.session.commit()
            flash(_("已重置“%(name)s”的密码。请将临时密码告知本人；其下次登录后须先修改密码。", name=user.username),
                  "success")  # fmt: skip
            return redirect(url_for("web.admin_user", user_id=user.id))
    grant_form = GrantForm()
    grant_form.fill_choices()
    return _render_user(user, grant_form, 422, reset_form=form)
