"""The published plan (公布文本): the plan's sections, how it was decided, and the roster annex."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.documents.annex import pages
from app.documents.facts import (
    bureau_name,
    chinese_number,
    cn_date,
    document_number,
    opinion_number,
    passing_vote,
    percent,
    plan_ref,
    region_name,
    revision_of,
    revision_ref,
    rows_of,
    text,
    yuan,
)
from approvals.models import BureauReview, Plan, WorkingGroup, WorkingGroupRecord
from approvals.models.reference import INDUSTRIES
from approvals.process import ReviewDecision, WorkingGroupDecision
from approvals.rules.congress import BODY_TYPES, members_label
from approvals.rules.content import (
    CHANNELS,
    FUNDING_ITEMS,
    FUNDING_SOURCES,
    SECTIONS,
    TIMETABLE_COLUMNS,
    as_dict,
    as_list,
    canonical_json,
    timetable_items,
)
from approvals.rules.funding import funding_status, is_evidenced, to_amount
from approvals.rules.parameters import parameter_lines
from approvals.rules.plan_schema import AMOUNT, CHOICE, COUNT, DATE, FIELDS, TABLE, Field, field
from approvals.rules.register import with_register_flags
from approvals.rules.resident_id import mask_id
from approvals.rules.roster import ENDS_LABOUR_RELATION
from approvals.rules.severance import TERMINATION_GROUNDS, applied_rules, plan_terms
from approvals.services.parameters import plan_parameters
from approvals.services.plans import register_flags
from approvals.services.roster import reference_date, snapshot_rows


def _profile_items(session: Session, profile: dict[str, Any]) -> list[tuple[str, str]]:
    items = [("企业名称", text(profile.get("name"))), ("统一社会信用代码", text(profile.get("uscc"))),
             ("所有制性质", text(profile.get("ownership"))),
             ("所属行业", INDUSTRIES.get(str(profile.get("industry")), text(profile.get("industry")))),
             ("所在地区", region_name(session, str(profile.get("region_code") or "")))]  # fmt: skip
    if profile.get("parent_group"):
        items.append(("上级集团公司", text(profile["parent_group"])))
    items.append(("拟出清的僵尸企业", "是" if profile.get("zombie") else "否"))
    return items


def _value(item: Field, value: Any) -> str:
    """A field's value as the published text states it: amounts in yuan, counts with their unit, a choice by
    its label, a date as 成文日期 are written; anything else as text."""
    if value is None or value == "":
        return text(value)
    if item.kind == AMOUNT and to_amount(value) is not None:
        return f"{yuan(value)}{item.unit or ''}"
    if item.kind == COUNT and to_amount(value) is not None:
        return f"{text(value)}{item.unit or ''}"
    if item.kind == CHOICE and item.choices and str(value) in item.choices:
        return item.choices[str(value)]
    if item.kind == DATE:
        try:
            return cn_date(date.fromisoformat(str(value)))
        except ValueError:
            return text(value)
    return text(value)


def _section_items(key: str, data: dict[str, Any], leave_out: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The section's fields (rules/plan_schema.py) by their published word, an optional one only when stated, then
    whatever else the clerk put in the section, under its own key (nothing stored is left unpublished)."""
    items = []
    for item in FIELDS[key]:
        if item.kind == TABLE or item.key in leave_out or (item.optional and data.get(item.key) in (None, "")):
            continue
        if key == "decapacity" and item.key == "unit":
            continue  # the capacity's unit, written after it
        value = _value(item, data.get(item.key, item.default))
        if key == "decapacity" and item.key == "capacity_withdrawn":
            value = f"{text(data.get('capacity_withdrawn'))}{text(data.get('unit'))}"
        items.append((item.title, value))
    known = {item.key for item in FIELDS[key]}
    items += [(name, text(value)) for name, value in data.items() if name not in known]
    return items


