"""Completeness (方案是否完善): every missing or inconsistent item, never a generic error.

Each section has a checker yielding Findings; add a checker to CHECKS to extend the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from approvals.i18n import N_, Counted, Listing, Np_, Text
from approvals.models.reference import INDUSTRIES
from approvals.rules.content import (
    CHANNELS,
    COMPUTED_FUNDING_ITEMS,
    FUNDING_ITEMS,
    FUNDING_SOURCES,
    SECTIONS,
    as_dict,
    as_list,
)
from approvals.rules.funding import to_amount
from approvals.rules.issues import Finding
from approvals.rules.parameters import ParameterSet
from approvals.rules.plan_schema import TEXT_SECTIONS
from approvals.rules.roster import RosterSummary
from approvals.rules.severance import PRE2008_METHODS, TERMINATION_GROUNDS, computed_on

Content = dict[str, Any]
Checker = Callable[[Content], Iterator[Finding]]


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _required_text(section: str, data: dict[str, Any], fields: dict[str, str]) -> Iterator[Finding]:
    for field, label in fields.items():
        if not str(data.get(field) or "").strip():
            yield Finding(
                section,
                field,
                "required",
                Text(N_("%(section)s：缺少“%(label)s”。"), section=Text(SECTIONS[section]), label=Text(label)),
            )


def check_profile(content: Content) -> Iterator[Finding]:
    profile = as_dict(content.get("profile"))
    yield from _required_text(
        "profile",
        profile,
        {"name": N_("企业名称"), "uscc": N_("统一社会信用代码"), "ownership": N_("所有制性质"),
         "industry": N_("所属行业"), "region_code": N_("所在地区")},
    )  # fmt: skip


def check_decapacity(content: Content) -> Iterator[Finding]:
    task = as_dict(content.get("decapacity"))
    amount = to_amount(task.get("capacity_withdrawn"))
    if amount is None or amount <= 0:
        yield Finding("decapacity", "capacity_withdrawn", "positive_number",
                      Text(N_("化解过剩产能任务：退出产能须为大于0的数。")))  # fmt: skip
    yield from _required_text("decapacity", task, {"unit": N_("产能单位"), "year": N_("任务年度")})


def check_scope(content: Content, parameters: ParameterSet) -> Iterator[Finding]:
    """The plan is within the notice's scope (冀人社发〔2018〕38号 第二条): an industry and a task year the
    parameters in force on its reference date cover (an extension is a new dated value, not a code change)."""
    industry = as_dict(content.get("profile")).get("industry")
    industries = parameters["scope_industries"]
    if industry in INDUSTRIES and industry not in industries:
        yield Finding("profile", "industry", "scope_industry",
                      Text(N_("企业基本情况：所属行业“%(industry)s”不在安置政策适用的行业（%(scope)s）内。"),
                           industry=Text(INDUSTRIES[industry]),
                           scope=Listing((Text(INDUSTRIES[k]) for k in industries), N_("、"))))  # fmt: skip
    year = str(as_dict(content.get("decapacity")).get("year") or "").strip().removesuffix("年")
    years = parameters["scope_task_years"]
    if year and (not year.isdigit() or int(year) not in years):
        yield Finding("decapacity", "year", "scope_task_year",
                      Text(N_("化解过剩产能任务：任务年度“%(year)s”不在安置政策适用的年度（%(scope)s）内；"
                              "政策延续适用的，由系统管理员在法定参数中增加该年度。"),
                           year=year, scope=Listing((Text(N_("%(n)s年度"), n=y) for y in years), N_("、"))))  # fmt: skip


def check_workforce(content: Content) -> Iterator[Finding]:
    workforce = as_dict(content.get("workforce"))
    on_roll, in_scope = _count(workforce.get("on_roll")), _count(workforce.get("in_scope"))
    excluded = _count(workforce.get("excluded", 0))
    if not on_roll:
        yield Finding("workforce", "on_roll", "positive_integer", Text(N_("职工基本情况：在册职工数须为正整数。")))
    if not in_scope:
        yield Finding("workforce", "in_scope", "positive_integer",
                      Text(N_("职工基本情况：需安置职工数须为正整数。")))  # fmt: skip
    elif on_roll and in_scope > on_roll:
        yield Finding("workforce", "in_scope", "not_above_on_roll",
                      Text(N_("职工基本情况：需安置职工数（%(in_scope)s）不得多于在册职工数（%(on_roll)s）。"),
                           in_scope=in_scope, on_roll=on_roll))  # fmt: skip
    if excluded is None:
        yield Finding("workforce", "excluded", "non_negative_integer",
                      Text(N_("职工基本情况：不纳入安置范围人数须为非负整数。")))  # fmt: skip
    elif excluded and not str(workforce.get("exclusion_reasons") or "").strip():
        yield Finding("workforce", "exclusion_reasons", "required_when_excluded",
                      Text(N_("职工基本情况：有不纳入安置范围的职工时须说明原因（已解除劳动关系、已领取基本养老金等）。")))  # fmt: skip


def check_channels(content: Content) -> Iterator[Finding]:
    channels = as_dict(content.get("channels"))
    total = 0
    for key, label in CHANNELS.items():
        count = _count(channels.get(key, 0))
        if count is None:
            yield Finding(
                "channels",
                key,
                "non_negative_integer",
                Text(N_("安置渠道：“%(channel)s”人数须为非负整数。"), channel=Text(label)),
            )
        else:
            total += count
    in_scope = _count((as_dict(content.get("workforce"))).get("in_scope"))
    if in_scope and total != in_scope:
        yield Finding("channels", "total", "sum_equals_in_scope",
                      Text(N_("安置渠道：各渠道人数合计（%(total)s）应等于需安置职工数（%(in_scope)s）。"),
                           total=total, in_scope=in_scope))  # fmt: skip


def check_funding(content: Content) -> Iterator[Finding]:
    funding = as_dict(content.get("funding"))
    required = as_dict(funding.get("required"))
    for key, label in FUNDING_ITEMS.items():
        if to_amount(required.get(key)) is None and key in COMPUTED_FUNDING_ITEMS:
            # A read-only amount: the clerk cannot type it, so no "fill in 0" (issue 12 §2).
            yield Finding("funding", f"required.{key}", "non_negative_amount",
                          Text(N_("资金保障：“%(item)s”由职工名单按人计算，导入职工名单后自动填入。"), item=Text(label)))  # fmt: skip
        elif to_amount(required.get(key)) is None:
            yield Finding("funding", f"required.{key}", "non_negative_amount",
                          Text(N_("资金保障：“%(item)s”所需资金须填写非负金额（元），无此项填0。"), item=Text(label)))  # fmt: skip
    sources = as_list(funding.get("sources"))
    if not sources:
        yield Finding("funding", "sources", "required", Text(N_("资金保障：至少填写一项资金来源。")))
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, dict):
            yield Finding(
                "funding",
                f"sources[{number}]",
                "object",
                Text(N_("资金保障第%(number)s项来源：格式不正确。"), number=number),
            )
            continue
        if not isinstance(source.get("source"), str) or source["source"] not in FUNDING_SOURCES:
            yield Finding("funding", f"sources[{number}].source", "known_source",
                          Text(N_("资金保障第%(number)s项来源：来源类别无效。"), number=number))  # fmt: skip
        if to_amount(source.get("amount")) is None:
            yield Finding("funding", f"sources[{number}].amount", "non_negative_amount",
                          Text(N_("资金保障第%(number)s项来源：金额须为非负数（元）。"), number=number))  # fmt: skip


def check_risk_assessment(content: Content) -> Iterator[Finding]:
    risk = as_dict(content.get("risk_assessment"))
    if _count(risk.get("open_disputes", None)) is None:
        yield Finding("risk_assessment", "open_disputes", "non_negative_integer",
                      Text(N_("风险评估：须填写未结信访及集体劳动争议件数（无则填0）。")))  # fmt: skip
    yield from _required_text(
        "risk_assessment", risk, {"assessment": N_("社会稳定风险评估结论"), "emergency_plan": N_("应急处置预案")}
    )


def check_text_sections(content: Content) -> Iterator[Finding]:
    """The sections that are mostly the plan's own words: each required item present."""
    for section, fields in TEXT_SECTIONS.items():
        yield from _required_text(section, as_dict(content.get(section)), fields)


