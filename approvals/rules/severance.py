"""Severance (经济补偿, domain-research.md §E) and internal-retirement cost (内部退养, §D): the money a plan owes.

``severance`` is 劳动合同法 Art 47 over the whole span from ``hire_date``. ``segmented_severance`` is
what a plan owes (Art 97 ¶3, §E.4): for a contract in force on 2008-01-01, the service before that day
under the rules then in force (劳部发〔1994〕481号), the service from that day under Art 47, and the sum.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from approvals.i18n import N_
from approvals.rules.content import FUNDING_ITEMS

CENT = Decimal("0.01")
HALF = Decimal("0.5")
# 劳动合同法 Art 47 ¶2 (§K severance): above 3× the local average the base is 3× and years stop at 12.
WAGE_CAP_MULTIPLE = 3
YEARS_CAP_IF_CAPPED = 12


def _amount(value: Decimal | int, label: str) -> Decimal:
    """The value as a finite, non-negative Decimal, or ValueError naming the field."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{label}须为金额数值。")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"{label}须为有限数值。")
    if amount < 0:
        raise ValueError(f"{label}不得为负数。")
    return amount


def _yuan(amount: Decimal) -> str:
    return f"{amount.quantize(CENT, ROUND_HALF_UP):,}"


def _count(value: Decimal) -> str:
    """9 → "9", 8.5 → "8.5"."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class WageParameters:
    """The published wage figures of one city for one year (§L item 5: loaded per case, never guessed)."""

    city_code: str
    year: int  # the year the average describes: the year before termination
    average_monthly_wage: Decimal  # 上年度职工月平均工资, published by the city government (Art 47 ¶2)
    minimum_monthly_wage: Decimal  # 当地最低工资标准 (实施条例 Art 27)

    def __post_init__(self) -> None:
        if _amount(self.average_monthly_wage, "上年度职工月平均工资（average_monthly_wage）") == 0:
            raise ValueError("上年度职工月平均工资（average_monthly_wage）须大于0。")
        _amount(self.minimum_monthly_wage, "最低工资标准（minimum_monthly_wage）")


@dataclass(frozen=True)
class SeveranceResult:
    months: int  # whole months of service
    years: Decimal  # months of wages owed, after the 12-year cap
    wage_base: Decimal  # monthly wage after the minimum-wage floor and the 3× cap
    capped: bool  # wage above 3× the local average: base and years capped
    floor_applied: bool  # wage below the minimum wage: the minimum is used
    amount: Decimal  # years × wage_base, to the fen, half up
    average_monthly_wage: Decimal  # the local average the cap is 3× of
    years_capped: bool  # capped and the service counted more than 12 years
    days: int = 0  # days of service after the whole months (they count: Art 47 "不满六个月的")

    @property
    def explanation(self) -> str:
        """How the amount was reached, in Chinese (composed when asked: an import computes thousands)."""
        notes = []
        if self.floor_applied:
            notes.append(f"月工资低于当地最低工资标准，按最低工资{_yuan(self.wage_base)}元计算")
        if self.capped:
            notes.append(f"月工资高于上年度职工月平均工资{_yuan(self.average_monthly_wage)}元的3倍，按3倍计算")
            if self.years_capped:
                notes.append(f"支付年限最高不超过{YEARS_CAP_IF_CAPPED}年")
        full_years, remainder = divmod(self.months, 12)
        parts = (f"{full_years}年" if full_years else "", f"{remainder}个月" if remainder else "",
                 f"{self.days}天" if self.days else "")  # fmt: skip
        span = "".join(parts) or "0个月"
        return (
            f"工作年限{span}，按{_count(self.years)}个月工资计算；月工资基数{_yuan(self.wage_base)}元"
            + (f"（{'，'.join(notes)}）" if notes else "")
            + f"；经济补偿{_yuan(self.amount)}元"
        )


@dataclass(frozen=True)
class ContributionRates:
    """Employer social-insurance rates on the contribution base, as fractions (0.16 = 16%)."""

    pension: Decimal
    medical: Decimal
    other: Decimal = Decimal(0)  # e.g. work-injury insurance for 内退 workers injured at work (§D.2, 253号 Art 3)

    def __post_init__(self) -> None:
        for field, label in (("pension", "养老保险"), ("medical", "医疗保险"), ("other", "其他险种")):
            _amount(getattr(self, field), f"单位{label}缴费比例（{field}）")

    @property
    def total(self) -> Decimal:
        return self.pension + self.medical + self.other


# Defaults, to be replaced by the city's actual rates for the plan's year (none is in domain-research §K):
# * pension 16%: the national employer rate since 2019-05-01 (国办发〔2019〕13号《降低社会保险费率综合方案》).
#   UNVERIFIED for 2018 plans, which paid the earlier, higher provincial rate (19–20%).
# * medical 6%: the national guide "6%左右" (国发〔1998〕44号); UNVERIFIED for Hebei, whose city rates differ.
# * other 0%: §D.2 obliges only the employer's pension and medical shares; the worker pays their own share.
DEFAULT_EMPLOYER_RATES = ContributionRates(pension=Decimal("0.16"), medical=Decimal("0.06"))


@dataclass(frozen=True)
class InternalRetirementCost:
    months: int  # whole months from the reference date to statutory retirement
    allowance_total: Decimal  # 生活费
    contributions_total: Decimal  # employer's social-insurance contributions
    total: Decimal


@dataclass(frozen=True)
class FundingRequirement:
    """What a plan must fund, item by item, keyed as FUNDING_ITEMS (domain.md §3.1)."""

    severance: Decimal = Decimal(0)
    internal_retirement: Decimal = Decimal(0)
    arrears: Decimal = Decimal(0)
    social_insurance: Decimal = Decimal(0)
    training: Decimal = Decimal(0)
    other: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for key, label in FUNDING_ITEMS.items():
            _amount(getattr(self, key), f"{label}（{key}）")

    def as_dict(self) -> dict[str, Decimal]:
        """The items in FUNDING_ITEMS order: the shape of a plan's ``funding.required``."""
        return {key: getattr(self, key) for key in FUNDING_ITEMS}

    @property
    def total(self) -> Decimal:
        return sum(self.as_dict().values(), Decimal(0))


