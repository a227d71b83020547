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
from typing import Any

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
    short: str = ""  # the roster drop-down's label
    # 劳动合同法 Art 42 forbids only the dismissals of Arts 40 and 41 for the workers it protects; an Art 36
    # agreement or an Art 44 end of the contract is lawful, to be justified in writing (domain.md §8).
    art42_bars: bool = False
    by_analogy: bool = False  # 481号 has no article of its own for the ground: the nearest one applies
    medical_subsidy: bool = False  # 481号 Art 6: a medical subsidy besides the compensation


# The grounds of a de-capacity termination and their 481号 articles (domain-research.md §E.4), and the two
# ends of the contract by the employer's own exit (劳动合同法 Art 44(4), 44(5): how a 僵尸企业 being
# cleared ends its contracts; severance owed under Art 46(6)). 481号 has no article for those: before
# 2008 the nearest were 劳动法 Art 27 (a layoff "濒临破产") for bankruptcy, paid under 481号 Art 9, and
# 劳动法 Art 26(3) (the objective circumstances changed) for a closure or dissolution, under 481号 Art 8
# — both one month per year begun, uncapped, at least the enterprise average. Practice varies by
# province: a plan may instead count the whole service under Art 47 (PRE2008_METHODS).
TERMINATION_GROUNDS = {
    "mutual_agreement": TerminationGround(N_("协商一致解除劳动合同（劳动合同法第三十六条）"), "第五条", 12, False,
                                          N_("协商一致（第三十六条）")),
    "incompetence": TerminationGround(N_("不能胜任工作（劳动合同法第四十条第二项）"), "第七条", 12, False,
                                      N_("不能胜任工作（第四十条第二项）"), art42_bars=True),
    "illness": TerminationGround(N_("患病或者非因工负伤（劳动合同法第四十条第一项）"), "第六条", None, True,
                                 N_("患病或非因工负伤（第四十条第一项）"), art42_bars=True, medical_subsidy=True),
    "objective_change": TerminationGround(N_("客观情况发生重大变化（劳动合同法第四十条第三项）"), "第八条", None, True,
                                          N_("客观情况发生重大变化（第四十条第三项）"), art42_bars=True),
    "economic_layoff": TerminationGround(N_("经济性裁员（劳动合同法第四十一条）"), "第九条", None, True,
                                         N_("经济性裁员（第四十一条）"), art42_bars=True),
    "bankruptcy": TerminationGround(N_("用人单位被依法宣告破产（劳动合同法第四十四条第四项）"), "第九条", None, True,
                                    N_("宣告破产（第四十四条第四项）"), by_analogy=True),
    "closure": TerminationGround(
        N_("用人单位被吊销营业执照、责令关闭、撤销或者决定提前解散（劳动合同法第四十四条第五项）"), "第八条", None, True,
        N_("关闭、撤销、解散或吊销营业执照（第四十四条第五项）"), by_analogy=True),
}  # fmt: skip
DEFAULT_GROUND = "mutual_agreement"  # the usual route of a de-capacity plan: Art 36, proposed by the employer

# How the service before 2008-01-01 is counted (domain-research.md §E.4: "practice varies by province").
SEGMENTED = "segmented"
ART47_WHOLE = "art47_whole"
PRE2008_METHODS = {
    SEGMENTED: N_("分段计算（劳部发〔1994〕481号，默认）"),
    ART47_WHOLE: N_("按劳动合同法第四十七条统一计算（当地做法）"),
}
DEFAULT_METHOD = SEGMENTED  # 劳动合同法 Art 97 ¶3: earlier years under the rules then in force


def plan_terms(terms: dict[str, Any]) -> tuple[str | None, str | None]:
    """The plan's ground for ending contracts (each row's default) and its pre-2008 method, as its 经济补偿
    section states them: the defaults when it states none, None for a value that is not known."""
    ground = terms.get("termination_ground", DEFAULT_GROUND)
    method = terms.get("pre2008_method", DEFAULT_METHOD)
    return (ground if isinstance(ground, str) and ground in TERMINATION_GROUNDS else None,
            method if isinstance(method, str) and method in PRE2008_METHODS else None)  # fmt: skip


# The items of the plan's 经济补偿 section the roster's amounts are computed on.
COMPUTED_ON = ("reference_date", "termination_ground", "pre2008_method", "enterprise_average_wage")


def computed_on(terms: dict[str, Any]) -> dict[str, str]:
    """The section's items the roster's amounts depend on, as text (what a summary keeps to compare)."""
    return {key: str(terms[key]) for key in COMPUTED_ON if terms.get(key) not in (None, "")}


