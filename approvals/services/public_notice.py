"""The public notice (公示) of a published plan: its link, its window and what it may show.

What is public (domain.md §2 step 6, §3): the plan's own text that tells a worker what happens to
them — channels and their counts, the severance standard, arrears, social insurance, internal
retirement terms, funding totals by source, re-employment support, protected-group measures, the
timetable, how opinions were heard — plus the congress result and the date of the bureau's approval.
Never public: the risk assessment and emergency plan (internal stability work), funding evidence,
per-person amounts and anything else on a roster row beyond name, masked ID and channel, the names
of reviewers, the working group, internal notes and the audit trail. Every text shown passes through
`mask_ids_in_text`: a clerk may have typed an ID number into a section.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from approvals.db import utcnow
from approvals.errors import NotFound
from approvals.i18n import N_, Text
from approvals.models import BureauReview, CongressVote, Plan, PublicNotice, Region, RosterWorker
from approvals.models.reference import INDUSTRIES
from approvals.process import ReviewDecision
from approvals.rules.congress import BODY_TYPES
from approvals.rules.content import (
    CHANNELS,
    FUNDING_ITEMS,
    FUNDING_SOURCES,
    SECTIONS,
    TIMETABLE_COLUMNS,
    as_dict,
    timetable_items,
)
from approvals.rules.funding import counted_sources, funding_status, to_amount
from approvals.rules.plan_schema import AMOUNT, COUNT, DATE, FIELDS, NUMBER, TABLE, field
from approvals.rules.register import REGISTER_FLAGS, yes_no
from approvals.rules.resident_id import mask_id, mask_ids_in_text

# How long the notice stays open for objections, in calendar days (config PUBLIC_NOTICE_DAYS). Neither
# the Hebei notice nor the laws in domain-research.md set a minimum for this 公示; 30 days mirrors the
# 30 days' notice of 劳动合同法 Art 41 and leaves time to reach workers who are away.
DEFAULT_NOTICE_DAYS = 30


def open_notice(session: Session, plan: Plan, *, days: int, now: datetime | None = None) -> PublicNotice:
    """Give a plan being published its public link and objection window (from now, `days` long). An amended plan
    published again keeps its link (and the objections raised on it) with a new window."""
    if days < 1:
        raise ValueError(f"the public notice lasts at least one day, got {days}")
    opens = now or utcnow()
    earlier = notice_of(session, plan)
    if earlier is not None:
        earlier.opens_at, earlier.closes_at = opens, opens + timedelta(days=days)
        return earlier
    notice = PublicNotice(plan_id=plan.id, token=secrets.token_urlsafe(24), opens_at=opens,
                          closes_at=opens + timedelta(days=days))  # fmt: skip
    session.add(notice)
    return notice


def notice_of(session: Session, plan: Plan) -> PublicNotice | None:
    return session.get(PublicNotice, plan.id)


def notice_by_token(session: Session, token: str, *, for_update: bool = False) -> PublicNotice:
    """The notice of a published plan, or 404: an unknown link and an unpublished plan look alike."""
    plan_id = session.scalar(select(PublicNotice.plan_id).where(PublicNotice.token == token)) if token else None
    query = select(Plan).where(Plan.id == plan_id)
    if for_update:
        query = query.with_for_update(of=Plan)
    plan = session.scalars(query).first() if plan_id is not None else None
    if plan is None or plan.published_at is None:
        raise NotFound("notice_not_found", Text(N_("公示不存在或方案尚未公布，请核对链接。")))
    notice = session.get(PublicNotice, plan.id)
    assert notice is not None
    return notice


@dataclass(frozen=True)
class Fact:
    label: str
    value: str | int | Decimal | date
    kind: str = "text"  # text | number | money | date
    unit: str = ""
    part: bool = False  # one part of the total above it (其中)


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]  # labels
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    facts: tuple[Fact, ...]
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class PublicPlan:
    title: str
    enterprise: str
    sections: tuple[Section, ...]


def _text(value: Any) -> str:
    return mask_ids_in_text(str(value).strip()) if value is not None else ""


def _facts(*facts: Fact) -> tuple[Fact, ...]:
    """Only what was filled in."""
    return tuple(f for f in facts if f.value not in ("", None))


def _number(value: Any) -> int | Decimal | str:
    amount = to_amount(value)
    if amount is None:
        return _text(value)
    return int(amount) if amount == amount.to_integral_value() else amount


def _date(value: Any) -> date | str:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return _text(value)


NOTICE_KINDS = {COUNT: "number", NUMBER: "number", AMOUNT: "money", DATE: "date"}


def _field_facts(content: dict[str, Any], section: str) -> tuple[Fact, ...]:
    """The section's public fields (rules/plan_schema.py) by their published word, those filled in."""
    body = as_dict(content.get(section))
    facts = []
    for item in FIELDS[section]:
        if not item.public or item.kind == TABLE:
            continue
        value = body.get(item.key)
        if item.kind in (COUNT, NUMBER, AMOUNT):
            shown: str | int | Decimal | date = _number(value)
        elif item.kind == DATE:
            shown = _date(value)
        else:
            shown = _text(value)
        facts.append(Fact(item.title, shown, NOTICE_KINDS.get(item.kind, "text"), item.unit or ""))
    return _facts(*facts)


