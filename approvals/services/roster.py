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
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from approvals import audit, policy
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.errors import Conflict, Invalid
from approvals.models import Plan, Role
from approvals.models.roster import RosterImport, RosterWorker, RosterWorkerChange, WageParameter
from approvals.roster.files import FileProblem, RosterFile, RosterRow, collector_paused, read_roster
from approvals.rules.content import as_dict, canonical_json, content_hash
from approvals.rules.issues import Finding
from approvals.rules.resident_id import IdProblem, mask_id, parse_id
from approvals.rules.retirement import choose_birth_date, internal_retirement_problems, statutory_retirement_date
from approvals.rules.roster import (
    EXCLUSION_REASONS,
    TERMINATION,
    LayoffCheck,
    RosterSummary,
    WorkerFacts,
    dual_worker_terminations,
    immune_under_art42,
    needs_justification,
    protected_group,
    protected_terminations,
    statutory_immunity,
    unreachable_problems,
)
from approvals.rules.severance import WageParameters, internal_retirement_cost, severance

CHUNK = 900  # ids per IN (...) query: below SQLite's bound-parameter limit


@dataclass(frozen=True)
class Issue:
    row: int | None
    column: str
    rule: str
    value: str
    message: str
    justified: bool = False


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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Checked:
    rows: dict[str, dict[str, Any]]  # id number → values for roster_worker, valid rows only
    rejected_ids: set[str]
    report: RosterReport


def _reference_date(plan: Plan) -> date:
    """The plan's reference date (基准日) for severance and retirement; today when not yet set."""
    terms = as_dict(plan.content.get("severance"))
    try:
        return date.fromisoformat(str(terms.get("reference_date")))
    except ValueError:
        return date.today()


def _wage_parameters(session: Session, plan: Plan, reference: date) -> WageParameters | None:
    """Last year's local average wage and this year's minimum, for the enterprise's city."""
    city = plan.enterprise.region_code[:4] + "00"
    row = session.scalars(
        select(WageParameter).where(WageParameter.city_code == city, WageParameter.year == reference.year - 1)
    ).first()
    if row is None:
        return None
    return WageParameters(city, row.year, row.average_monthly_wage, row.minimum_monthly_wage)


def _finding_issue(finding: Finding, value: Any = "", justified: bool = False) -> Issue:
    row = finding.field.split("]")[0].removeprefix("rows[") if finding.field.startswith("rows[") else None
    column = finding.field.split(".", 1)[1] if "." in finding.field else finding.field
    return Issue(int(row) if row else None, column, finding.rule, str(value or ""), finding.message, justified)


def check_rows(session: Session, plan: Plan, roster: RosterFile) -> _Checked:
    """Every rule on every row; nothing is written."""
    reference = _reference_date(plan)
    wages = _wage_parameters(session, plan, reference)
    terms = as_dict(plan.content.get("internal_retirement"))
    allowance = _decimal(terms.get("living_allowance"))
    report = RosterReport()
    today = date.today()
    first_row: dict[str, int] = {}
    facts: list[WorkerFacts] = []
    rows: dict[str, dict[str, Any]] = {}
    rejected: set[str] = set()
    if wages is None:
        report.warnings.append(Issue(None, "monthly_wage", "wage_parameters_missing", "",
                                     f"缺少所在市{reference.year - 1}年度职工月平均工资和最低工资参数，暂不能计算经济补偿。"))  # fmt: skip
    for row in roster.rows:
        errors = [Issue(p.row, p.column, p.rule, str(p.value or ""), p.message) for p in row.problems]
        values = row.values
        parsed = parse_id(str(values.get("id_number") or ""), today)
        if isinstance(parsed, IdProblem):
            errors.append(Issue(row.row_number, "公民身份号码", parsed.rule, str(values.get("id_number") or ""),
                                f"第{row.row_number}行：{parsed.message}"))  # fmt: skip
            report.errors.extend(errors)
            report.rejected += 1
            continue
        number = parsed.number
        if number in first_row:
            errors.append(Issue(row.row_number, "公民身份号码", "duplicate_in_file", number,
                                f"第{row.row_number}行：公民身份号码与第{first_row[number]}行重复。"))  # fmt: skip
        else:
            first_row[number] = row.row_number
        worker, values_out, row_errors, row_warnings = _check_row(row, parsed, reference, wages, allowance, plan)
        errors += row_errors
        if errors:
            report.errors.extend(errors)
            report.rejected += 1
            rejected.add(number)
            continue
        report.warnings.extend(row_warnings)
        facts.append(worker)
        rows[number] = values_out
    by_row = {f.row: f for f in facts}
    for finding in dual_worker_terminations(facts):
        worker = by_row[int(finding.field.split("]")[0].removeprefix("rows["))]
        issue = _finding_issue(finding, worker.justification, bool(worker.justification.strip()))
        report.warnings.append(issue)
        rows[worker.id_number]["warnings"].append(asdict(issue))
    _cross_check(session, plan, rows, report)
    for worker in facts:
        _finish_row(rows[worker.id_number], couple=(worker.spouse_id_number or "") in rows)
    terminations = sum(1 for f in facts if f.terminated)
    report.mass_layoff = LayoffCheck(terminations, plan.enterprise.headcount).is_mass_layoff
    if report.mass_layoff:
        report.warnings.append(Issue(None, "channel", "mass_layoff", str(terminations),
                                     f"解除劳动合同{terminations}人，属于经济性裁员（劳动合同法第四十一条：20人以上或占职工总数10%以上），"
                                     "须提前三十日向工会或者全体职工说明情况，并在时间安排中载明。"))  # fmt: skip
    report.accepted = len(rows)
    report.errors.sort(key=lambda i: i.row or 0)
    return _Checked(rows, rejected, report)


