"""Importing the real-name roster: validate every row (a full report), then commit.

A file with errors saves nothing unless the user chooses to commit the valid rows. A re-import
updates workers by ID number; what it replaces or removes is kept in roster_worker_change.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any, cast

from pydantic_core import to_json
from sqlalchemy import Select, Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.errors import Conflict, Invalid, NotFound
from approvals.i18n import N_, Listing, Text, restored, stored
from approvals.models import ExecutionRecord, Plan, Region, Role, User
from approvals.models.roster import RosterImport, RosterWorker, RosterWorkerChange, WageParameter
from approvals.process import Status
from approvals.roster.columns import BY_KEY, CHOICE, COLUMNS, FLAG, Column
from approvals.roster.files import FileProblem, RosterFile, RosterRow, collector_paused, parse_row, read_roster
from approvals.rules.completeness import WAGE_FIGURES  # what only an administrator enters (RowContext.wage_gap)
from approvals.rules.content import as_dict, canonical_json, content_hash
from approvals.rules.issues import Finding
from approvals.rules.parameters import UNASSIGNED_TIER, WAGE_TIERS, ParameterSet, WageRegion
from approvals.rules.resident_id import IdProblem, ParsedId, mask_id, parse_id
from approvals.rules.retirement import (
    INTERNAL_RETIREMENT_WINDOW_YEARS,
    RETIREMENT_AGES,
    RetirementAges,
    choose_birth_date,
    internal_retirement_problems,
    statutory_retirement_date,
    worker_category,
)
from approvals.rules.roster import (
    ENDS_LABOUR_RELATION,
    EXCLUSION_REASONS,
    JUSTIFIED_BY_STATEMENT,
    PREGNANCY_SITUATIONS,
    TERMINATION,
    LayoffCheck,
    RosterSummary,
    WorkerFacts,
    art42_lawful_ends,
    at_retirement,
    couples_elsewhere,
    dual_worker_terminations,
    dual_worker_terminations_elsewhere,
    exclusion_reason,
    immune_under_art42,
    needs_justification,
    pension_ends_contract,
    protected_group,
    protected_terminations,
    retirement_ends_contract,
    statutory_immunity,
    unreachable_problems,
    unused_termination_facts,
    work_start_problems,
)
from approvals.rules.severance import (
    DEFAULT_EMPLOYER_RATES,
    DEFAULT_GROUND,
    DEFAULT_METHOD,
    ContributionRates,
    WageParameters,
    computed_on,
    internal_retirement_cost,
    plan_terms,
    segmented_severance,
)
from approvals.services.drafting_group import involve_working_group
from approvals.services.parameters import (
    from_snapshot,
    minimum_wage_of,
    parameters_in_force,
    snapshot,
    wage_region,
    wage_tiers_on,
)

CHUNK = 900  # ids per IN (...) query: below SQLite's bound-parameter limit
SEVERANCE_INPUT_MISSING = "severance_input_missing"  # a leaver's 入企时间 or 月平均工资 is not given


def at_row(row: int, message: str) -> Text:
    """A finding of one row, said with its row number first."""
    return Text(N_("第%(row)s行：%(message)s"), row=row, message=message)


@dataclass(frozen=True)
class Issue:
    row: int | None
    column: str
    rule: str
    value: str
    message: str
    justified: bool = False


def worker_issue(issue: Issue) -> dict[str, Any]:
    """An issue as a worker's row keeps it (RosterWorker.warnings, JSON): its message in the stored form of a
    Text (approvals.i18n.stored), so that a page says it in the reader's language (app.web.i18n.say_stored)
    and the API in Chinese (`worker_issue_said`). Rows kept before hold the Chinese text itself, which both show as it is."""
    return {**asdict(issue), "message": stored(issue.message)}


def worker_issue_said(warning: dict[str, Any]) -> dict[str, Any]:
    """A kept issue with its message as the core says it (Chinese): what the API and exports read."""
    return {**warning, "message": str(restored(warning.get("message", "")))}


@dataclass
class RosterReport:
    accepted: int = 0
    rejected: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    mass_layoff: bool = False
    committed: bool = False
    added: int = 0
    updated: int = 0
    removed: int = 0
    # what committing this file would delete: saved workers absent from it (a dry run's preview)
    to_remove: int = 0
    to_remove_workers: list[dict[str, Any]] = field(default_factory=list)  # the first REMOVAL_SHOWN

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Checked:
    rows: dict[str, dict[str, Any]]  # id number → values for roster_worker, valid rows only
    rejected_ids: set[str]
    report: RosterReport
    parameters_used: dict[str, Any] = field(default_factory=dict)  # what the rows were computed with
    wage_gap: dict[str, Any] | None = None  # the city's figures an administrator has yet to enter


def reference_date(plan: Plan) -> date:
    """The plan's reference date (基准日) for severance and retirement; today when not yet set."""
    terms = as_dict(plan.content.get("severance"))
    try:
        return date.fromisoformat(str(terms.get("reference_date")))
    except ValueError:
        return date.today()


def city_of(plan: Plan) -> str:
    """The code of the enterprise's city (设区市), whose average wage caps severance."""
    return plan.enterprise.region_code[:4] + "00"


def _average_wage(session: Session, city: str, year: int) -> Decimal | None:
    """The city's published average monthly wage of the year (劳动合同法第四十七条), as the administrator entered it."""
    return session.scalar(select(WageParameter.average_monthly_wage).where(WageParameter.city_code == city,
                                                                           WageParameter.year == year))  # fmt: skip


def _wage_parameters(city: str, year: int, average: Decimal | None, minimum: Decimal | None) -> WageParameters | None:
    """Last year's local average wage of the enterprise's city (劳动合同法第四十七条), with the minimum wage
    in force on the reference date for the county's tier (实施条例第二十七条); None when either is missing."""
    if average is None or minimum is None:
        return None
    return WageParameters(city, year, average, minimum)


def _finding_issue(finding: Finding, value: Any = "", justified: bool = False) -> Issue:
    row = finding.field.split("]")[0].removeprefix("rows[") if finding.field.startswith("rows[") else None
    column = finding.field.split(".", 1)[1] if "." in finding.field else finding.field
    return Issue(int(row) if row else None, column, finding.rule, str(value or ""), finding.message, justified)


