"""People, the roles they hold and their API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import Base, utcnow
from approvals.i18n import N_
from approvals.models.reference import Enterprise


class Role(StrEnum):
    ENTERPRISE = "enterprise"
    UNION = "union"
    BUREAU = "bureau"
    WORKING_GROUP = "working_group"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

ROLE_LABELS = {
    Role.ENTERPRISE: N_("企业经办人"),
    Role.UNION: N_("工会代表"),
    Role.BUREAU: N_("人社部门审核人"),
    Role.WORKING_GROUP: N_("联合工作组成员"),
    Role.SUPERVISOR: N_("督查人员"),
    Role.ADMIN: N_("系统管理员"),
}


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Where notifications are mailed (none: in the system only) and in which language.
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(10))  # zh_CN | en; none: as interface_language
    # The interface language the user last chose (the language switch): notifications follow it
    # unless `language` is set. None: never chosen (zh_CN).
    interface_language: Mapped[str | None] = mapped_column(String(10))
    # Part of every login session's id (get_id): bumping it ends every session of the user at once
    # (logout, password change or reset, deactivation, reactivation).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set by an administrator's reset: the user must choose a new password before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    grants: Mapped[list[RoleGrant]] = relationship(back_populates="user", lazy="selectin", cascade="all, delete-orphan")

    # Flask-Login's duck-typed protocol, so the core never imports Flask-Login.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session's id: the user and the session generation (see session_generation)."""
        return f"{self.id}:{self.session_generation}"

    def grants_for(self, role: Role) -> list[RoleGrant]:
        return [g for g in self.grants if g.role == role]

    @property
    def roles(self) -> set[Role]:
        return {Role(g.role) for g in self.grants}

    @property
    def own_role(self) -> Role:
        """The role the user acts in for their own account (the trail's role): the first they hold, in
        the order of Role."""
        return next((role for role in Role if role in self.roles), Role.ADMIN)


class RoleGrant(Base):
    """One role a user holds, with its reach: an enterprise, a region or a working group."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "enterprise_id", "region_code", "working_group_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    working_group_id: Mapped[int | None] = mapped_column(ForeignKey("working_group.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    enterprise: Mapped[Enterprise | None] = relationship(lazy="joined")


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The token's first characters, so its owner can tell tokens apart (the token itself is not kept).
    hint: Mapped[str | None] = mapped_column(String(8))

    user: Mapped[User] = relationship(lazy="joined")
