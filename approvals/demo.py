"""Demo data for development: Hebei's regions, one enterprise per industry, one user per role,
plans waiting at every step and one in execution. Also the sample plan content the tests and benchmarks use."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_number

from approvals.actor import SYSTEM, Actor
from approvals.db import utcnow
from approvals.demo_execution import carry_out
from approvals.engine import WorkflowEngine
from approvals.models import (
    CongressVote,
    Enterprise,
    Plan,
    Region,
    RegionWageTier,
    Role,
    RosterWorker,
    User,
    WageParameter,
)
from approvals.process import ReviewDecision, Status, WorkingGroupDecision
from approvals.regions import HEBEI_REGIONS
from approvals.rules.congress import WORKERS_CONGRESS, BallotRecord, VoteCounts
from approvals.rules.content import CHANNELS
from approvals.rules.roster import TERMINATION, LayoffCheck
from approvals.services import accounts
from approvals.services.congress import record_congress_vote
from approvals.services.congress_documents import KINDS, add_congress_document
from approvals.services.evidence import add_evidence, evidence_of, remove_evidence
from approvals.services.parameters import seed_parameters
from approvals.services.plans import create_plan, profile_of, update_plan
from approvals.services.publication import publish_plan
from approvals.services.regions import load_regions
from approvals.services.return_reasons import open_reasons
from approvals.services.review import review_plan
from approvals.services.roster import import_roster
from approvals.services.submission import submit_plan
from approvals.services.verification import record_verification
from approvals.services.working_group import record_working_group
from approvals.workdays import local_date

DEMO_PASSWORD = "Demo@2026"
CHANNEL_KEYS = {label: key for key, label in CHANNELS.items()}  # development only; documented in the README

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


REFERENCE_DATE = "2018-07-31"
ROSTER_HEADER = [
    "公民身份号码",
    "姓名",
    "入企时间",
    "安置渠道",
    "月平均工资",
    "岗位类别",
    "本人同意内退",
    "签订内退协议",
]


def sample_roster(enterprise: Enterprise, workers: int = 20, seed: int = 1) -> list[list[str]]:
    """Roster rows (as a clerk would type them) that pass every rule for a plan dated 2018-07-31:
    internal retirement only for men within five years of 60, nobody immune under Art 42."""
    rng = random.Random(seed)
    names = "王李张刘陈杨赵黄周吴"
    keys = list(CHANNELS)
    rows = []
    for i in range(workers):
        channel = keys[i % len(keys)]
        if channel == "internal_retirement":
            birth, serial = date(1959 + rng.randrange(3), 1 + rng.randrange(12), 1 + rng.randrange(28)), 2 * i + 1
        else:
            birth, serial = date(1975 + rng.randrange(15), 1 + rng.randrange(12), 1 + rng.randrange(28)), i
        retiring = "是" if channel == "internal_retirement" else "否"
        rows.append([make_resident_id(enterprise.region_code, birth, serial), f"{names[i % len(names)]}某{i + 1}",
                     f"{2006 + rng.randrange(6)}-0{1 + rng.randrange(9)}-15", CHANNELS[channel],
                     str(3800 + 100 * rng.randrange(20)), "工人", retiring, retiring])  # fmt: skip
    return rows


def roster_csv(rows: list[list[str]], encoding: str = "gbk") -> bytes:
    """The rows as the CSV an office would save (GBK by default)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ROSTER_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def sample_content(enterprise: Enterprise, workers: int = 20, seed: int = 1) -> dict[str, Any]:
    """A complete plan for `enterprise` whose counts match sample_roster(enterprise, workers, seed).

    The computed severance and internal-retirement costs are filled in by the roster import;
    fund_fully() then sets the sources to cover the whole requirement.
    """
    channels = Counter(dict.fromkeys(CHANNELS, 0))
    for row in sample_roster(enterprise, workers, seed):
        channels[CHANNEL_KEYS[row[3]]] += 1
    profile = profile_of(enterprise)
    profile["ownership"] = "国有控股"
    timetable: dict[str, Any] = {
        "steps": "7月职代会审议，8月报人社部门审核，9月公布实施。",
        "items": [
            {"step": "召开职工代表大会审议方案", "due": "2018-07-31", "owner": "企业工会"},
            {"step": "报人力资源和社会保障部门审核", "due": "2018-08-31", "owner": "人力资源部"},
            {"step": "公布方案并组织实施", "due": "2018-09-30", "owner": "企业职工安置工作领导小组"},
        ],
    }
    if LayoffCheck(channels[TERMINATION], max(enterprise.headcount, workers)).is_mass_layoff:
        # Art 41: explained to the union 30 days before the first termination.
        timetable |= {"union_explanation_date": "2018-07-20", "termination_date": "2018-09-30"}
    return {
        "profile": profile,
        "decapacity": {"capacity_withdrawn": 120, "unit": "万吨", "year": "2018"},
        "workforce": {
            "on_roll": max(enterprise.headcount, workers),
            "in_scope": workers,
            "excluded": 0,
            "exclusion_reasons": "",
        },  # fmt: skip
        "channels": dict(channels),
        "labour_relations": {
            "handling": "内部退养、转岗职工变更劳动合同；依法解除劳动合同的依照劳动合同法第三十六条协商解除。"
        },
        "severance": {
            "reference_date": REFERENCE_DATE,
            "standard": "依照劳动合同法第四十七条，按本人工作年限每满一年支付一个月工资。",
        },
        "arrears": {"wages": 0, "social_insurance": 0, "settlement": "无拖欠。"},
        "social_insurance": {"arrangement": "解除劳动合同的职工15日内办理社会保险关系转移手续。"},
        "internal_retirement": {
            "living_allowance": 1800,
            "terms": "按月发放生活费，企业继续缴纳社会保险费，达到法定退休年龄时办理退休。",
        },
        "reemployment": {"measures": "提供至少三次岗位推荐、一次职业指导，组织转岗培训。"},
        "protected_groups": {"handling": "劳动模范、高技能人才、烈军属、残疾人优先安排转岗，不安排解除劳动合同。"},
        "timetable": timetable,
        "opinions": {
            "solicited_on": "2018-07-10",
            "method": "召开职工座谈会、设立意见箱",
            "summary": "职工意见已吸收。",
        },
        "funding": {
            "required": {"arrears": 0, "social_insurance": workers * 8000, "training": workers * 2000, "other": 0},
            "sources": [],
        },  # fmt: skip
        "risk_assessment": {
            "open_disputes": 0,
            "assessment": "经评估，社会稳定风险可控。",
            "emergency_plan": "成立应急处置小组，设立职工接待窗口，24小时值守。",
        },  # fmt: skip
    }