def check_rows(session: Session, plan: Plan, roster: RosterFile) -> _Checked:
    """Every rule on every row; nothing is written."""
    context = RowContext.of(session, plan, roster.columns)
    report = RosterReport()
    first_row: dict[str, int] = {}
    facts: list[WorkerFacts] = []
    rows: dict[str, dict[str, Any]] = {}
    rejected: set[str] = set()
    report.warnings.extend(context.file_warnings())
    report.warnings.extend(column_warnings(roster))
    for row in roster.rows:
        problems = row.problems
        errors = [Issue(p.row, p.column, p.rule, str(p.value or ""), p.message) for p in problems] if problems else []
        given = row.values.get("id_number")
        parsed = parse_id(str(given or ""), context.today)
        if isinstance(parsed, IdProblem):
            errors.append(_id_issue(row.row_number, parsed, given))
            report.errors.extend(errors)
            report.rejected += 1
            continue
        number = parsed.number
        if number in first_row:
            errors.append(Issue(row.row_number, "公民身份号码", "duplicate_in_file", number,
                                Text(N_("第%(row)s行：公民身份号码与第%(first)s行重复。"), row=row.row_number,
                                     first=first_row[number])))  # fmt: skip
        else:
            first_row[number] = row.row_number
        worker, record, row_errors, row_warnings = _check_row(row, parsed, context)
        if row_errors:
            errors += row_errors
        if errors:
            report.errors.extend(errors)
            report.rejected += 1
            rejected.add(number)
            continue
        if row_warnings:
            report.warnings.extend(row_warnings)
        facts.append(worker)
        rows[number] = record
    by_row = {f.row: f for f in facts}
    for finding in dual_worker_terminations(facts):
        worker = by_row[int(finding.field.split("]")[0].removeprefix("rows["))]
        issue = _finding_issue(finding, worker.justification, bool(worker.justification.strip()))
        report.warnings.append(issue)
        rows[worker.id_number]["warnings"].append(worker_issue(issue))
    elsewhere = _cross_check(session, plan, rows, facts, report)
    for worker in facts:
        number = worker.id_number
        _finish_row(rows[number], couple=(worker.spouse_id_number or "") in rows or number in elsewhere)
    terminations = sum(1 for f in facts if f.terminated)
    report.mass_layoff = LayoffCheck(terminations, plan.enterprise.headcount).is_mass_layoff
    if report.mass_layoff:
        report.warnings.append(Issue(None, "channel", "mass_layoff", str(terminations),
                                     Text(N_("解除劳动合同%(n)s人，属于经济性裁员（劳动合同法第四十一条：20人以上或占职工总数"
                                             "10%%以上），须提前三十日向工会或者全体职工说明情况，并在时间安排中载明。"),
                                          n=terminations)))  # fmt: skip
    report.accepted = len(rows)
    report.errors.sort(key=lambda i: i.row or 0)
    return _Checked(rows, rejected, report, context.parameters_used, context.wage_gap)


def column_warnings(roster: RosterFile) -> list[Issue]:
    """Every column of the file that is not imported, said before the clerk commits: nothing is dropped
    silently."""
    found = [Issue(None, letter, "unknown_column", header,
                   Text(N_("第%(letter)s列“%(header)s”未被识别，其内容不会导入。"), letter=letter, header=header)
                   if header else Text(N_("第%(letter)s列没有表头，其内容不会导入。"), letter=letter))
             for letter, header in roster.unknown_columns]  # fmt: skip
    found += [Issue(None, "file", "duplicate_column", "", note) for note in roster.notes]
    return found


def _id_issue(row: int, problem: IdProblem, given: Any) -> Issue:
    return Issue(row, "公民身份号码", problem.rule, str(given or ""), at_row(row, problem.message))


@dataclass
class RowContext:
    """What every row of one plan is checked against, looked up once: the reference date, the legal
    parameters in force on it, the wage parameters, the internal-retirement allowance, and the roster
    columns in their canonical order."""

    plan: Plan
    reference: date
    wages: WageParameters | None
    allowance: Decimal | None
    keys: tuple[str, ...]  # the columns present, in COLUMNS order: stored data keeps this order
    ground: str | None = DEFAULT_GROUND  # the plan's default ground for ending contracts; None: unknown
    enterprise_average: Decimal | None = None  # 企业月平均工资, a floor of the pre-2008 base for some grounds
    method: str | None = DEFAULT_METHOD  # how the pre-2008 years are counted (PRE2008_METHODS); None: unknown
    today: date = field(default_factory=date.today)
    parameters: ParameterSet | None = None  # in force on the reference date (issue 11 §6)
    wage_region: WageRegion | None = None  # the enterprise's county: its minimum wage floors severance
    # Workers' own counties (工作地区划代码): registered region names and the tiers on the reference date,
    # and the counties the rows named (the plan states each one's minimum wage).
    region_names: dict[str, str] = field(default_factory=dict)
    tiers: dict[str, tuple[int, date]] = field(default_factory=dict)
    work_regions: dict[str, WageRegion] = field(default_factory=dict)
    ages: RetirementAges = field(default_factory=lambda: RETIREMENT_AGES)  # statutory ages by category
    average_missing: bool = False  # the city's average wage of the year before the reference date is not entered
    # A roster repeats birth dates: tens of thousands of rows, a few thousand (birth, category) pairs.
    _retirement_dates: dict[tuple[date, str], date] = field(default_factory=dict, repr=False)

    def retirement_date(self, birth: date, category: str) -> date:
        """The statutory retirement date for this plan, computed once per (birth date, category)."""
        key = (birth, category)
        found = self._retirement_dates.get(key)
        if found is None:
            found = self._retirement_dates[key] = statutory_retirement_date(birth, category, self.reference, self.ages)
        return found

    @classmethod
    def of(cls, session: Session, plan: Plan, columns: Any = None, kept: bool = False,
           reference: date | None = None) -> RowContext:  # fmt: skip
        """The context of the plan's rows. With `kept`, the parameters the plan kept from its last import
        when they are for the same reference date: one worker's edit is computed as the others were.
        With `reference`, the rules and figures in force on that day instead of the plan's reference date."""
        reference = reference or reference_date(plan)
        allowance = _decimal(as_dict(plan.content.get("internal_retirement")).get("living_allowance"))
        keys = tuple(c.key for c in COLUMNS if columns is None or c.key in columns)
        terms = as_dict(plan.content.get("severance"))
        ground, method = plan_terms(terms)  # as the completeness check reads them
        used = plan.parameters_used if kept else None
        if used and used.get("day") == reference.isoformat():
            parameters, region = from_snapshot(used)
        else:
            parameters = parameters_in_force(session, reference)
            region = wage_region(session, plan.enterprise.region_code, reference)
        city, year = city_of(plan), reference.year - 1
        average = _average_wage(session, city, year)
        wages = _wage_parameters(city, year, average, minimum_wage_of(parameters, region))
        names = dict(session.execute(select(Region.code, Region.name)).tuples().all())
        return cls(plan, reference, wages, allowance, keys,
                   ground, _decimal(terms.get("enterprise_average_wage")), method, parameters=parameters, wage_region=region,
                   ages=parameters.retirement_ages(), region_names=names, tiers=wage_tiers_on(session, reference),
                   average_missing=average is None)  # fmt: skip

    @property
    def wage_gap(self) -> dict[str, Any] | None:
        """The figures severance waits for that only an administrator enters: the city's average wage of the
        year (工资参数) and the minimum wage of the county's tier (法定参数); None when both are there."""
        if self.wages is not None:
            return None
        city = city_of(self.plan)
        region = self.wage_region
        minimum = minimum_wage_of(self.parameters, region) if self.parameters and region else None
        return {"city": city, "city_name": self.region_names.get(city, city), "year": self.reference.year - 1,
                "average": self.average_missing, "minimum": minimum is None}  # fmt: skip

    @property
    def parameters_used(self) -> dict[str, Any]:
        if self.parameters is None or self.wage_region is None:
            return {}
        others = [r for code, r in sorted(self.work_regions.items()) if code != self.wage_region.region_code]
        return snapshot(self.parameters, self.wage_region, others)

    def work_region(self, code: str) -> WageRegion | None:
        """The worker's county and its tier on the reference date; None when the code is not registered."""
        if code not in self.region_names:
            return None
        if code not in self.work_regions:
            tier, start = self.tiers.get(code, (UNASSIGNED_TIER, None))
            self.work_regions[code] = WageRegion(code, self.region_names[code], tier, code in self.tiers, start)
        return self.work_regions[code]

    def wages_in(self, region: WageRegion) -> WageParameters | None:
        """The wage parameters with the minimum wage of the worker's county (实施条例第二十七条)."""
        minimum = self.parameters.minimum_wage(region.tier) if self.parameters else None
        if self.wages is None or minimum is None:
            return None
        if minimum == self.wages.minimum_monthly_wage:
            return self.wages
        return replace(self.wages, minimum_monthly_wage=minimum)

    @property
    def window_years(self) -> int:
        return self.parameters.internal_retirement_window_years if self.parameters else INTERNAL_RETIREMENT_WINDOW_YEARS

    @property
    def employer_rates(self) -> ContributionRates:
        return self.parameters.employer_rates if self.parameters else DEFAULT_EMPLOYER_RATES

    def file_warnings(self) -> list[Issue]:
        """What keeps severance from being computed for every row, or computes it on an assumption."""
        found = []
        region = self.wage_region
        if (gap := self.wage_gap) is not None:
            missing = Listing((Text(WAGE_FIGURES[key]) for key in WAGE_FIGURES if gap[key]), N_("、"))
            found.append(Issue(None, "monthly_wage", "wage_parameters_missing", "",
                               Text(N_("%(city)s%(year)s年度%(missing)s尚未录入，暂不能计算经济补偿。该数据由系统管理员录入，"
                                       "录入后本方案的经济补偿自动重新计算，无须重新导入名单；请联系系统管理员。"),
                                    city=gap["city_name"], year=gap["year"], missing=missing)))  # fmt: skip
        if region is not None and not region.assigned:
            tier = WAGE_TIERS[region.tier]
            found.append(Issue(None, "monthly_wage", "wage_tier_unassigned", region.region_code,
                               Text(N_("“%(region)s”尚未设定最低工资类别，暂按%(tier)s地区标准（各类中最高）计算经济补偿的"
                                       "最低工资保底（劳动合同法实施条例第二十七条），请管理员设定该地区的类别。"),
                                    region=region.region_name, tier=Text(tier))))  # fmt: skip
        if self.ground is None:
            given = str(as_dict(self.plan.content.get("severance")).get("termination_ground"))
            found.append(Issue(None, "termination_ground", "known_termination_ground", given,
                               Text(N_("方案“经济补偿”部分的解除劳动合同依据“%(given)s”无效，暂不能计算2008年以前工作年限的"
                                       "经济补偿。"), given=given)))  # fmt: skip
        if self.method is None:
            given = str(as_dict(self.plan.content.get("severance")).get("pre2008_method"))
            found.append(Issue(None, "pre2008_method", "known_pre2008_method", given,
                               Text(N_("方案“经济补偿”部分的2008年前工作年限计算办法“%(given)s”无效，暂不能计算经济补偿。"),
                                    given=given)))  # fmt: skip
        return found


