"""The rules of the services for leaving workers (冀人社发〔2018〕38号 §四), without the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from approvals.execution_services.rules import (
    AGE,
    DISABILITY,
    MIN_JOB_RECOMMENDATIONS,
    MIN_OTHER_SERVICES,
    ZERO_EMPLOYMENT_FAMILY,
    MemberStatus,
    count_services,
    leaves_enterprise,
    member_working_age,
    post_held,
    proposed_criteria,
    service_due,
    zero_employment,
)
from approvals.rules.parameters import PARAMETERS, parse_value, shown_value


@pytest.mark.parametrize(
    ("channel", "in_scope", "retired", "leaves"),
    [
        ("termination", True, False, True),
        ("self_employment", True, False, True),
        ("public_welfare", True, False, True),
        ("internal_retirement", True, False, False),  # keeps the labour relation
        ("transfer_training", True, False, False),
        ("transformation", True, False, False),
        ("termination", False, False, False),  # out of scope: no channel of this plan
        ("termination", True, True, False),  # at retirement age: a pension, no job search
        (None, True, False, False),
    ],
)
def test_who_leaves_the_enterprise_follows_the_channels_that_end_the_relation(channel, in_scope, retired, leaves):
    assert leaves_enterprise(channel, in_scope, retired) is leaves


def test_the_notice_asks_three_job_recommendations_and_one_other_service():
    """冀人社发〔2018〕38号 §四: "至少提供3次岗位推荐和1次职业指导、就业服务、职业培训等服务"."""
    assert (MIN_JOB_RECOMMENDATIONS, MIN_OTHER_SERVICES) == (3, 1)
    due = date(2027, 1, 31)
    two = count_services([("job_recommendation", date(2026, 3, 1))] * 2, due)
    assert (two.job_recommendations_short, two.other_services_short, two.short) == (1, 1, True)
    done = count_services([("job_recommendation", date(2026, 3, 1))] * 3 + [("vocational_training", due)], due)
    assert (done.job_recommendations_short, done.other_services_short, done.short) == (0, 0, False)


def test_a_service_after_the_due_date_does_not_count_and_a_shortfall_is_overdue_after_it():
    due = date(2027, 1, 31)
    late = count_services([("job_recommendation", date(2027, 2, 1))] * 3 + [("career_guidance", date(2027, 2, 1))], due)
    assert (late.job_recommendations_short, late.other_services_short) == (3, 1)
    assert not late.overdue(due)
    assert late.overdue(date(2027, 2, 1))


def test_the_period_runs_from_the_start_of_execution_in_months():
    assert service_due(date(2026, 8, 31), 12) == date(2027, 8, 31)
    assert service_due(date(2026, 8, 31), 6) == date(2027, 2, 28)  # clamped to the shorter month


def test_the_period_and_the_loan_cap_are_settings_with_a_default():
    assert PARAMETERS["service_period_months"].default == 12
    assert PARAMETERS["startup_loan_cap"].default == Decimal(300000)
    assert parse_value("service_period_months", "6") == 6
    with pytest.raises(ValueError, match="1至120之间的整数月数"):
        parse_value("service_period_months", "0")
    assert shown_value("startup_loan_cap", Decimal(300000)) == "300,000.00元"
    assert shown_value("service_period_months", 12) == "12个月"


def test_the_age_criterion_is_women_40_and_men_50_by_default():
    """就业促进法 Art 52 leaves the scope to the province; “4050” is the usual age criterion."""
    assert (PARAMETERS["difficulty_age_women"].default, PARAMETERS["difficulty_age_men"].default) == (40, 50)
    day = date(2026, 12, 7)
    kw = {"disability_card": "", "zero_employment": False, "day": day, "women": 40, "men": 50}
    assert proposed_criteria(sex="F", birth=date(1986, 12, 7), **kw) == [AGE]
    assert proposed_criteria(sex="F", birth=date(1986, 12, 8), **kw) == []
    assert proposed_criteria(sex="M", birth=date(1977, 1, 1), **kw) == []  # 49
    assert proposed_criteria(sex="M", birth=date(1976, 12, 7), **kw) == [AGE]
    both = {**kw, "disability_card": "13040619800101123X41", "zero_employment": True}
    assert proposed_criteria(sex="M", birth=date(1990, 1, 1), **both) == [DISABILITY, ZERO_EMPLOYMENT_FAMILY]


def test_a_household_is_zero_employment_when_every_member_of_working_age_is_without_work():
    """就业促进法 Art 56: "法定劳动年龄内的家庭成员均处于失业状态"."""
    out = MemberStatus("甲", working_age=True, has_work=False)
    assert zero_employment([out, MemberStatus("乙", working_age=True, has_work=False)])
    assert not zero_employment([out, MemberStatus("乙", working_age=True, has_work=True)])
    # a retired parent with a pension neither makes nor breaks it
    assert zero_employment([out, MemberStatus("丙", working_age=False, has_work=False)])
    assert not zero_employment([MemberStatus("丙", working_age=False, has_work=False)])


def test_working_age_of_a_family_member_is_16_to_60_for_men_and_to_55_for_women():
    day = date(2026, 12, 7)
    assert not member_working_age("M", date(2010, 12, 8), day)  # 15
    assert member_working_age("M", date(2010, 12, 7), day)
    assert member_working_age("M", date(1966, 12, 8), day)  # 59
    assert not member_working_age("M", date(1966, 12, 7), day)
    assert member_working_age("F", date(1971, 12, 8), day)  # 54
    assert not member_working_age("F", date(1971, 12, 7), day)


def test_a_post_is_held_within_its_period():
    assert post_held(date(2026, 1, 1), None, date(2026, 1, 1))
    assert not post_held(date(2026, 1, 2), None, date(2026, 1, 1))
    assert post_held(date(2026, 1, 1), date(2028, 12, 31), date(2028, 12, 31))
    assert not post_held(date(2026, 1, 1), date(2028, 12, 31), date(2029, 1, 1))
