"""The execution gate (notice §五): every precondition, each with its reason.

The notice's §五 has the plan "审议通过后公布实施" and forbids carrying out a plan that is incomplete,
unfunded or not passed by the congress; published plans are shown to the workers (公示, 劳动合同法
Art 4 ¶4) and their objections handled before execution (domain.md §8, Public notice): the last two
conditions, the window's end being a setting (EXECUTION_WAITS_FOR_NOTICE_WINDOW, on by default).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from approvals.i18n import N_, Counted, Listing, Np_, Text
from approvals.rules import receipt
from approvals.rules.funding import FundingStatus
from approvals.rules.issues import Finding
from approvals.workdays import CHINA, local_date, working_days_between

# How many open objections the reason names by their receipt code; the count covers the rest.
NAMED_OBJECTIONS = 5


@dataclass(frozen=True)
class GateFacts:
    content_hash: str
    missing: list[Finding]
    funding: FundingStatus
    passed_vote_hash: str | None  # hash of the revision the congress last passed
    approved_hash: str | None  # hash of the revision the bureau last approved
    high_risk: bool  # assessed high-risk at review (workflows/risk.dmn)
    cleared_hash: str | None  # hash of the revision the working group last cleared
    published_hash: str | None
    known_risks: tuple[str, ...] = ()  # signs of a firm known to be high-risk before review (rules/risk.py)
    # The public notice: when its window ends (None before publication), the moment the gate is read,
    # whether execution waits for the window's end (the setting), the receipt codes of objections not closed.
    notice_closes_at: datetime | None = None
    now: datetime | None = None
    waits_for_notice: bool = True
    open_objections: tuple[str, ...] = field(default=())


# Each precondition of execution by its key (the gate, the trail's refusals).
CONDITION_LABELS = {
    "plan_complete": N_("安置方案完善"),
    "funds_secured": N_("资金保障到位"),
    "congress_passed": N_("经职工代表大会或职工大会讨论通过"),
    "bureau_approved": N_("人社部门审核同意"),
    "working_group_cleared": N_("联合工作组同意（高风险企业）"),
    "published": N_("方案已公布"),
    "notice_window_over": N_("公示期已满"),
    "objections_closed": N_("异议已全部办结"),
}


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    met: bool
    reason: str  # a Text: the web says it in the reader's language

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def gate_conditions(facts: GateFacts) -> list[Condition]:
    """The preconditions of execution, in the notice's order: the six of §五, then the public notice's
    window and its objections."""
    current = facts.content_hash
    funding = facts.funding
    # domain.md §8: a firm known to be high-risk needs the group from the start, before any review.
    wg_needed = facts.high_risk or bool(facts.known_risks)
    wg_met = not wg_needed or facts.cleared_hash == current
    return [
        Condition(
            "plan_complete", CONDITION_LABELS["plan_complete"], not facts.missing,
            Text(N_("各部分内容齐全。")) if not facts.missing
            else Counted(Np_("尚缺%(count)s项：%(items)s", "尚缺%(count)s项：%(items)s"), len(facts.missing), count=len(facts.missing),
                      items=Listing(f.message for f in facts.missing[:5])),
        ),
        Condition("funds_secured", CONDITION_LABELS["funds_secured"], funding.is_secured, _funds_reason(funding)),
        Condition(
            "congress_passed", CONDITION_LABELS["congress_passed"], facts.passed_vote_hash == current,
            Text(N_("当前版本已经表决通过。")) if facts.passed_vote_hash == current
            else (Text(N_("方案在表决通过后已修改，须重新表决。")) if facts.passed_vote_hash
                  else Text(N_("当前版本尚未经职工代表大会或职工大会表决通过。"))),
        ),
        Condition(
            "bureau_approved", CONDITION_LABELS["bureau_approved"], facts.approved_hash == current,
            Text(N_("人社部门已审核同意当前版本。")) if facts.approved_hash == current
            else Text(N_("人社部门尚未审核同意当前版本。")),
        ),
        Condition(
            "working_group_cleared", CONDITION_LABELS["working_group_cleared"], wg_met, _working_group_reason(facts, wg_met),
        ),
        Condition(
            "published", CONDITION_LABELS["published"], facts.published_hash == current,
            Text(N_("当前版本已公布。")) if facts.published_hash == current else Text(N_("方案尚未公布。")),
        ),
        _window(facts),
        _objections(facts),
    ]  # fmt: skip


def _working_group_reason(facts: GateFacts, met: bool) -> Text:
    if not facts.high_risk and not facts.known_risks:
        return Text(N_("非高风险企业，无需联合工作组介入。"))
    if met:
        return Text(N_("联合工作组已同意当前版本。"))
    if facts.known_risks and not facts.high_risk:
        return Text(N_("已知高风险企业（%(signs)s），联合工作组须参与制定方案，并在审核同意后同意当前版本。"),
                    signs=Listing(facts.known_risks))  # fmt: skip
    return Text(N_("高风险企业，联合工作组尚未同意当前版本。"))


def _window(facts: GateFacts) -> Condition:
    """公示期已满: the notice's window has ended, or the setting lets execution start within it."""
    label = CONDITION_LABELS["notice_window_over"]
    closes, now = facts.notice_closes_at, facts.now
    if closes is None or now is None:
        if not facts.waits_for_notice:
            return Condition("notice_window_over", label, True, Text(N_("按本系统设置，实施不必等待公示期届满。")))
        return Condition("notice_window_over", label, False, Text(N_("方案尚未公布，公示期尚未开始。")))
    end = _local(closes)
    if now >= closes:
        return Condition("notice_window_over", label, True, Text(N_("公示期已于%(end)s届满。"), end=end))
    if not facts.waits_for_notice:
        return Condition("notice_window_over", label, True,
                         Text(N_("公示期至%(end)s届满；按本系统设置，实施不必等待公示期届满。"), end=end))  # fmt: skip
    days = working_days_between(local_date(now), local_date(closes))
    if days > 0:
        return Condition("notice_window_over", label, False,
                         Counted(Np_("公示期至%(end)s届满，尚余%(days)s个工作日。", "公示期至%(end)s届满，尚余%(days)s个工作日。"),
                                 days, end=end, days=days))  # fmt: skip
    return Condition("notice_window_over", label, False, Text(N_("公示期至%(end)s届满，尚未届满。"), end=end))