def service_months(hire_date: date, reference_date: date) -> int:
    """Whole months from hire to reference; a month ends on the same day, or on month end when there is none."""
    if hire_date > reference_date:
        return 0
    months = (reference_date.year - hire_date.year) * 12 + reference_date.month - hire_date.month
    month_end = calendar.monthrange(reference_date.year, reference_date.month)[1]
    if reference_date.day < min(hire_date.day, month_end):
        months -= 1
    return months


def service_span(hire_date: date, reference_date: date) -> tuple[int, int]:
    """Whole months from hire to reference (``service_months``) and the days of service left after them."""
    if hire_date >= reference_date:
        return 0, 0
    months = service_months(hire_date, reference_date)
    return months, (reference_date - _months_later(hire_date, months)).days


def severance_years(months: int, days: int = 0) -> Decimal:
    """Months of wages owed for the service (劳动合同法 Art 47 ¶1): one per full year; a remainder of six
    months or more counts as a year; a remainder under six months — any above zero, a few days included
    ("不满六个月的，向劳动者支付半个月工资的经济补偿") — counts half. ``days`` are those after the whole months."""
    if months < 0:
        raise ValueError("工作月数（months）不得为负数。")
    if days < 0:
        raise ValueError("工作天数（days）不得为负数。")
    years, remainder = divmod(months, 12)
    if remainder >= 6:
        return Decimal(years + 1)
    return Decimal(years) + (HALF if remainder or days else 0)


