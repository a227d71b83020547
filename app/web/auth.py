"""Logging in and out."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.extensions import db
from app.login_throttle import LoginLocked, LoginUnavailable, attempt_login
from app.web import bp
from app.web.session import end_session, safe_next, start_session, web_actor, web_user
from approvals import demo
from approvals.errors import ApprovalError
from approvals.models import User
from approvals.services.passwords import end_sessions
from notifications.contacts import remember_interface_language


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名。")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码。")), Length(max=200)])


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = attempt_login(form.username.data or "", form.password.data or "")
        except LoginLocked as exc:
            form.password.errors = [_locked_message(exc)]
            page = render_template("web/login.html", form=form, demo=_demo_accounts())
            return page, exc.status, {"Retry-After": str(exc.retry_after)}
        except LoginUnavailable as exc:
            form.password.errors = [_("暂时无法登录（登录失败计数服务不可用），请稍后再试。")]
            return render_template("web/login.html", form=form, demo=_demo_accounts()), exc.status
        except ApprovalError:
            form.password.errors = [_("用户名或密码不正确，或账号已停用。")]
        else:
            chosen = session.get("lang")  # the interface language chosen before logging in
            start_session(user)
            # their emails follow it unless they chose a notification language (notifications.messages)
            if chosen and remember_interface_language(db.session, actor=web_actor(), user=user, language=chosen,
                                                      role=user.own_role):  # fmt: skip
                db.session.commit()
            flash(_("欢迎，%(name)s。", name=user.display_name or user.username), "success")
            return redirect(safe_next(request.args.get("next"), url_for("web.home")))
    return render_template("web/login.html", form=form, demo=_demo_accounts())


def _locked_message(exc: LoginLocked) -> str:
    if exc.scope == "account":
        return _("该账号登录失败次数过多，已暂时锁定，请%(minutes)d分钟后再试。", minutes=exc.minutes)
    return _("来自您所在网络地址的登录失败次数过多，已暂时锁定，请%(minutes)d分钟后再试。", minutes=exc.minutes)


@bp.post("/logout")
def logout():
    end_sessions(web_user())  # every session of the user ends, on the server: a copied cookie included
    db.session.commit()
    end_session()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("web.login"))


def _demo_accounts() -> list[User]:
    """In development only: the demo accounts, so a visitor can try each role."""
    if not current_app.config.get("SHOW_DEMO_ACCOUNTS"):
        return []
    names = [name for name, *_ in demo.DEMO_USERS]
    return list(db.session.scalars(select(User).where(User.username.in_(names)).order_by(User.id)))
