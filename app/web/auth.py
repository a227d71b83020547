"""Logging in and out."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.extensions import db
from app.web import bp
from app.web.session import safe_next
from approvals import demo
from approvals.errors import ApprovalError
from approvals.models import User
from approvals.services.accounts import check_password


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名。")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码。")), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = check_password(db.session, form.username.data or "", form.password.data or "")
        except ApprovalError:
            form.password.errors = [_("用户名或密码不正确，或账号已停用。")]
        else:
            login_user(user)
            flash(_("欢迎，%(name)s。", name=user.display_name or user.username), "success")
            return redirect(safe_next(request.args.get("next"), url_for("web.home")))
    return render_template("web/login.html", form=form, demo=_demo_accounts())


@bp.post("/logout")
def logout():  # type: ignore[no-untyped-def]
    logout_user()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("web.login"))


def _demo_accounts() -> list[User]:
    """In development only: the demo accounts, so a visitor can try each role."""
    if not current_app.config.get("SHOW_DEMO_ACCOUNTS"):
        return []
    names = [name for name, *_ in demo.DEMO_USERS]
    return list(db.session.scalars(select(User).where(User.username.in_(names)).order_by(User.id)))