def _check_row(
    row: RosterRow, parsed: Any, reference: date, wages: WageParameters | None, allowance: Decimal | None, plan: Plan
) -> tuple[WorkerFacts, dict[str, Any], list[Issue], list[Issue]]:
    values = row.values
    n = row.row_number
    errors: list[Issue] = []
    warnings: list[Issue] = []
    name = str(values.get("name") or "").strip()
    if not name:
        errors.append(Issue(n, "姓名", "required", "", f"第{n}行：缺少姓名。"))
    channel = values.get("channel")
    if not channel:
        errors.append(Issue(n, "安置渠道", "required", "", f"第{n}行：缺少安置渠道。"))
    file_birth = values.get("birth_date")
    birth, differs = choose_birth_date(parsed.birth_date, file_birth if isinstance(file_birth, date) else None)
    if differs:
        warnings.append(Issue(n, "档案出生日期", "birth_date_differs", str(file_birth),
                              f"第{n}行：档案出生日期与身份证不一致，按档案最先记载的出生日期（劳社部发〔1999〕8号）计算退休时间。"))  # fmt: skip
    category = _category(parsed.sex, values.get("post_category"))
    retirement = statutory_retirement_date(birth, category, reference)
    excluded = str(values.get("excluded_reason") or "").strip() or None
    if excluded and excluded not in EXCLUSION_REASONS:
        errors.append(Issue(n, "不纳入安置原因", "known_exclusion", excluded,
                            f"第{n}行：不纳入安置范围的原因应为{'、'.join(sorted(EXCLUSION_REASONS))}。"))  # fmt: skip
    given = values.get("contact_attempts")
    attempts = frozenset(a for a in _split(given) if a) if given else frozenset()
    worker = WorkerFacts(
        row=n, id_number=parsed.number, name=name, channel=channel, hire_date=values.get("hire_date"),
        retirement_date=retirement, model_worker=values.get("model_worker"), skill_level=values.get("skill_level"),
        military_family=values.get("military_family"), disability_certificate=values.get("disability_card"),
        pregnancy_or_nursing=bool(values.get("pregnancy")), work_injury=bool(values.get("work_injury")),
        spouse_id_number=_spouse(values.get("spouse_id_number")), justification=str(values.get("justification") or ""),
        excluded_reason=excluded, unreachable=values.get("contact_status") == "unreachable",
        contact_attempts=attempts, bureau_filing=str(values.get("bureau_filing") or ""),
    )  # fmt: skip
    for finding in statutory_immunity(worker, reference):
        errors.append(_finding_issue(finding, channel))
    for finding in protected_terminations(worker):
        target = warnings if needs_justification(finding) else errors
        target.append(_finding_issue(finding, worker.justification, bool(worker.justification.strip())))
    for finding in unreachable_problems(worker):
        warnings.append(_finding_issue(finding))
    if channel == "internal_retirement" and not excluded:
        for finding in internal_retirement_problems(birth, category, reference, reference,
                                                    consent=bool(values.get("retirement_consent")),
                                                    agreement=bool(values.get("retirement_agreement"))):  # fmt: skip
            errors.append(Issue(n, finding.field, finding.rule, "", f"第{n}行：{finding.message}"))
    pay = ir_cost = None
    wage = values.get("monthly_wage")
    if worker.terminated and wages is not None and worker.hire_date and isinstance(wage, Decimal):
        pay = severance(worker.hire_date, reference, wage, wages).amount
    if channel == "internal_retirement" and allowance is not None and isinstance(wage, Decimal):
        ir_cost = internal_retirement_cost(reference, retirement, allowance, wage).total
    stored = {k: _jsonable(v) for k, v in values.items() if v is not None and v != ""}
    record = {
        "id_number": parsed.number, "name": name, "sex": parsed.sex, "birth_date": birth,
        "hire_date": worker.hire_date, "channel": channel, "in_scope": excluded is None, "data": stored,
        "retirement_date": retirement, "severance": pay, "internal_retirement_cost": ir_cost,
        "warnings": [asdict(w) for w in warnings], "contract_type": values.get("contract_type"),
        "protected": bool(protected_group(worker)), "art42": immune_under_art42(worker, reference),
        "unreachable": worker.unreachable,
        # What a re-import compares: the row as given and what was computed from it (repr of sorted
        # items is deterministic for these str/bool values and far cheaper than canonical JSON);
        # hashed by _finish_row once the checks across rows have added their warnings.
        "_facts": (sorted(stored.items()), birth, retirement, pay, ir_cost),
    }  # fmt: skip
    return worker, record, errors, warnings


