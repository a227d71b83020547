"""Document numbers (发文字号, GB/T 9704-2012 §7.2.4: 发文机关代字、年份、发文顺序号): each issuer counts its own
documents from 1 in each year — an enterprise its published plans (职工安置〔2026〕3号), a bureau its review
opinions (人社审〔2026〕12号) — never the system's row ids.

A number is taken in the transaction that makes the document (the review in services/review.py, the
publication in services/publication.py) and stored in the register (models/documents.py), so every rendering
of the document prints the same number. Two documents of one issuer made at once race for the same next
number: the register's unique constraint (issuer, year, serial) lets one win, and the other takes the number
after it inside a savepoint (on PostgreSQL the retry sees the winner's committed row; SQLite writes one
transaction at a time).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from approvals.errors import Conflict
from approvals.i18n import N_, Text
from approvals.models import DocumentNumber, Enterprise, Plan, Region, Role, User
from approvals.models.reference import region_covers, region_prefix
from approvals.workdays import local_date

# 发文机关代字 of each kind of document.
PREFIXES = {"published-plan": "职工安置", "review-opinion": "人社审"}
ATTEMPTS = 5


def enterprise_issuer(enterprise: Enterprise) -> str:
    return f"enterprise:{enterprise.id}"


def bureau_issuer(region_code: str) -> str:
    return f"bureau:{region_code}"


def reviewing_bureau(session: Session, reviewer_id: int, plan: Plan) -> Region | None:
    """The bureau a reviewer acts for on a plan: the most local region of their bureau grants covering the firm."""
    user = session.get(User, reviewer_id)
    codes = [g.region_code for g in (user.grants_for(Role.BUREAU) if user else [])
             if g.region_code and region_covers(g.region_code, plan.enterprise.region_code)]  # fmt: skip
    return session.get(Region, max(codes, key=lambda code: len(region_prefix(code)))) if codes else None


def issuing_region(number: DocumentNumber) -> str | None:
    """The bureau's region code of a number a bureau issued, else None."""
    kind, _, code = number.issuer.partition(":")
    return code if kind == "bureau" else None


def allocate(session: Session, *, kind: str, plan: Plan, record_id: int, issuer: str, on: datetime) -> DocumentNumber:
    """The issuer's next number of the year of `on` (a naive UTC moment; the year in China), stored for the
    document of `kind` about `record_id`. Call it in the transaction that makes the document."""
    year = local_date(on).year
    taken = select(func.max(DocumentNumber.serial)).where(DocumentNumber.issuer == issuer, DocumentNumber.year == year)
    for _attempt in range(ATTEMPTS):
        number = DocumentNumber(kind=kind, record_id=record_id, plan_id=plan.id, issuer=issuer, year=year,
                                serial=(session.scalar(taken) or 0) + 1, issued_at=on)  # fmt: skip
        try:
            with session.begin_nested():
                session.add(number)
        except IntegrityError:  # another document of this issuer took the number first: take the next
            continue
        return number
    raise Conflict("concurrent_update", Text(N_("同时生成的文书过多，未能取得文号，本次操作未保存，请重试。")))


def number_of(session: Session, kind: str, record_id: int) -> DocumentNumber | None:
    return session.scalars(
        select(DocumentNumber).where(DocumentNumber.kind == kind, DocumentNumber.record_id == record_id)
    ).first()


def label(number: DocumentNumber) -> str:
    """The number as the document prints it: 人社审〔2026〕12号."""
    return f"{PREFIXES[number.kind]}〔{number.year}〕{number.serial}号"
