"""Worker rules: Art 42 immunity, protected groups, dual-worker couples, unreachable workers, Art 41."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from approvals.rules.content import CHANNELS
from approvals.rules.resident_id import check_character
from approvals.rules.roster import (
    ENDS_LABOUR_RELATION,
    LayoffCheck,
    WorkerFacts,
    art42_lawful_ends,
    couples_elsewhere,
    dual_worker_terminations,
    dual_worker_terminations_elsewhere,
    exclusion_reason,
    needs_justification,
    pension_ends_contract,
    protected_group,
    protected_terminations,
    retirement_ends_contract,
    statutory_immunity,
    unreachable_problems,
    unused_termination_facts,
    work_start_problems,
)

REFERENCE = date(2018, 7, 1)


def rid(first17: str) -> str:
    return first17 + check_character(first17)


# Dismissed in an economic layoff (劳动合同法第四十一条): the ground Art 42 forbids for protected workers.
WORKER = WorkerFacts(row=2, id_number=rid("13028319700101123"), name="王某", channel="termination",
                     hire_date=date(2010, 1, 1), retirement_date=date(2030, 1, 1), ground="economic_layoff")  # fmt: skip


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"pregnancy_or_nursing": True}, "art42_pregnancy"),
        ({"work_injury": True}, "art42_work_injury"),
        ({"occupational_disease": True}, "art42_occupational_disease"),
        ({"medical_period": True}, "art42_medical_period"),  # Art 42(3): 在规定的医疗期内
        ({"hire_date": date(2003, 7, 1), "retirement_date": date(2023, 6, 30)}, "art42_long_service"),
    ],
)
def test_article_42_workers_may_not_be_terminated(change, rule):
    worker = replace(WORKER, **change)
    assert rules(statutory_immunity(worker, REFERENCE)) == [rule]
    assert rules(statutory_immunity(replace(worker, channel="internal_retirement"), REFERENCE)) == []
    assert rules(statutory_immunity(replace(worker, excluded_reason="已领取基本养老金"), REFERENCE)) == []


@pytest.mark.parametrize("ground", ["incompetence", "illness", "objective_change", "economic_layoff", None])
def test_article_42_refuses_the_dismissals_of_articles_40_and_41(ground):
    """劳动合同法第四十二条: "不得依照本法第四十条、第四十一条的规定解除劳动合同" — refused, whatever the channel
    that ends the relation; an unknown ground is refused too."""
    pregnant = replace(WORKER, pregnancy_or_nursing=True, ground=ground)
    for channel in ("termination", "self_employment", "public_welfare"):
        worker = replace(pregnant, channel=channel)
        assert rules(statutory_immunity(worker, REFERENCE)) == ["art42_pregnancy"]
        assert rules(art42_lawful_ends(worker, REFERENCE)) == []
    message = next(statutory_immunity(pregnant, REFERENCE)).message
    assert "不得依照劳动合同法第四十条、第四十一条解除劳动合同（第四十二条）" in message


@pytest.mark.parametrize(("ground", "asks_for"), [("mutual_agreement", "书面协议"), ("bankruptcy", "破产的裁定"),
                                                  ("closure", "关闭、撤销、解散的决定")])  # fmt: skip
def test_article_42_does_not_forbid_agreement_or_the_employers_exit(ground, asks_for):
    """劳动合同法第四十二条 names only Arts 40 and 41: an Art 36 agreement or an Art 44(4)/(5) end of a
    protected worker's contract is lawful, a warning that needs a written justification (domain.md §8)."""
    worker = replace(WORKER, pregnancy_or_nursing=True, medical_period=True, ground=ground)
    assert rules(statutory_immunity(worker, REFERENCE)) == []
    [warning] = art42_lawful_ends(worker, REFERENCE)
    assert warning.rule == "art42_lawful_end"
    assert needs_justification(warning)
    assert warning.field == "rows[2].justification"
    assert "处于孕期、产期、哺乳期；患病或者非因工负伤，在规定的医疗期内" in warning.message
    assert asks_for in warning.message
    assert "书面说明" in warning.message
    assert rules(art42_lawful_ends(replace(worker, pregnancy_or_nursing=False, medical_period=False), REFERENCE)) == []
    assert rules(art42_lawful_ends(replace(worker, channel="internal_retirement"), REFERENCE)) == []


def test_long_service_needs_both_fifteen_years_and_under_five_to_retirement():
    just_short = replace(WORKER, hire_date=date(2003, 7, 2), retirement_date=date(2023, 6, 30))
    assert rules(statutory_immunity(just_short, REFERENCE)) == []  # 14 years 11 months
    five_years_left = replace(WORKER, hire_date=date(2003, 7, 1), retirement_date=date(2023, 7, 1))
    assert rules(statutory_immunity(five_years_left, REFERENCE)) == []  # exactly 60 months left
    assert rules(statutory_immunity(replace(five_years_left, retirement_date=date(2023, 6, 30)), REFERENCE))


