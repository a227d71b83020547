"""The legal parameters a plan is computed with (issue 11 §6): what each one is, its statutory default and
source, how its value is read and shown, and the set in force on one day.

The dated values themselves are reference data (approvals/models/parameters.py) that the administrator
edits; the value in force on a day is the one with the latest ``effective_from`` on or before it. A
parameter without any dated value in force falls back to its statutory default, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from approvals.i18n import N_, Listing, Text
from approvals.models.reference import INDUSTRIES
from approvals.rules.retirement import (
    MEN_ILLNESS,
    MEN_SPECIAL,
    RETIREMENT_AGES,
    WOMEN_ILLNESS,
    WOMEN_SPECIAL,
    RetirementAges,
)
from approvals.rules.severance import ContributionRates

YEARS = "years"  # a whole number of years
AGE = "age"  # an age in whole years (周岁)
PERCENT = "percent"  # a rate in per cent of the contribution base
YUAN = "yuan"  # an amount in yuan a month
INDUSTRY_SET = "industries"  # some of INDUSTRIES
YEAR_SET = "year_set"  # some calendar years
MONTHS = "months"  # a whole number of months
AMOUNT = "amount"  # an amount in yuan, once (not a month's)


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str  # Chinese, marked for the English catalogue
    kind: str
    default: Any  # the statutory default in the kind's type; None when the law gives no figure
    source: str  # where the default comes from (law, article; notice, section)


# 一至四类: Hebei sets its minimum wage in tiers, each county-level division assigned to one.
WAGE_TIERS = {1: N_("一类"), 2: N_("二类"), 3: N_("三类"), 4: N_("四类")}
# An unassigned county is floored at the first tier, the highest amount: a floor set too high costs the
# enterprise the difference, one set too low takes it from the worker (实施条例第二十七条 protects the worker).
UNASSIGNED_TIER = 1


def minimum_wage_key(tier: int) -> str:
    return f"minimum_wage_tier_{tier}"


PARAMETERS: dict[str, Parameter] = {
    p.key: p
    for p in (
        Parameter("internal_retirement_window_years", N_("内部退养：距法定退休年龄不超过"), YEARS, 5,
                  N_("《国有企业富余职工安置规定》（国务院令第111号）第九条")),
        Parameter("scope_industries", N_("纳入安置范围的行业"), INDUSTRY_SET, tuple(INDUSTRIES),
                  N_("冀人社发〔2018〕38号 第二条")),
        Parameter("scope_task_years", N_("化解过剩产能任务年度"), YEAR_SET, (2018,), N_("冀人社发〔2018〕38号 第二条")),
        Parameter("scope_transfer_years", N_("此前内部转岗须再次分流的年度"), YEAR_SET, (2016, 2017),
                  N_("冀人社发〔2018〕38号 第二条")),
        Parameter("employer_pension_rate", N_("内退人员单位基本养老保险缴费比例"), PERCENT, Decimal(16),
                  N_("国办发〔2019〕13号《降低社会保险费率综合方案》第一部分（自2019年5月1日起不高于16%）")),
        Parameter("employer_medical_rate", N_("内退人员单位基本医疗保险缴费比例"), PERCENT, Decimal(6),
                  N_("国发〔1998〕44号 第二部分（用人单位缴费率控制在职工工资总额的6%左右）")),
        *(Parameter(minimum_wage_key(tier), N_("月最低工资标准（%(tier)s）") % {"tier": label}, YUAN, None,
                    N_("劳动合同法实施条例第二十七条；《最低工资规定》第六条（省级人民政府公布）"))
          for tier, label in WAGE_TIERS.items()),
        Parameter("special_type_age_men", N_("特殊工种退休年龄（男）"), AGE, 55, N_("国发〔1978〕104号 第一条第二项")),
        Parameter("special_type_age_women", N_("特殊工种退休年龄（女）"), AGE, 45, N_("国发〔1978〕104号 第一条第二项")),
        Parameter("illness_age_men", N_("病退年龄（男）"), AGE, 50, N_("国发〔1978〕104号 第一条第三项")),
        Parameter("illness_age_women", N_("病退年龄（女）"), AGE, 45, N_("国发〔1978〕104号 第一条第三项")),
        # The notice sets the minimum services (3 job recommendations and 1 other, 冀人社发〔2018〕38号 第四条) but
        # no period: counted within this many months of the start of execution (a setting, domain.md: the
        # notice being silent, a configurable parameter with a default).
        Parameter("service_period_months", N_("分流职工就业服务的完成期限（自开始实施起）"), MONTHS, 12,
                  N_("冀人社发〔2018〕38号 第四条（未规定期限，默认12个月）")),
        # 就业困难人员: the province sets the scope (就业促进法 Art 52 ¶2); the age criterion is the usual
        # "4050" (women 40, men 50: domain-research H.1).
        Parameter("difficulty_age_women", N_("就业困难人员认定年龄（女）"), AGE, 40,
                  N_("就业促进法第五十二条（范围由省级人民政府规定）；通行“4050”标准")),
        Parameter("difficulty_age_men", N_("就业困难人员认定年龄（男）"), AGE, 50,
                  N_("就业促进法第五十二条（范围由省级人民政府规定）；通行“4050”标准")),
        Parameter("startup_loan_cap", N_("个人创业担保贷款额度上限"), AMOUNT, Decimal(300000),
                  N_("财政部等《普惠金融发展专项资金管理办法》（2023年）：个人创业担保贷款最高30万元")),
    )
}  # fmt: skip

# The tier labels inside the minimum-wage labels, spelled out for the catalogue (the label above is built).
_TIER_LABELS = (N_("月最低工资标准（一类）"), N_("月最低工资标准（二类）"), N_("月最低工资标准（三类）"),
                N_("月最低工资标准（四类）"))  # fmt: skip


@dataclass(frozen=True)
class SeedValue:
    key: str
    effective_from: date
    value: str
    basis: str


_MW_2016 = "河北省人民政府调整最低工资标准，自2016年7月1日起执行（河北新闻网2019年报道）"
_MW_2019 = "冀人社发〔2019〕34号 第一条、第五条（自2019年11月1日起执行）"
_MW_2023 = "河北省人力资源和社会保障厅《关于调整最低工资标准的通知》（2022年11月25日），自2023年1月1日起执行"
# The Hebei values a new installation starts from, each with the document that set it. The 2023 notice
# has three tiers only; the fourth tier is given the third tier's figure, the lowest that applies anywhere.
SEED: tuple[SeedValue, ...] = (
    SeedValue("internal_retirement_window_years", date(1993, 4, 20), "5", "《国有企业富余职工安置规定》第九条"),
    SeedValue("scope_industries", date(2018, 7, 26), ",".join(INDUSTRIES), "冀人社发〔2018〕38号 第二条"),
    SeedValue("scope_task_years", date(2018, 7, 26), "2018", "冀人社发〔2018〕38号 第二条"),
    SeedValue("scope_transfer_years", date(2018, 7, 26), "2016,2017", "冀人社发〔2018〕38号 第二条"),
    SeedValue("employer_pension_rate", date(2019, 5, 1), "16", "国办发〔2019〕13号 第一部分"),
    *(SeedValue(minimum_wage_key(t), date(2016, 7, 1), v, _MW_2016) for t, v in zip(WAGE_TIERS, ("1650", "1590", "1480", "1380"), strict=True)),
    *(SeedValue(minimum_wage_key(t), date(2019, 11, 1), v, _MW_2019) for t, v in zip(WAGE_TIERS, ("1900", "1790", "1680", "1580"), strict=True)),
    *(SeedValue(minimum_wage_key(t), date(2023, 1, 1), v, _MW_2023 + ("（三档制，第四类按第三档）" if t == 4 else ""))
      for t, v in zip(WAGE_TIERS, ("2200", "2000", "1800", "1800"), strict=True)),
    *(SeedValue(key, date(1978, 6, 2), str(PARAMETERS[key].default), "国发〔1978〕104号 第一条")
      for key in ("special_type_age_men", "special_type_age_women", "illness_age_men", "illness_age_women")),
)  # fmt: skip


def parse_value(key: str, text: str) -> Any:
    """The typed value of `text` for parameter `key`, or ValueError with a message naming the rule."""
    parameter = PARAMETERS[key]
    text = text.strip()
    if not text:
        raise ValueError(Text(N_("请填写参数值。")))
    kind = parameter.kind
    if kind in (YEARS, AGE, MONTHS):
        if not text.isdigit() or not 0 < int(text) <= {AGE: 100, YEARS: 20, MONTHS: 120}[kind]:
            bound = {
                AGE: N_("1至100之间的整数周岁"),
                YEARS: N_("1至20之间的整数年数"),
                MONTHS: N_("1至120之间的整数月数"),
            }[kind]
            raise ValueError(Text(N_("“%(value)s”不是%(bound)s。"), value=text, bound=Text(bound)))
        return int(text)
    if kind in (PERCENT, YUAN, AMOUNT):
        try:
            amount = Decimal(text.removesuffix("%").removesuffix("元").replace(",", ""))
        except InvalidOperation:
            raise ValueError(Text(N_("“%(value)s”不是数值。"), value=text)) from None
        if not amount.is_finite() or amount <= 0 or (kind == PERCENT and amount >= 100):
            bound = N_("大于0、小于100的百分比") if kind == PERCENT else N_("正的金额")
            raise ValueError(Text(N_("“%(value)s”须为%(bound)s。"), value=text, bound=Text(bound)))
        if -amount.as_tuple().exponent > 2:  # type: ignore[operator]
            raise ValueError(Text(N_("“%(value)s”最多保留两位小数。"), value=text))
        return amount
    items = [item for item in re.split(r"[,，、;；\s]+", text) if item]
    if kind == YEAR_SET:
        bad = [item for item in items if not (item.isdigit() and 1990 <= int(item) <= 2100)]
        if bad:
            raise ValueError(Text(N_("年度须为1990至2100之间的四位年份，“%(bad)s”不是。"), bad=Listing(bad, N_("、"))))
        return tuple(sorted({int(item) for item in items}))
    by_name = {label: key for key, label in INDUSTRIES.items()}
    keys = [item if item in INDUSTRIES else by_name.get(item, "") for item in items]
    bad = [item for item, k in zip(items, keys, strict=True) if not k]
    if bad:
        raise ValueError(
            Text(
                N_("行业须为%(industries)s之一，“%(bad)s”不是。"),
                industries=Listing([Text(label) for label in INDUSTRIES.values()], N_("、")),
                bad=Listing(bad, N_("、")),
            )
        )
    return tuple(k for k in INDUSTRIES if k in keys)


def stored_text(key: str, value: Any) -> str:
    """The canonical text a typed value is stored as (parse_value reads it back)."""
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class InForce:
    """One parameter's value on the day, and where it came from."""

    key: str
    value: Any
    effective_from: date | None  # None: no dated value in force, the statutory default applies
    basis: str  # the document the value was set under (the default's source when it is the default)

    @property
    def is_default(self) -> bool:
        return self.effective_from is None


