"""The register of issued documents (发文登记): each document number taken, by issuer and year; the
renderings of the documents kept for download, and the plans whose documents wait to be rendered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from approvals.db import Base, utcnow


class DocumentNumber(Base):
    """发文字号 of one document: its issuer's `serial`-th of `year` (services/document_numbers.py)."""

    __tablename__ = "document_number"
    __table_args__ = (
        UniqueConstraint("issuer", "year", "serial"),  # one number, one document: the race's arbiter
        UniqueConstraint("kind", "record_id"),  # one document, one number
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # published-plan | review-opinion
    record_id: Mapped[int] = mapped_column(Integer)  # the plan (published-plan) or the bureau review (review-opinion)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    issuer: Mapped[str] = mapped_column(String(40))  # enterprise:<id> | bureau:<region code>
    year: Mapped[int] = mapped_column(Integer)  # in China, of the document's date
    serial: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StoredDocument(Base):
    """One rendering of an official document (PDF), kept so that a download never waits for a render
    (app/documents/store.py). `content_key` is the SHA-256 of what the document shows and of the code
    that lays it out, so a change of either is a new row, never a stale file; `version` is that code's
    part alone, so the worker can find what a new version has to render again."""

    __tablename__ = "stored_document"
    __table_args__ = (UniqueConstraint("plan_id", "kind", "record_id", "content_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # published-plan | congress-vote | review-opinion | working-group
    record_id: Mapped[int] = mapped_column(Integer)  # the plan (published-plan), the vote, review or group record
    content_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))  # of `data`: a damaged file is rendered again, never served
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    render_seconds: Mapped[float] = mapped_column(Float)  # CPU time of the render
    rendered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class DocumentJob(Base):
    """A plan whose documents `flask worker` should render (or find already kept): written in the
    transaction of every plan event, so a new vote, review, group record or publication is rendered
    before anyone asks for it. One row per plan; the worker deletes it when it takes it."""

    __tablename__ = "document_job"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
