"""Enterprises, users, role grants and API tokens (administrator tasks)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_number
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from approvals import audit, policy
from approvals.actor import Actor
from approvals.errors import Invalid, NotAllowed
from approvals.i18n import N_, Text
from approvals.models import Enterprise, Region, Role, RoleGrant, User, WageParameter, WorkingGroup
from approvals.models.reference import INDUSTRIES
from approvals.reach import REACH_OF_ROLE
from approvals.regions import region_level
from approvals.rules.congress import MAX_PEOPLE
from approvals.rules.text_limits import check_fields
from approvals.services.api_tokens import issue_token as issue_token  # re-exported: callers find it here
from approvals.services.api_tokens import revoke_all_tokens
from approvals.services.drafting_group import involve_for_enterprise
from approvals.services.passwords import check_password_rule, end_sessions, hash_password
from approvals.services.roster_recompute import Refreshed, refresh_plans


def _invalid(field: str, rule: str, message: str) -> Invalid:
    return Invalid(f"invalid_{field}", message, [{"field": field, "rule": rule, "message": message}])


# python-stdnum says why a number is invalid in English (its exception's message): the interface says it
# in its own language, by the kind of error (GB 32100-2015: 18 characters, the last a check character).
USCC_PROBLEMS: list[tuple[type[ValidationError], str]] = [
    (InvalidLength, N_("应为18位")),
    (InvalidChecksum, N_("校验码不正确")),
    (InvalidComponent, N_("登记管理部门代码、机构类别代码或行政区划码不正确")),
    (InvalidFormat, N_("含有不允许的字符（只能是数字和除I、O、S、V、Z外的大写字母）")),
]


def uscc_problem(exc: ValidationError) -> str:
    """Why python-stdnum refused a USCC, in Chinese marked for the catalogue."""
    return next((why for kind, why in USCC_PROBLEMS if isinstance(exc, kind)), N_("格式不正确"))


def _check_enterprise(
    session: Session, *, uscc: str, industry: str, region_code: str, headcount: int, exclude_id: int | None = None
) -> str:
    """The normalised USCC, or a 422 naming the first field that breaks a rule."""
    try:
        code = uscc_number.validate(uscc)
    except ValidationError as exc:
        raise _invalid("uscc", "gb32100", Text(N_("统一社会信用代码“%(code)s”无效：%(why)s"), code=uscc,
                                               why=Text(uscc_problem(exc)))) from exc  # fmt: skip
    if industry not in INDUSTRIES:
        raise _invalid("industry", "known_industry",
                       f"行业须为：{'、'.join(f'{k}（{v}）' for k, v in INDUSTRIES.items())}。")  # fmt: skip
    if session.get(Region, region_code) is None:
        raise _invalid("region", "known_region", f"地区代码“{region_code}”不存在。")
    if headcount < 1:
        raise _invalid("headcount", "positive", "职工人数须为正整数。")
    if headcount > MAX_PEOPLE:
        raise _invalid("headcount", "at_most", f"职工人数不得超过{MAX_PEOPLE}。")
    taken = select(Enterprise.id).where(Enterprise.uscc == code)
    if exclude_id is not None:
        taken = taken.where(Enterprise.id != exclude_id)
    if session.scalar(taken) is not None:
        raise _invalid("uscc", "unique", f"统一社会信用代码“{code}”已登记。")
    return code


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise _invalid("name", "required", "企业名称不能为空。")
    check_fields({"enterprise.name": ("企业名称", name)})
    return name


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
    name = _check_name(name)
    check_fields({"parent_group": ("上级集团公司", parent_group)})
    code = _check_enterprise(session, uscc=uscc, industry=industry, region_code=region_code, headcount=headcount)
    enterprise = Enterprise(name=name, uscc=code, industry=industry, region_code=region_code,
                            headcount=headcount, zombie=zombie, parent_group=parent_group)  # fmt: skip
    session.add(enterprise)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="enterprise.created",
                 summary={"name": name, "uscc": code, "industry": industry, "region": region_code,
                          "headcount": headcount, "zombie": zombie})  # fmt: skip
    return enterprise


def update_enterprise(
    session: Session,
    *,
    actor: Actor,
    enterprise: Enterprise,
    name: str,
    uscc: str,
    industry: str,
    region_code: str,
    headcount: int,
    zombie: bool,
    parent_group: str | None,
) -> Enterprise:
    """Correct an enterprise's registration; the trail keeps each changed field's old and new value."""
    name = _check_name(name)
    check_fields({"parent_group": ("上级集团公司", parent_group)})
    code = _check_enterprise(session, uscc=uscc, industry=industry, region_code=region_code, headcount=headcount,
                             exclude_id=enterprise.id)  # fmt: skip
    after = {"name": name, "uscc": code, "industry": industry, "region_code": region_code, "headcount": headcount,
             "zombie": zombie, "parent_group": parent_group or None}  # fmt: skip
    changed = {
        key: [getattr(enterprise, key), value] for key, value in after.items() if getattr(enterprise, key) != value
    }
    if not changed:
        return enterprise
    for key, (_old, value) in changed.items():
        setattr(enterprise, key, value)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="enterprise.updated",
                 summary={"enterprise": enterprise.uscc, "changed": changed})  # fmt: skip
    if "zombie" in changed:  # a sign of high risk now on record (rules/risk.py)
        involve_for_enterprise(session, actor=actor, enterprise=enterprise)
    return enterprise


def create_user(session: Session, *, actor: Actor, username: str, password: str, display_name: str = "") -> User:
    username = username.strip()
    check_fields({"username": ("用户名", username), "display_name": ("姓名", display_name.strip())})
    if not username or session.scalar(select(User.id).where(User.username == username)):
        raise _invalid("username", "unique", f"用户名“{username}”已存在或为空。")
    check_password_rule(password, username)
    user = User(username=username, display_name=display_name.strip() or username,
                password_hash=hash_password(password))  # fmt: skip
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="user.created",
                 summary={"username": username})  # fmt: skip
    return user


OWN_ACCOUNT = N_("不能停用自己的账号。")
OWN_ADMIN_ROLE = N_("不能撤销自己的系统管理员角色。")


def deactivation_refused(actor_user: User | None, user: User) -> str | None:
    """Why ``actor_user`` may not deactivate ``user`` (their own account), or None: the service refuses it and
    the page does not offer it."""
    return OWN_ACCOUNT if actor_user is not None and actor_user.id == user.id else None


def revocation_refused(actor_user: User | None, grant: RoleGrant) -> str | None:
    """Why ``actor_user`` may not revoke ``grant`` (their own administrator role), or None."""
    own = actor_user is not None and actor_user.id == grant.user_id and grant.role == Role.ADMIN
    return OWN_ADMIN_ROLE if own else None


def set_user_active(session: Session, *, actor: Actor, user: User, active: bool) -> User:
    """Deactivate or reactivate an account (never one's own). Either way every login session ends;
    deactivation revokes the API tokens, so reactivation revives none of them."""
    refused = deactivation_refused(actor.user, user)
    if refused and not active:
        raise NotAllowed("own_account", Text(refused))
    if user.active == active:
        return user
    user.active = active
    end_sessions(user)
    revoked = 0 if active else revoke_all_tokens(session, user)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="user.reactivated" if active else "user.deactivated",
                 summary={"username": user.username} | ({} if active else {"tokens_revoked": revoked}))  # fmt: skip
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
    """Give a user a role with its reach (only the one the role uses is kept); enforces separation of duties."""
    reach = REACH_OF_ROLE[role]
    enterprise = enterprise if reach == "enterprise" else None
    region_code = (region_code or None) if reach == "region" else None
    working_group = working_group if reach == "working_group" else None
    if role in (Role.ENTERPRISE, Role.UNION) and enterprise is None:
        raise _invalid("enterprise", "required_for_role", "企业经办人和工会代表须指定所属企业。")
    if role in (Role.BUREAU, Role.SUPERVISOR) and not region_code:
        raise _invalid("region", "required_for_role", "审核人和督查人员须指定所辖地区。")
    if region_code and session.get(Region, region_code) is None:
        raise _invalid("region", "known_region", f"地区代码“{region_code}”不存在。")
    if role == Role.WORKING_GROUP and working_group is None:
        raise _invalid("working_group", "required_for_role", "联合工作组成员须指定工作组。")
    policy.check_grant_allowed(user, role, enterprise.id if enterprise else None)
    same = (str(role), enterprise.id if enterprise else None, region_code, working_group.id if working_group else None)
    if any((g.role, g.enterprise_id, g.region_code, g.working_group_id) == same for g in user.grants):
        raise _invalid("role", "duplicate", f"用户“{user.username}”已拥有该角色及范围。")
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


def revoke_role(session: Session, *, actor: Actor, grant: RoleGrant) -> None:
    """Take one role grant away; an administrator may not remove their own administrator role."""
    user = grant.user
    refused = revocation_refused(actor.user, grant)
    if refused:
        raise NotAllowed("own_account", Text(refused))
    summary = {"username": user.username, "role": grant.role,
               "enterprise": grant.enterprise.uscc if grant.enterprise else None,
               "region": grant.region_code, "working_group": grant.working_group_id}  # fmt: skip
    user.grants.remove(grant)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="user.role_revoked", summary=summary)


REGION_LEVELS = {"province": "省", "city": "设区市", "county": "县（市、区）"}


def create_region(session: Session, *, actor: Actor, code: str, name: str) -> Region:
    """Register a city or county by its GB/T 2260 code; the region above it must exist already."""
    code, name = code.strip(), name.strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise _invalid("code", "gbt2260", f"地区代码须为6位数字（GB/T 2260），收到“{code}”。")
    if session.get(Region, code) is not None:
        raise _invalid("code", "unique", f"地区代码“{code}”已登记。")
    if not name:
        raise _invalid("name", "required", "地区名称不能为空。")
    check_fields({"region.name": ("地区名称", name)})
    level, parent = region_level(code)
    if parent is not None and session.get(Region, parent) is None:
        raise _invalid("code", "parent_exists", f"上级地区“{parent}”尚未登记，请先添加上级地区。")
    region = Region(code=code, name=name, level=level, parent_code=parent)
    session.add(region)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="region.created",
                 summary={"code": code, "name": name, "level": level, "parent": parent})  # fmt: skip
    return region


def create_working_group(session: Session, *, actor: Actor, name: str, region_code: str) -> WorkingGroup:
    name = name.strip()
    if not name:
        raise _invalid("name", "required", "工作组名称不能为空。")
    check_fields({"working_group.name": ("工作组名称", name)})
    if session.get(Region, region_code) is None:
        raise _invalid("region", "known_region", f"地区代码“{region_code}”不存在。")
    group = WorkingGroup(name=name, region_code=region_code)
    session.add(group)
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="working_group.created",
                 summary={"name": name, "region": region_code})  # fmt: skip
    return group


@dataclass(frozen=True)
class WageEntry:
    row: WageParameter
    refreshed: list[Refreshed]  # the plans in drafting recomputed on it


def set_wage_parameters(session: Session, *, actor: Actor, city_code: str, year: int, average: Decimal) -> WageEntry:
    """Set a city's published average monthly wage for a year (the 3× cap of 劳动合同法第四十七条), and
    recompute the rosters of the plans in drafting that count on it (no new upload). The minimum wage is
    set by tier and date (services/parameters.py)."""
    region = session.get(Region, city_code)
    if region is None or region.level != "city":
        raise _invalid("city", "known_city", f"“{city_code}”不是已登记的设区市代码。")
    if not (1990 <= year <= 2100):
        raise _invalid("year", "year_range", "年度须在1990至2100之间。")
    if not average.is_finite() or average <= 0:
        raise _invalid("average", "positive", f"月平均工资须为正数（收到：{average}）。")
    row = session.scalars(
        select(WageParameter).where(WageParameter.city_code == city_code, WageParameter.year == year)
    ).first()
    before = None if row is None else {"average": str(row.average_monthly_wage)}
    if row is None:
        row = WageParameter(city_code=city_code, year=year)
        session.add(row)
    row.average_monthly_wage = average
    session.flush()
    audit.record(session, actor=actor, role=Role.ADMIN, action="wage_parameters.set",
                 summary={"city": city_code, "year": year, "average": str(average), "before": before})  # fmt: skip
    return WageEntry(row, refresh_plans(session, actor=actor, city=city_code, year=year))