@pytest.mark.parametrize(
    ("change", "group"),
    [
        ({"model_worker": "national"}, "全国劳动模范"),
        ({"model_worker": "provincial"}, "省（部）级劳动模范"),
        ({"skill_level": "senior"}, "高技能人才（高级工）"),
        ({"skill_level": "senior_technician"}, "高技能人才（高级技师）"),
        ({"military_family": "martyr"}, "烈属"),
        ({"disability_certificate": WORKER.id_number + "42"}, "残疾人"),
    ],
)
def test_protected_groups_need_a_justification_when_terminated(change, group):
    worker = replace(WORKER, **change)
    assert protected_group(worker) == [group]
    findings = list(protected_terminations(worker))
    assert rules(findings) == ["protected_group_termination"]
    assert group in findings[0].message
    assert needs_justification(findings[0])
    assert list(protected_terminations(replace(worker, channel="transfer_training"))) == []


def test_lower_levels_are_not_protected():
    assert protected_group(replace(WORKER, skill_level="intermediate", model_worker="other")) == []


def test_disability_certificate_must_carry_the_id():
    worker = replace(WORKER, disability_certificate=rid("13010219800101001") + "42", channel="transfer_training")
    assert rules(protected_terminations(worker)) == ["disability_certificate_mismatch"]
    assert protected_group(worker) == []


def test_both_spouses_terminated_is_a_warning_on_each():
    husband = replace(WORKER, row=2, spouse_id_number=rid("13028319720202002"))
    wife = replace(WORKER, row=3, id_number=rid("13028319720202002"), name="李某", spouse_id_number=WORKER.id_number)
    findings = list(dual_worker_terminations([husband, wife]))
    assert [f.field for f in findings] == ["rows[2].justification", "rows[3].justification"]
    assert "第3行" in findings[0].message
    assert list(dual_worker_terminations([husband, replace(wife, channel="public_welfare")])) == []
    assert list(dual_worker_terminations([husband])) == []  # spouse not in this enterprise's roster


def test_a_spouse_on_another_plan_of_the_enterprise_is_found_whoever_names_whom():
    # 冀人社发〔2018〕38号 §五 双职工夫妻; domain.md §8: across all of the enterprise's plans (batches)
    wife_id = rid("13028319720202002")
    here = replace(WORKER, spouse_id_number=None)
    there = WorkerFacts(row=0, id_number=wife_id, name="李某", channel="termination", spouse_id_number=here.id_number)
    assert couples_elsewhere([here], [there]) == {here.id_number: [there]}  # her record names him
    named = replace(here, spouse_id_number=wife_id)
    assert couples_elsewhere([named], [replace(there, spouse_id_number=None)]) == {
        here.id_number: [replace(there, spouse_id_number=None)]
    }  # he names her
    assert couples_elsewhere([here], [replace(there, spouse_id_number=None)]) == {}  # neither names the other
    assert couples_elsewhere([here], [replace(here, row=0)]) == {}  # the same person elsewhere is no spouse
    findings = list(dual_worker_terminations_elsewhere([here], couples_elsewhere([here], [there])))
    assert [(f.field, f.rule) for f in findings] == [("rows[2].justification", "dual_worker_termination")]
    assert "配偶李某" in findings[0].message
    assert needs_justification(findings[0])
    kept = couples_elsewhere([here], [replace(there, channel="internal_retirement")])
    assert list(dual_worker_terminations_elsewhere([here], kept)) == []
    out = couples_elsewhere([here], [replace(there, excluded_reason="已解除劳动关系")])
    assert list(dual_worker_terminations_elsewhere([here], out)) == []  # already gone: not terminated by a plan


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (None, []),
        (date(1986, 1, 1), []),  # 16 on 1986-01-01 (born 1970-01-01), before 入企时间 2010-01-01
        (date(1985, 12, 31), ["work_start_under_16"]),  # 劳动法第十五条
        (date(2010, 1, 1), []),  # the same day as 入企时间
        (date(2010, 1, 2), ["work_start_after_hire"]),  # 劳动合同法第四十七条 counts from 入企时间
    ],
)
def test_work_start_is_checked_against_the_hire_date_and_the_age_of_16(start, expected):
    worker = replace(WORKER, work_start=start)
    assert rules(work_start_problems(worker, date(1970, 1, 1))) == expected