def severance(hire_date: date, reference_date: date, monthly_wage: Decimal, params: WageParameters) -> SeveranceResult:
    """Art 47 with 实施条例 Art 27: the floored, capped monthly wage times the years owed."""
    wage = _amount(monthly_wage, "月工资（monthly_wage）")
    months, days = service_span(hire_date, reference_date)
    years = severance_years(months, days)
    floor_applied = wage < params.minimum_monthly_wage
    base = max(wage, params.minimum_monthly_wage)
    ceiling = WAGE_CAP_MULTIPLE * params.average_monthly_wage
    capped = base > ceiling
    years_capped = False
    if capped:
        base = ceiling
        if years > YEARS_CAP_IF_CAPPED:
            years, years_capped = Decimal(YEARS_CAP_IF_CAPPED), True
    amount = (years * base).quantize(CENT, ROUND_HALF_UP)
    return SeveranceResult(
        months, years, base, capped, floor_applied, amount, params.average_monthly_wage, years_capped, days
    )


# 劳动合同法 Art 97 ¶3: service from this day on is counted under Art 47, earlier service under 481号.
LABOUR_CONTRACT_LAW_FROM = date(2008, 1, 1)


@dataclass(frozen=True)
class TerminationGround:
    """A ground for ending the contract, and how 481号 paid the service before 2008 on it."""

    label: str
    article: str  # of 481号
    years_cap: int | None  # months of wages at most for the pre-2008 years; None: no cap
    enterprise_average_floor: bool  # 481号 Art 11: base at least the enterprise's average monthly wage


# The grounds of a de-capacity termination and their 481号 articles (domain-research.md §E.4).
TERMINATION_GROUNDS = {
    "mutual_agreement": TerminationGround(N_("协商一致解除劳动合同（劳动合同法第三十六条）"), "第五条", 12, False),
    "incompetence": TerminationGround(N_("不能胜任工作（劳动合同法第四十条第二项）"), "第七条", 12, False),
    "illness": TerminationGround(N_("患病或者非因工负伤（劳动合同法第四十条第一项）"), "第六条", None, True),
    "objective_change": TerminationGround(N_("客观情况发生重大变化（劳动合同法第四十条第三项）"), "第八条", None, True),
    "economic_layoff": TerminationGround(N_("经济性裁员（劳动合同法第四十一条）"), "第九条", None, True),
}
DEFAULT_GROUND = "mutual_agreement"  # the usual route of a de-capacity plan: Art 36, proposed by the employer


def years_begun(start: date, end: date) -> int:
    """Years of service from start to end, a part year counting as a whole one (481号 Art 5 "工作时间不满一年的
    按一年的标准", which applies to Arts 6–9 as well and to the part left over after whole years: 劳办发〔1997〕98号)."""
    if start >= end:
        return 0
    years = service_months(start, end) // 12
    return years + (_months_later(start, years * 12) < end)


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class PreReformSegment:
    """The service before 2008-01-01, paid under 481号."""

    years: int  # years begun before 2008, after the ground's cap
    years_capped: bool  # the ground caps them at 12 and there were more
    wage_base: Decimal  # the monthly wage, at least the minimum and (Arts 6, 8, 9) the enterprise average
    floor: str  # "", "minimum" or "enterprise_average": which floor raised the base
    amount: Decimal


@dataclass(frozen=True)
class SegmentedSeverance:
    """What a terminated worker is owed: the pre-2008 segment (None when hired from 2008 on) plus Art 47."""

    ground: str
    pre_reform: PreReformSegment | None
    art47: SeveranceResult  # the service from max(hire date, 2008-01-01)
    amount: Decimal

    @property
    def explanation(self) -> str:
        """How the amount was reached, in Chinese (composed when asked)."""
        if self.pre_reform is None:
            return self.art47.explanation
        pre, ground = self.pre_reform, TERMINATION_GROUNDS[self.ground]
        notes = {
            "minimum": "低于当地最低工资标准，按最低工资计算",
            "enterprise_average": "低于本企业月平均工资，按企业月平均工资计算",
        }
        pre_text = (
            f"2008年1月1日前工作年限按{pre.years}年计算（不满一年的按一年计算"
            + (f"，{ground.label}最多不超过12年" if pre.years_capped else "")
            + f"），依照劳部发〔1994〕481号{ground.article}，月工资基数{_yuan(pre.wage_base)}元"
            + (f"（{notes[pre.floor]}）" if pre.floor else "")
            + f"，计{_yuan(pre.amount)}元"
        )
        return f"{pre_text}；2008年1月1日起{self.art47.explanation}；合计经济补偿{_yuan(self.amount)}元"


