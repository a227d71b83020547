"""What the bureau must itself have done before it approves a plan (domain.md §8 "Review").

冀人社发〔2018〕38号 §三: the bureau checks the enterprise's list of workers "通过实地调查、电话抽查、社保数据比对、
用工凭证或工资发放记录核查等手段" (its own verification records, at least `minimum` of them: a setting,
MIN_ROSTER_VERIFICATIONS, default 1), and each worker the enterprise could not reach is reported to it
"核查备案" (each filing confirmed by the bureau). Each unmet condition is named, as the gate does.
"""

from __future__ import annotations

from dataclasses import dataclass

from approvals.i18n import N_, Counted, Listing, Np_, Text
from approvals.rules.gate import Condition

# How many unconfirmed workers a reason names before it says "and n more".
NAMED = 5


@dataclass(frozen=True)
class ApprovalFacts:
    verifications: int  # the bureau's roster verification records of the plan
    minimum: int  # MIN_ROSTER_VERIFICATIONS
    unreachable: int  # workers on the roster temporarily unreachable (暂时联系不上)
    unconfirmed: tuple[str, ...]  # of those, the ones whose filing the bureau has not confirmed: "name（masked ID）"


def approval_conditions(facts: ApprovalFacts) -> list[Condition]:
    """The bureau's own conditions of approval, each with its reason."""
    verified = facts.verifications >= facts.minimum
    confirmed = not facts.unconfirmed
    return [
        Condition("roster_verified", N_("名单经人社部门核查（实地调查、电话抽查、社保数据比对、工资发放记录）"), verified,
                  _verification_reason(facts, verified)),
        Condition(
            "filings_confirmed", N_("联系不上职工的备案已逐人确认"), confirmed,
            (Text(N_("名单中没有暂时联系不上的职工。")) if not facts.unreachable
             else Text(N_("%(count)s名暂时联系不上的职工的核查备案均已确认。"), count=facts.unreachable))
            if confirmed else
            Text(N_("%(count)s名暂时联系不上的职工的核查备案尚未确认：%(names)s%(more)s。"),
                 count=len(facts.unconfirmed), names=Listing(facts.unconfirmed[:NAMED], N_("、")),
                 more=Text(N_("等")) if len(facts.unconfirmed) > NAMED else ""),
        ),
    ]  # fmt: skip


def _verification_reason(facts: ApprovalFacts, verified: bool) -> Text:
    if verified:
        return Counted(
            Np_("已记录核查%(count)s次。", "已记录核查%(count)s次。"), facts.verifications, count=facts.verifications
        )
    if not facts.verifications:
        return Text(N_("尚未记录名单核查。"))
    return Counted(Np_("已记录名单核查%(count)s次，至少须%(minimum)s次。", "已记录名单核查%(count)s次，至少须%(minimum)s次。"),
                   facts.verifications, count=facts.verifications, minimum=facts.minimum)  # fmt: skip


def unmet(conditions: list[Condition]) -> list[Condition]:
    return [c for c in conditions if not c.met]
