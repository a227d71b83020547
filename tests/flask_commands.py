"""The application's `flask` commands run in the test process, against a database of the test's own.

A `flask` subprocess spends seconds importing the application before the command starts; the migration
tests run dozens of commands. Here each command gets an application of its own, made by the same
create_app as `flask --app wsgi` with the settings given, and runs through the same click group, so the
command, its exit status and its output are what the operator's would be. The command sees the warnings
filters of a plain interpreter (not the suite's "error"), and Alembic's env.py configures logging from
migrations/alembic.ini for it, as in a subprocess; the test process's logging is put back afterwards, so
that the tests that follow still see their log records.
"""

from __future__ import annotations

import logging
import traceback
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask.cli import cli

from app import create_app
from app.extensions import db
from config import ProductionConfig


@dataclass(frozen=True)
class Ran:
    """What a command left, named as subprocess.CompletedProcess names it."""

    returncode: int
    stdout: str
    stderr: str


def flask(*args: str, settings: Mapping[str, Any]) -> Ran:
    """`flask --app wsgi ARGS` in production with `settings` (the secrets and SQLALCHEMY_DATABASE_URI at
    least). An exception that escapes the command is in stderr with its traceback, exit status 1, as the
    interpreter would print it."""
    config = type("CommandConfig", (ProductionConfig,), {"MAIL_HOST": "", **settings})
    app = create_app(config)
    try:
        with _logging_kept(), _plain_warnings():
            result = app.test_cli_runner().invoke(cli, list(args))
    finally:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return Ran(result.exit_code, result.stdout, stderr)


def load_demo(url: str, *, secret_key: str, audit_key: str) -> None:
    """`flask db upgrade` and `flask demo load` on the database at `url`, signing with `audit_key`: demo data
    is refused in production, so it is loaded as development allows, for a server that then serves it as
    production does."""
    settings = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret_key, "AUDIT_KEY": audit_key}
    for command, more in ((("db", "upgrade"), {}), (("demo", "load"), {"ENV_NAME": "development",
                                                                       "DEMO_DATA_ALLOWED": True})):  # fmt: skip
        result = flask(*command, settings={**settings, **more})
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(command)}: {result.stdout}{result.stderr}")


# The warnings filters a plain `python` starts with (docs of the warnings module, "Default Warning Filter").
_DEFAULT_FILTERS = (("default", DeprecationWarning, "__main__"), ("ignore", DeprecationWarning, ""),
                    ("ignore", PendingDeprecationWarning, ""), ("ignore", ImportWarning, ""),
                    ("ignore", ResourceWarning, ""))  # fmt: skip


@contextmanager
def _plain_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.resetwarnings()
        for action, category, module in reversed(_DEFAULT_FILTERS):
            warnings.filterwarnings(action, category=category, module=module)
        yield


@contextmanager
def _logging_kept() -> Iterator[None]:
    """The loggers as they are now, put back after the block (logging.config.fileConfig replaces the
    root's handlers and disables every logger its file does not name)."""
    root = logging.getLogger()
    kept_root = (root.level, root.handlers[:], root.disabled)
    loggers = {name: logger for name, logger in logging.Logger.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}  # fmt: skip
    kept = {name: (logger.level, logger.handlers[:], logger.propagate, logger.disabled)
            for name, logger in loggers.items()}  # fmt: skip
    try:
        yield
    finally:
        root.level, root.handlers[:], root.disabled = kept_root[0], kept_root[1], kept_root[2]
        for name, logger in logging.Logger.manager.loggerDict.items():
            if not isinstance(logger, logging.Logger):
                continue
            level, handlers, propagate, disabled = kept.get(name, (logging.NOTSET, [], True, False))
            logger.level, logger.handlers[:], logger.propagate, logger.disabled = level, handlers, propagate, disabled
        logging.Logger.manager._clear_cache()  # the levels each logger found from its parents