def _check_row(
    row: RosterRow, parsed: ParsedId, context: RowContext
) -> tuple[WorkerFacts, dict[str, Any], list[Issue], list[Issue]]:
    """The rules of one row (the ID number already parsed): the worker's facts, the record to store,
    errors and warnings. Shared by the file import and the edit of one worker."""
    values = row.values
    get = values.get
    n = row.row_number
    reference = context.reference
    errors: list[Issue] = []
    warnings: list[Issue] = []
    name = str(get("name") or "").strip()  # a required column: the reader reports it missing
    channel = get("channel")
    file_birth = get("birth_date")
    birth, differs = choose_birth_date(parsed.birth_date, file_birth if isinstance(file_birth, date) else None)
    if differs:
        warnings.append(Issue(n, "档案出生日期", "birth_date_differs", str(file_birth),
                              Text(N_("第%(row)s行：档案出生日期与身份证不一致，按档案最先记载的出生日期（劳社部发〔1999〕8号）"
                                      "计算退休时间。"), row=n)))  # fmt: skip
    years_in_post = get("special_years")
    category, confirm = worker_category(parsed.sex, get("post_category"), years_in_post, context.ages)
    for finding in confirm:
        value = years_in_post if finding.field == "special_years" else get("post_category")
        warnings.append(Issue(n, finding.field, finding.rule, str(value or ""), at_row(n, finding.message)))
    retirement = context.retirement_date(birth, category)
    # Out of the scope (冀人社发〔2018〕38号 §二) when 不纳入安置原因 says so, or 劳动关系状态 or 领取基本养老金 does.
    excluded = exclusion_reason(str(get("excluded_reason") or "").strip() or None, get("employment_status"),
                                get("drawing_pension"))  # fmt: skip
    if excluded and excluded not in EXCLUSION_REASONS:
        errors.append(Issue(n, "不纳入安置原因", "known_exclusion", excluded,
                            Text(N_("第%(row)s行：不纳入安置范围的原因应为%(reasons)s。"), row=n,
                                 reasons=Listing((Text(r) for r in sorted(EXCLUSION_REASONS)), N_("、")))))  # fmt: skip
    attempts = get("contact_attempts")
    spouse = get("spouse_id_number")
    situation = get("special_situation")  # 特殊情形: the Art 42 facts as HR systems record them
    worker = WorkerFacts(
        row=n, id_number=parsed.number, name=name, channel=channel, hire_date=get("hire_date"),
        retirement_date=retirement, model_worker=get("model_worker"), skill_level=get("skill_level"),
        military_family=get("military_family"), disability_certificate=get("disability_card"),
        pregnancy_or_nursing=bool(get("pregnancy")) or situation in PREGNANCY_SITUATIONS,
        work_injury=bool(get("work_injury")) or situation == "work_injury",
        occupational_disease=situation == "occupational_disease", medical_period=situation == "medical_period",
        drawing_pension=get("drawing_pension") is True,
        spouse_id_number=_spouse(spouse) if spouse else None, justification=str(get("justification") or ""),
        ground=get("termination_ground") or context.ground,
        excluded_reason=excluded, unreachable=get("contact_status") == "unreachable",
        contact_attempts=frozenset(a for a in _split(attempts) if a) if attempts else frozenset(),
        bureau_filing=str(get("bureau_filing") or ""), work_start=get("work_start"),
    )  # fmt: skip
    if spouse and worker.spouse_id_number is None:  # kept as given, but no couple can be found by it
        problem = parse_id(str(spouse))
        why = problem.message if isinstance(problem, IdProblem) else ""
        warnings.append(Issue(n, "配偶身份证号", "spouse_id_invalid", str(spouse),
                              Text(N_("第%(row)s行：配偶身份证号无效，无法据此识别双职工夫妻，请核对：%(why)s"), row=n,
                                   why=why)))  # fmt: skip
    for finding in work_start_problems(worker, birth):
        warnings.append(_finding_issue(finding, worker.work_start))
    # 劳动合同法 Art 42: refused for an Art 40/41 dismissal; under Art 36 or 44 a warning to justify in writing.
    for finding in statutory_immunity(worker, reference):
        errors.append(_finding_issue(finding, channel))
    for finding in art42_lawful_ends(worker, reference):
        warnings.append(_finding_issue(finding, worker.justification, bool(worker.justification.strip())))
    severity = get("illness_severity")
    for finding in unused_termination_facts(worker, get("termination_ground") is not None, severity is not None):
        key = finding.field.rsplit(".", 1)[1]
        warnings.append(_finding_issue(finding, BY_KEY[key].label_of(get(key))))  # the label, as the file gave it
    for finding in protected_terminations(worker):
        target = warnings if needs_justification(finding) else errors
        target.append(_finding_issue(finding, worker.justification, bool(worker.justification.strip())))
    for finding in pension_ends_contract(worker):
        warnings.append(_finding_issue(finding, "是"))
    reached = at_retirement(worker, reference)
    for finding in retirement_ends_contract(worker, reference):
        warnings.append(_finding_issue(finding, retirement))
    if worker.unreachable:
        for finding in unreachable_problems(worker):
            warnings.append(_finding_issue(finding))
    if channel == "internal_retirement" and not excluded:
        for finding in internal_retirement_problems(birth, category, reference, reference,
                                                    consent=bool(get("retirement_consent")),
                                                    agreement=bool(get("retirement_agreement")),
                                                    window_years=context.window_years, ages=context.ages):  # fmt: skip
            errors.append(Issue(n, finding.field, finding.rule, "", at_row(n, finding.message)))
    pay = subsidy = ir_cost = None
    wage = get("monthly_wage")
    wages = context.wages
    if place := str(get("work_region") or "").strip():  # the worker's own county; else the enterprise's
        region = context.work_region(place)
        if region is None:
            errors.append(Issue(n, "工作地区划代码", "known_region", place,
                                Text(N_("第%(row)s行：工作地区划代码“%(code)s”不是已登记的行政区划代码。"), row=n,
                                     code=place)))  # fmt: skip
        else:
            wages = context.wages_in(region)
            if not region.assigned:
                warnings.append(Issue(n, "工作地区划代码", "wage_tier_unassigned", place,
                                      Text(N_("第%(row)s行：“%(region)s”尚未设定最低工资类别，暂按%(tier)s地区标准（各类中最高）"
                                              "计算经济补偿的最低工资保底。"), row=n, region=region.region_name,
                                           tier=Text(WAGE_TIERS[region.tier]))))  # fmt: skip
    # Every channel that ends the relation owes severance (ENDS_LABOUR_RELATION), on the worker's ground for
    # ending the contract (the plan's when the row names none): the channel is where the worker goes, the
    # ground how the contract ends.
    if worker.leaves and reached:
        pay = Decimal("0.00")  # the contract ends at retirement age: no severance (劳动合同法 Art 44(2), 46)
    elif (worker.leaves and wages is not None and worker.ground and context.method and worker.hire_date
            and isinstance(wage, Decimal)):  # fmt: skip
        owed = segmented_severance(worker.hire_date, reference, wage, wages, worker.ground,
                                   context.enterprise_average, context.method, severity)  # fmt: skip
        pay, subsidy = owed.amount, owed.medical.amount if owed.medical else None
    if worker.leaves and pay is None:  # the worker's own data the clerk can give; the city's figures: wage_gap
        for key, given in (("hire_date", worker.hire_date is not None), ("monthly_wage", isinstance(wage, Decimal))):
            if not given:
                warnings.append(Issue(n, key, SEVERANCE_INPUT_MISSING, "",
                                      Text(N_("第%(row)s行（%(name)s）：缺少%(column)s，无法计算经济补偿；请在职工名单中补充后"
                                              "重新导入，或在该职工的页面修改。"), row=n, name=name,
                                           column=Text(BY_KEY[key].header))))  # fmt: skip
    if channel == "internal_retirement" and context.allowance is not None and isinstance(wage, Decimal):
        ir_cost = internal_retirement_cost(reference, retirement, context.allowance, wage, context.employer_rates).total
    # The row as given, without empty cells, in the canonical column order whatever the file's.
    stored = {key: value for key in context.keys if (value := get(key)) is not None}
    data = to_json(stored)  # dates as ISO text, amounts as decimal text
    record = {
        "id_number": parsed.number, "name": name, "sex": parsed.sex, "birth_date": birth,
        "hire_date": worker.hire_date, "work_start": worker.work_start, "spouse_id_number": worker.spouse_id_number,
        "channel": channel, "in_scope": excluded is None, "data": data.decode(),
        "retirement_date": retirement, "severance": pay, "medical_subsidy": subsidy, "internal_retirement_cost": ir_cost,
        "warnings": [worker_issue(w) for w in warnings] if warnings else [], "contract_type": get("contract_type"),
        "protected": bool(protected_group(worker)), "art42": immune_under_art42(worker, reference),
        "unreachable": worker.unreachable, "reached_retirement": reached,
        # What a re-import compares: the row as given and what was computed from it; hashed by
        # _finish_row once the checks across rows have added their warnings.
        "_hashed": data + to_json((birth, retirement, reached, pay, ir_cost) + ((subsidy,) if subsidy is not None else ())),
    }  # fmt: skip
    return worker, record, errors, warnings


