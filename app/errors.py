"""Map core errors to JSON answers {error, message, details}; roll back on every error."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from approvals.errors import ApprovalError

HTTP_MESSAGES = {
    400: "请求格式不正确。",
    401: "请先登录或提供有效的访问令牌。",
    403: "无权执行此操作。",
    404: "请求的资源不存在。",
    405: "不支持该请求方法。",
    409: "操作与当前状态冲突，请刷新后重试。",
    413: "上传内容过大。",
    415: "请求内容须为JSON。",
    422: "请求内容不符合规则。",
    500: "系统内部错误，请稍后重试。",
}


def error_response(status: int, code: str, message: str, details: Any = None):  # type: ignore[no-untyped-def]
    response = jsonify({"error": code, "message": message, "details": details})
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(ApprovalError)
    def approval_error(exc: ApprovalError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        return error_response(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(StaleDataError)
    def stale(exc: StaleDataError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        return error_response(409, "concurrent_update", "方案已被他人同时办理，本次操作未保存，请刷新后重试。")

    @app.errorhandler(IntegrityError)
    def integrity(exc: IntegrityError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        return error_response(409, "concurrent_update", "数据已被同时修改，本次操作未保存，请重试。")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        db.session.rollback()
        status = exc.code or 500
        return error_response(status, exc.name.lower().replace(" ", "_"),
                              HTTP_MESSAGES.get(status, exc.description or ""))  # fmt: skip

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        db.session.rollback()
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", HTTP_MESSAGES[500])