def segmented_severance(
    hire_date: date,
    reference_date: date,
    monthly_wage: Decimal,
    params: WageParameters,
    ground: str = DEFAULT_GROUND,
    enterprise_average_wage: Decimal | None = None,
) -> SegmentedSeverance:
    """劳动合同法 Art 97 ¶3: the years before 2008 under 481号, the years from 2008 under Art 47, summed.

    Before 2008: one month's wage per year begun, capped at 12 for the grounds of 481号 Arts 5 and 7 and
    uncapped for Arts 6, 8 and 9; the base is the worker's monthly wage (481号 Art 11) — no 3× cap, which
    Art 47 introduced — at least the local minimum wage, and for Arts 6, 8 and 9 at least the enterprise's
    average monthly wage when the plan states it. From 2008: ``severance`` (Art 47, its 3× wage cap and,
    when capped, its 12-year cap on those years).
    """
    if ground not in TERMINATION_GROUNDS:
        raise ValueError(f"解除劳动合同的依据（termination_ground）须为{'、'.join(TERMINATION_GROUNDS)}之一。")
    wage = _amount(monthly_wage, "月工资（monthly_wage）")
    art47 = severance(max(hire_date, LABOUR_CONTRACT_LAW_FROM), reference_date, wage, params)
    end = min(reference_date, LABOUR_CONTRACT_LAW_FROM)
    if hire_date >= end:
        return SegmentedSeverance(ground, None, art47, art47.amount)
    rule = TERMINATION_GROUNDS[ground]
    years = years_begun(hire_date, end)
    capped = rule.years_cap is not None and years > rule.years_cap
    if capped:
        years = rule.years_cap  # type: ignore[assignment]
    base, floor = wage, ""
    if base < params.minimum_monthly_wage:
        base, floor = params.minimum_monthly_wage, "minimum"
    if rule.enterprise_average_floor and enterprise_average_wage is not None:
        average = _amount(enterprise_average_wage, "企业月平均工资（enterprise_average_wage）")
        if base < average:
            base, floor = average, "enterprise_average"
    amount = (base * years).quantize(CENT, ROUND_HALF_UP)
    pre = PreReformSegment(years, capped, base, floor, amount)
    return SegmentedSeverance(ground, pre, art47, amount + art47.amount)


def internal_retirement_cost(
    reference_date: date,
    retirement_date: date,
    living_allowance: Decimal,
    contribution_base: Decimal,
    employer_rates: ContributionRates = DEFAULT_EMPLOYER_RATES,
) -> InternalRetirementCost:
    """Whole months to retirement × (monthly allowance + the employer's monthly contributions, to the fen)."""
    allowance = _amount(living_allowance, "内退生活费（living_allowance）")
    base = _amount(contribution_base, "缴费基数（contribution_base）")
    months = service_months(reference_date, retirement_date)
    monthly_contributions = (base * employer_rates.total).quantize(CENT, ROUND_HALF_UP)
    allowance_total = (allowance * months).quantize(CENT, ROUND_HALF_UP)
    contributions_total = monthly_contributions * months
    return InternalRetirementCost(months, allowance_total, contributions_total, allowance_total + contributions_total)


def required_funding(
    severance_total: Decimal,
    internal_retirement_total: Decimal,
    arrears: Decimal,
    training: Decimal,
    other: Decimal,
    social_insurance: Decimal = Decimal(0),
) -> dict[str, Decimal]:
    """The computed ``funding.required`` of a plan, keyed exactly as FUNDING_ITEMS."""
    return FundingRequirement(
        severance=severance_total,
        internal_retirement=internal_retirement_total,
        arrears=arrears,
        social_insurance=social_insurance,
        training=training,
        other=other,
    ).as_dict()
