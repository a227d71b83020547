"""Configuration classes; the only module that reads os.environ."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy would look for psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    # Key for signing audit checkpoints; defaults to one derived from SECRET_KEY.
    AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'placement.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {}
    WORKFLOWS_DIR = Path(os.environ.get("WORKFLOWS_DIR", BASE_DIR / "workflows"))
    # The bureau's review deadline in working days (holidays and 调休 counted: approvals.workdays).
    REVIEW_DEADLINE_WORKING_DAYS = int(os.environ.get("REVIEW_DEADLINE_WORKING_DAYS", "20"))
    # Email (notifications/delivery.py): off while MAIL_HOST is empty; in-app notices always.
    MAIL_HOST = os.environ.get("MAIL_HOST", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_TLS = os.environ.get("MAIL_TLS", "starttls")  # starttls | ssl | none
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "职工安置方案审批系统 <noreply@localhost>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))
    # Failed deliveries wait MAIL_RETRY_BASE_SECONDS × 2^(attempt−1), at most MAIL_RETRY_MAX_SECONDS,
    # and are kept as failed after MAIL_MAX_ATTEMPTS (`flask mail list|retry`).
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    MAIL_RETRY_BASE_SECONDS = float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60"))
    MAIL_RETRY_MAX_SECONDS = float(os.environ.get("MAIL_RETRY_MAX_SECONDS", "21600"))
    # Where messages point their readers (e.g. https://anzhi.example.gov.cn); none: no link.
    APP_BASE_URL = os.environ.get("APP_BASE_URL", "")
    # `flask worker`: seconds to sleep when nothing was due.
    WORKER_INTERVAL = float(os.environ.get("WORKER_INTERVAL", "5"))
    # Enterprises with at least this many workers must hold a 职工代表大会, not a 职工大会.
    CONGRESS_HEADCOUNT_THRESHOLD = int(os.environ.get("CONGRESS_HEADCOUNT_THRESHOLD", "100"))
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    JSON_AS_ASCII = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(Config):
    SECRET_KEY = Config.SECRET_KEY or "dev-only-secret-change-me"
    SHOW_DEMO_ACCOUNTS = True  # the landing page lists the demo accounts (never in production)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    MAIL_HOST = ""  # tests that mail start their own SMTP server (tests/web/test_email_delivery.py)
    MAIL_TLS = "none"
    # TEST_DATABASE_URL selects PostgreSQL (or any database) for the suite; SQLite by default.
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))


class ProductionConfig(Config):
    pass


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("APP_ENV", "development")]
