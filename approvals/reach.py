"""Which plans a role grant reaches (domain.md §1), written once per kind of reach and read three ways: as a
test of one plan (may this user act on it), as SQL over plans (the lists and inboxes a user sees) and as SQL
over grants (who is told of an event on one plan).

* an enterprise's clerk and its union reach the enterprise's own plans;
* a bureau and a supervisor reach the plans of enterprises in their region (a province reaches its cities
  and counties, a city its counties: GB/T 2260 codes share the outer region's prefix);
* a joint working group reaches the plans it was formed for;
* an administrator reaches every plan.

The SQL over plans expects `Enterprise` joined to `Plan`.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from approvals.models import Enterprise, Plan, Role, RoleGrant
from approvals.models.reference import region_covers, region_prefix


class Reach:
    """One kind of reach. Subclasses say it three ways; a grant missing the attribute the reach reads
    (an enterprise grant without an enterprise, say) reaches nothing."""

    field: str | None = None  # what a grant of this reach is given with (the administrator's form asks for it)

    def reaches(self, grant: RoleGrant, plan: Plan) -> bool:
        raise NotImplementedError

    def plans(self, grant: RoleGrant) -> ColumnElement[bool]:
        """SQL over Plan (Enterprise joined): the plans `grant` reaches."""
        raise NotImplementedError

    def grants(self, plan: Plan) -> ColumnElement[bool]:
        """SQL over RoleGrant: the grants of this reach that reach `plan`."""
        raise NotImplementedError


class OwnEnterprise(Reach):
    field = "enterprise"

    def reaches(self, grant: RoleGrant, plan: Plan) -> bool:
        return grant.enterprise_id is not None and grant.enterprise_id == plan.enterprise_id

    def plans(self, grant: RoleGrant) -> ColumnElement[bool]:
        return Plan.enterprise_id == grant.enterprise_id if grant.enterprise_id else false()

    def grants(self, plan: Plan) -> ColumnElement[bool]:
        return RoleGrant.enterprise_id == plan.enterprise_id


class Region(Reach):
    field = "region"

    def reaches(self, grant: RoleGrant, plan: Plan) -> bool:
        return bool(grant.region_code) and region_covers(grant.region_code or "", plan.enterprise.region_code)

    def plans(self, grant: RoleGrant) -> ColumnElement[bool]:
        if not grant.region_code:
            return false()
        return Enterprise.region_code.startswith(region_prefix(grant.region_code))

    def grants(self, plan: Plan) -> ColumnElement[bool]:
        return RoleGrant.region_code.in_(covering_regions(plan.enterprise.region_code))


class OwnGroup(Reach):
    field = "working_group"

    def reaches(self, grant: RoleGrant, plan: Plan) -> bool:
        return plan.working_group_id is not None and grant.working_group_id == plan.working_group_id

    def plans(self, grant: RoleGrant) -> ColumnElement[bool]:
        return Plan.working_group_id == grant.working_group_id if grant.working_group_id else false()

    def grants(self, plan: Plan) -> ColumnElement[bool]:
        return RoleGrant.working_group_id == plan.working_group_id if plan.working_group_id else false()


class Everything(Reach):
    def reaches(self, grant: RoleGrant, plan: Plan) -> bool:
        return True

    def plans(self, grant: RoleGrant) -> ColumnElement[bool]:
        return true()

    def grants(self, plan: Plan) -> ColumnElement[bool]:
        return true()


REACH: dict[str, Reach] = {  # by the role (a str as a grant stores it)
    Role.ENTERPRISE: OwnEnterprise(),
    Role.UNION: OwnEnterprise(),
    Role.BUREAU: Region(),
    Role.SUPERVISOR: Region(),
    Role.WORKING_GROUP: OwnGroup(),
    Role.ADMIN: Everything(),
}

# The reach each role is granted with.
REACH_OF_ROLE: dict[str, str | None] = {role: reach.field for role, reach in REACH.items()}


def covering_regions(region_code: str) -> list[str]:
    """The regions whose grants reach an enterprise in `region_code`: its county, city, province."""
    return list(dict.fromkeys([region_code, region_code[:4] + "00", region_code[:2] + "0000"]))
