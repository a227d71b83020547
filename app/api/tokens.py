"""Tokens (issued for a password, listed and revoked by their owner) and the OpenAPI document."""

from __future__ import annotations

from flask import jsonify

from app.api import bp, current_actor, current_token, current_user
from app.api.http import created
from app.api.registry import endpoint, openapi_document
from app.api.schemas import RevokedCount, TokenIn, TokenInfo, TokenList, TokenOut
from app.extensions import db
from app.login_throttle import attempt_login
from approvals.services.api_tokens import (
    TOKEN_LIFETIME,
    issue_token,
    live_tokens,
    masked,
    revoke_own_tokens,
    revoke_token,
)


@endpoint(bp, "POST", "/tokens", summary="用用户名和密码换取访问令牌（连续输错密码将暂时锁定，429）", body=TokenIn,
          response=TokenOut, auth=False, errors=(401, 429), status=201)  # fmt: skip
def create_token(body: TokenIn):
    user = attempt_login(body.username, body.password)
    raw = issue_token(db.session, user)
    db.session.commit()
    out = TokenOut(token=raw, expires_in=int(TOKEN_LIFETIME.total_seconds()))
    return created(out.model_dump())


@endpoint(bp, "GET", "/tokens", summary="我的有效访问令牌（只显示前几位）", response=TokenList, errors=(401,))
def list_tokens():
    this = current_token().id
    items = [TokenInfo(id=t.id, token=masked(t), created_at=t.created_at, last_used_at=t.last_used_at,
                       expires_at=t.expires_at, current=t.id == this)
             for t in live_tokens(db.session, current_user())]  # fmt: skip
    return jsonify(TokenList(items=items).model_dump(mode="json"))


@endpoint(bp, "DELETE", "/tokens/<int:token_id>", summary="撤销我的一个访问令牌", response=RevokedCount,
          errors=(401, 404))  # fmt: skip
def delete_token(token_id: int):
    user = current_user()
    revoke_token(db.session, actor=current_actor(), user=user, token_id=token_id, role=user.own_role)
    db.session.commit()
    return jsonify(RevokedCount(revoked=1).model_dump())


@endpoint(bp, "DELETE", "/tokens", summary="撤销我的全部访问令牌（包括本次所用的）", response=RevokedCount,
          errors=(401,))  # fmt: skip
def delete_tokens():
    user = current_user()
    count = revoke_own_tokens(db.session, actor=current_actor(), user=user, role=user.own_role)
    db.session.commit()
    return jsonify(RevokedCount(revoked=count).model_dump())


@endpoint(bp, "GET", "/openapi.json", summary="本接口的OpenAPI描述", auth=False, errors=())
def openapi():
    return jsonify(openapi_document("职工安置方案审批系统 API", "1.0"))
