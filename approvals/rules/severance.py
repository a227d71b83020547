"""Severance (经济补偿, domain-research.md §E) and internal-retirement cost (内部退养, §D): the money a plan owes.

Service is counted under 劳动合同法 Art 47 for the whole span from ``hire_date``. For contracts in
force on 2008-01-01 the pre-2008 years follow the rules then in force (Art 97 ¶3, §E.4); a caller
that segments passes 2008-01-01 as ``hire_date`` here and computes the earlier segment separately.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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
        span = (f"{full_years}年" if full_years else "") + (f"{remainder}个月" if remainder or not full_years else "")
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


def severance_years(months: int) -> Decimal:
    """Art 47: one per full year; a remainder of 6 months or more counts 1, of 1–5 months counts 0.5."""
    if months < 0:
        raise ValueError("工作月数（months）不得为负数。")
    years, remainder = divmod(months, 12)
    if remainder >= 6:
        return Decimal(years + 1)
    return Decimal(years) + (HALF if remainder else 0)


def severance(hire_date: date, reference_date: date, monthly_wage: Decimal, params: WageParameters) -> SeveranceResult:
    """Art 47 with 实施条例 Art 27: the floored, capped monthly wage times the years owed."""
    wage = _amount(monthly_wage, "月工资（monthly_wage）")
    months = service_months(hire_date, reference_date)
    years = severance_years(months)
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
        months, years, base, capped, floor_applied, amount, params.average_monthly_wage, years_capped
    )


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
