"""The execution gate (notice §五): every precondition, each with its reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from approvals.i18n import N_
from approvals.rules.funding import FundingStatus
from approvals.rules.issues import Finding


@dataclass(frozen=True)
class GateFacts:
    content_hash: str
    missing: list[Finding]
    funding: FundingStatus
    passed_vote_hash: str | None  # hash of the revision the congress last passed
    approved_hash: str | None  # hash of the revision the bureau last approved
    high_risk: bool
    cleared_hash: str | None  # hash of the revision the working group last cleared
    published_hash: str | None


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    met: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def gate_conditions(facts: GateFacts) -> list[Condition]:
    """The six preconditions of execution, in the notice's order."""
    current = facts.content_hash
    funding = facts.funding
    wg_met = not facts.high_risk or facts.cleared_hash == current
    return [
        Condition(
            "plan_complete", N_("安置方案完善"), not facts.missing,
            "各部分内容齐全。" if not facts.missing
            else f"尚缺{len(facts.missing)}项：" + "；".join(f.message for f in facts.missing[:5]),
        ),
        Condition("funds_secured", N_("资金保障到位"), funding.is_secured, _funds_reason(funding)),
        Condition(
            "congress_passed", N_("经职工代表大会或职工大会讨论通过"), facts.passed_vote_hash == current,
            "当前版本已经表决通过。" if facts.passed_vote_hash == current
            else ("方案在表决通过后已修改，须重新表决。" if facts.passed_vote_hash
                  else "当前版本尚未经职工代表大会或职工大会表决通过。"),
        ),
        Condition(
            "bureau_approved", N_("人社部门审核同意"), facts.approved_hash == current,
            "人社部门已审核同意当前版本。" if facts.approved_hash == current
            else "人社部门尚未审核同意当前版本。",
        ),
        Condition(
            "working_group_cleared", N_("联合工作组同意（高风险企业）"), wg_met,
            "非高风险企业，无需联合工作组介入。" if not facts.high_risk
            else ("联合工作组已同意当前版本。" if wg_met else "高风险企业，联合工作组尚未同意当前版本。"),
        ),
        Condition(
            "published", N_("方案已公布"), facts.published_hash == current,
            "当前版本已公布。" if facts.published_hash == current else "方案尚未公布。",
        ),
    ]  # fmt: skip


def _funds_reason(funding: FundingStatus) -> str:
    """Why funds are (not) secured: every problem, not just the first."""
    if funding.is_secured:
        return f"所需资金{funding.required}元，已落实{funding.secured}元，来源均有凭证。"
    problems = []
    if funding.required <= 0:
        problems.append("尚未填报所需资金（合计为0元），无法认定资金保障到位")
    if funding.unevidenced:
        problems.append(f"第{'、'.join(str(i + 1) for i in funding.unevidenced)}项资金来源缺少证明材料")
    if funding.gap > 0:
        problems.append(f"所需资金{funding.required}元，已落实{funding.secured}元，缺口{funding.gap}元")
    return "；".join(problems) + "。"
