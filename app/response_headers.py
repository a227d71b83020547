"""The headers every answer carries: the browser's security rules, caching, HTTPS.

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

# Scripts, styles, fonts, fetches and forms from this site only; no inline script, style attribute or
# plug-in, no framing, no <base>. Images may also be data: URIs: Bootstrap's CSS draws its icons
# (the menu button, select arrows, close buttons) with them.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'",
    "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'",
])  # fmt: skip


def init(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.endpoint not in CACHEABLE_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure and (seconds := current_app.config["HSTS_SECONDS"]):
            response.headers["Strict-Transport-Security"] = f"max-age={seconds}; includeSubDomains"
        return response
