"""The legal parameters as dated values (issue 11 §6): the value in force on a day, the statutory default
when none is, reading an administrator's entry, and the record a plan keeps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from approvals.rules.completeness import check_scope
from approvals.rules.parameters import (
    PARAMETERS,
    SEED,
    ParameterSet,
    WageRegion,
    in_force,
    minimum_wage_key,
    parameter_lines,
    parse_value,
)
from approvals.rules.retirement import (
    MEN_ILLNESS,
    MEN_SPECIAL,
    RETIREMENT_AGES,
    WOMEN_ILLNESS,
    WOMEN_SPECIAL,
    statutory_retirement_date,
)

SEEDED = [(s.key, s.effective_from, s.value, s.basis) for s in SEED]
TIER_1 = minimum_wage_key(1)


def test_the_value_in_force_is_the_latest_effective_on_or_before_the_day():
    # Hebei's 一类 minimum wage: 1650 from 2016-07-01, 1900 from 2019-11-01 (冀人社发〔2019〕34号).
    assert in_force(date(2019, 10, 31), SEEDED)[TIER_1] == Decimal(1650)
    assert in_force(date(2019, 11, 1), SEEDED)[TIER_1] == Decimal(1900)
    assert in_force(date(2023, 1, 1), SEEDED)[TIER_1] == Decimal(2200)
    assert in_force(date(2016, 6, 30), SEEDED)[TIER_1] is None  # before any standard entered: none, never a guess


def test_a_later_entry_for_the_same_date_corrects_the_earlier_one():
    rows = [*SEEDED, (TIER_1, date(2016, 7, 1), "1660", "更正")]
    item = in_force(date(2018, 7, 31), rows).values[TIER_1]
    assert (item.value, item.basis) == (Decimal(1660), "更正")


def test_without_a_dated_value_the_statutory_default_applies_and_says_so():
    # 国办发〔2019〕13号: the 16% employer pension rate applies from 2019-05-01 only; a 2018 plan has no
    # entered rate, and takes the default, marked as such.
    pension = in_force(date(2018, 7, 31), SEEDED).values["employer_pension_rate"]
    assert pension.is_default
    assert pension.basis == PARAMETERS["employer_pension_rate"].source
    assert not in_force(date(2019, 5, 1), SEEDED).values["employer_pension_rate"].is_default


def test_special_type_and_illness_retirement_ages_are_those_of_guofa_1978_104():
    # 国发〔1978〕104号 第一条: 特殊工种 men 55, women 45; 病退 men 50, women 45.
    ages = in_force(date(2018, 7, 31), SEEDED).retirement_ages()
    assert (ages[MEN_SPECIAL], ages[WOMEN_SPECIAL], ages[MEN_ILLNESS], ages[WOMEN_ILLNESS]) == (55, 45, 50, 45)
    assert dict(ages) == dict(RETIREMENT_AGES)  # the seed is the statute: the rules' own table
    changed = in_force(date(2018, 7, 31), [*SEEDED, ("special_type_age_men", date(2018, 1, 1), "56", "x")])
    assert changed.retirement_ages()[MEN_SPECIAL] == 56
    # the dated age is the one the retirement rules apply: a man in a special-type post born 1963-03-10
    assert statutory_retirement_date(date(1963, 3, 10), MEN_SPECIAL, date(2018, 7, 31),
                                     changed.retirement_ages()) == date(2019, 3, 10)  # fmt: skip


def test_the_window_and_employer_rates_are_read_as_the_rules_take_them():
    rows = [*SEEDED, ("internal_retirement_window_years", date(2017, 1, 1), "8", "冀政办字〔2017〕"),
            ("employer_medical_rate", date(2017, 1, 1), "7.5", "x")]  # fmt: skip
    parameters = in_force(date(2019, 6, 1), rows)
    assert parameters.internal_retirement_window_years == 8
    assert parameters.employer_rates.pension == Decimal("0.16")
    assert parameters.employer_rates.medical == Decimal("0.075")


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("internal_retirement_window_years", "五", "不是1至20之间的整数年数"),
        ("employer_pension_rate", "120", "须为大于0、小于100的百分比"),
        (TIER_1, "-5", "须为正的金额"),
        (TIER_1, "1650.123", "最多保留两位小数"),
        ("scope_task_years", "2019、十九", "不是"),
        ("scope_industries", "钢铁、造纸", "“造纸”不是"),
        ("special_type_age_women", "", "请填写参数值"),
    ],
)
def test_a_bad_value_is_refused_naming_the_rule(key, text, message):
    with pytest.raises(ValueError, match=message):
        parse_value(key, text)


def test_values_are_read_in_the_forms_officials_write_them():
    assert parse_value("scope_industries", "钢铁、煤炭") == ("steel", "coal")
    assert parse_value("scope_task_years", "2019，2018") == (2018, 2019)
    assert parse_value(TIER_1, "1,650元") == Decimal(1650)
    assert parse_value("employer_pension_rate", "16%") == Decimal(16)


def test_a_plan_keeps_the_values_it_used_and_states_them_with_their_basis():
    parameters = in_force(date(2018, 7, 31), SEEDED)
    kept = ParameterSet.from_json(parameters.as_json())
    assert kept == parameters
    region = WageRegion("130406", "峰峰矿区", 2, True, date(2016, 7, 1))
    lines = dict(parameter_lines(kept, region))
    assert lines["月最低工资标准（峰峰矿区，二类）"].startswith("1,590.00元/月（自2016-07-01起")
    assert lines["内部退养：距法定退休年龄不超过"].startswith("5年（自1993-04-20起")
    assert "法定默认值" in lines["内退人员单位基本养老保险缴费比例"]


def test_an_unassigned_county_is_stated_at_the_first_tier():
    lines = dict(parameter_lines(in_force(date(2018, 7, 31), SEEDED), WageRegion("130203", "路北区", 1, False, None)))
    [(label, text)] = [(k, v) for k, v in lines.items() if k.startswith("月最低工资标准")]
    assert "尚未设定类别" in label
    assert text.startswith("1,650.00元/月")


def test_a_plan_outside_the_industries_or_years_in_scope_is_refused_naming_the_field():
    # 冀人社发〔2018〕38号 第二条: 2018 de-capacity tasks; an extension is a new dated value.
    content = {"profile": {"industry": "steel"}, "decapacity": {"year": "2019"}}
    parameters = in_force(date(2019, 6, 30), SEEDED)
    [finding] = check_scope(content, parameters)
    assert (finding.section, finding.field, finding.rule) == ("decapacity", "year", "scope_task_year")
    assert "2018年" in finding.message
    extended = in_force(date(2019, 6, 30), [*SEEDED, ("scope_task_years", date(2019, 1, 1), "2018,2019", "延续")])
    assert list(check_scope(content, extended)) == []
    narrowed = in_force(date(2019, 6, 30), [*SEEDED, ("scope_industries", date(2019, 1, 1), "煤炭", "x"),
                                            ("scope_task_years", date(2019, 1, 1), "2019", "x")])  # fmt: skip
    [finding] = check_scope(content, narrowed)
    assert (finding.field, finding.rule) == ("industry", "scope_industry")
