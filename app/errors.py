"""Map core errors to answers — JSON {error, message, details} for the API, a page for people, both in the
reader's language — and roll back on every error."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext, refresh
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from app.extensions import db
from app.integrity import integrity_answer
from app.web.i18n import say
from approvals.errors import ApprovalError
from approvals.i18n import N_, Listing, Text

HTTP_MESSAGES = {
    400: N_("请求格式不正确。"),
    401: N_("请先登录或提供有效的访问令牌。"),
    403: N_("无权执行此操作。"),
    404: N_("请求的资源不存在。"),
    405: N_("不支持该请求方法。"),
    409: N_("操作与当前状态冲突，请刷新后重试。"),
    413: N_("上传内容过大。"),
    415: N_("请求内容须为JSON。"),
    422: N_("请求内容不符合规则。"),
    429: N_("访问过于频繁，请稍后再试。"),
    500: N_("系统内部错误，请稍后重试。"),
}


TITLES = {
    400: N_("请求有误"),
    401: N_("请先登录"),
    403: N_("无权访问"),
    404: N_("页面不存在"),
    405: N_("请求方法有误"),
    409: N_("操作冲突"),
    413: N_("上传内容过大"),
    422: N_("内容不符合规则"),
    429: N_("访问过于频繁"),
    500: N_("系统错误"),
}

CONCURRENT_MESSAGE = N_("方案已被他人同时办理，本次操作未保存，请刷新后重试。")

CSRF_MESSAGE = N_("表单已过期或来源无法确认（CSRF 校验未通过），本次提交未保存。请刷新页面后重试。")


def error_response(status: int, code: str, message: str, details: Any = None):
    if not request.path.startswith("/api/"):
        title = TITLES.get(status, TITLES[500])
        return render_template("errors/error.html", status=status, title=title, message=said(message)), status
    refresh()  # the language is chosen for this answer (app.web.i18n.select_locale), not kept from before
    response = jsonify({"error": code, "message": said(message), "details": said_in_details(details)})
    response.status_code = status
    return response


def said(message: Any) -> Any:
    """A refusal's message in the reader's language: a Text of the core through `say`; a plain message
    through the catalogue, which holds the fixed ones (anything else is said as it is, as the error page's
    `_()` does)."""
    if isinstance(message, Text | Listing):
        return str(say(message))
    return gettext(message) if isinstance(message, str) and message else message


def said_in_details(details: Any) -> Any:
    """The details with every `message` said (`said`), however deep (a report's list of errors); the
    machine-readable fields (error, rule, field, column…) as they are."""
    if isinstance(details, list | tuple):
        return [said_in_details(item) for item in details]
    if isinstance(details, dict):
        return {key: said(value) if key == "message" else said_in_details(value) for key, value in details.items()}
    return details


def register(app: Flask) -> None:
    @app.errorhandler(ApprovalError)
    def approval_error(exc: ApprovalError):
        db.session.rollback()
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(StaleDataError)
    def stale(exc: StaleDataError):
        db.session.rollback()
        return error_response(409, "concurrent_update", CONCURRENT_MESSAGE)

    @app.errorhandler(IntegrityError)
    def integrity(exc: IntegrityError):
        db.session.rollback()
        answer = integrity_answer(exc)
        if answer is None:  # a constraint the input cannot break: a fault of ours
            app.logger.exception("integrity error")
            return error_response(500, "internal_error", HTTP_MESSAGES[500])
        return error_response(answer.status, answer.code, answer.message, answer.details)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        db.session.rollback()
        return error_response(400, "csrf_failed", CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        db.session.rollback()
        if exc.response is not None:  # the view prepared its own answer (a refused form, re-rendered)
            return exc.response
        status = exc.code or 500
        response = error_response(status, exc.name.lower().replace(" ", "_"),
                                  HTTP_MESSAGES.get(status, exc.description or ""))  # fmt: skip
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:  # RFC 9110: a 405 names what is allowed
            allow = ", ".join(exc.valid_methods)
            if isinstance(response, tuple):
                return response[0], status, {"Allow": allow}
            response.headers["Allow"] = allow
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", HTTP_MESSAGES[500])
