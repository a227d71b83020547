"""The placement plan, its immutable revisions and the decisions taken on it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import Base, utcnow
from approvals.models.reference import Enterprise
from approvals.process import Status


class Plan(Base):
    """A 职工安置方案: the draft content plus where it stands."""

    __tablename__ = "plan"
    # Lists of plans filter by stage and risk and join the enterprise: this index covers all three,
    # so sorting thousands of plans never reads their documents (stored in the same row).
    __table_args__ = (Index("ix_plan_queue", "status", "risk_level", "enterprise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFTING)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    revision_number: Mapped[int] = mapped_column(Integer, default=0)
    # The imported roster: its digest (part of the content hash) and what completeness needs of it.
    roster_digest: Mapped[str] = mapped_column(String(64), default="")
    roster_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The legal parameters the roster's figures were computed with (rules.parameters.ParameterSet.as_json
    # plus the wage region): kept, so the plan shows the values it used whatever the administrator changes.
    parameters_used: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    risk_level: Mapped[str | None] = mapped_column(String(10))
    risk_reason: Mapped[str | None] = mapped_column(String(200))
    working_group_id: Mapped[int | None] = mapped_column(ForeignKey("working_group.id"), index=True)
    # Hashes of the revision each decision last applied to; a later change voids them all.
    passed_hash: Mapped[str | None] = mapped_column(String(64))
    approval_ratio: Mapped[float | None] = mapped_column(Float)  # yes / all members, last passed vote
    approved_hash: Mapped[str | None] = mapped_column(String(64))
    cleared_hash: Mapped[str | None] = mapped_column(String(64))
    published_hash: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    execution_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)  # 实施完毕: every worker's record complete
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Changed by content and state changes only: the audit chain's head is kept apart (AuditHead),
    # so an event recorded in the trail (a refused execution, a reminder) stales no editor.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    enterprise: Mapped[Enterprise] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class PlanRevision(Base):
    """A submitted revision: never updated after insert."""

    __tablename__ = "plan_revision"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    roster: Mapped[bytes | None] = mapped_column(LargeBinary)  # gzip of the roster rows, canonical JSON
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CongressVote(Base):
    """One session of the 职工代表大会 / 职工大会 on a plan revision."""

    __tablename__ = "congress_vote"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    body_type: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[date] = mapped_column(Date)
    total_members: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    yes: Mapped[int] = mapped_column(Integer)
    no: Mapped[int] = mapped_column(Integer)
    abstain: Mapped[int] = mapped_column(Integer)
    # Why a 职工代表大会 below the usual size met (rules.congress.undersized); empty otherwise.
    explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    # How the vote was taken (rules.congress.BallotRecord). Null only on votes recorded before these
    # were asked for: their documents say the method was not recorded, never a method assumed.
    ballots_issued: Mapped[int | None] = mapped_column(Integer)
    ballots_returned: Mapped[int | None] = mapped_column(Integer)
    ballots_valid: Mapped[int | None] = mapped_column(Integer)
    secret_ballot: Mapped[bool | None] = mapped_column(Boolean)
    chair: Mapped[str | None] = mapped_column(String(50))
    scrutineers: Mapped[list[str] | None] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    quorum_met: Mapped[bool] = mapped_column(Boolean)
    passed: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CongressDocument(Base):
    """A PDF of a congress session: its minutes (会议记录), resolution (决议) or signed attendance sheet
    (签到表). Uploaded by the union while the vote waits (``vote_id`` empty, bound to the revision by
    ``content_hash``) and kept with the vote it was recorded with. The bytes are stored in the database,
    as the funding evidence is, so a file, its audit event and the vote commit together."""

    __tablename__ = "congress_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    vote_id: Mapped[int | None] = mapped_column(ForeignKey("congress_vote.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # minutes | resolution | attendance
    content_hash: Mapped[str] = mapped_column(String(64))  # the revision the session deliberated
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read only when downloaded
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class BureauReview(Base):
    """A reviewer's decision on a plan revision."""

    __tablename__ = "bureau_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))  # approve | return
    reasons: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WorkingGroupRecord(Base):
    """The joint working group's intervention in a high-risk plan."""

    __tablename__ = "working_group_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    working_group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id"))
    members: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    contact_point: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(10))  # cleared | revise
    content_hash: Mapped[str] = mapped_column(String(64))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WorkingGroupAdvice(Base):
    """The joint working group's part in drafting a known high-risk firm's plan (冀人社发〔2018〕38号 §六:
    "帮助企业研究制定和细化完善职工安置方案"): what it advised, on which draft. It clears nothing: the group's
    condition of the gate is met only by its decision after the review (WorkingGroupRecord)."""

    __tablename__ = "working_group_advice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    working_group_id: Mapped[int] = mapped_column(ForeignKey("working_group.id"))
    advice: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))  # the draft the group saw
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FundingEvidence(Base):
    """A file proving one funding source of a plan (资金来源证明材料): a PDF, image, .xlsx or .docx.

    The bytes live in this table, not on a disk beside the database: an upload, its audit event and
    the plan's new content hash commit or roll back together, and a backup of the database holds the
    evidence the plan's hash refers to. Files are small (a few MB at most, checked on upload).
    """

    __tablename__ = "funding_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    source_number: Mapped[int] = mapped_column(Integer)  # 1-based position in content.funding.sources
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))  # pdf | jpeg | png | xlsx | docx, from the bytes
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read only when downloaded
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReturnReason(Base):
    """One reason a plan was sent back to drafting (a bureau return or a working group's 退回修改), and the
    clerk's answer to it. The reason is written with the return; the answer and the revision that carries it
    are written once, when the clerk resubmits (a submission refused as incomplete keeps the answers typed,
    `revision_id` still empty, so none is lost). Exactly one of `review_id` and `working_group_record_id`."""

    __tablename__ = "return_reason"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("bureau_review.id"), index=True)
    working_group_record_id: Mapped[int | None] = mapped_column(ForeignKey("working_group_record.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1-based within its return
    text: Mapped[str] = mapped_column(Text)
    returned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("plan_revision.id"), index=True)
