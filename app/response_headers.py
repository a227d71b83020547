"""Headers that keep answers out of shared and browser caches and hold browsers to HTTPS.

Every answer but a static file (and the few listed below) is `Cache-Control: no-store`: pages, the
API and the downloads (roster export, case file, documents, audit exports) carry personal data or
data only their reader may see. Over TLS (directly, or X-Forwarded-Proto from TRUSTED_PROXIES)
every answer carries Strict-Transport-Security for HSTS_SECONDS.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

# Answers that hold nothing personal and gain from a cache: static files, and a plan's BPMN file
# (the process as designed, with its labels; the view sets its own private max-age).
CACHEABLE_ENDPOINTS = frozenset({"static", "web.plan_process"})


def init(app: Flask) -> None:
    @app.after_request
    def privacy_and_transport(response: Response) -> Response:
        if request.endpoint not in CACHEABLE_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure and (seconds := current_app.config["HSTS_SECONDS"]):
            response.headers["Strict-Transport-Security"] = f"max-age={seconds}; includeSubDomains"
        return response
