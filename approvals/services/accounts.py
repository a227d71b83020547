"""Enterprises, users, role grants and API tokens (administrator tasks)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_number
from stdnum.exceptions import ValidationError
from werkzeug.security import check_password_hash, generate_password_hash

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.errors import Invalid, Unauthenticated
from approvals.models import ApiToken, Enterprise, Region, Role, RoleGrant, User, WageParameter, WorkingGroup
from approvals.models.reference import INDUSTRIES

TOKEN_LIFETIME = timedelta(hours=12)


def _invalid(field: str, rule: str, message: str) -> Invalid:
    return Invalid(f"invalid_{field}", message, [{"field": field, "rule": rule, "message": message}])


def create_enterprise(
    session: Session,
    *,
    actor: Actor,
    name: str,
    uscc: str,
    industry: str,
    region_code: str,
    headcount: int,
    zombie: bool = False,
    parent_group: str | None = None,
) -> Enterprise:
    try:
        code = uscc_number.validate(uscc)
    except ValidationError as exc:
        raise _invalid("uscc", "gb32100", f"统一社会信用代码“{uscc}”无效：{exc.message}") from exc
    if industry not in INDUSTRIES:
        raise _invalid("industry", "known_industry",
                       f"行业须为：{'、'.join(f'{k}（{v}）' for k, v in INDUSTRIES.items())}。")  # fmt: skip
    if session.get(Region, region_code) is None:
        raise _invalid("region", "known_region", f"地区代码“{region_code}”不存在。")
    if headcount < 1:
        raise _invalid("headcount", "positive", "职工人数须为正整数。")
    if session.scalar(select(Enterprise.id).where(Enterprise.uscc == code)) is not None:
        raise _invalid("uscc", "unique", f"统一社会信用代码“{code}”已登记。")
    enterprise = Enterprise(name=name, uscc=code, industry=industry, region_code=region_code,
                            headcount=headcount, zombie=zombie, parent_group=parent_group)  # fmt: skip
    session.add(enterprise)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="enterprise.created",
                 summary={"name": name, "uscc": code, "industry": industry, "region": region_code,
                          "headcount": headcount, "zombie": zombie})  # fmt: skip
    return enterprise


def create_user(session: Session, *, actor: Actor, username: str, password: str, display_name: str = "") -> User:
    if not username or session.scalar(select(User.id).where(User.username == username)):
        raise _invalid("username", "unique", f"用户名“{username}”已存在或为空。")
    if len(password) < 8:
        raise _invalid("password", "min_length_8", "密码至少8位。")
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(password))  # fmt: skip
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="user.created",
                 summary={"username": username})  # fmt: skip
    return user


def grant_role(
    session: Session,
    *,
    actor: Actor,
    user: User,
    role: Role,
    enterprise: Enterprise | None = None,
    region_code: str | None = None,
    working_group: WorkingGroup | None = None,
) -> RoleGrant:
    """Give a user a role with its reach; enforces separation of duties."""
    if role in (Role.ENTERPRISE, Role.UNION) and enterprise is None:
        raise _invalid("enterprise", "required_for_role", "企业经办人和工会代表须指定所属企业。")
    if role in (Role.BUREAU, Role.SUPERVISOR) and not region_code:
        raise _invalid("region", "required_for_role", "审核人和督查人员须指定所辖地区。")
    if region_code and session.get(Region, region_code) is None:
        raise _invalid("region", "known_region", f"地区代码“{region_code}”不存在。")
    if role == Role.WORKING_GROUP and working_group is None:
        raise _invalid("working_group", "required_for_role", "联合工作组成员须指定工作组。")
    policy.check_grant_allowed(user, role, enterprise.id if enterprise else None)
    grant = RoleGrant(role=str(role), enterprise=enterprise,
                      enterprise_id=enterprise.id if enterprise else None,
                      region_code=region_code,
                      working_group_id=working_group.id if working_group else None)  # fmt: skip
    user.grants.append(grant)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="user.role_granted",
                 summary={"username": user.username, "role": str(role),
                          "enterprise": enterprise.uscc if enterprise else None,
                          "region": region_code,
                          "working_group": working_group.name if working_group else None})  # fmt: skip
    return grant


def check_password(session: Session, username: str, password: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        raise Unauthenticated("bad_credentials", "用户名或密码错误。")
    return user


def issue_token(session: Session, user: User) -> str:
    raw = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(raw),
                         expires_at=utcnow() + TOKEN_LIFETIME))  # fmt: skip
    return raw


def user_for_token(session: Session, raw: str) -> User | None:
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(raw))).first()
    if token is None or token.expires_at < utcnow() or not token.user.active:
        return None
    return token.user


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_working_group(session: Session, *, actor: Actor, name: str, region_code: str) -> WorkingGroup:
    if session.get(Region, region_code) is None:
        raise _invalid("region", "known_region", f"地区代码“{region_code}”不存在。")
    group = WorkingGroup(name=name, region_code=region_code)
    session.add(group)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="working_group.created",
                 summary={"name": name, "region": region_code})  # fmt: skip
    return group


def set_wage_parameters(
    session: Session, *, actor: Actor, city_code: str, year: int, average: Decimal, minimum: Decimal
) -> WageParameter:
    """Set a city's published average and minimum monthly wages for a year (used for severance)."""
    region = session.get(Region, city_code)
    if region is None or region.level != "city":
        raise _invalid("city", "known_city", f"“{city_code}”不是已登记的设区市代码。")
    if not (1990 <= year <= 2100):
        raise _invalid("year", "year_range", "年度须在1990至2100之间。")
    if not (average.is_finite() and minimum.is_finite()) or minimum <= 0 or average <= minimum:
        raise _invalid(
            "average", "positive_and_above_minimum", "月平均工资和最低工资须为正数，且平均工资高于最低工资。"
        )
    row = session.scalars(
        select(WageParameter).where(WageParameter.city_code == city_code, WageParameter.year == year)
    ).first()
    before = (
        None if row is None else {"average": str(row.average_monthly_wage), "minimum": str(row.minimum_monthly_wage)}
    )
    if row is None:
        row = WageParameter(city_code=city_code, year=year)
        session.add(row)
    row.average_monthly_wage, row.minimum_monthly_wage = average, minimum
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="wage_parameters.set",
                 summary={"city": city_code, "year": year, "average": str(average), "minimum": str(minimum),
                          "before": before})  # fmt: skip
    return row
