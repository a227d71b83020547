"""The user's own settings: where notifications are mailed and in which language they are written,
the password, and the API tokens.

Saved through `notifications.contacts.set_contact` (the check of the address and the language, and the
audit event, as `flask users contact` does), `approvals.services.passwords` and
`approvals.services.api_tokens`, in the user's own name and role.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo

from app.extensions import db
from app.web import bp
from app.web.form_errors import refuse
from app.web.form_fields import attach_details
from app.web.form_helpers import choices
from app.web.i18n import say
from app.web.session import start_session, web_actor, web_user
from approvals.errors import ApprovalError, Invalid
from approvals.models import LANGUAGES
from approvals.services import api_tokens, passwords
from notifications.contacts import set_contact


class ContactForm(FlaskForm):
    email = StringField(_l("电子邮箱"), description=_l("通知同时发送到此邮箱；不填则只在系统内通知。"),
                        render_kw={"type": "email", "autocomplete": "email"})  # fmt: skip
    # Any value reaches the service, which checks the language (one rule, one place).
    language = SelectField(_l("通知语言"), description=_l("通知和邮件的语言；不选择的，随界面语言（您最近一次选择的界面语言）。"),
                           choices=choices([("", _l("随界面语言"))] + list(LANGUAGES.items())),
                           validate_choice=False)  # fmt: skip


@bp.route("/settings", methods=["GET", "POST"])
def account_settings():
    user = web_user()
    tokens = {"tokens": api_tokens.live_tokens(db.session, user), "masked": api_tokens.masked,
              "confirm": ConfirmForm()}  # fmt: skip
    form = ContactForm(data={"email": user.email or "", "language": user.language or ""})
    if form.validate_on_submit():
        try:
            set_contact(db.session, actor=web_actor(), user=user, email=form.email.data or "",
                        language=form.language.data or "", role=user.own_role)  # fmt: skip
        except Invalid as exc:
            db.session.rollback()
            for problem in attach_details(form, exc):
                flash(say(problem), "danger")
            return render_template("web/account/settings.html", form=form, **tokens), exc.status
        db.session.commit()
        flash(_("已保存通知设置。"), "success")
        return redirect(url_for("web.account_settings"))
    return render_template("web/account/settings.html", form=form, **tokens), 422 if form.errors else 200


class PasswordForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请填写当前密码。"))],
                            render_kw={"autocomplete": "current-password"})  # fmt: skip
    password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请填写新密码。"))],
                             description=_l("8至128位，包含大写字母、小写字母、数字、符号中的至少三类；不能是常见密码，不能包含用户名。"),
                             render_kw={"autocomplete": "new-password"})  # fmt: skip
    confirm = PasswordField(_l("再次输入新密码"), validators=[
        DataRequired(_l("请再次输入新密码。")), EqualTo("password", message=_l("两次输入的密码不一致。"))],
        render_kw={"autocomplete": "new-password"})  # fmt: skip


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


@bp.route("/settings/password", methods=["GET", "POST"])
def account_password():
    """Change one's own password; after an administrator's reset every page leads here until it is done."""
    user = web_user()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            passwords.change_password(db.session, actor=web_actor(), user=user, current=form.current.data or "",
                                      new=form.password.data or "", role=user.own_role)  # fmt: skip
        except ApprovalError as exc:
            refuse(form, exc)
        else:
            db.session.commit()
            start_session(user)  # every other session (and API token) has ended; this one goes on anew
            flash(_("密码已修改。您在其他设备上的登录和全部访问令牌已失效。"), "success")
            return redirect(url_for("web.account_settings"))
    status = 422 if form.errors else 200
    return render_template("web/account/password.html", form=form, forced=user.must_change_password), status


@bp.post("/settings/tokens/<int:token_id>/revoke")
def account_token_revoke(token_id: int):
    user = web_user()
    if ConfirmForm().validate_on_submit():
        token = api_tokens.revoke_token(db.session, actor=web_actor(), user=user, token_id=token_id,
                                        role=user.own_role)  # fmt: skip
        db.session.commit()
        flash(_("已撤销访问令牌 %(token)s。", token=api_tokens.masked(token)), "success")
    return redirect(url_for("web.account_settings"))


@bp.post("/settings/tokens/revoke-all")
def account_tokens_revoke_all():
    user = web_user()
    if ConfirmForm().validate_on_submit():
        count = api_tokens.revoke_own_tokens(db.session, actor=web_actor(), user=user, role=user.own_role)
        db.session.commit()
        flash(_("已撤销全部访问令牌（%(count)d个）。", count=count), "success")
    return redirect(url_for("web.account_settings"))
