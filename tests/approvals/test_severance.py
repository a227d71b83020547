"""Severance (劳动合同法 Art 47, 实施条例 Art 27) and internal-retirement cost (domain-research.md §D, §E).

Pure rules: no application, no database.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from approvals.rules.content import FUNDING_ITEMS
from approvals.rules.funding import funding_status
from approvals.rules.severance import (
    ART47_WHOLE,
    DEFAULT_EMPLOYER_RATES,
    DEFAULT_METHOD,
    SEGMENTED,
    TERMINATION_GROUNDS,
    ContributionRates,
    FundingRequirement,
    WageParameters,
    internal_retirement_cost,
    medical_subsidy,
    required_funding,
    segmented_severance,
    service_months,
    service_span,
    severance,
    severance_years,
    years_begun,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
PROPERTY = settings(max_examples=300, deadline=None, database=None)
# Illustrative figures for 唐山 (130200), not the published ones.
PARAMS = WageParameters("130200", 2017, Decimal("5000.00"), Decimal("1650.00"))
CAP = 3 * PARAMS.average_monthly_wage  # 15,000.00
HIRE = date(2010, 3, 15)

dates = st.dates(min_value=date(1960, 1, 1), max_value=date(2040, 12, 31))
wages = st.decimals(min_value=0, max_value=60000, places=2, allow_nan=False, allow_infinity=False)


def add_months(start: date, n: int) -> date:
    """The day n months after start; the month's last day when it has no such day (民法典 Art 202)."""
    year, month = divmod(start.month - 1 + n, 12)
    year += start.year
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def months_oracle(start: date, end: date) -> int:
    """The most whole months that fit between start and end, counted one at a time."""
    n = 0
    while add_months(start, n + 1) <= end:
        n += 1
    return n


def ref_after(months: int, days: int = 0) -> date:
    """A reference date that many months (and days) after HIRE."""
    return date.fromordinal(add_months(HIRE, months).toordinal() + days)


# --- service_months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hire", "reference", "months"),
    [
        (date(2010, 3, 15), date(2018, 10, 15), 103),  # 8 years 7 months: the 15th completes the month
        (date(2010, 3, 15), date(2018, 10, 14), 102),  # one day short: the partial month does not count
        (date(2010, 3, 15), date(2010, 3, 15), 0),
        (date(2010, 3, 15), date(2010, 4, 14), 0),
        (date(2010, 3, 15), date(2010, 4, 15), 1),
        (date(2018, 1, 31), date(2018, 2, 27), 0),
        (date(2018, 1, 31), date(2018, 2, 28), 1),  # February has no 31st: its last day completes the month
        (date(2016, 1, 31), date(2016, 2, 28), 0),  # ... but in a leap year the last day is the 29th
        (date(2016, 1, 31), date(2016, 2, 29), 1),
        (date(2018, 1, 31), date(2018, 3, 30), 1),  # March has a 31st: the 30th is not enough
        (date(2018, 1, 31), date(2018, 3, 31), 2),
        (date(2017, 12, 20), date(2018, 1, 20), 1),  # across a year end
        (date(2019, 1, 1), date(2018, 12, 31), 0),  # hired after the reference date
        (date(2030, 1, 1), date(2018, 1, 1), 0),
    ],
)
def test_service_months_counts_whole_months(hire: date, reference: date, months: int) -> None:
    assert service_months(hire, reference) == months


@PROPERTY
@given(dates, dates)
def test_service_months_is_the_most_whole_months_that_fit(hire: date, reference: date) -> None:
    assert service_months(hire, reference) == months_oracle(hire, reference)


# --- severance_years (Art 47 ¶1) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "years"),
    [
        (103, "9"),  # 8 years 7 months: a remainder ≥ 6 counts a full year
        (101, "8.5"),  # 8 years 5 months: a remainder of 1–5 counts half
        (5, "0.5"),
        (6, "1"),  # exactly 6 months: a full year
        (0, "0"),
        (1, "0.5"),
        (11, "1"),
        (12, "1"),
        (96, "8"),  # whole years, no remainder
        (17, "1.5"),
        (18, "2"),
        (240, "20"),
    ],
)
def test_severance_years_follows_article_47(months: int, years: str) -> None:
    assert severance_years(months) == Decimal(years)
    assert isinstance(severance_years(months), Decimal)


@pytest.mark.parametrize(
    ("months", "days", "years"),
    [
        (96, 10, "8.5"),  # 8 years and 10 days: the days are a remainder under six months
        (0, 30, "0.5"),  # 30 days of service
        (0, 1, "0.5"),  # a single day
        (5, 30, "0.5"),  # 5 months and days: still under six months
        (6, 1, "1"),  # six months and a day: a full year
        (101, 3, "8.5"),
        (103, 29, "9"),
        (96, 0, "8"),
        (0, 0, "0"),
    ],
)
def test_art_47_days_under_six_months_pay_half_a_month(months: int, days: int, years: str) -> None:
    """劳动合同法 Art 47 ¶1: "不满六个月的，向劳动者支付半个月工资" — a remainder of days only is under six months."""
    assert severance_years(months, days) == Decimal(years)


def test_severance_years_rejects_negative_days() -> None:
    with pytest.raises(ValueError, match="工作天数（days）"):
        severance_years(12, -1)