def fund_fully(funding: dict[str, Any]) -> dict[str, Any]:
    """The funding section with evidenced sources that cover the whole requirement."""
    total = sum((Decimal(str(v)) for v in funding["required"].values()), Decimal(0))
    half = (total / 2).quantize(Decimal("0.01"))
    return {**funding, "sources": [
        {"source": "enterprise_own", "amount": str(half), "evidence": "董事会决议〔2018〕12号"},
        {"source": "special_award", "amount": str(total - half), "evidence": "冀财资〔2018〕45号"},
    ]}  # fmt: skip


def evidence_pdf(title: str) -> bytes:
    """A one-page PDF naming a funding document: the evidence file the demo and tests upload.

    Built here (objects, then the cross-reference table of their byte offsets) so that tests need
    no renderer; the title goes in as UCS-2 hex text in a standard Chinese CID font.
    """
    text = title.encode("utf-16-be").hex().upper()
    stream = f"BT /F1 18 Tf 72 720 Td <{text}> Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> >>] >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def create_complete_plan(
    session: Session, engine: WorkflowEngine, *, actor: Actor, enterprise: Enterprise, title: str,
    workers: int = 20, seed: int = 1,
) -> Plan:  # fmt: skip
    """Draft a plan, import its roster and fund it: what a clerk does before submitting."""
    plan = create_plan(session, engine, actor=actor, title=title, content=sample_content(enterprise, workers, seed),
                       enterprise_id=enterprise.id)  # fmt: skip
    report = import_roster(session, actor=actor, plan=plan, data=roster_csv(sample_roster(enterprise, workers, seed)),
                           filename="职工名单.csv", dry_run=False)  # fmt: skip
    assert report.committed, report.errors[:3]
    funding = fund_fully(plan.content["funding"])
    update_plan(session, actor=actor, plan=plan, sections={"funding": funding})
    for number, source in enumerate(funding["sources"], start=1):
        add_evidence(session, actor=actor, plan=plan, source_number=number, data=evidence_pdf(source["evidence"]),
                     filename=f"{source['evidence']}.pdf")  # fmt: skip
    return plan


# Demo values for 2017 (the year before the notice), development only: administrators set the
# published figures per city and year. The minimum is the first tier's standard in force in 2018 (SEED).
DEMO_WAGES = {"average": Decimal("5250.00"), "minimum": Decimal("1650.00")}
# The demo enterprises' counties and their tiers in Hebei's minimum-wage table from 2016-07-01 on
# (一类: 迁安市; 二类: 辛集市, 定州市, 邯郸市区, 武安市, 沙河市); others stay unassigned.
DEMO_WAGE_TIERS = {"130283": 1, "130181": 2, "130682": 2, "130406": 2, "130481": 2, "130582": 2}
DEMO_TIER_BASIS = "河北省最低工资标准附表（自2016年7月1日起执行）"


