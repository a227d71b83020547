"""Configuration classes; the only module that reads os.environ."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent


# The session secret of development: public (it is in this file), so never accepted elsewhere.
DEVELOPMENT_SECRET_KEY = "dev-only-secret-change-me"


class ConfigError(Exception):
    """The environment lacks what the application needs to start; the message is one line for the operator."""


def database_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy would look for psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _at_least_one(name: str, default: str) -> int:
    """A count that may not go below 1 (a legal minimum: a setting may raise it, never waive it)."""
    value = int(os.environ.get(name, default))
    if value < 1:
        raise RuntimeError(f"{name} must be at least 1, not {value}.")
    return value


def _flag(name: str, default: bool) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off; unset: the default."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise RuntimeError(f"{name} must be 1 or 0, not {value!r}.")


class Config:
    # Which environment this is (APP_ENV): only "development" and "test" may run without secrets.
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    # Key for signing audit checkpoints (docs/audit.md), separate from SECRET_KEY so that changing the
    # session secret keeps old checkpoints verifiable. Required in production, like SECRET_KEY.
    AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
    # Seconds between the signed checkpoints `flask worker` takes (each administration step takes
    # one too); an event outside every checkpoint for twice this long is a finding of verification.
    AUDIT_CHECKPOINT_INTERVAL = int(os.environ.get("AUDIT_CHECKPOINT_INTERVAL", "3600"))
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'placement.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {}
    WORKFLOWS_DIR = Path(os.environ.get("WORKFLOWS_DIR", BASE_DIR / "workflows"))
    # The bureau's review deadline in working days (holidays and 调休 counted: approvals.workdays).
    REVIEW_DEADLINE_WORKING_DAYS = int(os.environ.get("REVIEW_DEADLINE_WORKING_DAYS", "20"))
    VOTE_DEADLINE_WORKING_DAYS = int(os.environ.get("VOTE_DEADLINE_WORKING_DAYS", "15"))
    # The bureau approves a plan only after this many records of its own roster verification (冀人社发
    # 〔2018〕38号 §三: 实地调查、电话抽查、社保数据比对…; domain.md §8 "Review": at least one).
    MIN_ROSTER_VERIFICATIONS = _at_least_one("MIN_ROSTER_VERIFICATIONS", "1")
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
    # The interface is Chinese first; English is a translation (app/translations/).
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    # Web forms carry a CSRF token (Flask-WTF); the JSON API uses bearer tokens instead.
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Rows per page of the roster table and other long lists.
    PAGE_SIZE = 50
    # A checked roster file waits here (private to the server) until the clerk commits or discards it.
    UPLOAD_STASH_DIR = Path(os.environ.get("UPLOAD_STASH_DIR", BASE_DIR / "instance" / "roster-uploads"))
    UPLOAD_STASH_MAX_AGE = int(os.environ.get("UPLOAD_STASH_MAX_AGE", "3600"))  # seconds
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (werkzeug ProxyFix):
    # the client's address then feeds the audit trail and the rate limits. 0: none, trust no header.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # The public notice (公示) of a published plan: objections are taken for this many calendar days
    # after publication. No law sets a minimum for it (approvals/services/public_notice.py); the end
    # date is fixed when the plan is published.
    PUBLIC_NOTICE_DAYS = int(os.environ.get("PUBLIC_NOTICE_DAYS", "30"))
    # Whether execution waits until that window has ended (as it waits for every objection to be closed):
    # on by default (domain.md §8, Public notice); 0 lets a plan start within the window.
    EXECUTION_WAITS_FOR_NOTICE_WINDOW = _flag("EXECUTION_WAITS_FOR_NOTICE_WINDOW", True)
    # How many years a city's newest average wage figures may lag behind the current year before the
    # administrator's home warns. The figure matters: severance is capped at 3 times the local average
    # monthly wage of the previous year (劳动合同法 Art 47), and it caps the monthly wage the years are
    # multiplied by. The previous year's figure is published during the year, so in December 2026 the 2025
    # figure is due and 2024 may still be the newest early in the year: older than 2 years is stale.
    WAGE_FIGURES_MAX_AGE_YEARS = _at_least_one("WAGE_FIGURES_MAX_AGE_YEARS", "2")
    # Rate limits of the public pages, per client address (Flask-Limiter notation). The JSON API and
    # the logged-in pages are not limited. "memory://" counts in each process: with several gunicorn
    # workers or servers the limit holds per process, so give them a shared store for an exact
    # limit, e.g. RATELIMIT_STORAGE_URI=redis://host:6379/0 (needs the redis package). Behind a
    # reverse proxy set TRUSTED_PROXIES, else every client shares the proxy's address.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Prefixes this installation's counters in a store that others share (e.g. staging beside production).
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")
    RATELIMIT_HEADERS_ENABLED = True  # X-RateLimit-* on limited pages, Retry-After on a refusal
    PUBLIC_PAGE_RATE_LIMIT = os.environ.get("PUBLIC_PAGE_RATE_LIMIT", "60 per minute")
    # Counts objections stored (not refused submissions, which the page limit covers).
    OBJECTION_RATE_LIMIT = os.environ.get("OBJECTION_RATE_LIMIT", "5 per hour")
    # Looks-ups of an objection's status by receipt code and ID tail (right or wrong), per address.
    OBJECTION_LOOKUP_RATE_LIMIT = os.environ.get("OBJECTION_LOOKUP_RATE_LIMIT", "20 per hour")
    # Wrong passwords (web login and POST /api/v1/tokens) that lock logins for LOGIN_LOCKOUT_SECONDS:
    # per username, known or not, and per client address (higher: an office may share one). Counted in
    # RATELIMIT_STORAGE_URI, so a shared store makes them hold across every worker and server.
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "30 per 15 minutes")
    LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
    # Session cookies only over HTTPS (on in production: set SECURE_COOKIES=0 only to serve plain HTTP,
    # e.g. on 127.0.0.1 for tests). Strict-Transport-Security is sent on every answer over TLS (directly,
    # or X-Forwarded-Proto from TRUSTED_PROXIES) for HSTS_SECONDS; 0 sends none.
    SECURE_COOKIES = _flag("SECURE_COOKIES", False)
    SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = SECURE_COOKIES
    REMEMBER_COOKIE_HTTPONLY = True
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000"))


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = Config.SECRET_KEY or DEVELOPMENT_SECRET_KEY
    AUDIT_KEY = Config.AUDIT_KEY or "audit:" + SECRET_KEY
    SHOW_DEMO_ACCOUNTS = True  # the landing page lists the demo accounts (never in production)
    DEMO_DATA_ALLOWED = True  # `flask demo load`


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret"
    AUDIT_KEY = "audit:test-secret"
    DEMO_DATA_ALLOWED = True
    MAIL_HOST = ""  # tests that mail start their own SMTP server (tests/web/test_email_delivery.py)
    MAIL_TLS = "none"
    # TEST_DATABASE_URL selects PostgreSQL (or any database) for the suite; SQLite by default.
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    UPLOAD_STASH_DIR = Path(tempfile.gettempdir()) / f"roster-uploads-test-{os.getpid()}"


class ProductionConfig(Config):
    SECURE_COOKIES = _flag("SECURE_COOKIES", True)
    SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = SECURE_COOKIES


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The configuration APP_ENV names; production when it is unset (`make run` sets development)."""
    name = os.environ.get("APP_ENV", "production")
    if name not in CONFIGS:
        raise ConfigError(f"APP_ENV={name!r} is not one of {', '.join(CONFIGS)}.")
    return CONFIGS[name]


def check_config(config: Mapping[str, Any]) -> None:
    """Refuse to start outside development and test without the secrets, or with the public one."""
    if config.get("ENV_NAME") in ("development", "test"):
        return
    missing = [name for name in ("SECRET_KEY", "AUDIT_KEY") if not config.get(name)]
    if missing:
        raise ConfigError(
            f"Refusing to start in production: set {' and '.join(missing)} in the environment "
            "(long random values, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))'), "
            "or APP_ENV=development for a development server."
        )
    public = [
        name
        for name in ("SECRET_KEY", "AUDIT_KEY")
        if config[name] in (DEVELOPMENT_SECRET_KEY, "audit:" + DEVELOPMENT_SECRET_KEY)
    ]
    if public:
        raise ConfigError(
            f"Refusing to start in production: {' and '.join(public)} holds the public development secret."
        )