def _severance_items(data: dict[str, Any], rows: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """The severance section: the plan's ground and pre-2008 method (劳动合同法 Art 97 ¶3), the workers leaving
    by ground, the calculation and cap rules applied, and the 481号 Art 6 medical subsidies of the roster."""
    ground, method = plan_terms(data)
    items = _section_items("severance", data, leave_out=("standard",))
    leaving = [row for row in rows.values() if row.get("in_scope", True) and row.get("channel") in ENDS_LABOUR_RELATION]
    by_ground = Counter(row.get("termination_ground") or ground for row in leaving)
    counts = [f"{rule.label}{by_ground[key]}人" for key, rule in TERMINATION_GROUNDS.items() if by_ground[key]]
    unknown = len(leaving) - sum(by_ground[key] for key in TERMINATION_GROUNDS)
    if leaving:
        items.append(("解除或终止劳动合同人数", "；".join(counts + ([f"依据不明{unknown}人"] if unknown else []))))
    for n, rule in enumerate(applied_rules(method)):
        items.append(("计算和封顶规则" if n == 0 else "", f"{chinese_number(n + 1)}是{rule}"))
    subsidies = [amount for row in leaving if (amount := to_amount(row.get("medical_subsidy"))) is not None]
    if subsidies:
        items.append(("医疗补助费（元）", f"{yuan(sum(subsidies, Decimal(0)))}（{len(subsidies)}人，劳部发〔1994〕481号第六条，"
                                         "已计入所需经济补偿金）"))  # fmt: skip
    standard = field("severance", "standard")  # the plan's words, after the rules it applies
    return [*items, (standard.title, _value(standard, data.get(standard.key)))]


def _channel_table(content: dict[str, Any]) -> dict[str, Any]:
    channels = as_dict(content.get("channels"))
    counts = {key: int(channels.get(key) or 0) for key in CHANNELS}
    total = sum(counts.values())
    return {"caption": "表1 安置渠道及人数", "columns": [("安置渠道", 50), ("人数", 25), ("占比", 25)],
            "rows": [[label, str(counts[key]), percent(counts[key], total)] for key, label in CHANNELS.items()],
            "total": ["合计", str(total), percent(total, total)], "align": ["", "num", "num"]}  # fmt: skip


def _funding_tables(content: dict[str, Any]) -> list[dict[str, Any]]:
    funding = as_dict(content.get("funding"))
    required = as_dict(funding.get("required"))
    status = funding_status(funding)
    sources = [as_dict(s) for s in as_list(funding.get("sources"))]
    return [
        {"caption": "表2 所需资金", "columns": [("项目", 60), ("金额（元）", 40)],
         "rows": [[label, yuan(required.get(key))] for key, label in FUNDING_ITEMS.items()],
         "total": ["合计", yuan(status.required)], "align": ["", "num"]},
        {"caption": "表3 资金来源", "columns": [("来源", 30), ("金额（元）", 25), ("证明材料", 45)],
         "rows": [[FUNDING_SOURCES.get(str(s.get("source")), text(s.get("source"))), yuan(s.get("amount")),
                   text(s.get("evidence")) if is_evidenced(s) else f"{text(s.get('evidence'))}（缺少证明材料，不计入）"]
                  for s in sources],
         "total": ["已落实合计", yuan(status.secured),
                   "资金保障到位" if status.is_secured else f"资金缺口{yuan(status.gap)}元"],
         "align": ["", "num", ""]},
    ]  # fmt: skip


def _timetable_table(rows: list[dict[str, str]]) -> dict[str, Any]:
    """实施进度安排: one row per step, numbered (the channel and funding tables are 表1–表3)."""
    return {"caption": "表4 实施进度安排", "columns": [("序号", 10), *zip(TIMETABLE_COLUMNS.values(), (45, 20, 25), strict=True)],
            "rows": [[str(n), *(text(row[key]) for key in TIMETABLE_COLUMNS)] for n, row in enumerate(rows, start=1)],
            "total": None, "align": ["num", "", "", ""]}  # fmt: skip


def _plan_sections(session: Session, content: dict[str, Any], decisions: dict[str, list[Any]],
                   roster_rows: dict[str, dict[str, Any]] | RosterStandIn | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """The plan's sections in SECTIONS order, then how it was decided; numbered 一、二、…"""
    sections = []
    for key, title in SECTIONS.items():
        if key == "roster":
            continue
        section: dict[str, Any] = {"title": title, "items": [], "tables": []}
        if key == "profile":
            section["items"] = _profile_items(session, as_dict(content.get("profile")))
        elif key == "channels":
            section["tables"] = [_channel_table(content)]
        elif key == "funding":
            section["tables"] = _funding_tables(content)
        elif key == "severance":
            data = as_dict(content.get(key))
            section["items"] = (roster_rows.severance(data) if isinstance(roster_rows, RosterStandIn)
                                else _severance_items(data, roster_rows or {}))  # fmt: skip
        else:
            section["items"] = _section_items(key, as_dict(content.get(key)))
        if key == "timetable" and (rows := timetable_items(content)):
            section["tables"] = [_timetable_table(rows)]
        sections.append(section)
    for title, paragraphs in decisions.items():
        items = [p if isinstance(p, tuple) else ("", p) for p in paragraphs]  # (label, text) or a paragraph
        sections.append({"title": title, "items": items, "tables": []})
    for n, section in enumerate(sections, start=1):
        section["heading"] = f"{chinese_number(n)}、{section['title']}"
    return sections


def _parameters(session: Session, plan: Plan) -> dict[str, list[Any]]:
    """The legal parameters the plan applies, as the plan page states them (issue 11 §6)."""
    shown = plan_parameters(session, plan, reference_date(plan))
    title = f"本方案适用参数（截至参考日期{shown.day.isoformat()}）"
    return {title: parameter_lines(shown.parameters, shown.region, others=shown.others)}


def _annex(rows: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """The roster of the published revision, in-scope workers by channel, IDs masked."""
    order = {key: n for n, key in enumerate(CHANNELS)}
    workers = sorted(((n, row) for n, row in rows.items() if row.get("in_scope", True)),
                     key=lambda item: (order.get(item[1].get("channel"), len(order)), item[0]))  # fmt: skip
    # Four columns, no sex: a fifth column costs ~20% of the render of a long annex, and the masked
    # number keeps the sex digit (the 17th) visible anyway.
    return [{"name": text(row.get("name")), "id": mask_id(number), "channel": CHANNELS.get(str(row.get("channel")), "—")}
            for number, row in workers]  # fmt: skip


def _resolution(session: Session, plan: Plan, content_hash: str) -> str:
    vote = passing_vote(session, plan, content_hash)
    if vote is None:
        return "本版本未经职工代表大会或职工大会表决通过。"
    body, members = BODY_TYPES.get(vote.body_type, vote.body_type), members_label(vote.body_type)
    return (f"{cn_date(vote.held_on)}，{plan.enterprise.name}召开{body}，以无记名投票方式对本方案"
            f"（{revision_ref(session, plan, content_hash)['label']}）进行表决。{members}{vote.total_members}人，"
            f"到会{vote.present}人；赞成{vote.yes}人，反对{vote.no}人，弃权{vote.abstain}人。赞成票超过{members}的半数，"
            f"本方案经{body}审议通过。")  # fmt: skip


def _approval(session: Session, plan: Plan, content_hash: str) -> list[str]:
    approvals = []
    reviews = rows_of(session, BureauReview, plan)
    for n, review in enumerate(reviews, start=1):
        if review.decision == ReviewDecision.APPROVE and review.content_hash == content_hash:
            approvals.append(f"{cn_date(review.reviewed_at)}，{bureau_name(session, review, plan)}"
                             f"审核同意本方案（{opinion_number(session, review)}，审核意见书第{n}份）。")  # fmt: skip
    for record in rows_of(session, WorkingGroupRecord, plan):
        if record.decision == WorkingGroupDecision.CLEARED and record.content_hash == content_hash:
            group = session.get(WorkingGroup, record.working_group_id)
            approvals.append(f"{group.name if group else '联合工作组'}经介入指导，同意本方案公布实施。")
    return approvals or ["本版本未经人社部门审核同意。"]


@dataclass(frozen=True)
class RosterStandIn:
    """In place of the roster's rows, for the key of a stored rendering (app/documents/store.py): the
    SHA-256 of the revision's roster snapshot. What the text makes of the rows (the annex, the severance
    counts) follows from the snapshot and this module's code, whose files are part of the layout version,
    so the key need not read 50,000 rows to know that nothing changed."""

    digest: str

    def severance(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        return [("roster", self.digest), ("severance", canonical_json(data))]


def published_plan(session: Session, plan: Plan, *, roster: bool = True) -> dict[str, Any]:
    """The context of a published plan's text (plan.published_hash is set); with roster=False, what the
    roster adds is only named by its snapshot's digest (RosterStandIn): the facts a stored rendering is
    found by, without reading the rows."""
    assert plan.published_hash is not None
    assert plan.published_at is not None
    revision = revision_of(session, plan, plan.published_hash)
    content = revision.content if revision else plan.content
    # The zombie flag is the register's (rules/register.py), not a copy the revision may hold.
    content = {
        **content,
        "profile": with_register_flags(as_dict(content.get("profile")), register_flags(plan.enterprise)),
    }
    snapshot = revision.roster if revision else None
    rows: dict[str, dict[str, Any]] | RosterStandIn
    if roster:
        rows = snapshot_rows(snapshot)
        annex: Any = _annex(rows)
        by_channel: Any = [(label, sum(1 for w in annex if w["channel"] == label)) for label in CHANNELS.values()]
        annex_pages: Any = pages(annex, by_channel)
    else:
        rows = RosterStandIn(hashlib.sha256(snapshot or b"").hexdigest())
        annex = by_channel = annex_pages = rows.digest
    return {
        "plan": plan_ref(session, plan, plan.published_hash),
        "issuer": plan.enterprise.name,
        "number": document_number(session, "published-plan", plan.id),
        "date": cn_date(plan.published_at),
        "revision": revision_ref(session, plan, plan.published_hash),
        "sections": _plan_sections(
            session,
            content,
            {
                **_parameters(session, plan),
                "职工代表大会审议情况": [_resolution(session, plan, plan.published_hash)],
                "审核情况": _approval(session, plan, plan.published_hash),
            },
            rows,
        ),
        "annex": annex,
        "annex_by_channel": by_channel,
        "annex_pages": annex_pages,  # the annex laid out (app/documents/annex.py)
        "copy_to": f"{region_name(session, plan.enterprise.region_code)}人力资源和社会保障部门，本企业工会",
    }
