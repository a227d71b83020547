"""The JSON API under /api/v1, with bearer tokens."""

from __future__ import annotations

from flask import Blueprint, request

from app.extensions import db
from approvals.actor import Actor
from approvals.errors import Unauthenticated
from approvals.models import User
from approvals.services.accounts import user_for_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def current_user() -> User:
    """The user of the bearer token, or 401."""
    # Cached per request (not on g, which lives as long as the application context).
    user: User | None = request.environ.get("approvals.user")
    if user is None:
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        user = user_for_token(db.session, raw.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise Unauthenticated("unauthorized", "请提供有效的访问令牌（Authorization: Bearer …）。")
        request.environ["approvals.user"] = user
    return user


@bp.before_request
def authenticate() -> None:
    """401 before anything else (body validation included) on every endpoint that needs a token."""
    from app.api.registry import PUBLIC_ENDPOINTS

    if request.endpoint not in PUBLIC_ENDPOINTS:
        current_user()


def current_actor() -> Actor:
    return Actor(current_user(), request.remote_addr or "-")


from app.api import audit, documents, evidence, notifications, objections, plans, revisions, roster, tokens  # noqa: E402,F401  (register the routes)
