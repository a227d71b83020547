"""The user's own account: changing the password."""

from __future__ import annotations

from flask import jsonify

from app.api import bp, current_actor, current_user
from app.api.registry import endpoint
from app.api.schemas import PasswordChange
from app.extensions import db
from approvals.services import passwords


@endpoint(bp, "POST", "/account/password",
          summary="修改我的密码（管理员重置后须先修改）；成功后我的全部访问令牌和登录会话失效，请重新获取令牌",
          body=PasswordChange, errors=(401,))  # fmt: skip
def change_password(body: PasswordChange):
    user = current_user()
    passwords.change_password(db.session, actor=current_actor(), user=user, current=body.current_password,
                    new=body.new_password, role=user.own_role)  # fmt: skip
    db.session.commit()
    return jsonify({"changed": True})
