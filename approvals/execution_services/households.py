"""Households and zero employment (零就业家庭): workers grouped with their spouse and family members, each
household whose members of working age are all without work flagged until one of them holds a post, a
public-welfare post first (冀人社发〔2018〕38号 §四 "确保不出现零就业家庭"; 就业促进法 Art 56: at least one member
of such a household is helped into work).

A worker "has work" when their labour relation is kept (internal retirement, transfer, transformation) or
their placement outcome in the execution record (approvals/execution/records.py, the one source of a
worker's post) is work held; a family member who is no worker, when recorded as employed or holding a post
recorded here (record_post: for such members only).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.actor import Actor
from approvals.errors import Invalid, NotFound
from approvals.execution_services.common import (
    check_choice,
    check_day,
    check_text,
    is_leaving,
    record_event,
    refuse_if,
    require_recorder,
    roster_worker,
    today,
)
from approvals.execution_services.rules import (
    POST_KINDS,
    PUBLIC_WELFARE,
    RELATIONS,
    SEXES,
    MemberStatus,
    age_on,
    member_working_age,
    post_held,
    zero_employment,
)
from approvals.i18n import N_, Text
from approvals.models import ExecutionRecord, Household, HouseholdMember, Plan, PostRecord, RosterWorker
from approvals.rules.roster import ENDS_LABOUR_RELATION, MINIMUM_WORKING_AGE
from approvals.rules.text_limits import LINE, NAME


def keeps_relation(worker: RosterWorker) -> bool:
    """The worker stays employed by the enterprise (a channel that keeps the labour relation)."""
    return worker.in_scope and worker.channel is not None and worker.channel not in ENDS_LABOUR_RELATION


def worker_working_age(worker: RosterWorker, day: date) -> bool:
    """Of working age on `day`: 16 or older (劳动法 Art 15) and short of the statutory retirement date the
    roster computed for the worker's category (国发〔1978〕104号, the 2025 decision)."""
    if worker.reached_retirement or age_on(worker.birth_date, day) < MINIMUM_WORKING_AGE:
        return False
    return worker.retirement_date is None or day < worker.retirement_date


def record_household(session: Session, *, actor: Actor, plan: Plan,
                     members: list[tuple[str, str]]) -> Household:  # fmt: skip
    """Group workers of the roster into one household: (ID number, relation) each; audited."""
    require_recorder(actor, plan, N_("登记家庭"))
    problems: list[dict[str, object]] = []
    if not members:
        problems.append({"field": "members", "rule": "required", "message": Text(N_("请至少填写一名本方案的职工。"))})
    workers: list[tuple[RosterWorker, str]] = []
    seen: set[str] = set()
    for n, (number, relation) in enumerate(members):
        worker = roster_worker(session, plan, number)
        field = f"members.{n}"
        if worker.id_number in seen:
            problems.append(
                {"field": field, "rule": "once", "message": Text(N_("%(name)s在本户中填写了两次。"), name=worker.name)}
            )
        seen.add(worker.id_number)
        check_choice(problems, f"{field}.relation", N_("与户主关系"), relation, RELATIONS)
        other = session.scalar(select(HouseholdMember.household_id).where(HouseholdMember.plan_id == plan.id,
                                                                          HouseholdMember.id_number == worker.id_number))  # fmt: skip
        if other is not None:
            problems.append({"field": field, "rule": "one_household",
                             "message": Text(N_("第%(row)s行 %(name)s已登记在第%(household)s户，一名职工只能属于一户。"),
                                             row=worker.roster_row, name=worker.name,
                                             household=other)})  # fmt: skip
        workers.append((worker, relation))
    refuse_if(problems, "invalid_household")
    user = actor.person
    household = Household(plan_id=plan.id, recorded_by_id=user.id)
    session.add(household)
    session.flush()
    for worker, relation in workers:
        session.add(HouseholdMember(household_id=household.id, plan_id=plan.id, id_number=worker.id_number,
                                    name=worker.name, relation=relation, recorded_by_id=user.id))  # fmt: skip
    session.flush()
    record_event(session, actor=actor, plan=plan, action="execution_service.household_recorded", worker=None,
                 summary={"household": household.id, "members": [w.name for w, _ in workers]})  # fmt: skip
    return household


def household_of(session: Session, plan: Plan, household_id: int) -> Household:
    household = session.get(Household, household_id)
    if household is None or household.plan_id != plan.id:
        raise NotFound("household_not_found", Text(N_("本方案没有这户家庭。")))
    return household


