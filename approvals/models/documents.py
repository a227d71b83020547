"""The register of issued documents (发文登记): each document number taken, by issuer and year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
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
