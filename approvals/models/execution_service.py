"""The services a plan in execution gives the workers who leave the enterprise (冀人社发〔2018〕38号 §四):
job recommendations and other employment services, employment-difficulty persons (就业困难人员) with their
filing and one-to-one assistance, households (零就业家庭), posts taken up and self-employment support.

A row changes only through a correction or a withdrawal (approvals/execution_services/corrections.py): with
a reason, by the rules of recording it, its old and new values in the trail, which says who did what, and when. A
worker is named by the ID number of the published roster (roster_worker.id_number), as the bureau's
filing confirmations are, so that the records survive a corrected roster.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from approvals.db import Base, utcnow


class ServiceRecord(Base):
    """One service given to one leaving worker: a job recommendation, career guidance, an employment
    service or vocational training, with its date, provider and result."""

    __tablename__ = "execution_service"
    __table_args__ = (Index("ix_execution_service_worker", "plan_id", "id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    id_number: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(30))  # execution_services.rules.SERVICE_KINDS
    provided_on: Mapped[date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DifficultyPerson(Base):
    """A leaving worker confirmed as an employment-difficulty person (就业困难人员, 就业促进法 Art 52) on the
    criteria the user confirmed, and the filing (建档立卡) once made."""

    __tablename__ = "difficulty_person"
    __table_args__ = (UniqueConstraint("plan_id", "id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    id_number: Mapped[str] = mapped_column(String(18))
    criteria: Mapped[list[str]] = mapped_column(JSON)  # execution_services.rules.DIFFICULTY_CRITERIA
    note: Mapped[str] = mapped_column(Text, default="")
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    filed_on: Mapped[date | None] = mapped_column(Date)
    file_number: Mapped[str | None] = mapped_column(String(100))
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class AssistanceRecord(Base):
    """One step of the one-to-one assistance (“一对一”就业援助) given to an employment-difficulty person."""

    __tablename__ = "difficulty_assistance"
    __table_args__ = (Index("ix_difficulty_assistance_worker", "plan_id", "id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    id_number: Mapped[str] = mapped_column(String(18))
    provided_on: Mapped[date] = mapped_column(Date)
    helper: Mapped[str] = mapped_column(String(100))  # the person who assists one to one
    content: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Household(Base):
    """A household (家庭) of workers of the plan and their family members: zero employment is judged on it."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class HouseholdMember(Base):
    """A member of a household: a worker of the roster (`id_number`: the roster's facts and posts apply), or
    another family member with the facts recorded here."""

    __tablename__ = "household_member"
    # A worker belongs to one household of the plan (NULLs, the other members, are distinct).
    __table_args__ = (UniqueConstraint("plan_id", "id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    id_number: Mapped[str | None] = mapped_column(String(18))  # a worker of the roster
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(20))  # execution_services.rules.RELATIONS
    sex: Mapped[str | None] = mapped_column(String(1))  # M | F, of a member who is no worker
    birth_date: Mapped[date | None] = mapped_column(Date)  # of a member who is no worker
    employed: Mapped[bool | None] = mapped_column()  # of a member who is no worker, when recorded
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PostRecord(Base):
    """A post taken up by a household member who is no worker of the roster: a public-welfare post (公益性岗位),
    a job with an employer, or a business registered. A worker's post is the placement outcome of their
    execution record (ExecutionRecord.outcome_kind/outcome), its one source."""

    __tablename__ = "execution_post"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("household_member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # execution_services.rules.POST_KINDS
    employer: Mapped[str] = mapped_column(String(200))
    post: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # a public-welfare post's period ends
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SelfEmploymentSupport(Base):
    """Support given to a leaving worker who starts a business: an incubator place (创业孵化基地), the
    start-up training subsidy (创业培训补贴) or a guaranteed start-up loan (创业担保贷款)."""

    __tablename__ = "self_employment_support"
    __table_args__ = (Index("ix_self_employment_support_worker", "plan_id", "id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    id_number: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(20))  # execution_services.rules.SUPPORT_KINDS
    granted_on: Mapped[date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(200))  # the incubator, the training body, the lender
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # the subsidy or the loan
    reference: Mapped[str] = mapped_column(String(100), default="")  # contract or approval number
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the cap a loan was checked against
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