def check_dates_and_amounts(content: Content) -> Iterator[Finding]:
    severance = as_dict(content.get("severance"))
    if _date(severance.get("reference_date")) is None:
        yield Finding("severance", "reference_date", "iso_date",
                      Text(N_("经济补偿：须填写计算经济补偿的基准日（如2018-07-31）。")))  # fmt: skip
    ground = severance.get("termination_ground")
    if ground is not None and not (isinstance(ground, str) and ground in TERMINATION_GROUNDS):
        names = Listing((Text(N_("%(key)s（%(ground)s）"), key=key, ground=Text(g.label))
                         for key, g in TERMINATION_GROUNDS.items()), N_("、"))  # fmt: skip
        yield Finding("severance", "termination_ground", "known_termination_ground",
                      Text(N_("经济补偿：解除劳动合同的依据须为%(names)s之一；它决定2008年以前工作年限的计算办法。"),
                           names=names))  # fmt: skip
    method = severance.get("pre2008_method")
    if method is not None and not (isinstance(method, str) and method in PRE2008_METHODS):
        names = Listing((Text(N_("%(key)s（%(method)s）"), key=key, method=Text(label))
                         for key, label in PRE2008_METHODS.items()), N_("、"))  # fmt: skip
        yield Finding("severance", "pre2008_method", "known_pre2008_method",
                      Text(N_("经济补偿：2008年前工作年限计算办法须为%(names)s之一（劳动合同法第九十七条第三款）。"),
                           names=names))  # fmt: skip
    if severance.get("enterprise_average_wage") is not None and to_amount(severance["enterprise_average_wage"]) is None:
        yield Finding("severance", "enterprise_average_wage", "non_negative_amount",
                      Text(N_("经济补偿：企业月平均工资须为非负金额（元）。")))  # fmt: skip
    arrears = as_dict(content.get("arrears"))
    for field, label in (("wages", N_("拖欠职工工资")), ("social_insurance", N_("欠缴社会保险费"))):
        if to_amount(arrears.get(field)) is None:
            yield Finding(
                "arrears",
                field,
                "non_negative_amount",
                Text(N_("拖欠工资和社会保险费：“%(item)s”须填写非负金额（元），无则填0。"), item=Text(label)),
            )
    channels = as_dict(content.get("channels"))
    if _count(channels.get("internal_retirement", 0)):
        terms = as_dict(content.get("internal_retirement"))
        if not to_amount(terms.get("living_allowance")):
            yield Finding("internal_retirement", "living_allowance", "positive_amount",
                          Text(N_("内部退养：须填写内退生活费标准（元/月），且不低于省政府规定的最低标准。")))  # fmt: skip
    if _date(as_dict(content.get("opinions")).get("solicited_on")) is None:
        yield Finding("opinions", "solicited_on", "iso_date", Text(N_("听取职工意见：须填写听取意见的日期。")))


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


