"""The gate's setting, read from the app's configuration (config.py EXECUTION_WAITS_FOR_NOTICE_WINDOW)."""

from __future__ import annotations

from flask import current_app


def waits_for_notice() -> bool:
    """Whether execution waits until the public notice's window has ended."""
    return bool(current_app.config["EXECUTION_WAITS_FOR_NOTICE_WINDOW"])