# The rules a plan's severance follows, as its page and its published text state them.
ART47_RULE = N_(
    "2008年1月1日起的工作年限，每满一年支付一个月工资，六个月以上不满一年的按一年计算，不满六个月的支付半个月工资；"
    "月工资高于本地区上年度职工月平均工资3倍的，按3倍计算，且支付年限最高不超过12年（劳动合同法第四十七条）；"
    "月工资低于当地最低工资标准的，按最低工资标准计算（劳动合同法实施条例第二十七条）。"
)
PRE2008_RULE = N_(
    "2008年1月1日前的工作年限，每满一年支付一个月工资，不满一年的按一年计算；协商一致解除、不能胜任工作解除的，"
    "最多不超过12个月工资（劳部发〔1994〕481号第五条、第七条），其他情形不设上限；因患病、客观情况变化、"
    "经济性裁员、破产或关闭解除的，月工资低于企业月平均工资的按企业月平均工资计算（第十一条）；"
    "破产参照第九条、关闭撤销解散参照第八条。"
)
WHOLE_SERVICE_RULE = N_(
    "全部工作年限（含2008年1月1日前）按劳动合同法第四十七条统一计算：每满一年支付一个月工资，六个月以上不满一年的"
    "按一年计算，不满六个月的支付半个月工资；月工资高于本地区上年度职工月平均工资3倍的，按3倍计算，且支付年限"
    "最高不超过12年；不适用劳部发〔1994〕481号第五条、第七条12个月的上限。"
)
MEDICAL_SUBSIDY_RULE = N_(
    "因患病或者非因工负伤解除劳动合同的，另发给不低于六个月工资的医疗补助费，患重病的增加50%，"
    "患绝症的增加100%（劳部发〔1994〕481号第六条）；计入所需经济补偿金。"
)


def applied_rules(method: str | None) -> tuple[str, ...]:
    """The calculation and cap rules the plan's method applies, in Chinese (marked for translation)."""
    if method == ART47_WHOLE:
        return (WHOLE_SERVICE_RULE, MEDICAL_SUBSIDY_RULE)
    return (PRE2008_RULE, ART47_RULE, MEDICAL_SUBSIDY_RULE)


# 481号 Art 6: "不低于六个月工资的医疗补助费。患重病和绝症的还应增加医疗补助费，患重病的增加部分不低于医疗
# 补助费的百分之五十，患绝症的增加部分不低于医疗补助费的百分之百。" Severity → (label, increase in %).
MEDICAL_SUBSIDY_MONTHS = 6
ILLNESS_SEVERITIES = {"ordinary": (N_("一般"), 0), "serious": (N_("重病"), 50), "terminal": (N_("绝症"), 100)}


@dataclass(frozen=True)
class MedicalSubsidy:
    """劳部发〔1994〕481号 Art 6: the medical subsidy (医疗补助费) on a termination for illness or non-work injury."""

    wage_base: Decimal  # the 481号 Art 11 base: at least the minimum wage and the enterprise average
    severity: str  # a key of ILLNESS_SEVERITIES
    amount: Decimal

    @property
    def explanation(self) -> str:
        label, increase = ILLNESS_SEVERITIES[self.severity]
        extra = f"，{label}增加{increase}%" if increase else ""
        return (f"医疗补助费按{MEDICAL_SUBSIDY_MONTHS}个月工资（月工资基数{_yuan(self.wage_base)}元{extra}）"
                f"计{_yuan(self.amount)}元（劳部发〔1994〕481号第六条）")  # fmt: skip


def medical_subsidy(wage_base: Decimal, severity: str | None = None) -> MedicalSubsidy:
    """Six months of the base, raised by half for a serious illness and doubled for a terminal one (481号 Art 6)."""
    severity = severity or "ordinary"
    if severity not in ILLNESS_SEVERITIES:
        raise ValueError(f"病情（illness_severity）须为{'、'.join(ILLNESS_SEVERITIES)}之一。")
    base = _amount(wage_base, "月工资（wage_base）")
    increase = ILLNESS_SEVERITIES[severity][1]
    amount = (base * MEDICAL_SUBSIDY_MONTHS * (100 + increase) / 100).quantize(CENT, ROUND_HALF_UP)
    return MedicalSubsidy(base, severity, amount)


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
    """What a worker leaving is owed: the pre-2008 segment (None when hired from 2008 on, or when the plan
    counts the whole service under Art 47) plus Art 47, and on the illness ground the medical subsidy."""

    ground: str
    pre_reform: PreReformSegment | None
    art47: SeveranceResult  # the service from max(hire date, 2008-01-01), or the whole service
    amount: Decimal  # the compensation (经济补偿)
    method: str = DEFAULT_METHOD
    medical: MedicalSubsidy | None = None  # 481号 Art 6, on the illness ground only

    @property
    def total(self) -> Decimal:
        """The compensation and the medical subsidy: what the plan funds for this worker."""
        return self.amount + (self.medical.amount if self.medical else Decimal(0))

    @property
    def explanation(self) -> str:
        """How the amount was reached, in Chinese (composed when asked)."""
        subsidy = f"；另发{self.medical.explanation}" if self.medical else ""
        if self.method == ART47_WHOLE:
            return f"全部工作年限按劳动合同法第四十七条统一计算：{self.art47.explanation}{subsidy}"
        if self.pre_reform is None:
            return self.art47.explanation + subsidy
        pre, ground = self.pre_reform, TERMINATION_GROUNDS[self.ground]
        notes = {
            "minimum": "低于当地最低工资标准，按最低工资计算",
            "enterprise_average": "低于本企业月平均工资，按企业月平均工资计算",
        }
        pre_text = (
            f"2008年1月1日前工作年限按{pre.years}年计算（不满一年的按一年计算"
            + (f"，{ground.label}最多不超过12年" if pre.years_capped else "")
            + f"），{'参照' if ground.by_analogy else '依照'}劳部发〔1994〕481号{ground.article}，"
            + f"月工资基数{_yuan(pre.wage_base)}元"
            + (f"（{notes[pre.floor]}）" if pre.floor else "")
            + f"，计{_yuan(pre.amount)}元"
        )
        return f"{pre_text}；2008年1月1日起{self.art47.explanation}；合计经济补偿{_yuan(self.amount)}元{subsidy}"