def add_member(session: Session, *, actor: Actor, plan: Plan, household_id: int, name: str, relation: str,
               sex: str, birth_date: date | None, employed: bool) -> HouseholdMember:  # fmt: skip
    """Record a family member who is no worker of the roster (a worker joins through record_household)."""
    require_recorder(actor, plan, N_("登记家庭成员"))
    household = household_of(session, plan, household_id)
    problems: list[dict[str, object]] = []
    name = check_text(problems, "name", N_("姓名"), name, NAME)
    check_choice(problems, "relation", N_("与户主关系"), relation, RELATIONS)
    check_choice(problems, "sex", N_("性别"), sex, SEXES)
    if birth_date is None:
        problems.append(
            {
                "field": "birth_date",
                "rule": "required",
                "message": Text(N_("请填写“%(field)s”。"), field=Text(N_("出生日期"))),
            }
        )
    elif birth_date > today():
        problems.append({"field": "birth_date", "rule": "not_future", "message": Text(N_("出生日期不能晚于今天。"))})
    refuse_if(problems, "invalid_household_member")
    user = actor.person
    assert birth_date is not None
    member = HouseholdMember(household_id=household.id, plan_id=plan.id, name=name, relation=relation, sex=sex,
                             birth_date=birth_date, employed=employed, recorded_by_id=user.id)  # fmt: skip
    session.add(member)
    session.flush()
    record_event(session, actor=actor, plan=plan, action="execution_service.member_added", worker=None,
                 summary={"household": household.id, "member": name, "relation": relation, "employed": employed})  # fmt: skip
    return member


def record_post(session: Session, *, actor: Actor, plan: Plan, member_id: int, kind: str, employer: str, post: str,
                starts_on: date | None, ends_on: date | None, household_id: int | None = None) -> PostRecord:  # fmt: skip
    """Record a post taken up by a family member who is no worker of the roster; audited. A worker's post is
    their placement outcome, entered in the execution record (approvals/execution/records.py): one source.
    A public-welfare post has its period (就业促进法 Art 53–54: a subsidised post for a fixed time)."""
    require_recorder(actor, plan, N_("记录上岗情况"))
    member = session.get(HouseholdMember, member_id or 0)
    if member is not None and member.plan_id == plan.id and member.id_number is not None:
        worker = roster_worker(session, plan, member.id_number)
        message = Text(N_("第%(row)s行 %(name)s是本方案的职工，其上岗情况在实施记录的“安置去向”中登记。"),
                       row=worker.roster_row, name=worker.name)  # fmt: skip
        raise Invalid("worker_post", message, [{"field": "member_id", "rule": "outcome_in_record", "message": message}])
    if member is None or member.plan_id != plan.id or household_id not in (None, member.household_id):
        raise NotFound("member_not_found", Text(N_("本方案的家庭中没有这名家庭成员。")))
    values = check_post(plan, kind=kind, employer=employer, post=post, starts_on=starts_on, ends_on=ends_on)
    user = actor.person
    assert starts_on is not None
    employer, post = values["employer"], values["post"]
    record = PostRecord(plan_id=plan.id, member_id=member.id, kind=kind, employer=employer, post=post,
                        starts_on=starts_on, ends_on=ends_on, recorded_by_id=user.id)  # fmt: skip
    session.add(record)
    session.flush()
    summary = {"kind": kind, "employer": employer, "post": post, "starts_on": starts_on.isoformat(),
               "ends_on": ends_on.isoformat() if ends_on else None, "member": member.name}  # fmt: skip
    record_event(
        session, actor=actor, plan=plan, action="execution_service.post_recorded", worker=None, summary=summary
    )
    return record


def check_post(plan: Plan, *, kind: str, employer: str, post: str, starts_on: date | None,
               ends_on: date | None) -> dict[str, Any]:  # fmt: skip
    """A member's post checked (422 naming each bad field). A public-welfare post has its period (就业促进法
    Art 53–54: a subsidised post for a fixed time)."""
    problems: list[dict[str, object]] = []
    check_choice(problems, "kind", N_("上岗方式"), kind, POST_KINDS)
    employer = check_text(problems, "employer", N_("用人单位"), employer, LINE)
    post = check_text(problems, "post", N_("岗位"), post, LINE)
    check_day(problems, "starts_on", N_("上岗日期"), starts_on, plan)
    if kind == PUBLIC_WELFARE and ends_on is None:
        problems.append({"field": "ends_on", "rule": "period",
                         "message": Text(N_("公益性岗位须填写岗位期限的截止日期。"))})  # fmt: skip
    if starts_on and ends_on and ends_on < starts_on:
        problems.append({"field": "ends_on", "rule": "after_start", "message": Text(N_("截止日期不能早于上岗日期。"))})
    refuse_if(problems, "invalid_post")
    return {"kind": kind, "employer": employer, "post": post, "starts_on": starts_on, "ends_on": ends_on}


@dataclass(frozen=True)
class MemberView:
    id: int
    name: str
    id_number: str | None  # a worker's, as the reader may see it
    relation: str
    leaving: bool  # a worker who leaves the enterprise
    working_age: bool
    has_work: bool
    posts: tuple[PostRecord, ...]  # of a member who is no worker
    worker_id: int | None = None  # a worker's: the execution record holds their placement outcome
    outcome_kind: str | None = None  # that outcome (approvals/execution/items.py OUTCOME_KINDS), when entered


@dataclass(frozen=True)
class HouseholdView:
    id: int
    members: tuple[MemberView, ...]

    @property
    def zero_employment(self) -> bool:
        return zero_employment(MemberStatus(m.name, m.working_age, m.has_work) for m in self.members)


