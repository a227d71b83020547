"""The real-name roster (实名制台账): one row per worker in a plan, with its history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from approvals.db import Base, utcnow

# The roster's filters on one fact, by name: the column and the value that puts a worker in.
FLAGS = {"excluded": ("in_scope", False), "protected": ("protected", True), "art42": ("art42", True),
         "couple": ("couple", True), "unreachable": ("unreachable", True), "warnings": ("has_warnings", True),
         "reached_retirement": ("reached_retirement", True)}  # fmt: skip


def flag_index(name: str, column: str, value: bool) -> Index:
    """A plan's workers with one fact, in roster order (their rows), and only those: a filter on a fact few
    workers have pages through them without reading the others. The condition is written as SQLAlchemy
    renders the filter for each database, so the planner sees that the index applies."""
    return Index(f"ix_roster_worker_{name}", "plan_id", "roster_row", sqlite_where=text(f"{column} = {int(value)}"),
                 postgresql_where=text(column if value else f"NOT {column}"))  # fmt: skip


class RosterWorker(Base):
    """A worker of the plan's enterprise, as the roster states them now."""

    __tablename__ = "roster_worker"
    __table_args__ = (
        UniqueConstraint("plan_id", "id_number"),
        # 数据比对: find the same person in other enterprises' plans through the index, never a scan.
        Index("ix_roster_worker_id_number", "id_number", "enterprise_id"),
        # Dual-worker couples across an enterprise's plans: who names one of a file's workers as spouse.
        Index("ix_roster_worker_spouse", "enterprise_id", "spouse_id_number"),
        # A plan's workers in import order (the ledger, the export, renumbering after a removal).
        Index("ix_roster_worker_plan", "plan_id", "id"),
        # The plan page pages a plan's roster in roster order (by row), searches it by name or ID number
        # and filters it; each reads one index range of the plan (50,000 rows: milliseconds, never a table
        # scan). Ordered by the row, which no primary-key scan gives, PostgreSQL reads the plan's range
        # instead of walking the primary key and filtering out every other plan's workers.
        # The unfiltered pages are one range of the rows (rows 2..51 are the first page), however deep.
        Index("ix_roster_worker_row", "plan_id", "roster_row", unique=True, postgresql_include=["id"]),
        # A search by the start of a name or an ID number (LIKE 'q%'): PostgreSQL reads it as a range of
        # the index only under the C collation or with the pattern operator class (SQLite ignores it).
        Index("ix_roster_worker_name", "plan_id", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
        Index(
            "ix_roster_worker_id_prefix", "plan_id", "id_number", postgresql_ops={"id_number": "varchar_pattern_ops"}
        ),
        # The channel filter pages a plan's workers on one channel in roster order (the warnings tab's
        # counts are kept in the plan's roster summary, computed at import: no index needed for them).
        Index("ix_roster_worker_plan_channel", "plan_id", "channel", "roster_row"),
        *(flag_index(name, column, value) for name, (column, value) in FLAGS.items()),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)  # the personnel-file date when given, else the ID's
    hire_date: Mapped[date | None] = mapped_column(Date)  # 入企时间: service at this employer (劳动合同法 Art 47)
    work_start: Mapped[date | None] = mapped_column(Date)  # 参加工作时间: total working years, when given
    spouse_id_number: Mapped[str | None] = mapped_column(String(18))  # a valid 配偶身份证号, when given
    channel: Mapped[str | None] = mapped_column(String(30))
    in_scope: Mapped[bool] = mapped_column(Boolean, default=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # every other column of the roster, as imported
    retirement_date: Mapped[date | None] = mapped_column(Date)
    severance: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    medical_subsidy: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # 医疗补助费 (劳部发〔1994〕481号 Art 6)
    internal_retirement_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Facts the roster is filtered by, computed at import by the rules of approvals/rules/roster.py.
    contract_type: Mapped[str | None] = mapped_column(String(20))
    protected: Mapped[bool] = mapped_column(Boolean, default=False)  # model worker, highly skilled, 烈军属, disabled
    art42: Mapped[bool] = mapped_column(Boolean, default=False)  # may not be terminated (劳动合同法第四十二条)
    # 双职工: the spouse is on this roster or on another plan of the enterprise (named by either)
    couple: Mapped[bool] = mapped_column(Boolean, default=False)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)  # 暂时联系不上
    # at or past the statutory retirement age on the reference date: the contract ends (劳动合同法 Art 44(2))
    reached_retirement: Mapped[bool] = mapped_column(Boolean, default=False)
    has_warnings: Mapped[bool] = mapped_column(Boolean, default=False)
    row_hash: Mapped[str] = mapped_column(String(64))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("roster_import.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The worker's row in the exported roster (the header is row 1): the plan's workers in import order
    # (by id) numbered 2, 3, … without gaps. Set at import and renumbered when workers are removed
    # (approvals/services/roster.py `renumber_rows`), so that no page counts the workers before one.
    roster_row: Mapped[int] = mapped_column(Integer)


class RosterWorkerChange(Base):
    """What a re-import replaced or removed, or an edit of one worker changed: the roster keeps its history."""

    __tablename__ = "roster_worker_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    id_number: Mapped[str] = mapped_column(String(18))
    change: Mapped[str] = mapped_column(String(10))  # updated | removed (by an import) | edited (one worker)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("roster_import.id"))  # None for an edit
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # who edited
    changed_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)


class RosterImport(Base):
    """One uploaded roster file and what became of it."""

    __tablename__ = "roster_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    accepted: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)


class WageParameter(Base):
    """The local average monthly wage per city and year (administrators edit it). The minimum wage is no
    longer read from here: it is set by tier and date (models/parameters.py); the figures entered here
    before are kept, and shown as such, for the record."""

    __tablename__ = "wage_parameter"
    __table_args__ = (UniqueConstraint("city_code", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("region.code"))
    year: Mapped[int] = mapped_column(Integer)
    average_monthly_wage: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    minimum_monthly_wage: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # legacy, not used


class RosterVerification(Base):
    """The bureau's verification of the roster (实地调查、电话抽查、社保数据比对、工资发放记录)."""

    __tablename__ = "roster_verification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    method: Mapped[str] = mapped_column(String(30))
    sample: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    workers_checked: Mapped[list[str]] = mapped_column(JSON)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FilingConfirmation(Base):
    """The bureau's confirmation of one unreachable worker's filing (核查备案, 冀人社发〔2018〕38号 §三): the
    enterprise files how it tried to reach the worker, the bureau checks and confirms it. It holds for the
    filing number it confirmed: a roster that files the worker under another number needs a new one."""

    __tablename__ = "filing_confirmation"
    __table_args__ = (UniqueConstraint("plan_id", "id_number", "filing"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    id_number: Mapped[str] = mapped_column(String(18))
    filing: Mapped[str] = mapped_column(String(200))  # the worker's 核查备案编号 when confirmed
    note: Mapped[str] = mapped_column(Text)  # what the bureau checked
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
