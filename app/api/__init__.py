"""The JSON API under /api/v1, with bearer tokens."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import refresh

from app.extensions import db
from approvals.actor import Actor
from approvals.errors import NotAllowed, Unauthenticated
from approvals.i18n import N_, Text
from approvals.models import ApiToken, User
from approvals.services.api_tokens import token_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")


# What a user whose password was reset may call before choosing a new one.
PASSWORD_CHANGE_ENDPOINTS = {"api.change_password"}


def current_token() -> ApiToken:
    """The request's live bearer token, or 401."""
    # Cached per request (not on g, which lives as long as the application context).
    token: ApiToken | None = request.environ.get("approvals.token")
    if token is None:
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        token = token_for(db.session, raw.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise Unauthenticated("unauthorized", N_("请提供有效的访问令牌（Authorization: Bearer …）。"))
        if db.session.is_modified(token):  # its last use, noted: in its own transaction, before the request's
            db.session.commit()
        request.environ["approvals.token"] = token
        request.environ["approvals.language"] = token.user.interface_language
        refresh()  # the answer's language follows the caller now known (app.web.i18n.select_locale)
    return token


def caller_language() -> str | None:
    """The interface language of the user whose token authenticated this request, if any: the API answers
    in it. Kept when the token is read, so that saying an error after the rollback reads no row."""
    language: str | None = request.environ.get("approvals.language")
    return language


def current_user() -> User:
    """The user of the bearer token, or 401."""
    return current_token().user


@bp.before_request
def authenticate() -> None:
    """401 before anything else (body validation included) on every endpoint that needs a token; 403
    for a user who must change their password first."""
    from app.api.registry import PUBLIC_ENDPOINTS

    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if current_user().must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        raise NotAllowed("password_change_required",
                         Text(N_("管理员已重置您的密码，请先修改密码（POST /api/v1/account/password 或网页“修改密码”）。")))  # fmt: skip


def current_actor() -> Actor:
    return Actor(current_user(), request.remote_addr or "-")


from app.api import (  # noqa: E402,F401  (register the routes)
    account,
    audit,
    congress_documents,
    decisions,
    documents,
    evidence,
    execution,
    execution_services,
    notifications,
    objections,
    plans,
    revisions,
    roster,
    tokens,
)
