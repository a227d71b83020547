"""Who is logged in (Flask-Login) and what every page may assume about it."""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import db, login_manager
from app.web import bp
from approvals.actor import Actor
from approvals.models import User

# Pages anyone may open without logging in.
PUBLIC_ENDPOINTS = {"web.login", "web.set_language", "web.public_notice", "web.public_objection"}


def init(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "web.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"

    @app.before_request
    def forget_previous_request() -> None:
        # g lives as long as the application context, which outlives one request where a
        # context was pushed already (CLI commands, tests). Flask-Login, Flask-Babel and
        # Flask-WTF cache the user, the language and the CSRF token there: start each request clean.
        for name in list(vars(g)):
            g.pop(name)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@bp.before_request
def require_login():  # type: ignore[no-untyped-def]
    if request.endpoint not in PUBLIC_ENDPOINTS and not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def web_user() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def web_actor() -> Actor:
    return Actor(web_user(), request.remote_addr or "-")


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