@pytest.mark.parametrize(
    ("hire", "reference", "span"),
    [
        (date(2010, 3, 15), date(2018, 3, 25), (96, 10)),  # 8 years and 10 days
        (date(2010, 3, 15), date(2010, 4, 14), (0, 30)),
        (date(2010, 3, 15), date(2010, 4, 15), (1, 0)),
        (date(2010, 3, 15), date(2010, 3, 15), (0, 0)),
        (date(2018, 1, 31), date(2018, 3, 30), (1, 30)),  # a month to 28 Feb, then 30 days
        (date(2016, 2, 29), date(2017, 3, 1), (12, 1)),  # a year to 28 Feb 2017, then a day
        (date(2019, 1, 1), date(2018, 12, 31), (0, 0)),  # hired after the reference date
    ],
)
def test_service_span_counts_the_days_after_the_whole_months(hire: date, reference: date, span: tuple) -> None:
    assert service_span(hire, reference) == span


@PROPERTY
@given(dates, dates)
def test_service_span_adds_up_to_the_reference_date(hire: date, reference: date) -> None:
    months, days = service_span(hire, reference)
    if hire >= reference:
        assert (months, days) == (0, 0)
        return
    assert months == months_oracle(hire, reference)
    assert add_months(hire, months).toordinal() + days == reference.toordinal()
    assert 0 <= days < 31
    assert add_months(hire, months + 1) > reference


def test_severance_years_rejects_negative_months() -> None:
    with pytest.raises(ValueError, match="工作月数"):
        severance_years(-1)


@PROPERTY
@given(st.integers(min_value=0, max_value=1200), st.integers(min_value=0, max_value=30))
def test_years_are_full_years_plus_the_remainder_rule(months: int, days: int) -> None:
    """Art 47 ¶1: nothing for no remainder, half for one under six months (days too), one from six months."""
    full, remainder = divmod(months, 12)
    extra = severance_years(months, days) - full
    assert extra in {Decimal(0), Decimal("0.5"), Decimal(1)}
    assert (extra == 0) == (remainder == 0 and days == 0)
    assert (extra == Decimal("0.5")) == (remainder <= 5 and (remainder > 0 or days > 0))
    assert (extra == 1) == (remainder >= 6)


# --- severance: the worked examples -------------------------------------------------------------


def test_eight_years_seven_months_pays_nine_months() -> None:
    result = severance(HIRE, date(2018, 10, 15), Decimal("4500.00"), PARAMS)
    assert result.months == 103
    assert result.years == Decimal(9)
    assert result.wage_base == Decimal("4500.00")
    assert not result.capped
    assert not result.floor_applied
    assert result.amount == Decimal("40500.00")
    assert result.explanation == "工作年限8年7个月，按9个月工资计算；月工资基数4,500.00元；经济补偿40,500.00元"


def test_eight_years_five_months_pays_eight_and_a_half_months() -> None:
    result = severance(HIRE, date(2018, 8, 15), Decimal("4500.00"), PARAMS)
    assert (result.months, result.years, result.amount) == (101, Decimal("8.5"), Decimal("38250.00"))
    assert result.explanation == "工作年限8年5个月，按8.5个月工资计算；月工资基数4,500.00元；经济补偿38,250.00元"


@pytest.mark.parametrize(
    ("reference", "years", "amount", "explanation"),
    [
        (
            date(2010, 8, 15),
            "0.5",
            "2250.00",
            "工作年限5个月，按0.5个月工资计算；月工资基数4,500.00元；经济补偿2,250.00元",
        ),
        (date(2010, 9, 15), "1", "4500.00", "工作年限6个月，按1个月工资计算；月工资基数4,500.00元；经济补偿4,500.00元"),
        # 30 days of service: a remainder under six months, however short, pays half a month (Art 47 ¶1).
        (
            date(2010, 4, 14),
            "0.5",
            "2250.00",
            "工作年限30天，按0.5个月工资计算；月工资基数4,500.00元；经济补偿2,250.00元",
        ),
        (date(2010, 3, 15), "0", "0.00", "工作年限0个月，按0个月工资计算；月工资基数4,500.00元；经济补偿0.00元"),
        (date(2018, 3, 15), "8", "36000.00", "工作年限8年，按8个月工资计算；月工资基数4,500.00元；经济补偿36,000.00元"),
    ],
)
def test_short_and_whole_year_service(reference: date, years: str, amount: str, explanation: str) -> None:
    """劳动合同法 Art 47 ¶1 on short service and on whole years."""
    result = severance(HIRE, reference, Decimal("4500.00"), PARAMS)
    assert result.years == Decimal(years)
    assert result.amount == Decimal(amount)
    assert result.explanation == explanation


def test_hired_after_the_reference_date_is_owed_nothing() -> None:
    result = severance(date(2019, 1, 1), date(2018, 12, 31), Decimal("4500.00"), PARAMS)
    assert (result.months, result.years, result.amount) == (0, Decimal(0), Decimal("0.00"))


def test_eight_years_and_ten_days_pays_eight_and_a_half_months() -> None:
    """劳动合同法 Art 47 ¶1: the 10 days past 8 years are a remainder under six months — half a month."""
    result = severance(HIRE, date(2018, 3, 25), Decimal("4500.00"), PARAMS)
    assert (result.months, result.days, result.years, result.amount) == (96, 10, Decimal("8.5"), Decimal("38250.00"))
    assert result.explanation == "工作年限8年10天，按8.5个月工资计算；月工资基数4,500.00元；经济补偿38,250.00元"


