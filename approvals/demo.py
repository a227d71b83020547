"""Demo data for development: Hebei's regions, one enterprise per industry, one user per role,
and plans waiting at every step. Also the sample plan content the tests and benchmarks use."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_number

from approvals.actor import SYSTEM, Actor
from approvals.engine import WorkflowEngine
from approvals.models import Enterprise, Plan, Region, Role, User
from approvals.rules.congress import WORKERS_CONGRESS, VoteCounts
from approvals.services import accounts
from approvals.services.congress import record_congress_vote
from approvals.services.plans import create_plan, profile_of, update_plan
from approvals.services.publication import publish_plan
from approvals.services.review import review_plan
from approvals.services.submission import submit_plan
from approvals.services.working_group import record_working_group

DEMO_PASSWORD = "Demo@2026"  # development only; documented in the README

REGIONS = [
    ("130000", "河北省", "province", None),
    ("130100", "石家庄市", "city", "130000"),
    ("130200", "唐山市", "city", "130000"),
    ("130300", "秦皇岛市", "city", "130000"),
    ("130400", "邯郸市", "city", "130000"),
    ("130500", "邢台市", "city", "130000"),
    ("130600", "保定市", "city", "130000"),
    ("130700", "张家口市", "city", "130000"),
    ("130800", "承德市", "city", "130000"),
    ("130900", "沧州市", "city", "130000"),
    ("131000", "廊坊市", "city", "130000"),
    ("131100", "衡水市", "city", "130000"),
    ("130102", "长安区", "county", "130100"),
    ("130181", "辛集市", "county", "130100"),
    ("130203", "路北区", "county", "130200"),
    ("130281", "遵化市", "county", "130200"),
    ("130283", "迁安市", "county", "130200"),
    ("130406", "峰峰矿区", "county", "130400"),
    ("130481", "武安市", "county", "130400"),
    ("130582", "沙河市", "county", "130500"),
    ("130682", "定州市", "county", "130600"),
]

ENTERPRISES = [
    ("steel", "冀东示范钢铁有限公司", "130283", 1200, False, "河北示范钢铁集团有限公司"),
    ("coal", "冀南示范煤业有限公司", "130406", 860, True, "冀中示范能源集团有限公司"),
    ("cement", "石家庄示范水泥有限公司", "130181", 320, False, None),
    ("flat_glass", "沙河示范玻璃有限公司", "130582", 80, False, None),
    ("coke", "武安示范焦化有限公司", "130481", 450, False, None),
    ("thermal_power", "保定示范热电有限公司", "130682", 260, False, "河北示范建设投资集团有限公司"),
]


def make_uscc(region_code: str, serial: int) -> str:
    """A well-formed 统一社会信用代码 (corporate, registered with 市场监管) for demo data."""
    body = f"91{region_code}{serial:09d}"[:17]
    return body + uscc_number.calc_check_digit(body)


def id_check_char(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def make_resident_id(region_code: str, birth: date, serial: int) -> str:
    first17 = f"{region_code}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


def sample_content(enterprise: Enterprise, workers: int = 20, seed: int = 1) -> dict[str, Any]:
    """A complete plan for `enterprise`: channels, roster and funds that agree with each other."""
    rng = random.Random(seed)
    channels = {"internal_retirement": 0, "transfer_training": 0, "transformation": 0,
                "self_employment": 0, "public_welfare": 0, "termination": 0}  # fmt: skip
    names = "王李张刘陈杨赵黄周吴"
    roster = []
    keys = list(channels)
    for i in range(workers):
        channel = keys[i % len(keys)]
        channels[channel] += 1
        birth = date(1966 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
        roster.append({"id_number": make_resident_id(enterprise.region_code, birth, i),
                       "name": names[i % len(names)] + "某" + str(i + 1), "channel": channel})  # fmt: skip
    required = {"severance": workers * 60000, "internal_retirement": channels["internal_retirement"] * 90000,
                "arrears": 0, "social_insurance": workers * 8000, "training": workers * 2000,
                "other": 0}  # fmt: skip
    total = sum(required.values())
    profile = profile_of(enterprise)
    profile["ownership"] = "国有控股"
    return {
        "profile": profile,
        "decapacity": {"capacity_withdrawn": 120, "unit": "万吨", "year": "2018"},
        "workforce": {
            "on_roll": max(enterprise.headcount, workers),
            "in_scope": workers,
            "excluded": 0,
            "exclusion_reasons": "",
        },  # fmt: skip
        "channels": channels,
        "roster": roster,
        "funding": {
            "required": required,
            "sources": [
                {"source": "enterprise_own", "amount": total // 2, "evidence": "董事会决议〔2018〕12号"},
                {"source": "special_award", "amount": total - total // 2, "evidence": "冀财资〔2018〕45号"},
            ],
        },  # fmt: skip
        "risk_assessment": {
            "open_disputes": 0,
            "assessment": "经评估，社会稳定风险可控。",
            "emergency_plan": "成立应急处置小组，设立职工接待窗口，24小时值守。",
        },  # fmt: skip
    }


def counts_passing(enterprise: Enterprise) -> VoteCounts:
    total = 120 if enterprise.headcount >= 100 else enterprise.headcount
    return VoteCounts(WORKERS_CONGRESS, total, total - 10, total - 20, 6, 4)


# username, display name, role, reach (an industry's enterprise, a region, or the working group)
DEMO_USERS = [
    ("clerk", "钢铁企业经办人", Role.ENTERPRISE, "steel"),
    ("union", "钢铁企业工会代表", Role.UNION, "steel"),
    ("clerk_coal", "煤业企业经办人", Role.ENTERPRISE, "coal"),
    ("union_coal", "煤业企业工会代表", Role.UNION, "coal"),
    ("reviewer", "省人社厅审核人", Role.BUREAU, "130000"),
    ("reviewer_ts", "唐山市人社局审核人", Role.BUREAU, "130200"),
    ("wg", "联合工作组成员", Role.WORKING_GROUP, ""),
    ("supervisor", "省督查人员", Role.SUPERVISOR, "130000"),
    ("admin", "系统管理员", Role.ADMIN, ""),
]

WG_MEMBERS = [
    {"name": "赵某", "department": "人社", "organisation": "河北省人力资源和社会保障厅"},
    {"name": "钱某", "department": "发改", "organisation": "河北省发展和改革委员会"},
    {"name": "孙某", "department": "工信", "organisation": "河北省工业和信息化厅"},
    {"name": "李某", "department": "财政", "organisation": "河北省财政厅"},
    {"name": "周某", "department": "安监", "organisation": "河北省应急管理厅"},
    {"name": "吴某", "department": "工会", "organisation": "河北省总工会"},
    {"name": "郑某", "department": "集团公司", "organisation": "上级集团公司"},
]


def load(session: Session, engine: WorkflowEngine, review_deadline: str = "P20D") -> dict[str, int]:
    """Load everything, once: returns counts of what was created."""
    if session.scalar(select(User.id).where(User.username == "admin")):
        return {}
    for code, name, level, parent in REGIONS:
        if session.get(Region, code) is None:
            session.add(Region(code=code, name=name, level=level, parent_code=parent))
    session.flush()
    firms = {}
    for n, (industry, name, region, headcount, zombie, parent) in enumerate(ENTERPRISES, start=1):
        firms[industry] = accounts.create_enterprise(
            session, actor=SYSTEM, name=name, uscc=make_uscc(region, 100000 + n),
            industry=industry, region_code=region, headcount=headcount, zombie=zombie,
            parent_group=parent)  # fmt: skip
    group = accounts.create_working_group(session, actor=SYSTEM,
                                          name="河北省化解过剩产能职工安置联合工作组", region_code="130000")  # fmt: skip
    people: dict[str, User] = {}
    for username, display, role, reach in DEMO_USERS:
        user = accounts.create_user(session, actor=SYSTEM, username=username,
                                    password=DEMO_PASSWORD, display_name=display)  # fmt: skip
        if role in (Role.ENTERPRISE, Role.UNION):
            scope: dict[str, Any] = {"enterprise": firms[reach]}
        elif role in (Role.BUREAU, Role.SUPERVISOR):
            scope = {"region_code": reach}
        elif role == Role.WORKING_GROUP:
            scope = {"working_group": group}
        else:
            scope = {}
        accounts.grant_role(session, actor=SYSTEM, user=user, role=role, **scope)
        people[username] = user
    plans = _demo_plans(session, engine, firms, people, review_deadline)
    return {"regions": len(REGIONS), "enterprises": len(firms), "users": len(people), "plans": plans}


def _demo_plans(session: Session, engine: WorkflowEngine, firms: dict[str, Enterprise],
                people: dict[str, User], deadline: str) -> int:  # fmt: skip
    def as_(name: str) -> Actor:
        return Actor(people[name], "127.0.0.1")

    steel, coal = firms["steel"], firms["coal"]
    stages = ["drafting", "congress", "review", "returned", "publication", "published"]
    for n, stage in enumerate(stages, start=1):
        content = sample_content(steel, workers=12 + n, seed=n)
        if stage == "drafting":
            content.pop("funding")
        plan = create_plan(session, engine, actor=as_("clerk"), title=f"冀东示范钢铁职工安置方案（第{n}批）",
                           content=content, review_deadline=deadline)  # fmt: skip
        if stage == "drafting":
            continue
        advance_to(session, engine, plan, stage, as_("clerk"), as_("union"), as_("reviewer"))
    plan = create_plan(session, engine, actor=as_("clerk_coal"), title="冀南示范煤业职工安置方案",
                       content=sample_content(coal, workers=30, seed=9), review_deadline=deadline)  # fmt: skip
    advance_to(session, engine, plan, "publication", as_("clerk_coal"), as_("union_coal"), as_("reviewer"))
    return len(stages) + 1


def advance_to(session: Session, engine: WorkflowEngine, plan: Plan, stage: str,
               clerk: Actor, union: Actor, reviewer: Actor, wg: Actor | None = None) -> Plan:  # fmt: skip
    """Drive a complete plan forward until it waits at `stage` (high-risk plans stop at the
    working group unless `wg` is given)."""
    submit_plan(session, engine, actor=clerk, plan=plan)
    if stage == "congress":
        return plan
    record_congress_vote(session, engine, actor=union, plan=plan, counts=counts_passing(plan.enterprise),
                         held_on=date(2018, 7, 26), plan_hash=plan.content_hash,
                         congress_threshold=100)  # fmt: skip
    if stage == "review":
        return plan
    if stage == "returned":
        review_plan(session, engine, actor=reviewer, plan=plan, decision="return",
                    reasons="内部退养人员协议未附，请补充后重新提交。")  # fmt: skip
        update_plan(session, actor=clerk, plan=plan, title=plan.title + "（修订）")
        return plan
    review_plan(session, engine, actor=reviewer, plan=plan, decision="approve", reasons="")
    if plan.status == "working_group":
        if wg is None:
            return plan
        record_working_group(session, engine, actor=wg, plan=plan, members=WG_MEMBERS,
                             contact_point="企业人力资源部", findings="方案可行，同意公布。",
                             decision="cleared")  # fmt: skip
    if stage == "publication":
        return plan
    publish_plan(session, engine, actor=clerk, plan=plan)
    return plan