def test_unreachable_workers_carry_attempts_and_the_filing():
    worker = replace(WORKER, unreachable=True)
    assert rules(unreachable_problems(worker)) == ["unreachable_attempts", "unreachable_filing"]
    done = replace(worker, contact_attempts=frozenset({"登报声明", "上网公告"}), bureau_filing="冀人社备〔2018〕7号")
    assert rules(unreachable_problems(done)) == []
    odd = replace(done, contact_attempts=frozenset({"托人转告"}))
    assert rules(unreachable_problems(odd)) == ["known_contact_method", "unreachable_attempts"]


@pytest.mark.parametrize(
    ("terminations", "headcount", "mass"),
    [(20, 10_000, True), (19, 10_000, False), (10, 100, True), (9, 100, False), (0, 0, False), (1, 10, True)],
)
def test_mass_layoff_is_twenty_or_ten_percent(terminations, headcount, mass):
    assert LayoffCheck(terminations, headcount).is_mass_layoff is mass


@pytest.mark.parametrize(
    ("channel", "leaves"),
    [
        ("termination", True),  # 依法解除劳动合同
        ("self_employment", True),  # 自主创业: leaves to start a business (§四 support for 解除劳动关系人员)
        ("public_welfare", True),  # 公益性岗位兜底: a government-funded post outside the enterprise
        ("internal_retirement", False),  # 企业内部退养: the relation continues until retirement
        ("transfer_training", False),  # 转岗培训: an internal transfer, the contract is changed
        ("transformation", False),  # 企业转型安置: placed inside the enterprise's new business
        (None, False),
    ],
)
def test_channels_that_end_the_labour_relation_owe_severance(channel, leaves):
    """冀人社发〔2018〕38号 §四 channels; 劳动合同法 Art 46, 47: severance is owed when the relation ends."""
    worker = replace(WORKER, channel=channel)
    assert worker.leaves is leaves
    assert replace(worker, excluded_reason="已解除劳动关系").leaves is False  # out of scope (§二)


def test_the_leaving_channels_are_plan_channels():
    assert set(CHANNELS) > ENDS_LABOUR_RELATION


def test_a_pension_drawn_puts_the_worker_out_of_scope_and_is_flagged():
    """劳动合同法 Art 44(2): drawing the basic pension ends the contract; 冀人社发〔2018〕38号 §二: out of scope."""
    assert exclusion_reason(None, None, True) == "已领取基本养老金"
    assert exclusion_reason(None, "已终止劳动关系", True) == "已终止劳动关系"
    assert exclusion_reason("已解除劳动关系", "on_post", True) == "已解除劳动关系"  # the reason given wins
    assert exclusion_reason(None, "off_post", False) is None  # 不在岗 is still in scope
    pensioner = replace(WORKER, drawing_pension=True, excluded_reason="已领取基本养老金")
    assert rules(pension_ends_contract(pensioner)) == ["pension_ends_contract"]
    assert not pensioner.terminated
    assert not pensioner.leaves  # no severance
    assert rules(pension_ends_contract(WORKER)) == []


@pytest.mark.parametrize("channel", [*CHANNELS])
def test_a_worker_at_retirement_age_is_warned_in_any_channel(channel: str) -> None:
    """劳动合同法第四十四条第二项, 实施条例第二十一条: the contract ends at the statutory retirement age."""
    on_the_day = replace(WORKER, channel=channel, retirement_date=REFERENCE)
    [found] = retirement_ends_contract(on_the_day, REFERENCE)
    assert (found.field, found.rule) == ("rows[2].channel", "reached_retirement_age")
    assert "2018-07-01" in found.message
    assert "第四十四条第二项" in found.message
    assert "不计经济补偿" in found.message
    assert list(retirement_ends_contract(replace(on_the_day, retirement_date=date(2018, 7, 2)), REFERENCE)) == []


def test_a_worker_outside_the_scope_is_not_warned_at_retirement_age() -> None:
    past = replace(WORKER, retirement_date=date(2015, 1, 1), excluded_reason="已领取基本养老金", drawing_pension=True)
    assert list(retirement_ends_contract(past, REFERENCE)) == []


def test_a_ground_for_a_worker_who_stays_or_a_severity_on_another_ground_is_said_not_dropped():
    """劳部发〔1994〕481号第六条: the medical subsidy is the illness ground's only; a ground given for a worker who keeps
    the relation ends nothing. Both are warnings naming the column, never silently ignored."""
    staying = replace(WORKER, channel="internal_retirement", ground="bankruptcy")
    assert [(f.rule, f.field) for f in unused_termination_facts(staying, True, False)] == [
        ("termination_ground_unused", "rows[2].termination_ground")]  # fmt: skip
    agreed = replace(WORKER, ground="mutual_agreement")
    assert rules(unused_termination_facts(agreed, False, True)) == ["illness_severity_unused"]
    assert rules(unused_termination_facts(replace(WORKER, ground="illness"), True, True)) == []
    assert rules(unused_termination_facts(staying, False, False)) == []