def test_eight_years_five_months_and_days_still_pays_eight_and_a_half_months() -> None:
    """Art 47 ¶1: 8 years 5 months 20 days is under 8 years 6 months: half a month, not a full one."""
    result = severance(HIRE, date(2018, 9, 4), Decimal("4500.00"), PARAMS)
    assert (result.months, result.days, result.years) == (101, 20, Decimal("8.5"))
    assert result.explanation.startswith("工作年限8年5个月20天，按8.5个月工资计算")


# --- Art 47 ¶1 over every service length: properties ----------------------------------------------

hires = st.dates(min_value=date(1970, 1, 1), max_value=date(2030, 12, 31))
whole_years = st.integers(min_value=0, max_value=45)
BELOW_CAP = Decimal("4500.00")  # no 3× cap, so the months owed are Art 47 ¶1 alone


def months_owed(hire: date, reference: date) -> Decimal:
    return severance(hire, reference, BELOW_CAP, PARAMS).years


@PROPERTY
@given(hires, st.integers(min_value=0, max_value=45 * 366))
def test_art_47_months_owed_are_a_multiple_of_half_a_month(hire: date, days: int) -> None:
    """劳动合同法 Art 47 ¶1 pays whole and half months only."""
    owed = months_owed(hire, hire + timedelta(days=days))
    assert (owed * 2) % 1 == 0
    assert owed >= 0


@PROPERTY
@given(hires, st.integers(min_value=0, max_value=45 * 366), st.integers(min_value=0, max_value=45 * 366))
def test_art_47_months_owed_never_fall_as_service_grows(hire: date, a: int, b: int) -> None:
    """劳动合同法 Art 47 ¶1: longer service at the same employer never pays fewer months."""
    shorter, longer = sorted((a, b))
    assert months_owed(hire, hire + timedelta(days=shorter)) <= months_owed(hire, hire + timedelta(days=longer))


@PROPERTY
@given(hires, whole_years, st.data())
def test_art_47_service_strictly_between_n_years_and_n_years_six_months_pays_n_and_a_half(
    hire: date, n: int, data: st.DataObject
) -> None:
    """劳动合同法 Art 47 ¶1: any remainder above zero and under six months — days included — pays half a month."""
    start, six_months = add_months(hire, 12 * n), add_months(hire, 12 * n + 6)
    reference = data.draw(st.dates(min_value=start + timedelta(days=1), max_value=six_months - timedelta(days=1)))
    assert months_owed(hire, reference) == n + Decimal("0.5")


@PROPERTY
@given(hires, whole_years, st.data())
def test_art_47_service_from_n_years_six_months_to_n_plus_one_years_pays_n_plus_one(
    hire: date, n: int, data: st.DataObject
) -> None:
    """劳动合同法 Art 47 ¶1: "六个月以上不满一年的，按一年计算" — from n years 6 months up to n + 1 years."""
    reference = data.draw(st.dates(min_value=add_months(hire, 12 * n + 6), max_value=add_months(hire, 12 * n + 12)))
    assert months_owed(hire, reference) == n + 1


@PROPERTY
@given(hires, whole_years)
def test_art_47_exactly_n_years_pays_n(hire: date, n: int) -> None:
    """劳动合同法 Art 47 ¶1: "每满一年支付一个月工资" — no remainder, nothing more."""
    assert months_owed(hire, add_months(hire, 12 * n)) == n


# --- the minimum-wage floor (实施条例 Art 27) ------------------------------------------------------


def test_a_wage_below_the_minimum_is_raised_to_it() -> None:
    result = severance(HIRE, date(2018, 10, 15), Decimal("1200.00"), PARAMS)
    assert result.floor_applied
    assert not result.capped
    assert result.wage_base == Decimal("1650.00")
    assert result.amount == Decimal("14850.00")  # 9 × 1,650
    assert "按最低工资1,650.00元计算" in result.explanation
    assert result.explanation.endswith("经济补偿14,850.00元")


def test_a_zero_wage_is_raised_to_the_minimum() -> None:
    result = severance(HIRE, date(2018, 10, 15), Decimal(0), PARAMS)
    assert result.floor_applied
    assert result.amount == Decimal("14850.00")


def test_a_wage_at_the_minimum_is_not_floored() -> None:
    result = severance(HIRE, date(2018, 10, 15), Decimal("1650.00"), PARAMS)
    assert not result.floor_applied
    assert result.amount == Decimal("14850.00")
    assert "最低工资" not in result.explanation


# --- the cap at 3× the local average (Art 47 ¶2) -------------------------------------------------


def test_twenty_years_at_five_times_the_average_pays_twelve_times_three_times_the_average() -> None:
    result = severance(date(1998, 10, 15), date(2018, 10, 15), 5 * PARAMS.average_monthly_wage, PARAMS)
    assert result.months == 240
    assert result.capped
    assert result.wage_base == CAP
    assert result.years == Decimal(12)
    assert result.amount == 12 * CAP == Decimal("180000.00")
    assert result.explanation == (
        "工作年限20年，按12个月工资计算；月工资基数15,000.00元"
        "（月工资高于上年度职工月平均工资5,000.00元的3倍，按3倍计算，支付年限最高不超过12年）"
        "；经济补偿180,000.00元"
    )


