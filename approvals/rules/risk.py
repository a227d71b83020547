"""A firm already known to be high-risk before its plan is reviewed (domain.md §8 "High-risk firms").

冀人社发〔2018〕38号 §六 names the firms the joint working group helps "研究制定和细化完善职工安置方案": 安置任务
重、问题较多、职工思想不稳定的重点企业和拟出清的僵尸企业. Three of their signs are on record before any review:
the enterprise register's zombie flag (拟出清的僵尸企业), the plan's own wage and social-insurance arrears (拖欠
工资和社会保险费, a problem the plan must settle) and a mass layoff by its own roster (裁减人员二十人以上或者裁减不
足二十人但占企业职工总数百分之十以上, 劳动合同法第四十一条; §六 names 规模性失业 among the risk points). A firm
with any of them has the group involved while the plan is drafted, and the group condition of the
execution gate is unmet from the start. The risk decision table (workflows/risk.dmn) reads the same
three facts, so such a firm is assessed high-risk at review too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from approvals.i18n import N_, Text
from approvals.rules.content import as_dict
from approvals.rules.funding import to_amount
from approvals.rules.roster import RosterSummary


@dataclass(frozen=True)
class RiskFacts:
    """What is known of a firm's risk before review: the register and the plan's own figures."""

    zombie: bool
    arrears: Decimal  # unpaid wages + social-insurance contributions, yuan
    terminations: int  # workers in scope whose labour contract is terminated (Art 41's 裁减人员)
    mass_layoff: bool  # RosterSummary.mass_layoff, computed at import by rules.roster.LayoffCheck


def arrears_owed(content: dict[str, Any]) -> Decimal:
    """The plan's arrears section: wages owed plus social-insurance contributions owed (0 where blank)."""
    arrears = as_dict(content.get("arrears"))
    return sum((to_amount(arrears.get(key)) or Decimal(0) for key in ("wages", "social_insurance")), Decimal(0))


def risk_facts(zombie_flag: bool, content: dict[str, Any], roster: RosterSummary | None) -> RiskFacts:
    """The facts from the enterprise register's flag, the plan's content and its imported roster. The zombie
    flag is the register's alone (rules/register.py): a copy an older plan's profile holds is not read."""
    return RiskFacts(
        zombie=bool(zombie_flag),
        arrears=arrears_owed(content),
        terminations=roster.terminations if roster else 0,
        mass_layoff=bool(roster and roster.mass_layoff),
    )


def known_high_risk(facts: RiskFacts) -> list[Text]:
    """Each sign that makes the firm high-risk before review, named; empty for none."""
    signs = []
    if facts.zombie:
        signs.append(Text(N_("拟出清的僵尸企业")))
    if facts.arrears > 0:
        signs.append(Text(N_("拖欠工资和社会保险费%(amount)s元"), amount=facts.arrears))
    if facts.mass_layoff:
        signs.append(
            Text(N_("解除劳动合同%(count)s人，属于经济性裁员（劳动合同法第四十一条）"), count=facts.terminations)
        )
    return signs
