"""Statutory retirement date (1978 ages; 2025 gradual raise) and internal retirement (domain-research.md §D).

Sources: 国务院关于工人退休、退职的暂行办法 (国发〔1978〕104号) Art 1; 全国人大常委会关于实施渐进式延迟法定退休
年龄的决定 (adopted 2024-09-13, in force 2025-01-01) and its 办法 (Art 1 the raise, Art 10 special-type posts).

Pure rules: no application, no database.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.roster.columns import COLUMNS
from approvals.rules.retirement import (
    GRADUAL_RAISE_ADOPTED,
    RETIREMENT_AGES,
    RETIREMENT_CATEGORIES,
    RETIREMENT_RULES,
    add_months,
    choose_birth_date,
    internal_retirement_problems,
    months_until,
    retirement_delay_months,
    statutory_retirement_date,
    worker_category,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
PROPERTY = settings(max_examples=300, deadline=None, database=None)
OLD_PLAN = date(2018, 9, 1)  # a 冀人社发〔2018〕38号 plan
NEW_PLAN = date(2025, 6, 1)
CATEGORIES = sorted(RETIREMENT_CATEGORIES)


def rules(found: list) -> list[tuple[str, str]]:
    return [(f.field, f.rule) for f in found]


def test_categories_with_chinese_labels_and_ages() -> None:
    assert set(RETIREMENT_CATEGORIES) == set(RETIREMENT_AGES)
    assert set(RETIREMENT_RULES) == {"M60", "F55", "F50"}  # only these are raised (办法 Art 1)
    assert all(CJK.search(label) for label in RETIREMENT_CATEGORIES.values())
    # 国发〔1978〕104号 Art 1(一)–(三): normal 60/55/50, special-type posts 55/45, illness 50/45
    assert dict(RETIREMENT_AGES) == {"M60": 60, "F55": 55, "F50": 50, "M_SPECIAL": 55, "F_SPECIAL": 45,
                                     "M_ILLNESS": 50, "F_ILLNESS": 45}  # fmt: skip
    assert "60" in RETIREMENT_CATEGORIES["M60"]
    assert "管理技术岗" in RETIREMENT_CATEGORIES["F55"]
    assert "工人岗" in RETIREMENT_CATEGORIES["F50"]


# --- the published 2025 cases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "category", "delay", "retires"),
    [
        (date(1965, 1, 10), "M60", 1, date(2025, 2, 10)),  # 60 years 1 month
        (date(1976, 9, 10), "M60", 36, date(2039, 9, 10)),  # 63 years
        (date(1984, 11, 10), "F50", 60, date(2039, 11, 10)),  # 55 years
        (date(1981, 9, 10), "F55", 36, date(2039, 9, 10)),  # 58 years
    ],
)
def test_published_cases(birth: date, category: str, delay: int, retires: date) -> None:
    assert retirement_delay_months(birth, category, NEW_PLAN) == delay
    assert statutory_retirement_date(birth, category, NEW_PLAN) == retires


# --- cohort boundaries ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "birth_month", "delay"),
    [
        ("M60", (1964, 12), 0),  # the month before the first delayed cohort
        ("M60", (1965, 1), 1),
        ("M60", (1965, 4), 1),  # the last month of the first 4-month cohort
        ("M60", (1965, 5), 2),
        ("M60", (1976, 8), 35),
        ("M60", (1976, 9), 36),  # the cap is reached ...
        ("M60", (1990, 1), 36),  # ... and held
        ("F55", (1969, 12), 0),
        ("F55", (1970, 1), 1),
        ("F55", (1970, 4), 1),
        ("F55", (1970, 5), 2),
        ("F55", (1981, 8), 35),
        ("F55", (1981, 9), 36),
        ("F55", (1995, 6), 36),
        ("F50", (1974, 12), 0),
        ("F50", (1975, 1), 1),
        ("F50", (1975, 2), 1),  # the last month of the first 2-month cohort
        ("F50", (1975, 3), 2),
        ("F50", (1984, 10), 59),
        ("F50", (1984, 11), 60),
        ("F50", (2000, 1), 60),
    ],
)
def test_cohort_boundaries(category: str, birth_month: tuple[int, int], delay: int) -> None:
    birth = date(*birth_month, 15)
    assert retirement_delay_months(birth, category, NEW_PLAN) == delay
    base = RETIREMENT_AGES[category]
    assert statutory_retirement_date(birth, category, NEW_PLAN) == add_months(birth, base * 12 + delay)


def test_men_born_before_1965_keep_60_under_a_2025_plan() -> None:
    assert statutory_retirement_date(date(1964, 12, 31), "M60", NEW_PLAN) == date(2024, 12, 31)


# --- old ages before the 2025 decision's adoption (2024-09-13) -------------------------------


@pytest.mark.parametrize(
    ("category", "retires"),
    [("M60", date(2030, 6, 15)), ("F55", date(2025, 6, 15)), ("F50", date(2020, 6, 15))],
)
def test_plans_before_the_adoption_use_the_1978_ages(category: str, retires: date) -> None:
    birth = date(1970, 6, 15)
    assert retirement_delay_months(birth, category, OLD_PLAN) == 0
    assert statutory_retirement_date(birth, category, OLD_PLAN) == retires


def test_the_same_worker_under_plans_dated_either_side_of_the_adoption() -> None:
    """全国人大常委会关于实施渐进式延迟法定退休年龄的决定, adopted 2024-09-13: every retirement it moves falls
    after 2025-01-01, so a plan dated from the adoption already decides under it."""
    birth = date(1970, 6, 15)  # man: cohort index 65 → delay 17
    assert date(2024, 9, 13) == GRADUAL_RAISE_ADOPTED
    assert statutory_retirement_date(birth, "M60", date(2024, 9, 12)) == date(2030, 6, 15)
    assert retirement_delay_months(birth, "M60", date(2024, 9, 13)) == 17
    assert statutory_retirement_date(birth, "M60", date(2024, 9, 13)) == date(2031, 11, 15)
    assert statutory_retirement_date(birth, "M60", date(2024, 12, 31)) == date(2031, 11, 15)


def test_a_plan_dated_2024_10_applies_the_raise() -> None:
    """A plan dated 2024-10 for a man born 1966-03: 60 years 4 months, 2026-07, not 2026-03."""
    birth = date(1966, 3, 10)
    assert statutory_retirement_date(birth, "M60", date(2024, 10, 1)) == date(2026, 7, 10)
    assert statutory_retirement_date(birth, "M60", date(2024, 9, 1)) == date(2026, 3, 10)


# --- special-type posts and illness (国发〔1978〕104号 Art 1(二)(三), kept by the 2025 办法) -------------


@pytest.mark.parametrize(
    ("category", "retires"),
    [("M_SPECIAL", date(2028, 3, 10)), ("F_SPECIAL", date(2018, 3, 10)),
     ("M_ILLNESS", date(2023, 3, 10)), ("F_ILLNESS", date(2018, 3, 10))],
)  # fmt: skip
def test_special_type_and_illness_ages_are_not_raised(category: str, retires: date) -> None:
    birth = date(1973, 3, 10)  # a man of this cohort gets 27 months of delay on the normal age
    assert retirement_delay_months(birth, category, NEW_PLAN) == 0
    assert statutory_retirement_date(birth, category, NEW_PLAN) == retires
    assert statutory_retirement_date(birth, category, OLD_PLAN) == retires


def test_the_ages_are_a_table_passed_in() -> None:
    ages = {**RETIREMENT_AGES, "M_SPECIAL": 50}
    assert statutory_retirement_date(date(1973, 3, 10), "M_SPECIAL", NEW_PLAN, ages) == date(2023, 3, 10)
    with pytest.raises(ValueError, match="unknown retirement category"):
        statutory_retirement_date(date(1973, 3, 10), "M_SPECIAL", NEW_PLAN, {"M60": 60})


# --- day convention: the anniversary, clamped to month end ----------------------------------


def test_retirement_falls_on_the_day_the_age_is_reached_clamped_to_month_end() -> None:
    assert statutory_retirement_date(date(1965, 1, 31), "M60", NEW_PLAN) == date(2025, 2, 28)  # 60 years 1 month
    assert statutory_retirement_date(date(1960, 2, 29), "M60", OLD_PLAN) == date(2020, 2, 29)
    assert statutory_retirement_date(date(1964, 2, 29), "F55", OLD_PLAN) == date(2019, 2, 28)
    assert statutory_retirement_date(date(1965, 1, 1), "M60", NEW_PLAN) == date(2025, 2, 1)


def test_unknown_category_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown retirement category"):
        statutory_retirement_date(date(1970, 1, 1), "M55", NEW_PLAN)
    with pytest.raises(ValueError, match="unknown retirement category"):
        retirement_delay_months(date(1970, 1, 1), "", OLD_PLAN)


# --- properties -----------------------------------------------------------------------------

BIRTHS = st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31))
PLANS = st.dates(min_value=date(2016, 1, 1), max_value=date(2035, 12, 31))


@given(st.sampled_from(CATEGORIES), BIRTHS, BIRTHS, PLANS)
@PROPERTY
def test_retirement_date_never_decreases_with_birth_date(category: str, a: date, b: date, plan: date) -> None:
    earlier, later = min(a, b), max(a, b)
    assert statutory_retirement_date(earlier, category, plan) <= statutory_retirement_date(later, category, plan)


@given(st.sampled_from(CATEGORIES), BIRTHS, PLANS)
@PROPERTY
def test_delay_stays_within_zero_and_the_cap(category: str, birth: date, plan: date) -> None:
    delay = retirement_delay_months(birth, category, plan)
    rule = RETIREMENT_RULES.get(category)
    assert 0 <= delay <= (rule.max_delay_months if rule else 0)
    if plan < GRADUAL_RAISE_ADOPTED:
        assert delay == 0


@given(st.sampled_from(CATEGORIES), BIRTHS)
@PROPERTY
def test_delay_grows_by_at_most_one_month_per_birth_month(category: str, birth: date) -> None:
    next_month = add_months(birth, 1)
    step = retirement_delay_months(next_month, category, NEW_PLAN) - retirement_delay_months(birth, category, NEW_PLAN)
    assert step in (0, 1)


# --- months_until ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "retirement", "months"),
    [
        (date(2020, 1, 15), date(2020, 1, 15), 0),
        (date(2020, 1, 15), date(2025, 1, 15), 60),
        (date(2020, 1, 16), date(2025, 1, 15), 59),  # one day short of 60 whole months
        (date(2020, 1, 14), date(2025, 1, 15), 60),
        (date(2020, 1, 31), date(2020, 2, 29), 1),  # 31 Jan + 1 month is the last day of February
        (date(2020, 1, 31), date(2020, 2, 28), 0),
        (date(2020, 3, 15), date(2020, 1, 20), -2),  # past: floor of -1.8
        (date(2020, 3, 20), date(2020, 1, 15), -3),  # past: floor of -2.2
        (date(2020, 3, 15), date(2020, 3, 14), -1),
    ],
)
def test_months_until(reference: date, retirement: date, months: int) -> None:
    assert months_until(reference, retirement) == months


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2050, 12, 31)), st.integers(-300, 300))
@PROPERTY
def test_months_until_is_the_largest_whole_month_count_not_past_retirement(reference: date, shift: int) -> None:
    retirement = reference + timedelta(days=shift * 7)
    months = months_until(reference, retirement)
    assert add_months(reference, months) <= retirement < add_months(reference, months + 1)


def test_add_months_clamps_and_goes_backwards() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert add_months(date(2025, 1, 15), -1) == date(2024, 12, 15)


# --- internal retirement --------------------------------------------------------------------

WORKER = date(1962, 5, 20)  # M60 under a 2018 plan: retires 2022-05-20


def neitui(reference: date, consent: bool = True, agreement: bool = True, window_years: int = 5) -> list:
    return internal_retirement_problems(WORKER, "M60", OLD_PLAN, reference, consent, agreement, window_years)


def test_exactly_60_months_before_retirement_is_eligible() -> None:
    assert statutory_retirement_date(WORKER, "M60", OLD_PLAN) == date(2022, 5, 20)
    assert neitui(date(2017, 5, 20)) == []


def test_61_months_before_retirement_is_not() -> None:
    found = neitui(date(2017, 4, 20))
    assert rules(found) == [("channel", "internal_retirement_window")]
    assert found[0].section == "roster"
    assert "61个月" in found[0].message
    assert "2022-05-20" in found[0].message


def test_one_day_beyond_60_months_is_not_eligible_and_the_message_says_so() -> None:
    found = neitui(date(2017, 5, 19))
    assert rules(found) == [("channel", "internal_retirement_window")]
    assert "60个月1天" in found[0].message
    assert "超过5年（60个月）" in found[0].message


def test_the_window_is_a_parameter() -> None:
    assert neitui(date(2015, 5, 20), window_years=7) == []
    found = neitui(date(2015, 5, 19), window_years=7)
    assert rules(found) == [("channel", "internal_retirement_window")]
    assert "84个月" in found[0].message


def test_consent_and_agreement_are_each_required() -> None:
    reference = date(2019, 1, 1)
    assert rules(neitui(reference, consent=False)) == [("retirement_consent", "internal_retirement_consent")]
    assert rules(neitui(reference, agreement=False)) == [("retirement_agreement", "internal_retirement_agreement")]
    found = neitui(reference, consent=False, agreement=False)
    assert rules(found) == [
        ("retirement_consent", "internal_retirement_consent"),
        ("retirement_agreement", "internal_retirement_agreement"),
    ]
    assert "本人自愿" in found[0].message
    assert "签订" in found[1].message
    assert "协议" in found[1].message


def test_a_worker_at_or_past_retirement_age_cannot_take_internal_retirement() -> None:
    assert neitui(date(2022, 5, 19)) == []
    for reference in (date(2022, 5, 20), date(2023, 1, 1)):
        found = neitui(reference)
        assert rules(found) == [("channel", "already_retired")]
        assert "2022-05-20" in found[0].message


def test_the_2025_raise_moves_the_window_for_plans_from_its_adoption() -> None:
    birth = date(1970, 6, 15)  # M60: old date 2030-06-15, new date 2031-11-15
    reference = date(2025, 7, 1)
    old = internal_retirement_problems(birth, "M60", date(2024, 9, 12), reference, True, True)
    new = internal_retirement_problems(birth, "M60", date(2024, 9, 13), reference, True, True)
    assert old == []
    assert rules(new) == [("channel", "internal_retirement_window")]
    assert "2031-11-15" in new[0].message
    assert "76个月14天" in new[0].message


def test_unknown_category_is_a_finding_not_an_exception() -> None:
    found = internal_retirement_problems(WORKER, "X", OLD_PLAN, date(2019, 1, 1), True, False)
    assert rules(found) == [
        ("post_category", "known_retirement_category"),
        ("retirement_agreement", "internal_retirement_agreement"),
    ]


def test_every_internal_retirement_message_is_chinese() -> None:
    found = neitui(date(2010, 1, 1), consent=False, agreement=False) + neitui(date(2030, 1, 1))
    assert len(found) == 4
    assert all(CJK.search(f.message) for f in found)


# --- which birth date -----------------------------------------------------------------------


def test_the_personnel_file_date_wins_and_a_difference_is_flagged() -> None:
    id_birth = date(1966, 3, 1)
    assert choose_birth_date(id_birth, None) == (id_birth, False)
    assert choose_birth_date(id_birth, id_birth) == (id_birth, False)
    assert choose_birth_date(id_birth, date(1965, 3, 1)) == (date(1965, 3, 1), True)
    assert choose_birth_date(id_birth, date(1967, 1, 1)) == (date(1967, 1, 1), True)


def test_a_52_year_old_underground_miner_may_take_internal_retirement() -> None:
    """国发〔1978〕104号 Art 1(二): underground work retires at 55, so at 52 he is within the five years."""
    birth = date(1973, 3, 10)
    reference = date(2025, 6, 1)  # 52 years old
    assert internal_retirement_problems(birth, "M_SPECIAL", reference, reference, True, True) == []
    assert rules(internal_retirement_problems(birth, "M60", reference, reference, True, True)) == [
        ("channel", "internal_retirement_window")
    ]


# --- the category of a worker -------------------------------------------------------------------


def test_a_woman_without_post_category_is_asked_for_it_and_estimated_at_50() -> None:
    category, found = worker_category("F", None, None)
    assert category == "F50"
    assert rules(found) == [("post_category", "post_category_missing")]
    assert "暂按工人岗50周岁估算" in found[0].message
    assert "请补填岗位类别" in found[0].message
    assert worker_category("M", None, None) == ("M60", [])
    assert worker_category("F", "worker", None) == ("F50", [])
    assert worker_category("F", "management_technical", None) == ("F55", [])


@pytest.mark.parametrize(("post", "required"), [("underground", 9), ("high_temperature", 9), ("high_altitude", 10),
                                                 ("heavy_labour", 10), ("hazardous", 8), ("special_type", 10)])  # fmt: skip
def test_a_special_type_post_needs_its_years_in_post(post: str, required: int) -> None:
    """国发〔1978〕104号 Art 1(二) as applied: 高空、特别繁重 10 years, 井下、高温 9, 其他有害身体健康 8."""
    assert worker_category("M", post, Decimal(required)) == ("M_SPECIAL", [])
    assert worker_category("F", post, Decimal(required)) == ("F_SPECIAL", [])
    category, found = worker_category("M", post, Decimal(required) - Decimal("0.1"))
    assert category == "M60"
    assert rules(found) == [("special_years", "special_type_years_short")]
    assert f"不足{required}年" in found[0].message
    assert "按60周岁" in found[0].message
    category, found = worker_category("F", post, None)
    assert category == "F_SPECIAL"  # as the roster says, and said so
    assert rules(found) == [("special_years", "special_type_years_missing")]
    assert f"累计工作满{required}年" in found[0].message
    assert "请补填年限并核实" in found[0].message


def test_illness_retirement_asks_for_the_appraisal() -> None:
    category, found = worker_category("M", "illness", None)
    assert category == "M_ILLNESS"
    assert rules(found) == [("post_category", "illness_retirement_appraisal")]
    assert "50周岁" in found[0].message
    assert "劳动能力鉴定委员会" in found[0].message
    assert worker_category("F", "illness", None)[0] == "F_ILLNESS"


def test_the_messages_say_the_ages_of_the_table_passed_in() -> None:
    ages = {**RETIREMENT_AGES, "F50": 51, "F_SPECIAL": 46}
    assert "暂按工人岗51周岁估算" in worker_category("F", None, None, ages)[1][0].message
    assert "按46周岁提前退休" in worker_category("F", "underground", None, ages)[1][0].message


def test_each_finding_names_a_column_of_the_roster_file() -> None:
    """The roster report shows a finding's column by the file's header: a key that is no column would
    show as a code word (retirement_consent, not consent)."""
    found = internal_retirement_problems(WORKER, "X", OLD_PLAN, date(2019, 1, 1), False, False)
    found += neitui(date(2010, 1, 1)) + neitui(date(2030, 1, 1))
    assert {f.field for f in found} <= {column.key for column in COLUMNS}
