"""The landing page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from app.extensions import db
from approvals import demo
from approvals.models import User

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """What the system is, where the API is, and (in development only) the demo accounts."""
    users: list[User] = []
    if current_app.config.get("SHOW_DEMO_ACCOUNTS"):
        names = [name for name, *_ in demo.DEMO_USERS]
        users = list(db.session.scalars(select(User).where(User.username.in_(names)).order_by(User.id)))
    return render_template("index.html", demo=users, demo_password=demo.DEMO_PASSWORD)