_NO_WARNINGS = {flag: to_json((flag, [])) for flag in (False, True)}  # the hash's tail of most rows


def _finish_row(record: dict[str, Any], couple: bool) -> None:
    """The facts that depend on the other rows (the roster table filters on them), and the row hash
    over everything given and computed."""
    record["couple"] = couple
    record["has_warnings"] = has_warnings = bool(record["warnings"])
    if has_warnings:
        tail = to_json((couple, [(w["rule"], w["justified"]) for w in record["warnings"]]))
    else:
        tail = _NO_WARNINGS[couple]
    record["row_hash"] = hashlib.sha256(record.pop("_hashed") + tail).hexdigest()


# What is read of a record on another plan: who, where, and what the couple rule needs.
ELSEWHERE = (RosterWorker.id_number, RosterWorker.enterprise_id, RosterWorker.plan_id, RosterWorker.name,
             RosterWorker.channel, RosterWorker.in_scope, RosterWorker.spouse_id_number)  # fmt: skip


def same_person_elsewhere(plan_id: int, numbers: list[str]) -> Select[Any]:
    """The records of these ID numbers on every other plan (of any enterprise): one index range each
    (ix_roster_worker_id_number). The plan's own rows never match itself, whatever its revisions."""
    return select(*ELSEWHERE).where(RosterWorker.id_number.in_(numbers), RosterWorker.plan_id != plan_id)


def naming_as_spouse(plan_id: int, enterprise_id: int, numbers: list[str]) -> Select[Any]:
    """The records on the enterprise's other plans that name one of these ID numbers as spouse
    (ix_roster_worker_spouse)."""
    return select(*ELSEWHERE).where(RosterWorker.enterprise_id == enterprise_id,
                                    RosterWorker.spouse_id_number.in_(numbers), RosterWorker.plan_id != plan_id)  # fmt: skip


DATA_MATCHES = {
    # 数据比对 (冀人社发〔2018〕38号 §三): the same ID number on another plan, across enterprises and, as
    # domain.md §8 asks, across the enterprise's own plans (batches). Neither message names the plan.
    "data_match_other_enterprise": N_("数据比对：该职工同时出现在其他企业的安置方案中，请核实劳动关系。"),
    "data_match_other_plan": N_("数据比对：该职工同时出现在本企业的其他安置方案（批次）中，请核实是否重复安置。"),
}


