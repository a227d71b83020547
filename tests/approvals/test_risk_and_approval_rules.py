"""A firm known to be high-risk before review (rules/risk.py, notice §六, 劳动合同法第四十一条), the gate's group
condition for it, and the bureau's own conditions of approval (rules/approval.py, notice §三, domain.md §8)."""

from __future__ import annotations

from decimal import Decimal

from approvals.rules.approval import ApprovalFacts, approval_conditions, unmet
from approvals.rules.funding import FundingStatus
from approvals.rules.gate import GateFacts, gate_conditions
from approvals.rules.risk import arrears_owed, known_high_risk, risk_facts
from approvals.rules.roster import LayoffCheck, RosterSummary

NO_ARREARS = {"arrears": {"wages": 0, "social_insurance": 0}}


def signs(zombie: bool = False, content: dict | None = None, roster: RosterSummary | None = None) -> list[str]:
    return [str(s) for s in known_high_risk(risk_facts(zombie, content or NO_ARREARS, roster))]


def test_an_ordinary_firm_shows_no_sign():
    assert signs() == []
    assert signs(roster=RosterSummary(workers=100, terminations=19, mass_layoff=False)) == []


def test_the_registers_zombie_flag_is_a_sign_and_a_copy_in_the_profile_is_not_read():
    """The register is the flag's one source (approvals/rules/register.py): an older plan's copy says nothing."""
    assert signs(zombie=True) == ["拟出清的僵尸企业"]
    assert signs(zombie=True, content={**NO_ARREARS, "profile": {"zombie": False}}) == ["拟出清的僵尸企业"]
    assert signs(content={**NO_ARREARS, "profile": {"zombie": True}}) == []


def test_arrears_are_wages_plus_social_insurance_and_any_amount_is_a_sign():
    content = {"arrears": {"wages": "1200.50", "social_insurance": 800}}
    assert arrears_owed(content) == Decimal("2000.50")
    assert signs(content=content) == ["拖欠工资和社会保险费2000.50元"]
    assert arrears_owed({"arrears": {"wages": "", "social_insurance": None}}) == 0  # blank: nothing owed yet


def test_a_mass_layoff_by_the_roster_is_a_sign_naming_the_article():
    # 劳动合同法第四十一条: 裁减人员二十人以上，或者不足二十人但占企业职工总数百分之十以上.
    assert LayoffCheck(20, 1200).is_mass_layoff
    assert LayoffCheck(10, 100).is_mass_layoff
    assert not LayoffCheck(19, 1200).is_mass_layoff
    roster = RosterSummary(workers=120, terminations=20, mass_layoff=True)
    assert signs(roster=roster) == ["解除劳动合同20人，属于经济性裁员（劳动合同法第四十一条）"]


def test_every_sign_is_named():
    content = {"arrears": {"wages": 1, "social_insurance": 0}}
    found = signs(True, content, RosterSummary(workers=30, terminations=25, mass_layoff=True))
    assert len(found) == 3


def gate(**changes) -> dict[str, object]:
    values = {"content_hash": "h", "missing": [], "funding": FundingStatus(Decimal(1), Decimal(1), ()),
              "passed_vote_hash": "h", "approved_hash": "h", "high_risk": False, "cleared_hash": None,
              "published_hash": "h"}  # fmt: skip
    values.update(changes)
    return {c.key: c for c in gate_conditions(GateFacts(**values))}


def test_a_known_high_risk_firm_needs_the_group_from_the_start():
    before_review = gate(approved_hash=None, passed_vote_hash=None, known_risks=("拟出清的僵尸企业",))
    group = before_review["working_group_cleared"]
    assert not group.met
    assert "已知高风险企业（拟出清的僵尸企业）" in group.reason
    assert gate(known_risks=("x",), cleared_hash="h")["working_group_cleared"].met  # today's rule: the clearance
    assert not gate(known_risks=("x",), cleared_hash="old")["working_group_cleared"].met
    assert gate()["working_group_cleared"].met  # no sign, not assessed high: no group needed


def conditions(verifications: int = 1, minimum: int = 1, unreachable: int = 0, unconfirmed: tuple[str, ...] = ()):
    return {c.key: c for c in approval_conditions(ApprovalFacts(verifications, minimum, unreachable, unconfirmed))}


def test_approval_needs_the_minimum_number_of_verifications():
    assert not conditions(0)["roster_verified"].met
    assert conditions(0)["roster_verified"].reason == "尚未记录名单核查。"
    assert conditions(1)["roster_verified"].met
    short = conditions(1, minimum=2)["roster_verified"]
    assert not short.met
    assert short.reason == "已记录名单核查1次，至少须2次。"


def test_approval_needs_each_unreachable_workers_filing_confirmed_naming_them():
    assert conditions(unreachable=0)["filings_confirmed"].met
    assert conditions(unreachable=2)["filings_confirmed"].met
    names = tuple(f"王某{n}（130283********{n:04d}）" for n in range(7))
    pending = conditions(unreachable=7, unconfirmed=names)["filings_confirmed"]
    assert not pending.met
    assert pending.reason.startswith("7名暂时联系不上的职工的核查备案尚未确认：王某0（")
    assert "王某4" in pending.reason
    assert "王某5" not in pending.reason
    assert pending.reason.endswith("等。")
    assert [c.key for c in unmet(list(conditions(0, unreachable=1, unconfirmed=names[:1]).values()))] == [
        "roster_verified", "filings_confirmed"]  # fmt: skip