def seed_wage_parameters(session: Session, year: int = 2017) -> None:
    """The demo's local average wages, the shipped legal parameters and its counties' minimum-wage tiers."""
    for code, _name, level, _parent in HEBEI_REGIONS:
        if level == "city":
            session.add(WageParameter(city_code=code, year=year, average_monthly_wage=DEMO_WAGES["average"]))
    session.flush()
    seed_parameters(session, actor=SYSTEM)
    present = set(session.scalars(select(Region.code).where(Region.code.in_(DEMO_WAGE_TIERS))))
    for code, tier in DEMO_WAGE_TIERS.items():
        if code in present:
            session.add(RegionWageTier(region_code=code, effective_from=date(2016, 7, 1), tier=tier,
                                       basis=DEMO_TIER_BASIS))  # fmt: skip
    session.flush()


def counts_passing(enterprise: Enterprise) -> VoteCounts:
    total = 120 if enterprise.headcount >= 100 else enterprise.headcount
    return VoteCounts(WORKERS_CONGRESS, total, total - 10, total - 20, 6, 4)


def ballots_for(counts: VoteCounts, *, secret_ballot: bool = True) -> BallotRecord:
    """A consistent ballot record for `counts`: one ballot per member present, the unmarked ones not
    returned, every returned ballot valid."""
    cast = counts.yes + counts.no + counts.abstain
    return BallotRecord(counts.present, cast, cast, secret_ballot, "王建国", ("李秀兰", "赵志刚"))


def attach_congress_documents(session: Session, actor: Actor, plan: Plan) -> None:
    """Upload the session's minutes, resolution and attendance sheet (one-page PDFs) for the vote waiting."""
    for kind, label in KINDS.items():
        add_congress_document(session, actor=actor, plan=plan, kind=kind, data=evidence_pdf(label),
                              filename=f"{label}.pdf")  # fmt: skip


def record_sample_vote(session: Session, engine: WorkflowEngine, actor: Actor, plan: Plan, *,
                       counts: VoteCounts | None = None, held_on: date | None = None,
                       congress_threshold: int = 100, **options: Any) -> CongressVote:  # fmt: skip
    """Upload the session's documents and record the vote (`counts`, passing by default) on the
    current revision, with ballots consistent with the counts."""
    counts = counts or counts_passing(plan.enterprise)
    attach_congress_documents(session, actor, plan)
    return record_congress_vote(session, engine, actor=actor, plan=plan, counts=counts, record=ballots_for(counts),
                                held_on=held_on or local_date(utcnow()), plan_hash=plan.content_hash,
                                congress_threshold=congress_threshold, **options)  # fmt: skip


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


def load(session: Session, engine: WorkflowEngine) -> dict[str, int]:
    """Load everything, once: returns counts of what was created."""
    if session.scalar(select(User.id).where(User.username == "admin")):
        return {}
    regions = load_regions(session, actor=SYSTEM)
    seed_wage_parameters(session)
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
    plans = _demo_plans(session, engine, firms, people)
    return {"regions": len(regions.created), "enterprises": len(firms), "users": len(people), "plans": plans}


def _demo_plans(session: Session, engine: WorkflowEngine, firms: dict[str, Enterprise],
                people: dict[str, User]) -> int:  # fmt: skip
    def as_(name: str) -> Actor:
        return Actor(people[name], "127.0.0.1")

    steel, coal = firms["steel"], firms["coal"]
    stages = ["drafting", "congress", "review", "returned", "publication", "published"]
    for n, stage in enumerate(stages, start=1):
        title = f"冀东示范钢铁职工安置方案（第{n}批）"
        if stage == "drafting":  # just begun: no roster, no funds yet
            create_plan(session, engine, actor=as_("clerk"), title=title, content=sample_content(steel, 12 + n, n))  # fmt: skip
            continue
        plan = create_complete_plan(session, engine, actor=as_("clerk"), enterprise=steel, title=title,
                                    workers=12 + n, seed=n)  # fmt: skip
        advance_to(session, engine, plan, stage, as_("clerk"), as_("union"), as_("reviewer"))
    plan = create_complete_plan(session, engine, actor=as_("clerk_coal"), enterprise=coal, title="冀南示范煤业职工安置方案",
                                workers=30, seed=9)  # fmt: skip
    advance_to(session, engine, plan, "publication", as_("clerk_coal"), as_("union_coal"), as_("reviewer"))
    plan = create_complete_plan(session, engine, actor=as_("clerk"), enterprise=steel, title="冀东示范钢铁职工安置方案（第7批）",
                                workers=19, seed=7)  # fmt: skip
    advance_to(session, engine, plan, "resubmitted", as_("clerk"), as_("union"), as_("reviewer"))
    plan = create_complete_plan(session, engine, actor=as_("clerk"), enterprise=steel, title="冀东示范钢铁职工安置方案（第8批）",
                                workers=18, seed=8)  # fmt: skip
    advance_to(session, engine, plan, "published", as_("clerk"), as_("union"), as_("reviewer"))
    carry_out(session, as_("clerk"), plan)
    return len(stages) + 3