CHECKS: list[Checker] = [
    check_profile,
    check_decapacity,
    check_workforce,
    check_channels,
    check_funding,
    check_risk_assessment,
    check_text_sections,
    check_dates_and_amounts,
]


def check_roster(content: Content, roster: RosterSummary | None) -> Iterator[Finding]:
    """The roster against the plan: counts, channels, justifications, filings, computed costs."""
    if roster is None or not roster.workers:
        yield Finding("roster", "rows", "required", Text(N_("职工实名制台账：尚未导入职工名单。")))
        return
    if roster.computed_on is not None and roster.computed_on != computed_on(as_dict(content.get("severance"))):
        yield Finding("roster", "severance", "computed_on_current_terms",
                      Text(N_("职工实名制台账：经济补偿的计算基准日、解除或终止依据、2008年前工作年限计算办法或企业月平均工资"
                              "已修改，请重新导入职工名单，按修改后的条件计算经济补偿。")))  # fmt: skip
    in_scope = _count(as_dict(content.get("workforce")).get("in_scope"))
    if in_scope and roster.in_scope != in_scope:
        yield Finding("roster", "rows", "count_equals_in_scope",
                      Text(N_("职工实名制台账：纳入安置范围的名单人数（%(listed)s）应等于需安置职工数（%(in_scope)s）。"),
                           listed=roster.in_scope, in_scope=in_scope))  # fmt: skip
    channels = as_dict(content.get("channels"))
    for key, label in CHANNELS.items():
        declared = _count(channels.get(key, 0))
        actual = roster.by_channel.get(key, 0)
        if declared is not None and declared != actual:
            yield Finding("roster", f"channels.{key}", "count_equals_channel",
                          Text(N_("职工实名制台账：“%(channel)s”名单人数（%(actual)s）与安置渠道填报人数（%(declared)s）不一致。"),
                               channel=Text(label), actual=actual, declared=declared))  # fmt: skip
    if roster.unjustified:
        yield Finding("roster", "justification", "justification_required",
                      Text(N_("职工实名制台账：有%(count)s名职工的解除须填写书面说明（特殊群体、双职工夫妻，或依协商一致、"
                              "第四十四条解除或终止受劳动合同法第四十二条保护的职工）。"),
                           count=roster.unjustified))  # fmt: skip
    if roster.unreachable_unfiled:
        yield Finding("roster", "bureau_filing", "unreachable_filing",
                      Counted(Np_("职工实名制台账：有%(count)s名暂时联系不上的职工未记录联系措施或未报人社部门核查备案。",
                                  "职工实名制台账：有%(count)s名暂时联系不上的职工未记录联系措施或未报人社部门核查备案。"),
                              roster.unreachable_unfiled, count=roster.unreachable_unfiled))  # fmt: skip
    if roster.severance_missing:
        yield from _severance_missing(roster)
    if roster.mass_layoff:
        yield from _layoff_notice(content, roster)
    required = as_dict(as_dict(content.get("funding")).get("required"))
    for key, computed, label in (("severance", roster.severance_owed, N_("经济补偿金")),
                                 ("internal_retirement", roster.internal_retirement_total, N_("内部退养费用"))):  # fmt: skip
        if to_amount(required.get(key)) != computed:
            yield Finding("funding", f"required.{key}", "equals_computed",
                          Text(N_("资金保障：所需“%(item)s”应为按职工名单计算的%(amount)s元。"),
                               item=Text(label), amount=computed))  # fmt: skip
    arrears = as_dict(content.get("arrears"))
    wages, insurance = to_amount(arrears.get("wages")), to_amount(arrears.get("social_insurance"))
    if wages is not None and insurance is not None and to_amount(required.get("arrears")) != wages + insurance:
        yield Finding("funding", "required.arrears", "equals_arrears",
                      Text(N_("资金保障：所需“拖欠工资及社会保险费”应为%(amount)s元（拖欠工资与欠缴社会保险费之和）。"),
                           amount=wages + insurance))  # fmt: skip