@dataclass(frozen=True)
class WageRegion:
    """The county whose minimum wage floors the severance, its tier on the day and the amount."""

    region_code: str
    region_name: str
    tier: int
    assigned: bool  # False: no tier assigned on the day, UNASSIGNED_TIER applies
    effective_from: date | None  # of the assignment


@dataclass(frozen=True)
class ParameterSet:
    """Every parameter's value in force on `day`, the plan's reference date (基准日)."""

    day: date
    values: dict[str, InForce]

    def __getitem__(self, key: str) -> Any:
        return self.values[key].value

    @property
    def internal_retirement_window_years(self) -> int:
        return int(self["internal_retirement_window_years"])

    @property
    def employer_rates(self) -> ContributionRates:
        """The employer's pension and medical rates as fractions (16 → 0.16)."""
        return ContributionRates(
            pension=self["employer_pension_rate"] / 100, medical=self["employer_medical_rate"] / 100
        )

    def minimum_wage(self, tier: int) -> Decimal | None:
        """The monthly minimum wage of the tier on the day; None when none has been set."""
        wage: Decimal | None = self[minimum_wage_key(tier)]
        return wage

    def retirement_ages(self) -> RetirementAges:
        """The retirement rules' age table (approvals/rules/retirement.py) with the special-type (特殊工种) and
        illness (病退) ages in force: the normal ages are the statute's and the 2025 decision's, not data."""
        dated = {MEN_SPECIAL: "special_type_age_men", WOMEN_SPECIAL: "special_type_age_women",
                 MEN_ILLNESS: "illness_age_men", WOMEN_ILLNESS: "illness_age_women"}  # fmt: skip
        return MappingProxyType({**RETIREMENT_AGES, **{category: int(self[key]) for category, key in dated.items()}})

    def as_json(self) -> dict[str, Any]:
        """What a plan keeps of the values it used: enough to show them again, whatever changes later."""
        return {"day": self.day.isoformat(),
                "values": {k: {"value": stored_text(k, v.value) if v.value is not None else None,
                               "effective_from": v.effective_from.isoformat() if v.effective_from else None,
                               "basis": v.basis} for k, v in self.values.items()}}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParameterSet:
        values = {}
        for key, item in data.get("values", {}).items():
            if key not in PARAMETERS:
                continue  # a parameter since retired: the plan's stored figures were computed without it
            text = item.get("value")
            start = item.get("effective_from")
            values[key] = InForce(key, parse_value(key, text) if text is not None else None,
                                  date.fromisoformat(start) if start else None, str(item.get("basis") or ""))  # fmt: skip
        for key, parameter in PARAMETERS.items():
            values.setdefault(key, InForce(key, parameter.default, None, parameter.source))
        return cls(date.fromisoformat(data["day"]), values)


