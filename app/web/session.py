"""Who is logged in (Flask-Login) and what every page may assume about it."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import Flask, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from app.extensions import db, login_manager
from app.web import bp
from approvals.actor import Actor
from approvals.models import User

# Pages anyone may open without logging in.
PUBLIC_ENDPOINTS = {
    "web.login",
    "web.set_language",
    "web.public_notice",
    "web.public_objection",
    "web.objection_status",
}
# What a user whose password was reset may open before choosing a new one.
PASSWORD_CHANGE_ENDPOINTS = {"web.account_password", "web.logout", "web.set_language"}
# What survives a new session at login and logout: the interface language only.
KEPT_ACROSS_SESSIONS = ("lang",)


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
def load_user(session_id: str) -> User | None:
    """The session's user while the session's generation is the user's (User.get_id) and the user is active."""
    user_id, _, generation = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or generation != str(user.session_generation):
        return None
    return user


@bp.before_request
def require_login():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("web.account_password"))
    return None


def _new_session() -> None:
    """Start from an empty session (a new CSRF token with it), keeping the language: no value set
    before a login, by the visitor or by someone who planted a cookie, outlives it."""
    kept = {key: session[key] for key in KEPT_ACROSS_SESSIONS if key in session}
    session.clear()
    session.update(kept)
    g.pop("csrf_token", None)  # Flask-WTF's copy of the old token for this request


def start_session(user: User) -> None:
    """Log the user in on a new session."""
    _new_session()
    login_user(user)


def end_session() -> None:
    """Log out and forget everything the session held."""
    _new_session()
    logout_user()


def web_user() -> User:
    user: User = current_user._get_current_object()
    return user


def web_actor() -> Actor:
    return Actor(web_user(), request.remote_addr or "-")


def safe_next(target: str | None, default: str) -> str:
    r"""`target` if it is a path on this site, else `default`: never an open redirect to another host.

    Judged as a browser reads a Location header: browsers drop tabs and line breaks anywhere and
    read a backslash as a slash, so "/\t/evil.example" and "/\\evil.example" lead off-site like
    "//evil.example". A target is refused when it (or its percent-decoded form, which a proxy or a
    second redirect may produce) holds a control character or a backslash, does not start with one
    "/", or has a scheme or a host; a line break would also have been a 500 in the header.
    """
    if not target or not _is_local_path(target):
        return default
    return target


def _is_local_path(target: str) -> bool:
    decoded = target
    for _ in range(3):  # "%252F" decodes to "%2F", then to "/"
        decoded, before = unquote(decoded), decoded
        if decoded == before:
            break
    for text in (target, decoded):
        if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c == "\\" for c in text):
            return False
        if not text.startswith("/") or text.startswith("//"):
            return False
        parts = urlsplit(text)
        if parts.scheme or parts.netloc:
            return False
    return True