def _objections(facts: GateFacts) -> Condition:
    """异议已全部办结: every objection raised on the notice is closed (办结)."""
    label = CONDITION_LABELS["objections_closed"]
    codes = facts.open_objections
    if not codes:
        return Condition("objections_closed", label, True, Text(N_("没有未办结的异议。")))
    named = Listing((receipt.shown(c) for c in codes[:NAMED_OBJECTIONS]), N_("、"))
    if len(codes) > NAMED_OBJECTIONS:
        reason = Counted(
            Np_("尚有%(count)s件异议未办结：受理码%(codes)s等。", "尚有%(count)s件异议未办结：受理码%(codes)s等。"),
            len(codes),
            count=len(codes),
            codes=named,
        )
    else:
        reason = Counted(
            Np_("尚有%(count)s件异议未办结：受理码%(codes)s。", "尚有%(count)s件异议未办结：受理码%(codes)s。"),
            len(codes),
            count=len(codes),
            codes=named,
        )
    return Condition("objections_closed", label, False, reason)


def _local(moment: datetime) -> str:
    """A naive UTC moment as China's date and time, e.g. 2026-12-20 14:30."""
    return moment.replace(tzinfo=UTC).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _funds_reason(funding: FundingStatus) -> Text:
    """Why funds are (not) secured: every problem, not just the first."""
    if funding.is_secured:
        return Text(N_("所需资金%(required)s元，已落实%(secured)s元，来源均有凭证。"),
                    required=funding.required, secured=funding.secured)  # fmt: skip
    problems = []
    if funding.required <= 0:
        problems.append(Text(N_("尚未填报所需资金（合计为0元），无法认定资金保障到位")))
    if funding.unevidenced:
        problems.append(Counted(Np_("第%(numbers)s项资金来源缺少证明材料", "第%(numbers)s项资金来源缺少证明材料"),
                                len(funding.unevidenced_numbers), numbers=Listing(funding.unevidenced_numbers, N_("、"))))  # fmt: skip
    if funding.gap > 0:
        problems.append(Text(N_("所需资金%(required)s元，已落实%(secured)s元，缺口%(gap)s元"),
                             required=funding.required, secured=funding.secured, gap=funding.gap))  # fmt: skip
    return Text(N_("%(problems)s。"), problems=Listing(problems))
