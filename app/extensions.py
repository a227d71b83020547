"""Flask extensions and accessors for what create_app builds."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import Session

from approvals.db import Base
from approvals.deadlines import Periods
from approvals.engine import WorkflowEngine


class _Database(SQLAlchemy):
    # The request's scoped session stands in for the Session the services take (approvals/ knows no Flask).
    session: Session  # type: ignore[assignment]


db = _Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
# No default limits: only the public pages are limited, by decorators (config RATELIMIT_*).
limiter = Limiter(key_func=get_remote_address)


def get_engine() -> WorkflowEngine:
    engine: WorkflowEngine = current_app.extensions["workflow_engine"]
    return engine


def deadline_periods() -> Periods:
    """The working days of the review and of the congress vote, as configured."""
    config = current_app.config
    return Periods(review=config["REVIEW_DEADLINE_WORKING_DAYS"], vote=config["VOTE_DEADLINE_WORKING_DAYS"])


def audit_checkpoint_interval() -> timedelta:
    """How often `flask worker` signs a checkpoint of the audit chains (AUDIT_CHECKPOINT_INTERVAL)."""
    return timedelta(seconds=current_app.config["AUDIT_CHECKPOINT_INTERVAL"])


def audit_checkpoint_allowance() -> timedelta:
    """How long an event may stay outside every checkpoint before verification reports it: two
    intervals, so one late or missed run of the worker is no finding."""
    return 2 * audit_checkpoint_interval()


def audit_key() -> bytes:
    """The key audit checkpoints are signed with (config.py: required in production)."""
    key: str = current_app.config["AUDIT_KEY"]
    return key.encode()