def households(session: Session, plan: Plan, day: date | None = None) -> list[HouseholdView]:
    """Every household of the plan, its members and whether it is a zero-employment household on `day`."""
    day = day or today()
    members = list(session.scalars(select(HouseholdMember).where(HouseholdMember.plan_id == plan.id)
                                   .order_by(HouseholdMember.household_id, HouseholdMember.id)))  # fmt: skip
    numbers = {m.id_number for m in members if m.id_number}
    workers = {w.id_number: w for w in session.scalars(select(RosterWorker).where(
        RosterWorker.plan_id == plan.id, RosterWorker.id_number.in_(numbers)))} if numbers else {}  # fmt: skip
    posts_of: dict[int, list[PostRecord]] = defaultdict(list)
    for record in session.scalars(select(PostRecord).where(PostRecord.plan_id == plan.id).order_by(PostRecord.id)):
        posts_of[record.member_id].append(record)
    ids = [w.id for w in workers.values()]
    placed = placed_workers(session, ids, day)
    outcomes = dict(session.execute(select(ExecutionRecord.worker_id, ExecutionRecord.outcome_kind).where(
        ExecutionRecord.worker_id.in_(ids))).tuples().all()) if ids else {}  # fmt: skip
    grouped: dict[int, list[MemberView]] = defaultdict(list)
    for m in members:
        worker = workers.get(m.id_number or "")
        if worker is not None:
            view = MemberView(m.id, m.name, worker.id_number, m.relation, is_leaving(worker),
                              worker_working_age(worker, day), keeps_relation(worker) or worker.id in placed, (),
                              worker.id, outcomes.get(worker.id))  # fmt: skip
        else:
            posts = tuple(posts_of[m.id])
            holding = any(post_held(p.starts_on, p.ends_on, day) for p in posts)
            assert m.sex is not None
            assert m.birth_date is not None
            view = MemberView(m.id, m.name, None, m.relation, False, member_working_age(m.sex, m.birth_date, day),
                              bool(m.employed) or holding, posts)  # fmt: skip
        grouped[m.household_id].append(view)
    return [HouseholdView(hid, tuple(views)) for hid, views in grouped.items()]


# The placement outcomes of the execution ledger that are work: a new post, a registered business, a
# public-welfare post (approvals/execution/items.py OUTCOME_KINDS; training and internal retirement are not).
OUTCOMES_AT_WORK = ("employed", "self_employment", "public_welfare")


def placed_workers(session: Session, worker_ids: list[int], day: date) -> set[int]:
    """The workers whose placement outcome in the execution ledger is work held on `day`."""
    if not worker_ids:
        return set()
    records = session.scalars(select(ExecutionRecord).where(ExecutionRecord.worker_id.in_(worker_ids),
                                                            ExecutionRecord.outcome_kind.in_(OUTCOMES_AT_WORK)))  # fmt: skip
    return {r.worker_id for r in records if _outcome_held(r.outcome or {}, day)}


def _outcome_held(outcome: dict[str, str], day: date) -> bool:
    try:
        starts = date.fromisoformat(outcome.get("started_on") or "")
        ends = date.fromisoformat(outcome["ends_on"]) if outcome.get("ends_on") else None
    except ValueError:
        return False
    return post_held(starts, ends, day)


def zero_employment_workers(session: Session, plan: Plan, day: date | None = None) -> set[str]:
    """The ID numbers of the workers whose household is a zero-employment household on `day`."""
    return {m.id_number for h in households(session, plan, day) if h.zero_employment
            for m in h.members if m.id_number}  # fmt: skip


def proposed_couples(session: Session, plan: Plan) -> list[tuple[RosterWorker, RosterWorker]]:
    """Couples the roster names (配偶身份证号, one way or both) whose spouses are both workers of this plan and
    neither yet in a household: proposed as households."""
    workers = list(session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                              RosterWorker.spouse_id_number.is_not(None))))  # fmt: skip
    grouped = set(session.scalars(select(HouseholdMember.id_number).where(HouseholdMember.plan_id == plan.id,
                                                                          HouseholdMember.id_number.is_not(None))))  # fmt: skip
    spouses = {w.spouse_id_number for w in workers} - {w.id_number for w in workers}
    by_number = {w.id_number: w for w in workers}
    if spouses:
        by_number |= {w.id_number: w for w in session.scalars(select(RosterWorker).where(
            RosterWorker.plan_id == plan.id, RosterWorker.id_number.in_(spouses)))}  # fmt: skip
    couples: dict[frozenset[str], tuple[RosterWorker, RosterWorker]] = {}
    for w in workers:
        spouse = by_number.get(w.spouse_id_number or "")
        if spouse is None or w.id_number in grouped or spouse.id_number in grouped:
            continue
        key = frozenset({w.id_number, spouse.id_number})
        couples.setdefault(key, (w, spouse) if w.id < spouse.id else (spouse, w))
    return sorted(couples.values(), key=lambda pair: pair[0].id)