def _finish_row(record: dict[str, Any], couple: bool) -> None:
    """The facts that depend on the other rows, and the row hash over everything computed."""
    record["couple"] = couple
    record["has_warnings"] = bool(record["warnings"])
    facts = (record.pop("_facts"), couple, [(w["rule"], w["justified"]) for w in record["warnings"]])
    record["row_hash"] = hashlib.sha256(repr(facts).encode()).hexdigest()


def _cross_check(session: Session, plan: Plan, rows: dict[str, dict[str, Any]], report: RosterReport) -> None:
    """数据比对: the same person in another enterprise's plan, found through the index.

    The clerk learns only that a match exists, never which enterprise or plan.
    """
    ids = list(rows)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = session.scalars(
            select(RosterWorker.id_number)
            .where(RosterWorker.id_number.in_(chunk), RosterWorker.enterprise_id != plan.enterprise_id)
            .distinct()
        )
        for number in found:
            issue = Issue(None, "公民身份号码", "data_match_other_enterprise", mask_id(number),
                          "数据比对：该职工同时出现在其他企业的安置方案中，请核实劳动关系。")  # fmt: skip
            report.warnings.append(issue)
            rows[number]["warnings"].append(asdict(issue))


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
    assert actor.user is not None
    policy.require_role(actor.user, plan, Role.ENTERPRISE, "导入职工名单")
    if plan.status != "drafting":
        raise Conflict("not_drafting", "只有起草阶段的方案可以导入职工名单。", {"status": plan.status})
    with collector_paused():  # tens of thousands of small objects: the collector would rescan them all
        return _import(session, actor, plan, data, filename, dry_run, accept_valid)


def _import(session: Session, actor: Actor, plan: Plan, data: bytes, filename: str, dry_run: bool,
            accept_valid: bool) -> RosterReport:  # fmt: skip
    roster = read_roster(data, filename)
    if isinstance(roster, FileProblem):
        raise Invalid("invalid_roster_file", roster.message,
                      [{"field": "file", "rule": roster.rule, "message": roster.message}])  # fmt: skip
    checked = check_rows(session, plan, roster)
    report = checked.report
    if dry_run or (report.errors and not accept_valid):
        return report
    _commit(session, actor, plan, checked, data, filename)
    return report


