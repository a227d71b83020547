"""Who may see and do what (domain.md §1), and separation of duties."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, false, or_

from approvals.errors import NotAllowed, NotFound
from approvals.i18n import N_, Listing, Text
from approvals.models import ROLE_LABELS, Plan, Role, RoleGrant, User
from approvals.reach import REACH


def grant_reaches(grant: RoleGrant, plan: Plan) -> bool:
    """Whether one grant covers one plan (approvals/reach.py)."""
    return REACH[grant.role].reaches(grant, plan)


def grants_reaching(plan: Plan, roles: list[Role]) -> ColumnElement[bool]:
    """SQL condition on RoleGrant: a grant of one of `roles` that reaches the plan (grant_reaches)."""
    return or_(*((RoleGrant.role == role) & REACH[role].grants(plan) for role in roles)) if roles else false()


def can_view(user: User, plan: Plan) -> bool:
    return any(grant_reaches(g, plan) for g in user.grants)


def require_view(user: User, plan: Plan | None) -> Plan:
    """The plan, or 404: a plan the user may not see does not exist for them."""
    if plan is None or not can_view(user, plan):
        raise NotFound("plan_not_found", Text(N_("方案不存在或无权查看。")))
    return plan


def holds(user: User, plan: Plan, role: Role) -> bool:
    return any(g.role == role and grant_reaches(g, plan) for g in user.grants)


# Who sees the roster's personal data (full ID numbers, birth dates, contact details): the enterprise's
# own staff and union, and the bureau that verifies the roster (domain.md §1, §4.3). Everyone else who
# may see the plan sees names with masked ID numbers, as on the published notice (§2.6).
PERSONAL_DATA_ROLES = (Role.ENTERPRISE, Role.UNION, Role.BUREAU)


def sees_personal_data(user: User, plan: Plan) -> bool:
    return any(holds(user, plan, role) for role in PERSONAL_DATA_ROLES)


def sees_data_matches(user: User, plan: Plan) -> bool:
    """Which other plan holds the same worker, or the worker's spouse (数据比对, 双职工): the bureau, which
    verifies the roster against other records (冀人社发〔2018〕38号 §三). The enterprise and its union
    learn only that such a record exists (domain.md §8), never the other plan or enterprise."""
    return holds(user, plan, Role.BUREAU)


def require_personal_data(user: User, plan: Plan, action: str) -> None:
    """403 unless the user may see the workers' personal data of the plan (approvals/privacy.py)."""
    if not sees_personal_data(user, plan):
        raise NotAllowed("personal_data", f"{action}：职工个人信息仅向本企业、工会和人社部门提供。",
                         {"roles": [str(role) for role in PERSONAL_DATA_ROLES]})  # fmt: skip


def require_role(user: User, plan: Plan, role: Role, action: str) -> Role:
    """The role the user acts in, or 403 naming the role the action needs."""
    if not holds(user, plan, role):
        raise NotAllowed("role_required", Text(N_("%(action)s须由本方案的%(role)s办理。"), action=Text(action),
                                               role=Text(ROLE_LABELS[role])), {"role": str(role)})  # fmt: skip
    return role


def may_see_objector(user: User, plan: Plan) -> bool:
    """The objector's full ID number and phone: for those who must answer the objection — the
    enterprise and the bureau (the addressees) — and the administrator (domain.md §1: everything).
    The union, the working group and the supervisor read objections with both masked."""
    return any(holds(user, plan, role) for role in (Role.ENTERPRISE, Role.BUREAU, Role.ADMIN))


def check_grant_allowed(user: User, role: Role, enterprise_id: int | None) -> None:
    """One person may not be both enterprise staff and union representative of one enterprise."""
    other = {Role.ENTERPRISE: Role.UNION, Role.UNION: Role.ENTERPRISE}.get(role)
    if other and any(g.role == other and g.enterprise_id == enterprise_id for g in user.grants):
        raise NotAllowed(
            "separation_of_duties",
            "同一人不得同时担任同一企业的企业经办人和工会代表。",
            {"role": str(role), "enterprise_id": enterprise_id},
        )


def check_not_submitter(user: User, plan: Plan) -> None:
    """Whoever submitted the plan, or works for or represents its enterprise, may not review it."""
    if plan.submitted_by_id == user.id:
        raise NotAllowed("separation_of_duties", Text(N_("提交方案的人员不得审核本方案。")))
    if any(g.role in (Role.ENTERPRISE, Role.UNION) and g.enterprise_id == plan.enterprise_id for g in user.grants):
        raise NotAllowed("separation_of_duties", Text(N_("本企业的经办人或工会代表不得审核本企业的方案。")))


def check_not_from_enterprise(user: User, plan: Plan) -> None:
    """A working-group member may not come from the enterprise under review."""
    if any(g.enterprise_id == plan.enterprise_id for g in user.grants):
        raise NotAllowed("separation_of_duties", Text(N_("联合工作组成员不得来自被审核企业。")))


def visible_plans(user: User, roles: Collection[Role] | None = None) -> ColumnElement[bool]:
    """SQL condition for the plans the user may see (join Enterprise), through any of their grants
    or only through their grants of `roles` (a role's own work list)."""
    clauses = [REACH[g.role].plans(g) for g in user.grants if roles is None or g.role in roles]
    return or_(*clauses) if clauses else false()


def require_any_role(user: User, roles: Collection[Role], what: str) -> None:
    """403 unless the user holds one of `roles` (pages of one kind of user: audit, administration)."""
    if not user.roles & set(roles):
        names = Listing([Text(ROLE_LABELS[r]) for r in roles], separator=N_("或"))
        raise NotAllowed("role_required", Text(N_("%(what)s仅限%(names)s使用。"), what=Text(what), names=names),
                         {"roles": [str(r) for r in roles]})  # fmt: skip
