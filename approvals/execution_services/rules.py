"""The rules of the services for leaving workers (冀人社发〔2018〕38号 §四), without the database.

§四: "为每名分流职工至少提供3次岗位推荐和1次职业指导、就业服务、职业培训等服务。对有创业愿意的，优先安排入驻各类
创业孵化基地，全面落实创业培训补贴、创业担保贷款等优惠政策。加强分类帮扶，对就业困难人员建档立卡，提供“一对一”的
就业援助。对通过市场渠道确实无法实现就业的，要开发和腾退一批公益性岗位进行优先安置，确保不出现零就业家庭。"
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_

from approvals.i18n import N_
from approvals.rules.retirement import add_months
from approvals.rules.roster import ENDS_LABOUR_RELATION, MINIMUM_WORKING_AGE

JOB_RECOMMENDATION = "job_recommendation"
SERVICE_KINDS = {
    JOB_RECOMMENDATION: N_("岗位推荐"),
    "career_guidance": N_("职业指导"),
    "employment_service": N_("就业服务"),
    "vocational_training": N_("职业培训"),
}
# §四 "至少提供3次岗位推荐和1次职业指导、就业服务、职业培训等服务": fixed by the notice, not settings.
MIN_JOB_RECOMMENDATIONS = 3
MIN_OTHER_SERVICES = 1

# 就业困难人员 (就业促进法 Art 52 ¶2: the province sets the scope). The first three are read from the roster
# and the households and proposed; the user confirms. The others only the user can know, with a note.
AGE = "age"
DISABILITY = "disability"
ZERO_EMPLOYMENT_FAMILY = "zero_employment_family"
DIFFICULTY_CRITERIA = {
    AGE: N_("大龄（女性、男性达到设定年龄，“4050”人员）"),
    DISABILITY: N_("残疾人员"),
    ZERO_EMPLOYMENT_FAMILY: N_("零就业家庭成员"),
    "long_term_unemployed": N_("长期失业人员"),
    "other": N_("省定范围的其他情形"),
}
NEEDS_NOTE = frozenset({"long_term_unemployed", "other"})

# A post that ends a household's zero employment; the public-welfare post is the last resort the notice
# names for it (§四 "开发和腾退一批公益性岗位进行优先安置，确保不出现零就业家庭"; 就业促进法 Art 56).
PUBLIC_WELFARE = "public_welfare"
POST_KINDS = {PUBLIC_WELFARE: N_("公益性岗位"), "employment": N_("单位就业"), "business": N_("自主创业（已登记注册）")}

GUARANTEED_LOAN = "guaranteed_loan"
SUPPORT_KINDS = {
    "incubator": N_("入驻创业孵化基地"),
    "training_subsidy": N_("创业培训补贴"),
    GUARANTEED_LOAN: N_("创业担保贷款"),
}
WITH_AMOUNT = frozenset({"training_subsidy", GUARANTEED_LOAN})

RELATIONS = {"head": N_("户主"), "spouse": N_("配偶"), "child": N_("子女"), "parent": N_("父母"), "other": N_("其他")}
SEXES = {"M": N_("男"), "F": N_("女")}
# Working age of a family member who is no worker of the roster (法定劳动年龄): from 16 (劳动法 Art 15) to
# the statutory retirement age (国发〔1978〕104号 Art 1: men 60, women 50 in manual posts, 55 in cadre posts).
# A woman's post is not known here: she counts until 55, so that no household goes unflagged on a guess
# (就业促进法 Art 56 protects the household).
MEMBER_RETIREMENT_AGE = {"M": 60, "F": 55}


def leaves_enterprise(channel: str | None, in_scope: bool, reached_retirement: bool) -> bool:
    """Whether a roster worker leaves the enterprise and so is owed the services of §四: in scope, placed by
    a channel that ends the labour relation (termination, self-employment, a public-welfare post outside
    the firm: rules/roster.py ENDS_LABOUR_RELATION) and not at retirement age (who draws a pension seeks no
    job). Internal retirement, transfer with training and transformation keep the relation."""
    return in_scope and channel in ENDS_LABOUR_RELATION and not reached_retirement


def leaving_condition(channel: Any, in_scope: Any, reached_retirement: Any) -> ColumnElement[bool]:
    """leaves_enterprise in SQL, over the roster's columns: the lists select the leaving workers with it."""
    return and_(in_scope, channel.in_(ENDS_LABOUR_RELATION), reached_retirement.is_(False))


def service_due(started: date, months: int) -> date:
    """The last day the minimum services count: `months` (the setting) after execution started."""
    return add_months(started, months)


@dataclass(frozen=True)
class ServiceCount:
    """What one worker has received by the due date, and what is short."""

    job_recommendations: int
    other_services: int
    due: date

    @property
    def job_recommendations_short(self) -> int:
        return max(0, MIN_JOB_RECOMMENDATIONS - self.job_recommendations)

    @property
    def other_services_short(self) -> int:
        return max(0, MIN_OTHER_SERVICES - self.other_services)

    @property
    def short(self) -> bool:
        return bool(self.job_recommendations_short or self.other_services_short)

    def overdue(self, today: date) -> bool:
        return self.short and today > self.due


def count_services(services: Iterable[tuple[str, date]], due: date) -> ServiceCount:
    """The services (kind, date) that count towards the minimum: those given on or before the due date."""
    jobs = others = 0
    for kind, day in services:
        if day > due:
            continue
        if kind == JOB_RECOMMENDATION:
            jobs += 1
        elif kind in SERVICE_KINDS:
            others += 1
    return ServiceCount(jobs, others, due)


def age_on(birth: date, day: date) -> int:
    """Full years (周岁) on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def meets_age(sex: str, birth: date, day: date, women: int, men: int) -> bool:
    """The age criterion (“4050” by default: the settings difficulty_age_women / difficulty_age_men)."""
    return age_on(birth, day) >= (women if sex == "F" else men)


def proposed_criteria(*, sex: str, birth: date, disability_card: str, zero_employment: bool, day: date,
                      women: int, men: int) -> list[str]:  # fmt: skip
    """The criteria of 就业困难人员 the roster and the households show, for the user to confirm."""
    found = []
    if meets_age(sex, birth, day, women, men):
        found.append(AGE)
    if disability_card.strip():
        found.append(DISABILITY)
    if zero_employment:
        found.append(ZERO_EMPLOYMENT_FAMILY)
    return found


def member_working_age(sex: str, birth: date, day: date) -> bool:
    """Whether a family member who is no worker is of working age on `day` (MEMBER_RETIREMENT_AGE)."""
    return MINIMUM_WORKING_AGE <= age_on(birth, day) < MEMBER_RETIREMENT_AGE.get(sex, 60)


@dataclass(frozen=True)
class MemberStatus:
    """One household member as zero employment reads them."""

    name: str
    working_age: bool
    has_work: bool


def zero_employment(members: Iterable[MemberStatus]) -> bool:
    """零就业家庭: every member of working age is without work (就业促进法 Art 56; MOHRSS: "法定劳动年龄内的家庭
    成员均处于失业状态"). A household with no member of working age is not one (nobody there seeks work)."""
    working = [m for m in members if m.working_age]
    return bool(working) and not any(m.has_work for m in working)


def post_held(starts_on: date, ends_on: date | None, day: date) -> bool:
    """Whether a post is held on `day`: begun, and its period (a public-welfare post's) not over."""
    return starts_on <= day and (ends_on is None or day <= ends_on)