def _cross_check(session: Session, plan: Plan, rows: dict[str, dict[str, Any]], facts: list[WorkerFacts],
                 report: RosterReport) -> set[str]:  # fmt: skip
    """数据比对 and dual-worker couples across plans, through the indexes: for every CHUNK ID numbers two
    queries, never one per row. Warnings go to the report and the rows; returns the ID numbers whose
    spouse is on another plan of the enterprise.

    The clerk learns only that a match exists, never which enterprise or plan (the bureau sees which:
    approvals/services/roster_view.py other_records). The records on other plans are read, never
    changed: their rows are part of what their congress voted on and their bureau approved.
    """
    spouses = {f.spouse_id_number for f in facts if f.spouse_id_number} - rows.keys()
    numbers = [*rows, *sorted(spouses)]
    found: list[Any] = []
    for start in range(0, len(numbers), CHUNK):
        found += session.execute(same_person_elsewhere(plan.id, numbers[start : start + CHUNK])).all()
    ids = list(rows)
    # A first batch (no other plan of the enterprise names a spouse) skips the spouse index altogether.
    named = select(RosterWorker.id).where(RosterWorker.enterprise_id == plan.enterprise_id,
                                          RosterWorker.spouse_id_number.is_not(None), RosterWorker.plan_id != plan.id)  # fmt: skip
    if session.scalar(named.limit(1)) is not None:
        for start in range(0, len(ids), CHUNK):
            found += session.execute(naming_as_spouse(plan.id, plan.enterprise_id, ids[start : start + CHUNK])).all()
    matched: set[tuple[str, str]] = set()
    others = []
    for number, enterprise_id, _plan_id, name, channel, in_scope, spouse in found:
        own = enterprise_id == plan.enterprise_id
        if number in rows:
            matched.add((number, "data_match_other_plan" if own else "data_match_other_enterprise"))
        if own:
            others.append(WorkerFacts(row=0, id_number=number, name=name, channel=channel, spouse_id_number=spouse,
                                      excluded_reason=None if in_scope else "out of scope"))  # fmt: skip
    in_this_plan = {f.id_number: f for f in facts}
    for number, rule in sorted(matched, key=lambda m: (in_this_plan[m[0]].row, m[1])):
        # The row and the worker of this plan, so the clerk finds them; the other plan stays unnamed.
        worker = in_this_plan[number]
        issue = Issue(worker.row, "公民身份号码", rule, mask_id(number),
                      Text(N_("第%(row)s行（%(name)s）：%(message)s"), row=worker.row, name=worker.name,
                           message=Text(DATA_MATCHES[rule])))  # fmt: skip
        report.warnings.append(issue)
        rows[number]["warnings"].append(worker_issue(issue))
    couples = couples_elsewhere(facts, others)
    by_row = {f.row: f for f in facts}
    for finding in dual_worker_terminations_elsewhere(facts, couples):
        worker = by_row[int(finding.field.split("]")[0].removeprefix("rows["))]
        warnings = rows[worker.id_number]["warnings"]
        if any(w["rule"] == finding.rule for w in warnings):
            continue  # the spouse is terminated on this roster too: warned once
        issue = _finding_issue(finding, worker.justification, bool(worker.justification.strip()))
        report.warnings.append(issue)
        warnings.append(worker_issue(issue))
    return set(couples)


