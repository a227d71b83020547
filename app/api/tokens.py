"""Tokens and the OpenAPI document."""

from __future__ import annotations

from flask import jsonify

from app.api import bp
from app.api.registry import endpoint, openapi_document
from app.api.schemas import TokenIn, TokenOut
from app.extensions import db
from approvals.services.accounts import TOKEN_LIFETIME, check_password, issue_token


@endpoint(bp, "POST", "/tokens", summary="用用户名和密码换取访问令牌", body=TokenIn,
          response=TokenOut, auth=False, errors=(401,), status=201)  # fmt: skip
def create_token(body: TokenIn):  # type: ignore[no-untyped-def]
    user = check_password(db.session, body.username, body.password)
    raw = issue_token(db.session, user)
    db.session.commit()
    out = TokenOut(token=raw, expires_in=int(TOKEN_LIFETIME.total_seconds()))
    response = jsonify(out.model_dump())
    response.status_code = 201
    return response


@endpoint(bp, "GET", "/openapi.json", summary="本接口的OpenAPI描述", auth=False, errors=())
def openapi():  # type: ignore[no-untyped-def]
    return jsonify(openapi_document("职工安置方案审批系统 API", "1.0"))