def _commit(session: Session, actor: Actor, plan: Plan, checked: _Checked, data: bytes, filename: str) -> None:
    report = checked.report
    batch = RosterImport(plan_id=plan.id, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
                         uploaded_by_id=actor.user.id if actor.user else None, accepted=report.accepted,
                         rejected=report.rejected)  # fmt: skip
    session.add(batch)
    session.flush()
    existing = {n: (i, h) for n, i, h in session.execute(
        select(RosterWorker.id_number, RosterWorker.id, RosterWorker.row_hash).where(RosterWorker.plan_id == plan.id))}  # fmt: skip
    new = [dict(v, plan_id=plan.id, enterprise_id=plan.enterprise_id, import_id=batch.id)
           for n, v in checked.rows.items() if n not in existing]  # fmt: skip
    changed = [n for n, v in checked.rows.items() if n in existing and existing[n][1] != v["row_hash"]]
    gone = [n for n in existing if n not in checked.rows and n not in checked.rejected_ids]
    _keep_history(session, plan, batch, changed, "updated")
    _keep_history(session, plan, batch, gone, "removed")
    if new:
        _insert_workers(session, new)
    if changed:
        session.execute(
            update(RosterWorker), [dict(checked.rows[n], id=existing[n][0], import_id=batch.id) for n in changed]
        )
    for start in range(0, len(gone), CHUNK):
        ids = [existing[n][0] for n in gone[start : start + CHUNK]]
        session.execute(delete(RosterWorker).where(RosterWorker.id.in_(ids)))
    report.committed, report.added, report.updated, report.removed = True, len(new), len(changed), len(gone)
    kept = [
        n for n in checked.rejected_ids if n in existing and n not in checked.rows
    ]  # a valid row may share its ID with a rejected duplicate
    summary = refresh_plan_roster(session, plan, checked.rows, kept)
    batch.added, batch.updated, batch.removed = len(new), len(changed), len(gone)
    audit.record(session, actor=actor, role=Role.ENTERPRISE, action="roster.imported", plan=plan,
                 summary={"file": filename, "sha256": batch.sha256, "accepted": report.accepted,
                          "rejected": report.rejected, "added": len(new), "updated": len(changed),
                          "removed": len(gone), "content_hash": plan.content_hash,
                          "severance_total": str(summary.severance_total),
                          "internal_retirement_total": str(summary.internal_retirement_total)})  # fmt: skip


JUSTIFY = {"protected_group_termination", "dual_worker_termination"}
UNREACHABLE = {"unreachable_attempts", "unreachable_filing", "known_contact_method"}


SUMMARY_COLUMNS = ("id_number", "row_hash", "channel", "in_scope", "severance", "internal_retirement_cost", "warnings")


def refresh_plan_roster(
    session: Session, plan: Plan, written: dict[str, dict[str, Any]], kept: list[str]
) -> RosterSummary:
    """Recompute the roster's summary and digest, put the computed costs into the plan's funding
    requirement, and give the plan its new content hash (the roster is part of what is voted on).

    `written` are the rows this import holds (in memory); `kept` the ID numbers of rows the import
    left as they were (rejected rows of a partial import), read back from the database.
    """
    rows: list[Any] = [(number, *(record[c] for c in SUMMARY_COLUMNS[1:])) for number, record in written.items()]
    for start in range(0, len(kept), CHUNK):
        rows += session.execute(
            select(*(getattr(RosterWorker, c) for c in SUMMARY_COLUMNS))
            .where(RosterWorker.plan_id == plan.id, RosterWorker.id_number.in_(kept[start : start + CHUNK]))
        ).all()  # fmt: skip
    rows.sort(key=lambda row: row[0])
    digest = hashlib.sha256()
    by_channel: Counter[str] = Counter()
    severance_total = ir_total = Decimal(0)
    terminations = severance_missing = unjustified = unreachable = 0
    for number, row_hash, channel, in_scope, pay, ir_cost, warnings in rows:
        digest.update(f"{number}:{row_hash}\n".encode())
        if not in_scope:
            continue
        by_channel[channel] += 1
        if channel == TERMINATION:
            terminations += 1
            severance_missing += pay is None
        severance_total += pay or 0
        ir_total += ir_cost or 0
        if warnings:
            unjustified += any(w["rule"] in JUSTIFY and not w.get("justified") for w in warnings)
            unreachable += any(w["rule"] in UNREACHABLE for w in warnings)
    summary = RosterSummary(
        workers=len(rows), in_scope=sum(by_channel.values()), by_channel=dict(by_channel), terminations=terminations,
        mass_layoff=LayoffCheck(terminations, plan.enterprise.headcount).is_mass_layoff,
        severance_total=severance_total, internal_retirement_total=ir_total, severance_missing=severance_missing,
        unjustified=unjustified, unreachable_unfiled=unreachable,
    )  # fmt: skip
    content = dict(plan.content)
    funding = dict(as_dict(content.get("funding")))
    funding["required"] = {**as_dict(funding.get("required")), "severance": str(severance_total),
                           "internal_retirement": str(ir_total)}  # fmt: skip
    content["funding"] = funding
    plan.content = content
    plan.roster_summary = summary.as_json()
    plan.roster_digest = digest.hexdigest() if rows else ""
    plan.content_hash = content_hash(plan.title, content, plan.roster_digest)
    return summary