def import_roster(
    session: Session,
    *,
    actor: Actor,
    plan: Plan,
    data: bytes,
    filename: str,
    dry_run: bool,
    accept_valid: bool = False,
) -> RosterReport:
    """Validate the file; unless a dry run, commit it (all rows, or with accept_valid the valid ones)."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("导入职工名单"))
    if plan.status != Status.DRAFTING:
        raise Conflict("not_drafting", Text(N_("只有起草阶段的方案可以导入职工名单。")), {"status": plan.status})
    with collector_paused():  # tens of thousands of small objects: the collector would rescan them all
        return _import(session, actor, plan, data, filename, dry_run, accept_valid)


def _import(session: Session, actor: Actor, plan: Plan, data: bytes, filename: str, dry_run: bool,
            accept_valid: bool) -> RosterReport:  # fmt: skip
    roster = read_roster(data, filename)
    if isinstance(roster, FileProblem):
        raise Invalid("invalid_roster_file", roster.message,
                      [{"field": "file", "rule": roster.rule, "message": roster.message}])  # fmt: skip
    checked = check_rows(session, plan, roster)
    refuse_removal_of_recorded(session, plan, checked)
    report = checked.report
    if dry_run or (report.errors and not accept_valid):
        _preview_removal(session, plan, checked)
        return report
    _commit(session, actor, plan, checked, data, filename)
    return report


REMOVAL_SHOWN = 50  # saved workers a preview lists by name; the count covers them all


def _gone(existing: Any, checked: _Checked) -> list[str]:
    """The saved ID numbers a commit of `checked` deletes: absent from the file, and not a rejected row
    (a rejected row keeps the saved worker as it was)."""
    return [n for n in existing if n not in checked.rows and n not in checked.rejected_ids]


def refuse_removal_of_recorded(session: Session, plan: Plan, checked: _Checked) -> None:
    """A worker whose execution was already recorded (an amended plan, approvals/execution/amendment.py) stays on
    the roster: the agreement signed, the money paid and the transfers made are facts of that worker, kept with
    the plan. A file that leaves any out is refused (dry run too), naming each of them."""
    recorded = session.execute(select(RosterWorker.id_number, RosterWorker.name)
                               .join(ExecutionRecord, ExecutionRecord.worker_id == RosterWorker.id)
                               .where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id)).tuples().all()  # fmt: skip
    names = dict(recorded)
    gone = _gone(names, checked)
    if not gone:
        return
    details = [{"field": "file", "rule": "worker_has_execution_records", "id_number": number, "name": names[number],
                "message": Text(N_("%(name)s（%(id)s）已有实施登记，不能从职工名单中移除。"), name=names[number],
                                id=mask_id(number))}
               for number in gone]  # fmt: skip
    workers = Listing([Text(N_("%(name)s（%(id)s）"), name=names[n], id=mask_id(n)) for n in gone], N_("、"))
    raise Invalid(
        "worker_has_execution_records",
        Text(N_("以下职工已有实施登记，变更方案时不能从职工名单中移除：%(workers)s。"), workers=workers),
        details,
    )


def _preview_removal(session: Session, plan: Plan, checked: _Checked) -> None:
    """Count, and list the first of, the saved workers a commit of this file would delete."""
    saved = session.execute(select(RosterWorker.id_number, RosterWorker.name)
                            .where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id)).tuples().all()  # fmt: skip
    names = dict(saved)
    gone = _gone(names, checked)
    report = checked.report
    report.to_remove = len(gone)
    report.to_remove_workers = [{"id_number": n, "name": names[n]} for n in gone[:REMOVAL_SHOWN]]


def _commit(session: Session, actor: Actor, plan: Plan, checked: _Checked, data: bytes, filename: str) -> None:
    report = checked.report
    batch = RosterImport(plan_id=plan.id, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
                         uploaded_by_id=actor.user.id if actor.user else None, accepted=report.accepted,
                         rejected=report.rejected)  # fmt: skip
    session.add(batch)
    session.flush()
    existing = {n: (i, h) for n, i, h in session.execute(
        select(RosterWorker.id_number, RosterWorker.id, RosterWorker.row_hash).where(RosterWorker.plan_id == plan.id))}  # fmt: skip
    new = [record for n, record in checked.rows.items() if n not in existing]
    changed = [n for n, v in checked.rows.items() if n in existing and existing[n][1] != v["row_hash"]]
    gone = _gone(existing, checked)
    _keep_history(session, plan, batch, changed, "updated")
    _keep_history(session, plan, batch, gone, "removed")
    if changed:
        _update_workers(session, batch.id, [checked.rows[n] for n in changed], [existing[n][0] for n in changed])
    for start in range(0, len(gone), CHUNK):
        ids = [existing[n][0] for n in gone[start : start + CHUNK]]
        session.execute(delete(RosterWorker).where(RosterWorker.id.in_(ids)))
    if gone:
        renumber_rows(session, plan.id, min(existing[n][0] for n in gone))
    if new:  # after the workers kept: their rows follow on
        _insert_workers(session, plan, batch, new, len(existing) - len(gone) + 2)
    report.committed, report.added, report.updated, report.removed = True, len(new), len(changed), len(gone)
    kept = [
        n for n in checked.rejected_ids if n in existing and n not in checked.rows
    ]  # a valid row may share its ID with a rejected duplicate
    summary = refresh_plan_roster(session, plan, checked.rows, kept, wage_gap=checked.wage_gap)
    plan.parameters_used = checked.parameters_used
    batch.added, batch.updated, batch.removed = len(new), len(changed), len(gone)
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="roster.imported", plan=plan,
                 summary={"file": filename, "sha256": batch.sha256, "accepted": report.accepted,
                          "rejected": report.rejected, "added": len(new), "updated": len(changed),
                          "removed": len(gone), "content_hash": plan.content_hash,
                          "severance_total": str(summary.severance_total),
                          "internal_retirement_total": str(summary.internal_retirement_total)})  # fmt: skip
    involve_working_group(session, actor=actor, role=Role.ENTERPRISE, plan=plan)  # a mass layoff (Art 41)


JUSTIFY = JUSTIFIED_BY_STATEMENT
UNREACHABLE = {"unreachable_attempts", "unreachable_filing", "known_contact_method"}


SUMMARY_COLUMNS = ("id_number", "row_hash", "channel", "in_scope", "severance", "internal_retirement_cost", "warnings",
                   "protected", "art42", "couple", "unreachable", "reached_retirement", "medical_subsidy", "name")  # fmt: skip
SHORT_LISTED = 10  # workers whose own data severance lacks, named in the completeness finding (the rest counted)


def _short_of_data(leavers: list[Any]) -> tuple[list[dict[str, Any]], int]:
    """The leavers whose severance waits for their own 入企时间 or 月平均工资 (the first SHORT_LISTED by row:
    row, name, the missing columns) and how many there are."""
    short = []
    for row in leavers:
        missing = [w for w in row[6] or () if w.get("rule") == SEVERANCE_INPUT_MISSING]
        if row[4] is None and missing:
            short.append({"row": missing[0].get("row"), "name": row[13], "missing": [w["column"] for w in missing]})
    short.sort(key=lambda worker: worker["row"] or 0)
    return short[:SHORT_LISTED], len(short)


def refresh_plan_roster(
    session: Session,
    plan: Plan,
    written: dict[str, dict[str, Any]] | None = None,
    kept: list[str] | None = None,
    *,
    wage_gap: dict[str, Any] | None = None,
) -> RosterSummary:
    """Recompute the roster's summary and digest, put the computed costs into the plan's funding
    requirement, and give the plan its new content hash (the roster is part of what is voted on).

    `written` are the rows an import holds (in memory) and `kept` the ID numbers of rows it left as
    they were (rejected rows of a partial import), read back from the database. Without `written`,
    every row is read from the database (after an edit of one worker). `wage_gap` names the city's
    figures the rows were computed without (RowContext.wage_gap).
    """
    columns = [getattr(RosterWorker, c) for c in SUMMARY_COLUMNS]
    if written is None:
        rows: list[Any] = list(session.execute(select(*columns).where(RosterWorker.plan_id == plan.id)).all())
    else:
        rows = list(map(itemgetter(*SUMMARY_COLUMNS), written.values()))
        for start in range(0, len(kept or ()), CHUNK):
            rows += session.execute(select(*columns).where(
                RosterWorker.plan_id == plan.id, RosterWorker.id_number.in_((kept or [])[start : start + CHUNK]))).all()  # fmt: skip
    rows.sort(key=itemgetter(0))
    digest = hashlib.sha256(
        "".join(f"{number}:{row_hash}\n" for number, row_hash in map(itemgetter(0, 1), rows)).encode()
    )
    scope = [row for row in rows if row[3]]
    by_channel = Counter(row[2] for row in scope)
    terminations = by_channel[TERMINATION]
    terminated = [row for row in scope if row[2] == TERMINATION]
    leavers = [row for row in scope if row[2] in ENDS_LABOUR_RELATION]
    severance_total = sum((row[4] for row in scope if row[4] is not None), Decimal(0))
    ir_total = sum((row[5] for row in scope if row[5] is not None), Decimal(0))
    subsidy_total = sum((row[12] for row in scope if row[12] is not None), Decimal(0))
    warned = [row[6] for row in scope if row[6]]
    short, short_count = _short_of_data(leavers)
    waiting = any(row[4] is None for row in leavers)
    summary = RosterSummary(
        workers=len(rows), in_scope=len(scope), by_channel=dict(by_channel), terminations=terminations,
        mass_layoff=LayoffCheck(terminations, plan.enterprise.headcount).is_mass_layoff,
        severance_total=severance_total, internal_retirement_total=ir_total, medical_subsidy_total=subsidy_total,
        computed_on=computed_on(as_dict(plan.content.get("severance"))),
        severance_missing=sum(1 for row in leavers if row[4] is None),
        severance_missing_workers=short, severance_missing_data=short_count,
        wage_figures_missing=wage_gap if waiting else None,
        unjustified=sum(any(w["rule"] in JUSTIFY and not w.get("justified") for w in ws) for ws in warned),
        unreachable_unfiled=sum(any(w["rule"] in UNREACHABLE for w in ws) for ws in warned),
        protected=sum(1 for row in rows if row[7]), protected_terminated=sum(1 for row in terminated if row[7]),
        art42=sum(1 for row in rows if row[8]), couple=sum(1 for row in rows if row[9]),
        couple_terminated=sum(1 for row in terminated if row[9]), unreachable=sum(1 for row in rows if row[10]),
        with_warnings=sum(1 for row in rows if row[6]), reached_retirement=sum(1 for row in rows if row[11]),
    )  # fmt: skip
    content = dict(plan.content)
    funding = dict(as_dict(content.get("funding")))
    funding["required"] = {**as_dict(funding.get("required")), "severance": str(summary.severance_owed),
                           "internal_retirement": str(ir_total)}  # fmt: skip
    content["funding"] = funding
    plan.content = content
    plan.roster_summary = summary.as_json()
    plan.roster_digest = digest.hexdigest() if rows else ""
    plan.content_hash = content_hash(plan.title, content, plan.roster_digest)
    return summary


# What _check_row computes for a worker, in the order the statements below bind them.
RECORD_COLUMNS = ("id_number", "name", "sex", "birth_date", "hire_date", "work_start", "spouse_id_number", "channel",
                  "in_scope", "data", "retirement_date", "severance", "medical_subsidy", "internal_retirement_cost",
                  "warnings", "contract_type", "protected", "art42", "couple", "unreachable", "reached_retirement",
                  "has_warnings", "row_hash")  # fmt: skip
# Values the sqlite3 module does not adapt by itself (dates, amounts): passed as text, as SQLAlchemy stores them.
TEXT_ON_SQLITE = frozenset({"birth_date", "hire_date", "work_start", "retirement_date", "severance", "medical_subsidy",
                            "internal_retirement_cost"})  # fmt: skip


def _driver_rows(session: Session, head: tuple[Any, ...], records: list[dict[str, Any]],
                 tail: list[Any] | None = None) -> list[tuple[Any, ...]]:  # fmt: skip
    """Parameter tuples `(*head, *RECORD_COLUMNS of the record[, tail[i]])` for the driver.

    SQLAlchemy's per-value bind processing costs more than the statement itself at tens of thousands
    of rows, so the values go to the driver as they are: ``data`` is already JSON text, ``warnings``
    is encoded here (an empty list for almost every row), dates and amounts are text on SQLite.
    """
    sqlite = session.connection().dialect.name == "sqlite"
    texts = [len(head) + i for i, c in enumerate(RECORD_COLUMNS) if c in TEXT_ON_SQLITE] if sqlite else []
    warnings_at = len(head) + RECORD_COLUMNS.index("warnings")
    getter = itemgetter(*RECORD_COLUMNS)
    out = []
    for k, record in enumerate(records):
        values = [*head, *getter(record)]
        warnings = values[warnings_at]
        values[warnings_at] = to_json(warnings).decode() if warnings else "[]"
        for i in texts:
            if values[i] is not None:
                values[i] = str(values[i])
        if tail is not None:
            values.append(tail[k])
        out.append(tuple(values))
    return out


def _mark(session: Session) -> str:
    return "?" if session.connection().dialect.paramstyle == "qmark" else "%s"


def _insert_workers(session: Session, plan: Plan, batch: RosterImport, records: list[dict[str, Any]],
                    first_row: int) -> None:  # fmt: skip
    """New workers of the plan, after every saved one: one driver-level executemany for tens of thousands of
    rows, numbered from `first_row` in the order they are inserted (the order of their ids)."""
    names = ("plan_id", "enterprise_id", "import_id", "updated_at", *RECORD_COLUMNS, "roster_row")
    marks = ", ".join(_mark(session) for _ in names)
    sql = f"INSERT INTO roster_worker ({', '.join(names)}) VALUES ({marks})"  # noqa: S608 -- constant names, bound values
    head = (plan.id, plan.enterprise_id, batch.id, _now_param(session))
    rows = list(range(first_row, first_row + len(records)))
    session.connection().exec_driver_sql(sql, _driver_rows(session, head, records, rows))


def renumber_rows(session: Session, plan_id: int, from_id: int) -> int:
    """Number the plan's workers again from the first id at or after `from_id` (workers were removed there):
    each keeps its row in the exported roster, 2, 3, … in the order of ids, without gaps. The workers before
    it keep theirs. Only the rows whose number changes are written, in the order of ids, so each takes a
    number no other worker holds any more (the plan's numbers are unique: ix_roster_worker_row). Returns
    how many were written."""
    worker = RosterWorker
    previous = session.scalar(select(worker.roster_row).where(worker.plan_id == plan_id, worker.id < from_id)
                              .order_by(worker.plan_id.desc(), worker.id.desc()).limit(1))  # fmt: skip
    following = session.execute(select(worker.id, worker.roster_row).where(worker.plan_id == plan_id,
                                                                            worker.id >= from_id)
                                .order_by(worker.plan_id, worker.id))  # fmt: skip
    first = (previous or 1) + 1
    moved = [{"b_id": i, "b_row": n} for n, (i, row) in enumerate(following, start=first) if row != n]
    if moved:
        table = cast(Table, RosterWorker.__table__)
        session.execute(update(table).where(table.c.id == bindparam("b_id")).values(roster_row=bindparam("b_row")),
                        moved)  # fmt: skip
    return len(moved)


def _update_workers(session: Session, import_id: int | None, records: list[dict[str, Any]], ids: list[int]) -> None:
    """Changed workers (`ids` their row ids), from the import `import_id`: one driver-level executemany."""
    mark = _mark(session)
    names = ("import_id", "updated_at", *RECORD_COLUMNS)
    assignments = ", ".join(f"{c} = {mark}" for c in names)
    sql = f"UPDATE roster_worker SET {assignments} WHERE id = {mark}"  # noqa: S608 -- constant names, bound values
    head = (import_id, _now_param(session))
    session.connection().exec_driver_sql(sql, _driver_rows(session, head, records, ids))


def _now_param(session: Session) -> Any:
    now = utcnow()
    return str(now) if session.connection().dialect.name == "sqlite" else now


def _keep_history(session: Session, plan: Plan, batch: RosterImport, numbers: list[str], change: str) -> None:
    for start in range(0, len(numbers), CHUNK):
        old = session.scalars(select(RosterWorker).where(
            RosterWorker.plan_id == plan.id, RosterWorker.id_number.in_(numbers[start : start + CHUNK])))  # fmt: skip
        rows = [{"plan_id": plan.id, "id_number": w.id_number, "change": change, "import_id": batch.id,
                 "before": _before(w)} for w in old]  # fmt: skip
        if rows:
            session.execute(cast(Table, RosterWorkerChange.__table__).insert(), rows)


def _before(worker: RosterWorker) -> dict[str, Any]:
    """What the history keeps of a worker's row before it changed."""
    return {"name": worker.name, "channel": worker.channel, "hire_date": _jsonable(worker.hire_date), **worker.data}


# --- one worker -----------------------------------------------------------------------------------


def worker_of(session: Session, plan: Plan, id_number: str) -> RosterWorker:
    worker = session.scalars(
        select(RosterWorker).where(RosterWorker.plan_id == plan.id, RosterWorker.id_number == id_number.upper())
    ).first()
    if worker is None:
        raise NotFound("worker_not_found", Text(N_("该方案的职工名单中没有这名职工。")))
    return worker


def row_computed_on(session: Session, plan: Plan, worker: RosterWorker, day: date, *, row: int | None = None,
                    context: RowContext | None = None) -> dict[str, Any]:  # fmt: skip
    """The worker's row computed again by the import's rules with the rules and figures in force on `day`
    (the severance due at the actual end of the relation): nothing is written. `row` and `context` (of `day`)
    when the caller already has them: many workers' rows are computed with one lookup."""
    cells = {key: _cell(BY_KEY[key], value) for key, value in worker.data.items() if key in BY_KEY}
    cells["id_number"] = worker.id_number
    context = context or RowContext.of(session, plan, reference=day)
    parsed = parse_id(worker.id_number, context.today)
    assert isinstance(parsed, ParsedId)  # stored numbers were checked on import
    return _check_row(parse_row(cells, row or worker.roster_row), parsed, context)[1]


def worker_history(session: Session, plan: Plan, id_number: str) -> list[RosterWorkerChange]:
    return list(session.scalars(
        select(RosterWorkerChange).where(RosterWorkerChange.plan_id == plan.id,
                                         RosterWorkerChange.id_number == id_number).order_by(RosterWorkerChange.id)))  # fmt: skip


def _cell(column: Column, value: Any) -> Any:
    """A stored or given value as a file's cell holds it: choices by their label (a code is accepted too)."""
    if column.kind in (CHOICE, FLAG):
        label = column.label_of(value)
        if label is not None:
            return label
    return value


def edit_worker(
    session: Session, *, actor: Actor, plan: Plan, id_number: str, changes: dict[str, Any]
) -> tuple[RosterReport, RosterWorker]:
    """Change fields of one worker through the import's row checks; on success store the row, keep what
    it replaced, refresh the plan's roster summary and hash, and record the edit. A row with errors
    changes nothing and answers the same report as an import."""
    user = actor.person
    policy.require_role(user, plan, Role.ENTERPRISE, N_("修改职工名单"))
    if plan.status != Status.DRAFTING:
        raise Conflict("not_drafting", Text(N_("只有起草阶段的方案可以修改职工名单。")), {"status": plan.status})
    worker = worker_of(session, plan, id_number)
    if not changes:
        raise Invalid(
            "no_fields",
            Text(N_("请至少提供一个要修改的字段。")),
            [{"field": "body", "rule": "not_empty", "message": Text(N_("没有要修改的字段"))}],
        )
    wrong = [key for key in changes if key not in BY_KEY or key == "id_number"]
    if wrong:
        details = [{"field": key, "rule": "id_number_fixed" if key == "id_number" else "known_column",
                    "message": Text(N_("公民身份号码不能修改：请移除该职工后重新导入")) if key == "id_number"
                    else Text(N_("“%(key)s”不是职工名单的列"), key=key)} for key in wrong]  # fmt: skip
        raise Invalid(
            "invalid_worker_fields",
            Text(N_("%(problems)s。"), problems=Listing([d["message"] for d in details])),
            details,
        )
    number = worker.roster_row
    cells = {key: _cell(BY_KEY[key], value) for key, value in worker.data.items() if key in BY_KEY}
    cells.update({key: _cell(BY_KEY[key], value) for key, value in changes.items()})
    cells["id_number"] = worker.id_number
    row = parse_row(cells, number)
    context = RowContext.of(session, plan, kept=True)
    report = RosterReport()
    report.warnings.extend(context.file_warnings())
    parsed = parse_id(worker.id_number, context.today)
    assert isinstance(parsed, ParsedId)  # stored numbers were checked on import
    facts, record, row_errors, row_warnings = _check_row(row, parsed, context)
    errors = [Issue(p.row, p.column, p.rule, str(p.value or ""), p.message) for p in row.problems] + row_errors
    if errors:
        report.errors, report.rejected = sorted(errors, key=lambda i: i.row or 0), 1
        return report, worker
    report.warnings.extend(row_warnings)
    partners = _couple_warnings(session, plan, worker, facts, number, record, report)
    elsewhere = _cross_check(session, plan, {worker.id_number: record}, [facts], report)
    spouse = facts.spouse_id_number
    in_plan = select(RosterWorker.id).where(RosterWorker.plan_id == plan.id, RosterWorker.id_number == spouse)
    _finish_row(record, couple=bool(elsewhere) or (spouse is not None and session.scalar(in_plan) is not None))
    report.accepted = 1
    if record["row_hash"] == worker.row_hash and record["warnings"] == worker.warnings and not partners:
        return report, worker  # nothing changed
    session.add(RosterWorkerChange(plan_id=plan.id, id_number=worker.id_number, change="edited", before=_before(worker),
                                   changed_by_id=user.id))  # fmt: skip
    _update_workers(session, worker.import_id, [record], [worker.id])
    session.flush()
    session.expire(worker)
    summary = refresh_plan_roster(session, plan, wage_gap=context.wage_gap)
    report.mass_layoff, report.committed, report.updated = summary.mass_layoff, True, 1
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="roster.worker_edited", plan=plan,
                 summary={"id_number": mask_id(worker.id_number), "fields": sorted(changes),
                          "severance": _jsonable(record["severance"]), "content_hash": plan.content_hash,
                          "severance_total": str(summary.severance_total)})  # fmt: skip
    involve_working_group(session, actor=actor, role=Role.ENTERPRISE, plan=plan)
    return report, worker


