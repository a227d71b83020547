"""Statutory retirement date and internal retirement (内部退养) eligibility (domain-research.md §D).

Day convention: the retirement date is the day the worker reaches the statutory age, i.e. the
birthday anniversary at (base age + delay months), clamped to the last day of a shorter month
(born 31 Jan, 60 years 1 month → 28/29 Feb). Its year and month are exactly the "retires YYYY-MM"
of the published 2025 tables (men born 1965-01 → 2025-02); the pension itself starts the month after.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from approvals.rules.issues import Finding

MEN_60 = "M60"
WOMEN_55 = "F55"  # women in management / technical posts (管理技术岗)
WOMEN_50 = "F50"  # women in worker posts (工人岗)
RETIREMENT_CATEGORIES = {
    MEN_60: "男职工（60周岁）",
    WOMEN_55: "女职工·管理技术岗（55周岁）",
    WOMEN_50: "女职工·工人岗（50周岁）",
}
# 全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》 applies to plans dated from this day on.
GRADUAL_RAISE_FROM = date(2025, 1, 1)
INTERNAL_RETIREMENT_WINDOW_YEARS = 5  # 富余职工安置规定 Art 9; Hebei's 2017 extension is unknown


@dataclass(frozen=True)
class RetirementRule:
    base_age: int  # years, the 1978 age
    first_delayed_cohort: tuple[int, int]  # (year, month) of birth that gets the first month of delay
    step_months: int  # one more month of delay per this many months of birth cohort
    max_delay_months: int


RETIREMENT_RULES = {
    MEN_60: RetirementRule(60, (1965, 1), 4, 36),
    WOMEN_55: RetirementRule(55, (1970, 1), 4, 36),
    WOMEN_50: RetirementRule(50, (1975, 1), 2, 60),
}


def _rule(category: str) -> RetirementRule:
    """The rule of a known category; ValueError otherwise."""
    try:
        return RETIREMENT_RULES[category]
    except KeyError:
        raise ValueError(
            f"unknown retirement category {category!r}; expected one of {sorted(RETIREMENT_RULES)}"
        ) from None


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retirement_delay_months(birth: date, category: str, plan_date: date) -> int:
    """Months added to the base age: 0 for plans dated before 2025, else +1 per cohort step up to the cap."""
    rule = _rule(category)
    if plan_date < GRADUAL_RAISE_FROM:
        return 0
    start_year, start_month = rule.first_delayed_cohort
    cohort = (birth.year - start_year) * 12 + (birth.month - start_month)
    if cohort < 0:
        return 0
    return min(rule.max_delay_months, cohort // rule.step_months + 1)


def statutory_retirement_date(birth: date, category: str, plan_date: date) -> date:
    """The day the worker reaches the statutory age that applies to a plan dated `plan_date`."""
    rule = _rule(category)
    return add_months(birth, rule.base_age * 12 + retirement_delay_months(birth, category, plan_date))


def months_until(reference: date, retirement: date) -> int:
    """Whole months from reference to retirement, rounded down; negative once retirement has passed."""
    months = (retirement.year - reference.year) * 12 + retirement.month - reference.month
    if add_months(reference, months) > retirement:
        months -= 1
    return months


def choose_birth_date(id_birth: date, file_birth: date | None) -> tuple[date, bool]:
    """The personnel-file (档案) date when recorded, else the ID's; True when the two differ (劳社部发〔1999〕8号)."""
    if file_birth is None:
        return id_birth, False
    return file_birth, file_birth != id_birth


def internal_retirement_problems(
    birth: date,
    category: str,
    plan_date: date,
    reference_date: date,
    consent: bool,
    agreement: bool,
    window_years: int = INTERNAL_RETIREMENT_WINDOW_YEARS,
) -> list[Finding]:
    """Why a worker may not take internal retirement: window, consent, agreement, already retired."""
    found: list[Finding] = []
    if category not in RETIREMENT_RULES:
        found.append(Finding("roster", "retirement_category", "known_retirement_category",
                             "退休类别须为男职工（60周岁）、女职工·管理技术岗（55周岁）或女职工·工人岗（50周岁）。"))  # fmt: skip
    else:
        retirement = statutory_retirement_date(birth, category, plan_date)
        window = window_years * 12
        if retirement <= reference_date:
            found.append(Finding("roster", "channel", "already_retired",
                                 f"该职工已于{retirement.isoformat()}达到法定退休年龄，应办理退休，不能内部退养。"))  # fmt: skip
        elif retirement > add_months(reference_date, window):
            months = months_until(reference_date, retirement)
            days = (retirement - add_months(reference_date, months)).days
            remaining = f"{months}个月{days}天" if days else f"{months}个月"
            found.append(Finding("roster", "channel", "internal_retirement_window",
                                 f"距法定退休日期{retirement.isoformat()}还有{remaining}，超过{window_years}年（{window}个月），不符合内部退养条件。"))  # fmt: skip
    if not consent:
        found.append(Finding("roster", "consent", "internal_retirement_consent",
                             "内部退养须本人自愿申请。"))  # fmt: skip
    if not agreement:
        found.append(Finding("roster", "agreement", "internal_retirement_agreement",
                             "内部退养须与职工签订内部退养协议。"))  # fmt: skip
    return found