WORKER_COLUMNS = ("plan_id", "enterprise_id", "import_id", "id_number", "name", "sex", "birth_date", "hire_date",
                  "channel", "in_scope", "data", "retirement_date", "severance", "internal_retirement_cost",
                  "warnings", "contract_type", "protected", "art42", "couple", "unreachable", "has_warnings",
                  "row_hash", "updated_at")  # fmt: skip
JSON_COLUMNS = {"data", "warnings"}


def _insert_workers(session: Session, rows: list[dict[str, Any]]) -> None:
    """One driver-level executemany for tens of thousands of rows.

    SQLAlchemy's per-value bind processing costs more than the insert itself at this size, so the
    JSON columns are encoded here and the rows go to the driver as plain tuples.
    """
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    now = utcnow()

    json_at = [i for i, c in enumerate(WORKER_COLUMNS) if c in JSON_COLUMNS]
    plain_at = [i for i, c in enumerate(WORKER_COLUMNS) if c not in JSON_COLUMNS]

    def as_row(row: dict[str, Any]) -> tuple[Any, ...]:
        values = [row.get(c, now) for c in WORKER_COLUMNS]
        for i in json_at:
            values[i] = dumps(values[i])
        if sqlite:  # the sqlite3 module adapts neither Decimal nor date
            for i in plain_at:
                if isinstance(values[i], Decimal | date):
                    values[i] = str(values[i])
        return tuple(values)

    names, marks = ", ".join(WORKER_COLUMNS), ", ".join(mark for _ in WORKER_COLUMNS)
    sql = f"INSERT INTO roster_worker ({names}) VALUES ({marks})"  # noqa: S608 -- constant names, bound values
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    connection.exec_driver_sql(sql, [as_row(row) for row in rows])


def _keep_history(session: Session, plan: Plan, batch: RosterImport, numbers: list[str], change: str) -> None:
    for start in range(0, len(numbers), CHUNK):
        old = session.scalars(select(RosterWorker).where(
            RosterWorker.plan_id == plan.id, RosterWorker.id_number.in_(numbers[start : start + CHUNK])))  # fmt: skip
        rows = [{"plan_id": plan.id, "id_number": w.id_number, "change": change, "import_id": batch.id,
                 "before": {"name": w.name, "channel": w.channel, "hire_date": _jsonable(w.hire_date), **w.data}}
                for w in old]  # fmt: skip
        if rows:
            session.execute(RosterWorkerChange.__table__.insert(), rows)


def _category(sex: str, post: Any) -> str:
    if sex == "M":
        return "M60"
    return "F55" if post == "management_technical" else "F50"


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


def roster_rows_for_export(session: Session, plan: Plan) -> list[dict[str, Any]]:
    """The current roster as column key → value, as it was imported (for the .xlsx export)."""
    workers = session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id))
    return [{**w.data, "id_number": w.id_number, "name": w.name, "channel": w.channel} for w in workers]


def roster_snapshot(session: Session, plan: Plan) -> bytes:
    """The roster as it stands, gzipped canonical JSON keyed by ID number: kept with each revision."""
    workers = session.execute(
        select(RosterWorker.id_number, RosterWorker.name, RosterWorker.channel, RosterWorker.in_scope,
               RosterWorker.severance, RosterWorker.internal_retirement_cost, RosterWorker.data)
        .where(RosterWorker.plan_id == plan.id)
    )  # fmt: skip
    rows = {n: {**data, "name": name, "channel": channel, "in_scope": in_scope, "severance": _jsonable(pay),
                "internal_retirement_cost": _jsonable(ir)} for n, name, channel, in_scope, pay, ir, data in workers}  # fmt: skip
    return gzip.compress(canonical_json(rows).encode(), compresslevel=6)


def snapshot_rows(blob: bytes | None) -> dict[str, dict[str, Any]]:
    return json.loads(gzip.decompress(blob)) if blob else {}