# A leaver's own data severance needs (the clerk gives it), and the city's figures (an administrator enters them).
WORKER_DATA = {"hire_date": N_("入企时间"), "monthly_wage": N_("月平均工资")}
WAGE_FIGURES = {
    "average": N_("职工月平均工资（系统管理—工资参数）"),
    "minimum": N_("最低工资标准（系统管理—法定参数）"),
}


def _severance_missing(roster: RosterSummary) -> Iterator[Finding]:
    """Why severance cannot be computed, and who can fix it: the city's figures are the administrator's to
    enter (the plan is then recomputed, no new upload), a worker's own data the clerk's (issue 12 §2)."""
    gap = roster.wage_figures_missing
    if gap:
        yield Finding("roster", "monthly_wage", "wage_figures_entered",
                      Text(N_("职工实名制台账：%(city)s%(year)s年度%(figures)s尚未录入，解除劳动关系职工的经济补偿暂不能计算。"
                              "该数据由系统管理员录入，企业无法填写；录入后本方案的经济补偿自动重新计算，无须重新导入名单，"
                              "请联系系统管理员。"),
                           city=gap.get("city_name", ""), year=gap.get("year", ""),
                           figures=Listing((Text(label) for key, label in WAGE_FIGURES.items() if gap.get(key)), N_("、"))))  # fmt: skip
    listed = roster.severance_missing_workers
    if listed:
        workers = Listing((Text(N_("第%(row)s行%(name)s缺少%(items)s"), row=w.get("row") or "", name=w.get("name") or "",
                                items=Listing((Text(WORKER_DATA.get(key, key)) for key in w.get("missing", ())), N_("、")))
                           for w in listed), N_("；"))  # fmt: skip
        more = roster.severance_missing_data - len(listed)
        yield Finding("roster", "monthly_wage", "severance_computable",
                      Text(N_("职工实名制台账：%(workers)s%(more)s，无法计算经济补偿。请在职工名单中补充后重新导入，或在该职工的页面修改。"),
                           workers=workers, more=Text(N_("等，共%(count)s人"), count=roster.severance_missing_data) if more > 0 else ""))  # fmt: skip
    if not gap and not listed:  # a summary from before the reasons were kept, or the plan's severance terms
        yield Finding("roster", "monthly_wage", "severance_computable",
                      Counted(Np_("职工实名制台账：有%(count)s名解除劳动合同的职工无法计算经济补偿"
                                  "（缺少入企时间、月平均工资或当地工资参数）。",
                                  "职工实名制台账：有%(count)s名解除劳动合同的职工无法计算经济补偿"
                                  "（缺少入企时间、月平均工资或当地工资参数）。"),
                              roster.severance_missing, count=roster.severance_missing))  # fmt: skip


def _layoff_notice(content: Content, roster: RosterSummary) -> Iterator[Finding]:
    """Art 41: explain to the union or all workers 30 days before the layoff."""
    timetable = as_dict(content.get("timetable"))
    told, leave = _date(timetable.get("union_explanation_date")), _date(timetable.get("termination_date"))
    if told is None or leave is None or (leave - told).days < 30:
        yield Finding("timetable", "union_explanation_date", "thirty_days_notice",
                      Text(N_("时间安排：解除劳动合同%(count)s人，属于经济性裁员，须在解除前至少三十日向工会或者全体职工说明情况"
                              "（劳动合同法第四十一条），请填写说明日期和解除日期。"), count=roster.terminations))  # fmt: skip


ROSTER_CHECKS: list[Callable[[Content, RosterSummary | None], Iterator[Finding]]] = [check_roster]


def missing_items(content: Content, roster: RosterSummary | None = None) -> list[Finding]:
    """Everything that keeps the plan from being complete, in the order of CHECKS."""
    found = [finding for check in CHECKS for finding in check(content)]
    return found + [finding for check in ROSTER_CHECKS for finding in check(content, roster)]