def _pre_reform_base(
    wage: Decimal, params: WageParameters, rule: TerminationGround, enterprise_average_wage: Decimal | None
) -> tuple[Decimal, str]:
    """481号 Art 11: the monthly wage, at least the local minimum and (Arts 6, 8, 9) the enterprise average."""
    base, floor = wage, ""
    if base < params.minimum_monthly_wage:
        base, floor = params.minimum_monthly_wage, "minimum"
    if rule.enterprise_average_floor and enterprise_average_wage is not None:
        average = _amount(enterprise_average_wage, "企业月平均工资（enterprise_average_wage）")
        if base < average:
            base, floor = average, "enterprise_average"
    return base, floor


def segmented_severance(
    hire_date: date,
    reference_date: date,
    monthly_wage: Decimal,
    params: WageParameters,
    ground: str = DEFAULT_GROUND,
    enterprise_average_wage: Decimal | None = None,
    method: str = DEFAULT_METHOD,
    illness_severity: str | None = None,
) -> SegmentedSeverance:
    """劳动合同法 Art 97 ¶3: the years before 2008 under 481号, the years from 2008 under Art 47, summed.

    Before 2008: one month's wage per year begun, capped at 12 for the grounds of 481号 Arts 5 and 7 and
    uncapped for Arts 6, 8 and 9; the base is the worker's monthly wage (481号 Art 11) — no 3× cap, which
    Art 47 introduced — at least the local minimum wage, and for Arts 6, 8 and 9 at least the enterprise's
    average monthly wage when the plan states it. From 2008: ``severance`` (Art 47, its 3× wage cap and,
    when capped, its 12-year cap on those years). With ``method`` ART47_WHOLE the whole service is counted
    under Art 47 instead (a local practice). On the illness ground, 481号 Art 6 adds the medical subsidy.
    """
    if ground not in TERMINATION_GROUNDS:
        raise ValueError(f"解除劳动合同的依据（termination_ground）须为{'、'.join(TERMINATION_GROUNDS)}之一。")
    if method not in PRE2008_METHODS:
        raise ValueError(f"2008年前工作年限计算办法（pre2008_method）须为{'、'.join(PRE2008_METHODS)}之一。")
    wage = _amount(monthly_wage, "月工资（monthly_wage）")
    rule = TERMINATION_GROUNDS[ground]
    medical = None
    if rule.medical_subsidy:
        medical = medical_subsidy(_pre_reform_base(wage, params, rule, enterprise_average_wage)[0], illness_severity)
    if method == ART47_WHOLE:
        whole = severance(hire_date, reference_date, wage, params)
        return SegmentedSeverance(ground, None, whole, whole.amount, method, medical)
    art47 = severance(max(hire_date, LABOUR_CONTRACT_LAW_FROM), reference_date, wage, params)
    end = min(reference_date, LABOUR_CONTRACT_LAW_FROM)
    if hire_date >= end:
        return SegmentedSeverance(ground, None, art47, art47.amount, method, medical)
    years = years_begun(hire_date, end)
    capped = rule.years_cap is not None and years > rule.years_cap
    if capped:
        years = rule.years_cap  # type: ignore[assignment]
    base, floor = _pre_reform_base(wage, params, rule, enterprise_average_wage)
    amount = (base * years).quantize(CENT, ROUND_HALF_UP)
    pre = PreReformSegment(years, capped, base, floor, amount)
    return SegmentedSeverance(ground, pre, art47, amount + art47.amount, method, medical)


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