def _section(content: dict[str, Any], key: str, tables: tuple[Table, ...] = ()) -> Section:
    return Section(key, SECTIONS[key], _field_facts(content, key), tables)


def public_plan(session: Session, plan: Plan) -> PublicPlan:
    """The public parts of a published plan, every text masked."""
    c = plan.content
    enterprise = plan.enterprise
    region = session.get(Region, enterprise.region_code)
    sections = [
        Section("profile", SECTIONS["profile"], _facts(
            Fact(N_("企业名称"), _text(enterprise.name)),
            Fact(N_("统一社会信用代码"), enterprise.uscc),
            Fact(N_("所属行业"), Text(INDUSTRIES.get(enterprise.industry, enterprise.industry))),
            Fact(N_("所在地区"), region.name if region else enterprise.region_code),
            Fact(N_("上级集团公司"), _text(enterprise.parent_group)),
            Fact(REGISTER_FLAGS["zombie"], yes_no(enterprise.zombie)),  # the register's (rules/register.py)
        )),
        _decapacity(c),
        _section(c, "workforce"),
        Section("channels", SECTIONS["channels"], _facts(*(
            Fact(label, _number(as_dict(c.get("channels")).get(key, 0)), "number", N_("人"))
            for key, label in CHANNELS.items()))),
        _section(c, "labour_relations"),
        _section(c, "severance"),
        _section(c, "arrears"),
        _section(c, "social_insurance"),
        _section(c, "internal_retirement"),
        _funding(c),
        _section(c, "reemployment"),
        _section(c, "protected_groups"),
        _section(c, "timetable", _timetable_tables(c)),
        _section(c, "opinions"),
        _decisions(session, plan),
    ]  # fmt: skip
    return PublicPlan(_text(plan.title), _text(enterprise.name), tuple(s for s in sections if s.facts or s.tables))


def _timetable_tables(c: dict[str, Any]) -> tuple[Table, ...]:
    """The timetable's rows (实施进度安排), every cell masked."""
    rows = tuple(tuple(_text(row[key]) for key in TIMETABLE_COLUMNS) for row in timetable_items(c))
    return (Table(N_("实施进度安排"), tuple(TIMETABLE_COLUMNS.values()), rows),) if rows else ()


def _decapacity(c: dict[str, Any]) -> Section:
    body = as_dict(c.get("decapacity"))
    capacity, year = field("decapacity", "capacity_withdrawn"), field("decapacity", "year")
    return Section("decapacity", SECTIONS["decapacity"], _facts(
        Fact(capacity.title, _number(body.get(capacity.key)), "number", _text(body.get("unit"))),
        Fact(year.title, _text(body.get(year.key))),
    ))  # fmt: skip