def _couple_warnings(session: Session, plan: Plan, worker: RosterWorker, facts: WorkerFacts, number: int,
                     record: dict[str, Any], report: RosterReport) -> list[RosterWorker]:  # fmt: skip
    """The dual-worker rule between the edited worker and its spouse (before and after the edit), both
    ways: the edited record gets its warning, and a spouse whose warning appears or goes is updated.
    Returns the spouses whose warnings changed."""
    spouses = {facts.spouse_id_number, _spouse(worker.data.get("spouse_id_number"))} - {None, worker.id_number}
    if not spouses:
        return []
    found = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                       RosterWorker.id_number.in_(sorted(spouses))))  # fmt: skip
    partners = {p.id_number: p for p in found}
    people = [facts] + [WorkerFacts(row=p.roster_row, id_number=p.id_number, name=p.name,
                                    channel=p.channel, spouse_id_number=_spouse(p.data.get("spouse_id_number")),
                                    justification=str(p.data.get("justification") or ""),
                                    excluded_reason=None if p.in_scope else "out of scope")
                        for p in partners.values()]  # fmt: skip
    by_id = {p.id_number: p for p in people}
    couple: dict[str, list[dict[str, Any]]] = {p: [] for p in partners}
    for finding in dual_worker_terminations(people):
        whose = by_id[next(p.id_number for p in people if finding.field.startswith(f"rows[{p.row}]"))]
        issue = _finding_issue(finding, whose.justification, bool(whose.justification.strip()))
        if whose is facts:
            report.warnings.append(issue)
            record["warnings"].append(worker_issue(issue))
        else:
            couple[whose.id_number].append(worker_issue(issue))
    changed = []
    for id_number, partner in partners.items():
        kept = [w for w in partner.warnings if w.get("rule") != "dual_worker_termination"]
        if kept + couple[id_number] != partner.warnings:
            partner.warnings = kept + couple[id_number]
            partner.has_warnings = bool(partner.warnings)
            changed.append(partner)
    return changed