def test_capped_wage_with_short_service_keeps_its_years() -> None:
    result = severance(HIRE, date(2015, 3, 15), Decimal("25000.00"), PARAMS)
    assert result.capped
    assert result.years == Decimal(5)
    assert result.amount == Decimal("75000.00")  # 5 × 15,000: the base is capped, the years are not
    assert "12年" not in result.explanation


def test_twelve_and_a_half_years_capped_pays_twelve() -> None:
    result = severance(HIRE, ref_after(12 * 12 + 3), Decimal("20000.00"), PARAMS)
    assert severance_years(result.months) == Decimal("12.5")
    assert result.years == Decimal(12)
    assert result.amount == Decimal("180000.00")


def test_a_wage_of_exactly_three_times_the_average_is_not_capped() -> None:
    result = severance(date(1998, 10, 15), date(2018, 10, 15), CAP, PARAMS)
    assert not result.capped
    assert result.years == Decimal(20)  # no 12-year limit
    assert result.wage_base == CAP
    assert result.amount == Decimal("300000.00")
    assert "3倍" not in result.explanation


def test_one_fen_above_three_times_the_average_is_capped() -> None:
    """The statute's cliff: one fen more in wage cuts 20 years' pay to 12 (judgement: applied as written)."""
    result = severance(date(1998, 10, 15), date(2018, 10, 15), CAP + Decimal("0.01"), PARAMS)
    assert result.capped
    assert result.wage_base == CAP
    assert result.amount == Decimal("180000.00")


def test_the_minimum_floor_is_applied_before_the_cap() -> None:
    odd = WageParameters("000000", 2017, Decimal("500.00"), Decimal("1650.00"))  # minimum above 3× average
    result = severance(HIRE, date(2018, 10, 15), Decimal("1000.00"), odd)
    assert result.floor_applied
    assert result.capped
    assert result.wage_base == Decimal("1500.00")


# --- rounding ------------------------------------------------------------------------------------


def test_amount_rounds_half_up_to_the_fen() -> None:
    result = severance(HIRE, date(2010, 8, 15), Decimal("4523.33"), PARAMS)
    assert result.years == Decimal("0.5")
    assert result.amount == Decimal("2261.67")  # 2,261.665: half up, not half even (2,261.66)
    assert result.explanation.endswith("经济补偿2,261.67元")


def test_an_unrounded_average_wage_is_kept_exact_until_the_amount() -> None:
    wage = Decimal(54280) / 12  # a 12-month average: 4,523.3333…
    result = severance(HIRE, date(2018, 8, 15), wage, PARAMS)
    assert result.wage_base == wage
    assert result.amount == Decimal("38448.33")  # 8.5 × 4,523.3333… = 38,448.333…
    assert "月工资基数4,523.33元" in result.explanation


# --- invalid input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wage", [Decimal("-0.01"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), 4500.0, "4500"]
)
def test_an_invalid_wage_is_rejected_naming_the_field(wage: object) -> None:
    with pytest.raises(ValueError, match="月工资（monthly_wage）") as raised:
        severance(HIRE, date(2018, 10, 15), wage, PARAMS)  # type: ignore[arg-type]
    assert CJK.search(str(raised.value))


