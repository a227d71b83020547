"""Which plans a grant reaches is one rule (approvals/reach.py) read three ways: the check of one plan, the
plans a user's lists hold and the grants an event on a plan notifies. The three must agree for every user
of the world and every plan, or a user would see a plan they cannot open, or be told of one they cannot see."""

from __future__ import annotations

from sqlalchemy import select

from approvals import policy
from approvals.demo import create_complete_plan
from approvals.models import Enterprise, Plan, Role, RoleGrant
from approvals.reach import REACH, REACH_OF_ROLE
from approvals.services.inbox import LANES


def test_the_check_the_plan_filter_and_the_grant_filter_agree(session, engine, world):
    plans = [create_complete_plan(session, engine, actor=world.actor(clerk), enterprise=firm, seed=n,
                                  title=f"{firm.name}职工安置方案")
             for n, (clerk, firm) in enumerate((("clerk", world.steel), ("clerk_small", world.small),
                                                ("clerk_zombie", world.zombie)), 1)]  # fmt: skip
    assert plans[2].working_group_id == world.group.id  # the zombie firm's draft has the provincial group
    everyone = list(Role)
    seen_by_someone = set()
    for name, user in world.users.items():
        listed = set(session.scalars(select(Plan.id).join(Enterprise).where(policy.visible_plans(user))))
        checked = {p.id for p in plans if policy.can_view(user, p)}
        assert listed & {p.id for p in plans} == checked, name
        for plan in plans:
            told = set(session.scalars(select(RoleGrant.user_id).where(policy.grants_reaching(plan, everyone))))
            assert (user.id in told) == (plan.id in checked), (name, plan.title)
        seen_by_someone |= checked
    # The world is rich enough for the agreement to mean something: every kind of reach both reaches
    # a plan and misses one.
    assert seen_by_someone == {p.id for p in plans}
    assert not policy.can_view(world.users["wg"], plans[0])
    assert policy.can_view(world.users["wg"], plans[2])
    assert not policy.can_view(world.users["reviewer_other"], plans[0])
    assert policy.can_view(world.users["province"], plans[1])
    assert not policy.can_view(world.users["clerk"], plans[1])


def test_every_role_has_one_reach_and_every_lane_is_a_role_with_one():
    assert set(REACH) == set(Role)
    assert set(LANES) <= set(REACH)
    # The administrator's form asks for what the reach reads: nothing for the administrator.
    assert REACH_OF_ROLE[Role.ADMIN] is None
    assert {REACH_OF_ROLE[r] for r in (Role.BUREAU, Role.SUPERVISOR)} == {"region"}