def verify_roster(session: Session, reviewer: Actor, plan: Plan) -> None:
    """The bureau's own check of the roster that approval needs (冀人社发〔2018〕38号 §三): a phone spot check
    of the first two workers."""
    checked = list(session.scalars(select(RosterWorker.id_number).where(RosterWorker.plan_id == plan.id)
                                   .order_by(RosterWorker.id).limit(2)))  # fmt: skip
    record_verification(session, actor=reviewer, plan=plan, method="phone_check", sample=f"电话抽查{len(checked)}人",
                        result="所抽查职工的身份、岗位和安置意向与名单一致。", workers=checked)  # fmt: skip


# The demo's return (a bureau's two reasons) and the clerk's answer to each at resubmission.
RETURN_REASONS = (
    "内部退养人员协议未附，请补充后重新提交。",
    "第二项资金来源（财政专项奖补资金）的批复文件不清晰，请重新上传。",
)
RETURN_ANSWERS = (
    "已补充内部退养人员协议（附件3），并在内部退养办法中写明协议的签订和内容。",
    "已重新上传市财政局批复文件的清晰扫描件，替换原文件。",
)
# What the first answer adds to the plan's 内部退养办法.
AGREEMENT_TERMS = (
    "内部退养职工均已与企业签订内部退养协议（协议文本见附件3），协议写明生活费标准、社会保险费缴纳和退休办理。"
)


def revise_as_answered(session: Session, clerk: Actor, plan: Plan) -> None:
    """The changes RETURN_ANSWERS describe, made before the resubmission so that the reviewer's diff shows
    them: the internal-retirement agreements written into the plan (reason 1) and the second funding source's
    approval replaced by a clear scan (reason 2)."""
    retirement = {**plan.content["internal_retirement"]}
    retirement["terms"] = f"{retirement['terms']}{AGREEMENT_TERMS}"
    update_plan(session, actor=clerk, plan=plan, sections={"internal_retirement": retirement})
    unclear = next(e for e in evidence_of(session, plan) if e.source_number == 2)
    remove_evidence(session, actor=clerk, plan=plan, evidence_id=unclear.id)
    name = f"{plan.content['funding']['sources'][1]['evidence']}（清晰扫描件）"
    add_evidence(session, actor=clerk, plan=plan, source_number=2, data=evidence_pdf(name), filename=f"{name}.pdf")


def advance_to(session: Session, engine: WorkflowEngine, plan: Plan, stage: str,
               clerk: Actor, union: Actor, reviewer: Actor, wg: Actor | None = None) -> Plan:  # fmt: skip
    """Drive a complete plan forward until it waits at `stage` (high-risk plans stop at the
    working group unless `wg` is given)."""
    submit_plan(session, engine, actor=clerk, plan=plan)
    if stage == "congress":
        return plan
    record_sample_vote(session, engine, union, plan)
    if stage == "review":
        return plan
    if stage in ("returned", "resubmitted"):
        review_plan(
            session, engine, actor=reviewer, plan=plan, decision=ReviewDecision.RETURN, reasons=list(RETURN_REASONS)
        )
        update_plan(session, actor=clerk, plan=plan, title=plan.title + "（修订）")
        if stage == "returned":
            return plan
        # revised as the answers say, answered one by one and resubmitted, voted again: back at the review
        revise_as_answered(session, clerk, plan)
        answers = dict(zip((r.id for r in open_reasons(session, plan)), RETURN_ANSWERS, strict=True))
        submit_plan(session, engine, actor=clerk, plan=plan, answers=answers)
        record_sample_vote(session, engine, union, plan)
        return plan
    verify_roster(session, reviewer, plan)
    review_plan(session, engine, actor=reviewer, plan=plan, decision=ReviewDecision.APPROVE, reasons="")
    if plan.status == Status.WORKING_GROUP:
        if wg is None:
            return plan
        record_working_group(session, engine, actor=wg, plan=plan, members=WG_MEMBERS,
                             contact_point="企业人力资源部", findings="方案可行，同意公布。",
                             decision=WorkingGroupDecision.CLEARED)  # fmt: skip
    if stage == "publication":
        return plan
    publish_plan(session, engine, actor=clerk, plan=plan)
    return plan