def _spouse(value: Any) -> str | None:
    parsed = parse_id(str(value or "")) if value else None
    return parsed.number if parsed is not None and not isinstance(parsed, IdProblem) else None


def _split(value: Any) -> Iterator[str]:
    for part in str(value or "").replace("，", "、").replace(",", "、").replace(";", "、").split("、"):
        yield part.strip()


def _decimal(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _jsonable(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is bool:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def roster_rows_for_export(session: Session, user: User, plan: Plan) -> list[dict[str, Any]]:
    """The current roster as column key → value, as it was imported (for the .xlsx export): only for
    those who may see the workers' personal data."""
    policy.require_personal_data(user, plan, N_("导出职工名单"))
    workers = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id))
    return [{**w.data, "id_number": w.id_number, "name": w.name, "channel": w.channel} for w in workers]


def roster_snapshot(session: Session, plan: Plan) -> bytes:
    """The roster as it stands, gzipped canonical JSON keyed by ID number: kept with each revision."""
    workers = session.execute(
        select(RosterWorker.id_number, RosterWorker.name, RosterWorker.channel, RosterWorker.in_scope,
               RosterWorker.severance, RosterWorker.internal_retirement_cost, RosterWorker.data,
               RosterWorker.medical_subsidy)
        .where(RosterWorker.plan_id == plan.id)
    )  # fmt: skip
    # The medical subsidy only where there is one: the snapshots of the rows without it stay as they were.
    rows = {n: {**data, "name": name, "channel": channel, "in_scope": in_scope, "severance": _jsonable(pay),
                "internal_retirement_cost": _jsonable(ir),
                **({"medical_subsidy": _jsonable(subsidy)} if subsidy is not None else {})}
            for n, name, channel, in_scope, pay, ir, data, subsidy in workers}  # fmt: skip
    return gzip.compress(canonical_json(rows).encode(), compresslevel=6)


def snapshot_rows(blob: bytes | None) -> dict[str, dict[str, Any]]:
    return json.loads(gzip.decompress(blob)) if blob else {}
