"""Statutory retirement date and internal retirement (内部退养) eligibility (domain-research.md §D).

Day convention: the retirement date is the day the worker reaches the statutory age, i.e. the
birthday anniversary at (base age + delay months), clamped to the last day of a shorter month
(born 31 Jan, 60 years 1 month → 28/29 Feb). Its year and month are exactly the "retires YYYY-MM"
of the published 2025 tables (men born 1965-01 → 2025-02); the pension itself starts the month after.

The ages (RETIREMENT_AGES) are one table keyed by category, passed into every function that needs
them with the statutory table as default: no other module writes an age.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from approvals.i18n import N_, Counted, Listing, Np_, Text
from approvals.rules.issues import Finding

MEN_60 = "M60"
WOMEN_55 = "F55"  # women in management / technical posts (管理技术岗)
WOMEN_50 = "F50"  # women in worker posts (工人岗)
# 国发〔1978〕104号 Art 1(二): 从事井下、高空、高温、特别繁重体力劳动或者其他有害身体健康的工作 (特殊工种).
MEN_SPECIAL = "M_SPECIAL"
WOMEN_SPECIAL = "F_SPECIAL"
# 国发〔1978〕104号 Art 1(三): 由医院证明，并经劳动鉴定委员会确认，完全丧失劳动能力 (病退).
MEN_ILLNESS = "M_ILLNESS"
WOMEN_ILLNESS = "F_ILLNESS"
RETIREMENT_CATEGORIES = {
    MEN_60: N_("男职工（60周岁）"),
    WOMEN_55: N_("女职工·管理技术岗（55周岁）"),
    WOMEN_50: N_("女职工·工人岗（50周岁）"),
    MEN_SPECIAL: N_("男职工·特殊工种（55周岁）"),
    WOMEN_SPECIAL: N_("女职工·特殊工种（45周岁）"),
    MEN_ILLNESS: N_("男职工·因病完全丧失劳动能力（50周岁）"),
    WOMEN_ILLNESS: N_("女职工·因病完全丧失劳动能力（45周岁）"),
}
# The statutory (original) ages in years, by category: 国发〔1978〕104号 Art 1(一)–(三). The 2025 办法
# raises only the first three (Art 1; "国家另有规定的，从其规定"), and keeps early retirement for the
# special-type posts (Art 10: 国家规范完善特殊工种等提前退休政策 … 符合条件的可以申请提前退休) and for
# illness at the 1978 ages.
RetirementAges = Mapping[str, int]
RETIREMENT_AGES: RetirementAges = MappingProxyType({
    MEN_60: 60, WOMEN_55: 55, WOMEN_50: 50,
    MEN_SPECIAL: 55, WOMEN_SPECIAL: 45,
    MEN_ILLNESS: 50, WOMEN_ILLNESS: 45,
})  # fmt: skip
# The category a woman without a post category is estimated under (the earliest normal age): said in
# a row warning, never assumed silently.
WOMEN_DEFAULT = WOMEN_50

# The post categories (岗位类别) as the roster stores them (approvals/roster/columns.py).
WORKER_POST = "worker"
MANAGEMENT_POST = "management_technical"
ILLNESS = "illness"
SPECIAL_TYPE = "special_type"  # 特殊工种 whose kind the roster does not say
# The special-type posts and the years in that post they need: 国发〔1978〕104号 Art 1(二) as the labour
# ministry applies it (高空和特别繁重体力劳动累计满十年，井下、高温累计满九年，其他有害身体健康累计满八年;
# e.g. 津人社局发〔2016〕31号). A post whose kind is not given needs the longest, ten years.
SPECIAL_TYPE_POSTS = {
    "underground": (N_("井下"), 9),
    "high_altitude": (N_("高空"), 10),
    "high_temperature": (N_("高温"), 9),
    "heavy_labour": (N_("特别繁重体力劳动"), 10),
    "hazardous": (N_("其他有害身体健康"), 8),
    SPECIAL_TYPE: (N_("特殊工种（未注明类别）"), 10),
}

# 全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》, adopted on this day (in force 2025-01-01).
# Every retirement it moves falls after 2025-01-01 (men born 1965-01 retire 2025-02 at the earliest),
# so a plan dated from its adoption on already decides under it; a plan dated before keeps the 1978 ages.
GRADUAL_RAISE_ADOPTED = date(2024, 9, 13)
INTERNAL_RETIREMENT_WINDOW_YEARS = 5  # 富余职工安置规定 Art 9; Hebei's 2017 extension is unknown


@dataclass(frozen=True)
class RetirementRule:
    """The 2025 gradual raise of one category (国务院关于渐进式延迟法定退休年龄的办法 Art 1)."""

    first_delayed_cohort: tuple[int, int]  # (year, month) of birth that gets the first month of delay
    step_months: int  # one more month of delay per this many months of birth cohort
    max_delay_months: int


RETIREMENT_RULES = {
    MEN_60: RetirementRule((1965, 1), 4, 36),
    WOMEN_55: RetirementRule((1970, 1), 4, 36),
    WOMEN_50: RetirementRule((1975, 1), 2, 60),
}


def _age(category: str, ages: RetirementAges) -> int:
    """The base age of a known category; ValueError otherwise."""
    try:
        return ages[category]
    except KeyError:
        raise ValueError(f"unknown retirement category {category!r}; expected one of {sorted(ages)}") from None


def retirement_category(sex: str, post: str | None) -> str | None:
    """The retirement category of a worker's sex and post category (岗位类别); None for a woman whose
    post category is not given (工人岗 50 or 管理技术岗 55 cannot be told apart)."""
    men = sex == "M"
    if post in SPECIAL_TYPE_POSTS:
        return MEN_SPECIAL if men else WOMEN_SPECIAL
    if post == ILLNESS:
        return MEN_ILLNESS if men else WOMEN_ILLNESS
    if men:
        return MEN_60
    if post == MANAGEMENT_POST:
        return WOMEN_55
    return WOMEN_50 if post == WORKER_POST else None


def _special_type(post: str) -> Text:
    name, _ = SPECIAL_TYPE_POSTS[post]
    return Text(name) if post == SPECIAL_TYPE else Text(N_("特殊工种（%(name)s）"), name=Text(name))


def worker_category(
    sex: str, post: str | None, years_in_post: Decimal | None, ages: RetirementAges = RETIREMENT_AGES
) -> tuple[str, list[Finding]]:
    """The category a worker's retirement date is computed under, and what the roster must still
    confirm for it (warnings): a woman's missing post category, a special-type post's years in post,
    an illness retirement's appraisal."""
    category = retirement_category(sex, post)
    men = sex == "M"
    found: list[Finding] = []
    if category is None:
        found.append(Finding("roster", "post_category", "post_category_missing",
                             Text(N_("女职工未填写岗位类别：法定退休年龄取决于岗位（工人岗%(worker)s周岁、管理技术岗%(manager)s周岁、"
                                     "特殊工种%(special)s周岁，国发〔1978〕104号第一条），暂按工人岗%(default)s周岁估算退休时间"
                                     "和内部退养费用，请补填岗位类别。"), worker=ages[WOMEN_50], manager=ages[WOMEN_55],
                                  special=ages[WOMEN_SPECIAL], default=ages[WOMEN_DEFAULT])))  # fmt: skip
        return WOMEN_DEFAULT, found
    if post in SPECIAL_TYPE_POSTS:
        name, required = SPECIAL_TYPE_POSTS[post]
        age = ages[MEN_SPECIAL if men else WOMEN_SPECIAL]
        if years_in_post is None:
            found.append(Finding("roster", "special_years", "special_type_years_missing",
                                 Text(N_("%(post)s按%(age)s周岁提前退休，须在该类岗位累计工作满%(years)s年"
                                         "（国发〔1978〕104号第一条第（二）项）；名单未填写特殊工种累计年限，"
                                         "暂按%(age)s周岁计算，请补填年限并核实。"), post=_special_type(post), age=age,
                                      years=required)))  # fmt: skip
        elif years_in_post < required:
            category = MEN_60 if men else WOMEN_50  # special-type posts are worker posts (工人岗)
            found.append(Finding("roster", "special_years", "special_type_years_short",
                                 Text(N_("%(post)s累计年限不足%(years)s年（国发〔1978〕104号第一条第（二）项），不能提前退休，"
                                         "按%(age)s周岁计算法定退休年龄。"), post=_special_type(post), years=required,
                                      age=ages[category])))  # fmt: skip
    elif post == ILLNESS:
        found.append(Finding("roster", "post_category", "illness_retirement_appraisal",
                             Text(N_("按因病完全丧失劳动能力提前退休（%(age)s周岁）计算：须由医院证明并经劳动能力"
                                     "鉴定委员会确认完全丧失劳动能力，且连续工龄满十年（国发〔1978〕104号第一条第（三）项），"
                                     "请核实鉴定结论。"), age=ages[category])))  # fmt: skip
    return category, found


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retirement_delay_months(birth: date, category: str, plan_date: date, ages: RetirementAges = RETIREMENT_AGES) -> int:
    """Months added to the base age: 0 for plans dated before the 2025 decision's adoption and for the
    special-type and illness ages it keeps, else +1 per cohort step up to the cap."""
    _age(category, ages)
    rule = RETIREMENT_RULES.get(category)
    if rule is None or plan_date < GRADUAL_RAISE_ADOPTED:
        return 0
    start_year, start_month = rule.first_delayed_cohort
    cohort = (birth.year - start_year) * 12 + (birth.month - start_month)
    if cohort < 0:
        return 0
    return min(rule.max_delay_months, cohort // rule.step_months + 1)


def statutory_retirement_date(
    birth: date, category: str, plan_date: date, ages: RetirementAges = RETIREMENT_AGES
) -> date:
    """The day the worker reaches the statutory age that applies to a plan dated `plan_date`."""
    months = _age(category, ages) * 12 + retirement_delay_months(birth, category, plan_date, ages)
    return add_months(birth, months)


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
    ages: RetirementAges = RETIREMENT_AGES,
) -> list[Finding]:
    """Why a worker may not take internal retirement: window, consent, agreement, already retired."""
    found: list[Finding] = []
    if category not in ages:
        found.append(Finding("roster", "post_category", "known_retirement_category",
                             Text(N_("退休类别须为%(categories)s之一。"),
                                  categories=Listing((Text(c) for c in RETIREMENT_CATEGORIES.values()), N_("、")))))  # fmt: skip
    else:
        retirement = statutory_retirement_date(birth, category, plan_date, ages)
        window = window_years * 12
        if retirement <= reference_date:
            found.append(Finding("roster", "channel", "already_retired",
                                 Text(N_("该职工已于%(day)s达到法定退休年龄，应办理退休，不能内部退养。"),
                                      day=retirement.isoformat())))  # fmt: skip
        elif retirement > add_months(reference_date, window):
            months = months_until(reference_date, retirement)
            days = (retirement - add_months(reference_date, months)).days
            in_months = Counted(Np_("%(n)s个月", "%(n)s个月"), months, n=months)
            remaining = (Text(N_("%(months)s%(days)s"), months=in_months, days=Counted(Np_("%(n)s天", "%(n)s天"), days, n=days))
                         if days else in_months)  # fmt: skip
            found.append(Finding("roster", "channel", "internal_retirement_window",
                                 Text(N_("距法定退休日期%(day)s还有%(remaining)s，超过%(years)s年（%(window)s个月），"
                                         "不符合内部退养条件。"), day=retirement.isoformat(), remaining=remaining,
                                      years=window_years, window=window)))  # fmt: skip
    if not consent:
        found.append(Finding("roster", "retirement_consent", "internal_retirement_consent",
                             Text(N_("内部退养须本人自愿申请。"))))  # fmt: skip
    if not agreement:
        found.append(Finding("roster", "retirement_agreement", "internal_retirement_agreement",
                             Text(N_("内部退养须与职工签订内部退养协议。"))))  # fmt: skip
    return found
