"""The web adapter: the only package that imports Flask."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

import notifications
from app.documents import store as document_store
from app.extensions import csrf, db, limiter, migrate
from approvals import process
from approvals.engine import WorkflowEngine
from config import BASE_DIR, Config, ConfigError, check_config, config_from_env, database_url


def create_app(config: type[Config] | Mapping[str, Any] | None = None) -> Flask:
    """The application for `config` (a class, or settings over the one APP_ENV names).

    Raises config.ConfigError when production lacks its secrets (wsgi.py turns it into one line)."""
    app = Flask(__name__, template_folder=str(BASE_DIR / "templates"),
                static_folder=str(BASE_DIR / "static"), instance_path=str(BASE_DIR / "instance"))  # fmt: skip
    if config is None or isinstance(config, type):
        app.config.from_object(config or config_from_env())
    else:
        app.config.from_object(config_from_env())
        app.config.update(config)
    check_config(app.config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    trust_proxies(app)
    _sqlite_pragmas(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    app.extensions["workflow_engine"] = engine = WorkflowEngine(app.config["WORKFLOWS_DIR"])
    if wrong := process.mismatches(engine.outline()):
        # The process files and the app's vocabulary disagree: the app would look for tasks that never come.
        raise ConfigError("the process files do not match approvals/process.py: " + "; ".join(wrong))
    notifications.connect(email=bool(app.config["MAIL_HOST"]))
    document_store.connect()

    from app import audit_hooks, cli, errors, holiday_calendar, inputs, login_throttle, response_headers, web
    from app.api import bp as api_bp

    inputs.register(app)  # before the routes: their <int:…> converter
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    audit_hooks.register(app)
    holiday_calendar.init(app)
    errors.register(app)
    login_throttle.init(app)
    response_headers.init(app)
    cli.register(app)
    csrf.init_app(app)
    csrf.exempt(api_bp)  # the API authenticates each request by its bearer token, not a cookie
    limiter.init_app(app)
    app.register_blueprint(api_bp)
    web.register(app)

    return app


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address from X-Forwarded-For."""
    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


# SQLite's page cache per connection, in KiB (its default, 2 MiB, holds a small part of the roster's indexes:
# importing 50,000 workers beside 500,000 stored ones rereads index pages from the OS on nearly every
# insert; with 64 MiB the INSERT took 0.45 s instead of 0.70 s). Memory is taken only as pages are read.
SQLITE_CACHE_KIB = 64 * 1024


def _sqlite_pragmas(app: Flask) -> None:
    """SQLite: enforce foreign keys, wait for a lock instead of failing, WAL for readers, a larger cache."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        (BASE_DIR / "instance").mkdir(exist_ok=True)
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


def _on_connect(dbapi_connection: object, _record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")  # in-memory databases answer "memory"
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()