@pytest.mark.parametrize(
    ("average", "minimum", "field"),
    [
        (Decimal(0), Decimal("1650"), "average_monthly_wage"),
        (Decimal(-5000), Decimal("1650"), "average_monthly_wage"),
        (Decimal("NaN"), Decimal("1650"), "average_monthly_wage"),
        (Decimal(5000), Decimal(-1), "minimum_monthly_wage"),
        (Decimal(5000), Decimal("NaN"), "minimum_monthly_wage"),
    ],
)
def test_invalid_wage_parameters_are_rejected(average: Decimal, minimum: Decimal, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        WageParameters("130200", 2017, average, minimum)


def test_wage_parameters_are_frozen() -> None:
    with pytest.raises(AttributeError):
        PARAMS.average_monthly_wage = Decimal(1)  # type: ignore[misc]


# --- severance properties ------------------------------------------------------------------------


@PROPERTY
@given(dates, dates, dates, wages)
def test_severance_never_falls_as_service_lengthens(hire: date, a: date, b: date, wage: Decimal) -> None:
    earlier, later = sorted((a, b))
    assert severance(hire, earlier, wage, PARAMS).amount <= severance(hire, later, wage, PARAMS).amount


@PROPERTY
@given(st.integers(min_value=0, max_value=600), wages, wages)
def test_severance_never_falls_as_the_wage_rises_on_either_side_of_the_cap(months: int, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assume(months <= 144 or (high <= CAP) or (low > CAP))  # crossing the cap past 12 years is the cliff
    reference = ref_after(months)
    assert severance(HIRE, reference, low, PARAMS).amount <= severance(HIRE, reference, high, PARAMS).amount


@PROPERTY
@given(dates, dates, wages)
def test_amount_is_years_times_base_within_the_limits(hire: date, reference: date, wage: Decimal) -> None:
    result = severance(hire, reference, wage, PARAMS)
    assert result.amount == (result.years * result.wage_base).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert result.amount <= result.years * result.wage_base + Decimal("0.005")
    assert result.wage_base <= CAP
    assert result.wage_base >= min(PARAMS.minimum_monthly_wage, CAP)
    assert result.capped == (max(wage, PARAMS.minimum_monthly_wage) > CAP)
    assert result.floor_applied == (wage < PARAMS.minimum_monthly_wage)
    if result.capped:
        assert result.years <= 12
        assert result.amount <= 12 * CAP
    else:
        assert result.years == severance_years(result.months, result.days)
    assert result.explanation.endswith(f"经济补偿{result.amount:,}元")


# --- internal retirement (§D.2) ------------------------------------------------------------------


def test_internal_retirement_cost_with_the_default_employer_rates() -> None:
    cost = internal_retirement_cost(date(2018, 8, 31), date(2021, 2, 28), Decimal("2000.00"), Decimal("4000.00"))
    assert cost.months == 30  # 31 Aug → 28 Feb completes the month: February has no 31st
    assert cost.allowance_total == Decimal("60000.00")
    assert cost.contributions_total == Decimal("26400.00")  # 30 × 4,000 × (16% + 6%)
    assert cost.total == Decimal("86400.00")


@pytest.mark.parametrize(
    ("reference", "retirement", "months"),
    [
        (date(2018, 8, 31), date(2021, 2, 27), 29),
        (date(2018, 8, 31), date(2023, 8, 31), 60),
        (date(2018, 8, 31), date(2023, 8, 30), 59),
        (date(2018, 8, 1), date(2023, 8, 1), 60),
        (date(2018, 8, 31), date(2020, 2, 29), 18),  # leap-year February end
        (date(2018, 8, 31), date(2018, 8, 31), 0),
        (date(2018, 8, 31), date(2018, 1, 1), 0),  # retirement already past
    ],
)
def test_internal_retirement_months_across_month_ends(reference: date, retirement: date, months: int) -> None:
    cost = internal_retirement_cost(reference, retirement, Decimal("2000.00"), Decimal("4000.00"))
    assert cost.months == months
    assert cost.allowance_total == 2000 * months
    assert cost.total == Decimal(2880) * months


def test_past_retirement_costs_nothing() -> None:
    cost = internal_retirement_cost(date(2018, 8, 31), date(2017, 12, 1), Decimal("2000.00"), Decimal("4000.00"))
    assert (cost.allowance_total, cost.contributions_total, cost.total) == (Decimal(0), Decimal(0), Decimal(0))


def test_internal_retirement_uses_the_given_rates_including_other() -> None:
    rates = ContributionRates(pension=Decimal("0.20"), medical=Decimal("0.08"), other=Decimal("0.01"))
    cost = internal_retirement_cost(date(2018, 1, 1), date(2019, 1, 1), Decimal("1800.00"), Decimal("3000.00"), rates)
    assert cost.contributions_total == Decimal("10440.00")  # 12 × 3,000 × 29%
    assert cost.total == Decimal("32040.00")  # + 12 × 1,800


def test_monthly_contributions_are_rounded_to_the_fen_before_multiplying() -> None:
    cost = internal_retirement_cost(date(2018, 1, 1), date(2019, 1, 1), Decimal(0), Decimal("3333.33"))
    assert cost.contributions_total == Decimal("8799.96")  # 12 × 733.33, not 12 × 733.3326 = 8,799.99


def test_default_employer_rates_are_the_documented_ones() -> None:
    assert DEFAULT_EMPLOYER_RATES.pension == Decimal("0.16")
    assert DEFAULT_EMPLOYER_RATES.medical == Decimal("0.06")
    assert DEFAULT_EMPLOYER_RATES.other == 0
    assert DEFAULT_EMPLOYER_RATES.total == Decimal("0.22")


@pytest.mark.parametrize(
    ("allowance", "base", "field"),
    [
        (Decimal(-1), Decimal(4000), "living_allowance"),
        (Decimal("NaN"), Decimal(4000), "living_allowance"),
        (Decimal(2000), Decimal(-1), "contribution_base"),
        (Decimal(2000), Decimal("Infinity"), "contribution_base"),
    ],
)
def test_invalid_internal_retirement_amounts_are_rejected(allowance: Decimal, base: Decimal, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        internal_retirement_cost(date(2018, 1, 1), date(2020, 1, 1), allowance, base)


def test_negative_rates_are_rejected() -> None:
    with pytest.raises(ValueError, match="medical"):
        ContributionRates(pension=Decimal("0.16"), medical=Decimal("-0.01"))


# --- required funding (domain.md §3.1) -----------------------------------------------------------


def test_required_funding_is_keyed_like_the_plan() -> None:
    required = required_funding(Decimal(100), Decimal(200), Decimal(30), Decimal(4), Decimal(5))
    assert list(required) == list(FUNDING_ITEMS)
    assert required == {
        "severance": Decimal(100),
        "internal_retirement": Decimal(200),
        "arrears": Decimal(30),
        "social_insurance": Decimal(0),
        "training": Decimal(4),
        "other": Decimal(5),
    }


def test_required_funding_takes_social_insurance() -> None:
    required = required_funding(Decimal(1), Decimal(2), Decimal(3), Decimal(4), Decimal(5), social_insurance=Decimal(6))
    assert required["social_insurance"] == Decimal(6)
    assert FundingRequirement(**required).total == Decimal(21)


def test_required_funding_reads_back_through_the_plan_funding_rule() -> None:
    sev = severance(HIRE, date(2018, 10, 15), Decimal("4500.00"), PARAMS).amount
    neitui = internal_retirement_cost(date(2018, 8, 31), date(2021, 2, 28), Decimal("2000"), Decimal("4000")).total
    required = required_funding(sev, neitui, Decimal("1234.56"), Decimal(5000), Decimal(0))
    assert funding_status({"required": required, "sources": []}).required == Decimal("133134.56")


def test_negative_funding_items_are_rejected_naming_the_item() -> None:
    with pytest.raises(ValueError, match="拖欠工资及社会保险费（arrears）"):
        required_funding(Decimal(1), Decimal(2), Decimal(-3), Decimal(4), Decimal(5))


# --- pre-2008 service: 劳动合同法 Art 97 ¶3 and 劳部发〔1994〕481号 (domain-research.md §E.4) -----------------

REFERENCE = date(2018, 7, 31)
grounds = st.sampled_from(sorted(TERMINATION_GROUNDS))


@pytest.mark.parametrize(
    ("hire", "end", "years"),
    [
        (date(2000, 1, 1), date(2008, 1, 1), 8),  # exactly eight years
        (date(2000, 1, 2), date(2008, 1, 1), 8),  # seven years and a part year
        (date(1999, 12, 31), date(2008, 1, 1), 9),  # eight years and a day: the day counts as a year
        (date(2007, 12, 31), date(2008, 1, 1), 1),
        (date(2007, 6, 30), date(2008, 1, 1), 1),
        (date(2008, 1, 1), date(2008, 1, 1), 0),
        (date(2009, 1, 1), date(2008, 1, 1), 0),
        (date(2004, 2, 29), date(2008, 1, 1), 4),  # 3 years 10 months
    ],
)
def test_years_begun_count_a_part_year_as_a_whole_one(hire, end, years):
    assert years_begun(hire, end) == years


def test_long_service_is_split_at_2008_and_481_caps_the_earlier_years_for_mutual_agreement():
    result = segmented_severance(date(1995, 3, 15), REFERENCE, Decimal("4500.00"), PARAMS, "mutual_agreement")
    assert result.pre_reform is not None
    # 1995-03-15 to 2008-01-01: 12 years 9 months begun = 13, capped at 12 by 481号 Art 5.
    assert (result.pre_reform.years, result.pre_reform.years_capped) == (12, True)
    assert result.pre_reform.amount == Decimal("54000.00")
    # 2008-01-01 to 2018-07-31: 10 years 6 months = 11 months of wages under Art 47.
    assert (result.art47.months, result.art47.years, result.art47.amount) == (126, Decimal(11), Decimal("49500.00"))
    assert result.amount == Decimal("103500.00")
    assert result.explanation == (
        "2008年1月1日前工作年限按12年计算（不满一年的按一年计算，协商一致解除劳动合同（劳动合同法第三十六条）最多不超过12年），"
        "依照劳部发〔1994〕481号第五条，月工资基数4,500.00元，计54,000.00元；"
        "2008年1月1日起工作年限10年6个月30天，按11个月工资计算；月工资基数4,500.00元；经济补偿49,500.00元；"
        "合计经济补偿103,500.00元"
    )


@pytest.mark.parametrize(
    ("ground", "pre_years"),
    [
        ("mutual_agreement", 12),
        ("incompetence", 12),
        ("illness", 13),
        ("objective_change", 13),
        ("economic_layoff", 13),
        ("bankruptcy", 13),
        ("closure", 13),
    ],
)
def test_only_articles_5_and_7_of_481_cap_the_earlier_years(ground, pre_years):
    result = segmented_severance(date(1995, 3, 15), REFERENCE, Decimal("4500.00"), PARAMS, ground)
    assert result.pre_reform is not None
    assert result.pre_reform.years == pre_years
    assert result.amount == pre_years * Decimal("4500.00") + Decimal("49500.00")


def test_the_3x_wage_cap_binds_only_the_years_from_2008():
    result = segmented_severance(date(1990, 1, 1), date(2024, 1, 1), Decimal("20000.00"), PARAMS, "economic_layoff")
    assert result.pre_reform is not None
    assert result.pre_reform.wage_base == Decimal("20000.00")  # 481号 knew no 3× cap
    assert result.pre_reform.years == 18
    assert (result.art47.capped, result.art47.wage_base) == (True, CAP)
    assert result.art47.years == 12  # 16 years from 2008, capped at 12 because the wage is
    assert result.amount == 18 * Decimal("20000.00") + 12 * CAP


def test_the_enterprise_average_wage_is_a_floor_for_articles_6_8_and_9_only():
    low, average = Decimal("3000.00"), Decimal("5200.00")
    layoff = segmented_severance(date(2005, 7, 1), REFERENCE, low, PARAMS, "economic_layoff", average)
    agreed = segmented_severance(date(2005, 7, 1), REFERENCE, low, PARAMS, "mutual_agreement", average)
    assert layoff.pre_reform
    assert agreed.pre_reform
    assert (layoff.pre_reform.wage_base, layoff.pre_reform.floor) == (average, "enterprise_average")
    assert (agreed.pre_reform.wage_base, agreed.pre_reform.floor) == (low, "")
    assert layoff.art47.wage_base == agreed.art47.wage_base == low  # Art 47 has no such floor
    assert "低于本企业月平均工资，按企业月平均工资计算" in layoff.explanation


def test_the_minimum_wage_is_a_floor_of_both_segments():
    result = segmented_severance(date(2005, 7, 1), REFERENCE, Decimal("1200.00"), PARAMS)
    assert result.pre_reform is not None
    assert (result.pre_reform.wage_base, result.pre_reform.floor) == (PARAMS.minimum_monthly_wage, "minimum")
    assert result.art47.wage_base == PARAMS.minimum_monthly_wage


def test_a_worker_hired_from_2008_has_no_earlier_segment():
    hired = date(2008, 1, 1)
    result = segmented_severance(hired, REFERENCE, Decimal("4500.00"), PARAMS, "economic_layoff")
    assert result.pre_reform is None
    assert result.art47 == severance(hired, REFERENCE, Decimal("4500.00"), PARAMS)
    assert result.explanation == result.art47.explanation


def test_a_day_before_2008_is_a_year_under_481():
    result = segmented_severance(date(2007, 12, 31), REFERENCE, Decimal("4500.00"), PARAMS)
    assert result.pre_reform is not None
    assert result.pre_reform.years == 1
    assert (
        result.amount == Decimal("4500.00") + severance(date(2008, 1, 1), REFERENCE, Decimal("4500.00"), PARAMS).amount
    )


def test_an_unknown_ground_is_refused():
    with pytest.raises(ValueError, match="termination_ground"):
        segmented_severance(date(2000, 1, 1), REFERENCE, Decimal("4500.00"), PARAMS, "dismissal")


@PROPERTY
@given(early=dates, late=dates, reference=dates, wage=wages, ground=grounds)
def test_property_segmented_severance_is_monotone_in_service_length(early, late, reference, wage, ground):
    if early > late:
        early, late = late, early
    longer = segmented_severance(early, reference, wage, PARAMS, ground, Decimal("5200.00"))
    shorter = segmented_severance(late, reference, wage, PARAMS, ground, Decimal("5200.00"))
    assert longer.amount >= shorter.amount


@PROPERTY
@given(hire=st.dates(min_value=date(2008, 1, 1), max_value=date(2040, 12, 31)), reference=dates, wage=wages,
       ground=grounds)  # fmt: skip
def test_property_a_worker_hired_from_2008_gets_exactly_art_47(hire, reference, wage, ground):
    result = segmented_severance(hire, reference, wage, PARAMS, ground)
    assert result.pre_reform is None
    assert result.amount == severance(hire, reference, wage, PARAMS).amount


@PROPERTY
@given(hire=dates, reference=dates, wage=wages, ground=grounds)
def test_property_segmented_severance_respects_every_cap(hire, reference, wage, ground):
    result = segmented_severance(hire, reference, wage, PARAMS, ground)
    rule = TERMINATION_GROUNDS[ground]
    pre = result.pre_reform
    pre_amount = Decimal(0)
    if pre is not None:
        begun = years_begun(hire, min(reference, date(2008, 1, 1)))
        assert pre.years == (min(begun, rule.years_cap) if rule.years_cap else begun)
        assert pre.years_capped == (rule.years_cap is not None and begun > rule.years_cap)
        assert pre.wage_base == max(wage, PARAMS.minimum_monthly_wage)  # no 3× cap before 2008
        pre_amount = pre.amount
        assert pre_amount == (pre.years * pre.wage_base).quantize(Decimal("0.01"))
    assert result.art47.wage_base <= CAP
    if result.art47.capped:
        assert result.art47.years <= 12
    assert result.amount == pre_amount + result.art47.amount


def test_days_after_2008_count_half_a_month_in_the_art_47_segment():
    """劳动合同法 Art 97 ¶3 splits at 2008-01-01; the later segment follows Art 47 ¶1, its days included."""
    result = segmented_severance(date(2000, 5, 1), date(2018, 1, 11), Decimal("4500.00"), PARAMS, "economic_layoff")
    assert result.pre_reform is not None
    assert result.pre_reform.years == 8  # 7 years 8 months begun before 2008: 481号 counts the part year whole
    assert (result.art47.months, result.art47.days, result.art47.years) == (120, 10, Decimal("10.5"))
    assert result.amount == 8 * Decimal("4500.00") + Decimal("10.5") * Decimal("4500.00")


def test_a_day_before_2008_and_days_after_it_pay_a_year_and_half_a_month():
    """481号 Art 5 counts the day before 2008 as a year; Art 47 ¶1 pays the 9 days from 2008 half a month."""
    result = segmented_severance(date(2007, 12, 31), date(2008, 1, 10), Decimal("4500.00"), PARAMS)
    assert result.pre_reform is not None
    assert result.pre_reform.years == 1
    assert (result.art47.days, result.art47.years) == (9, Decimal("0.5"))
    assert result.amount == Decimal("6750.00")


@pytest.mark.parametrize(
    ("reference", "years", "years_capped"),
    [
        (date(2020, 1, 11), Decimal(12), True),  # 12 years 10 days: 12.5, capped at 12
        (date(2019, 1, 11), Decimal("11.5"), False),  # 11 years 10 days: under the cap
    ],
)
def test_the_12_year_cap_still_binds_a_capped_wage_with_days(reference, years, years_capped):
    """劳动合同法 Art 47 ¶2: above 3× the local average, at most 12 years, whatever the days add."""
    result = severance(date(2008, 1, 1), reference, Decimal("20000.00"), PARAMS)
    assert result.capped
    assert (result.years, result.years_capped) == (years, years_capped)
    assert result.amount == years * CAP


@pytest.mark.parametrize(("ground", "article"), [("bankruptcy", "第九条"), ("closure", "第八条")])
def test_article_44_ends_owe_severance_and_take_the_nearest_481_article(ground, article):
    """劳动合同法第四十六条第六项: severance is owed for an end under 第四十四条第四项 (破产) and 第五项 (吊销、关闭、
    撤销、解散). Before 2008 481号 had no article of its own: bankruptcy as a layoff (劳动法第二十七条, 481号第九条),
    closure as changed circumstances (劳动法第二十六条第三项, 481号第八条) — uncapped, at least the enterprise average."""
    rule = TERMINATION_GROUNDS[ground]
    assert "第四十四条" in rule.label
    assert rule.by_analogy
    assert not rule.art42_bars
    assert rule.years_cap is None
    result = segmented_severance(date(1995, 3, 15), REFERENCE, Decimal("3000.00"), PARAMS, ground, Decimal("5200.00"))
    assert result.pre_reform is not None
    assert (result.pre_reform.years, result.pre_reform.wage_base) == (13, Decimal("5200.00"))
    assert f"参照劳部发〔1994〕481号{article}" in result.explanation
    assert result.medical is None
    assert result.total == result.amount


def test_article_42_bars_only_the_grounds_of_articles_40_and_41():
    """劳动合同法第四十二条: "不得依照本法第四十条、第四十一条的规定解除劳动合同"."""
    barred = {key for key, ground in TERMINATION_GROUNDS.items() if ground.art42_bars}
    assert barred == {"incompetence", "illness", "objective_change", "economic_layoff"}
    assert all(("第四十条" in g.label or "第四十一条" in g.label) == g.art42_bars for g in TERMINATION_GROUNDS.values())


@pytest.mark.parametrize(("severity", "months"), [(None, Decimal(6)), ("ordinary", Decimal(6)),
                                                  ("serious", Decimal(9)), ("terminal", Decimal(12))])  # fmt: skip
def test_the_medical_subsidy_is_six_months_more_for_serious_and_terminal_illness(severity, months):
    """劳部发〔1994〕481号第六条: 不低于六个月工资的医疗补助费；患重病的增加部分不低于百分之五十，患绝症的不低于百分之百."""
    subsidy = medical_subsidy(Decimal("4000.00"), severity)
    assert subsidy.amount == months * Decimal("4000.00")
    assert "劳部发〔1994〕481号第六条" in subsidy.explanation
    with pytest.raises(ValueError, match="illness_severity"):
        medical_subsidy(Decimal("4000.00"), "mild")


def test_the_illness_ground_adds_the_medical_subsidy_on_the_481_base():
    """劳部发〔1994〕481号第六条 and 第十一条: the subsidy on the illness ground, its base at least the enterprise average."""
    result = segmented_severance(date(2012, 1, 1), REFERENCE, Decimal("3000.00"), PARAMS, "illness",
                                 Decimal("5200.00"), illness_severity="serious")  # fmt: skip
    assert result.medical is not None
    assert (result.medical.wage_base, result.medical.amount) == (Decimal("5200.00"), Decimal("46800.00"))
    assert result.amount == result.art47.amount  # the compensation itself is unchanged
    assert result.total == result.amount + Decimal("46800.00")
    assert result.explanation.endswith(
        "另发医疗补助费按6个月工资（月工资基数5,200.00元，重病增加50%）计46,800.00元（劳部发〔1994〕481号第六条）"
    )
    for ground in set(TERMINATION_GROUNDS) - {"illness"}:
        assert segmented_severance(date(2012, 1, 1), REFERENCE, Decimal("3000.00"), PARAMS, ground).medical is None


def test_the_plan_may_count_the_whole_service_under_article_47():
    """劳动合同法第九十七条第三款 (segmented, the default) or, where local practice does so, 第四十七条 over the
    whole service: its 3× wage cap and 12-year cap then bind all the years, and 481号's caps none."""
    assert DEFAULT_METHOD == SEGMENTED
    hire, wage = date(1990, 1, 1), Decimal("20000.00")
    whole = segmented_severance(hire, date(2024, 1, 1), wage, PARAMS, "economic_layoff", method=ART47_WHOLE)
    assert whole.pre_reform is None
    assert whole.art47 == severance(hire, date(2024, 1, 1), wage, PARAMS)
    assert (whole.art47.years, whole.art47.wage_base, whole.amount) == (Decimal(12), CAP, 12 * CAP)
    assert whole.explanation.startswith("全部工作年限按劳动合同法第四十七条统一计算：")
    split = segmented_severance(hire, date(2024, 1, 1), wage, PARAMS, "economic_layoff")
    assert split.amount == 18 * wage + 12 * CAP != whole.amount
    agreed = segmented_severance(date(1995, 3, 15), REFERENCE, Decimal("4500.00"), PARAMS, method=ART47_WHOLE)
    # 23 years 4 months 16 days: 23.5 months' wages, without 481号's 12-year cap (segmented: 12 + 11 months)
    assert agreed.amount == Decimal("23.5") * Decimal("4500.00")
    with pytest.raises(ValueError, match="pre2008_method"):
        segmented_severance(hire, REFERENCE, wage, PARAMS, method="local")