def in_force(day: date, dated: list[tuple[str, date, str, str]]) -> ParameterSet:
    """The set in force on `day` from dated rows (key, effective_from, stored text, basis) in the order they
    were entered: for each key the latest effective_from on or before the day, the later entry on a tie."""
    chosen: dict[str, tuple[date, str, str]] = {}
    for key, start, text, basis in dated:
        if key in PARAMETERS and start <= day and (key not in chosen or start >= chosen[key][0]):
            chosen[key] = (start, text, basis)
    values = {}
    for key, parameter in PARAMETERS.items():
        if key in chosen:
            start, text, basis = chosen[key]
            values[key] = InForce(key, parse_value(key, text), start, basis)
        else:
            values[key] = InForce(key, parameter.default, None, parameter.source)
    return ParameterSet(day, values)


def _same(text: str) -> str:
    return text


def shown_value(key: str, value: Any, say: Callable[[str], str] = _same) -> str:
    """The value as a reader sees it: "5年", "16%", "1,650.00元/月", "钢铁、煤炭", "2016年度、2017年度".

    `say` translates a pattern or label (the web layer passes gettext; the core keeps Chinese)."""
    if value is None:
        return say(N_("未设置"))
    kind = PARAMETERS[key].kind
    if kind in (YEARS, AGE, MONTHS, PERCENT, YUAN, AMOUNT):
        number = (
            f"{value.normalize():f}" if kind == PERCENT else f"{value:,.2f}" if kind in (YUAN, AMOUNT) else str(value)
        )
        pattern = {
            YEARS: N_("%(n)s年"),
            AGE: N_("%(n)s周岁"),
            MONTHS: N_("%(n)s个月"),
            PERCENT: N_("%(n)s%%"),
            YUAN: N_("%(n)s元/月"),
            AMOUNT: N_("%(n)s元"),
        }[kind]
        return say(pattern) % {"n": number}
    if kind == YEAR_SET:
        return say(N_("、")).join(say(N_("%(n)s年度")) % {"n": year} for year in value)
    return say(N_("、")).join(say(INDUSTRIES[k]) for k in value)