def _funding(c: dict[str, Any]) -> Section:
    """Totals by item and by source; the evidence (document numbers, agreements) stays internal."""
    funding = as_dict(c.get("funding"))
    status = funding_status(funding)
    required = as_dict(funding.get("required"))
    by_source: dict[str, Decimal] = {}
    for source in counted_sources(funding):  # by source adds up to the secured total: evidenced sources only
        key = str(source.get("source") or "other")
        by_source[key] = by_source.get(key, Decimal(0)) + (to_amount(source.get("amount")) or Decimal(0))
    facts = [Fact(N_("所需资金合计"), status.required, "money", N_("元"))]
    facts += [Fact(label, _number(required.get(key)), "money", N_("元"), part=True)
              for key, label in FUNDING_ITEMS.items() if to_amount(required.get(key))]  # fmt: skip
    facts.append(Fact(N_("已落实资金合计"), status.secured, "money", N_("元")))
    facts += [Fact(FUNDING_SOURCES.get(key, FUNDING_SOURCES["other"]), amount, "money", N_("元"), part=True)
              for key, amount in by_source.items()]  # fmt: skip
    return Section("funding", SECTIONS["funding"], _facts(*facts))


def _decisions(session: Session, plan: Plan) -> Section:
    """The congress vote and the bureau approval of the published revision, without any names."""
    vote = session.scalars(
        select(CongressVote)
        .where(CongressVote.plan_id == plan.id, CongressVote.passed, CongressVote.content_hash == plan.passed_hash)
        .order_by(CongressVote.recorded_at.desc())
    ).first()
    approved = session.scalars(
        select(BureauReview.reviewed_at)
        .where(BureauReview.plan_id == plan.id, BureauReview.decision == ReviewDecision.APPROVE,
               BureauReview.content_hash == plan.approved_hash)
        .order_by(BureauReview.reviewed_at.desc())
    ).first()  # fmt: skip
    facts: list[Fact] = []
    if vote is not None:
        facts += [
            Fact(N_("审议机构"), Text(BODY_TYPES.get(vote.body_type, vote.body_type))),
            Fact(N_("会议日期"), vote.held_on, "date"),
            Fact(N_("应到"), vote.total_members, "number", N_("人")),
            Fact(N_("实到"), vote.present, "number", N_("人")),
            Fact(N_("赞成"), vote.yes, "number", N_("票")),
            Fact(N_("反对"), vote.no, "number", N_("票")),
            Fact(N_("弃权"), vote.abstain, "number", N_("票")),
            Fact(N_("表决结果"), Text(N_("表决通过（赞成票超过应到人数的一半）"))),
        ]
    if approved is not None:
        facts.append(Fact(N_("人社部门审核同意日期"), approved.date(), "date"))
    return Section("decisions", N_("审议和审核情况"), tuple(facts))


@dataclass(frozen=True)
class PublicWorker:
    name: str
    id_number: str  # masked
    channel: str


def public_roster(plan: Plan, name: str = "") -> Select[tuple[RosterWorker]]:
    """The in-scope workers in roster order; optionally those whose name holds `name`. Show them
    only through public_worker()."""
    query = select(RosterWorker).where(RosterWorker.plan_id == plan.id, RosterWorker.in_scope)
    if name := name.strip():
        query = query.where(RosterWorker.name.contains(name, autoescape=True))
    return query.order_by(RosterWorker.id)


def public_worker(worker: RosterWorker) -> PublicWorker:
    """What the notice shows of one worker: name, masked ID and channel."""
    return PublicWorker(
        worker.name, mask_id(worker.id_number), CHANNELS.get(worker.channel or "", worker.channel or "")
    )