# What a plan states of the parameters it used, in this order: the minimum wage (one line, of the
# county's tier) stands where the four tiers are defined.
SHOWN_ORDER = ("internal_retirement_window_years", "employer_pension_rate", "employer_medical_rate", "minimum_wage",
               "scope_industries", "scope_task_years", "scope_transfer_years", "special_type_age_men",
               "special_type_age_women", "illness_age_men", "illness_age_women")  # fmt: skip


def parameter_lines(
    parameters: ParameterSet, region: WageRegion, say: Callable[[str], str] = _same, others: Any = ()
) -> list[tuple[str, str]]:
    """(label, "value（自YYYY-MM-DD起；依据：…）") for each parameter a plan states, in the reader's language
    through `say`; the administrator's basis text is shown as entered. The minimum wage is stated for the
    enterprise's county and each of `others`, the counties the roster's workers work in."""
    lines = []
    for key in SHOWN_ORDER:
        if key == "minimum_wage":
            for place in (region, *others):
                item = parameters.values[minimum_wage_key(place.tier)]
                label = say(N_("月最低工资标准（%(region)s，%(tier)s）")) % {"region": place.region_name,
                                                                       "tier": say(WAGE_TIERS[place.tier])}  # fmt: skip
                if not place.assigned:
                    label += say(N_("（该地区尚未设定类别，按各类中最高的一类）"))
                lines.append((label, _stated(item, say)))
            continue
        item = parameters.values[key]
        lines.append((say(PARAMETERS[key].label), _stated(item, say)))
    return lines


def _stated(item: InForce, say: Callable[[str], str]) -> str:
    """The value and where it comes from."""
    value = shown_value(item.key, item.value, say)
    if item.is_default:
        note = say(N_("未录入当日有效的值，按法定默认值；依据：%(basis)s")) % {"basis": say(item.basis)}
    else:
        day = item.effective_from.isoformat()  # type: ignore[union-attr]
        note = say(N_("自%(day)s起，依据：%(basis)s")) % {"day": day, "basis": item.basis}
    return value + say(N_("（")) + note + say(N_("）"))
