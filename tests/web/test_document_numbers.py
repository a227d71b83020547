"""Document numbers (发文字号, GB/T 9704-2012 §7.2.4) are counted per issuer and year: an enterprise numbers its
published plans, a bureau its review opinions, each from 1 in each year in China; the number is taken when the
document is made, in the same transaction, stored, and printed again on every rendering; two documents of one
issuer made at once get two numbers (approvals/services/document_numbers.py)."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from app.extensions import db, get_engine
from approvals.db import Base, utcnow
from approvals.models import AuditEvent, DocumentNumber, Enterprise, Plan, Region
from approvals.services.document_numbers import allocate, label
from approvals.workdays import local_date
from config import database_url
from tests import pdf, stages
from tests.services import fresh_postgres_database


def published(world, firm: str, reviewer: str) -> Plan:
    plan = stages.plan_at(db.session, get_engine(), world, "published", firm=firm, reviewer=reviewer)
    db.session.commit()
    return plan


def text_of(api, user: str, plan_id: int, kind: str, **query) -> str:
    response = api(user).get(f"/plans/{plan_id}/documents/{kind}.pdf", query_string=query)
    assert response.status_code == 200, response.json
    return pdf.flat(response.data)


def test_each_issuer_counts_its_own_documents_in_the_year(api, world):
    stages.plan_at(db.session, get_engine(), world, "drafting", firm="zombie")  # plan ids no longer match counts
    first = published(world, "steel", "reviewer")  # 迁安钢铁's 1st, 唐山市局's 1st
    other = published(world, "zombie", "province")  # 峰峰煤业's 1st, the province's 1st
    second = published(world, "steel", "reviewer")  # 迁安钢铁's 2nd, 唐山市局's 2nd
    year = local_date(utcnow()).year
    assert (first.id, other.id, second.id) != (1, 1, 2)

    latest = text_of(api, "clerk", second.id, "published-plan")
    assert f"迁安钢铁职工安置〔{year}〕2号" in latest  # masthead, then the number
    assert f"唐山市人力资源和社会保障局审核同意本方案（人社审〔{year}〕2号" in latest
    opinion = text_of(api, "clerk", second.id, "review-opinion")
    assert f"唐山市人力资源和社会保障局人社审〔{year}〕2号" in opinion
    assert f"峰峰煤业职工安置〔{year}〕1号" in text_of(api, "clerk_zombie", other.id, "published-plan")
    assert f"河北省人力资源和社会保障厅人社审〔{year}〕1号" in text_of(api, "clerk_zombie", other.id, "review-opinion")
    # Rendered again after the others were made: the number it was given.
    assert f"迁安钢铁职工安置〔{year}〕1号" in text_of(api, "clerk", first.id, "published-plan")
    assert f"人社审〔{year}〕1号" in text_of(api, "clerk", first.id, "review-opinion")

    stored = db.session.scalars(select(DocumentNumber).where(DocumentNumber.plan_id == second.id)).all()
    assert sorted((n.kind, label(n)) for n in stored) == [("published-plan", f"职工安置〔{year}〕2号"),
                                                         ("review-opinion", f"人社审〔{year}〕2号")]  # fmt: skip
    trail = {e.action: e.summary for e in db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == second.id))}
    assert trail["plan.published"]["document_number"] == f"职工安置〔{year}〕2号"
    assert trail["review.decided"]["document_number"] == f"人社审〔{year}〕2号"


def test_the_year_is_the_documents_year_in_china_and_each_year_starts_from_one(world):
    plan = stages.plan_at(db.session, get_engine(), world, "drafting", firm="steel")
    issuer = f"enterprise:{plan.enterprise_id}"

    def take(moment: datetime, record_id: int) -> str:
        return label(allocate(db.session, kind="published-plan", plan=plan, record_id=record_id, issuer=issuer,
                              on=moment))  # fmt: skip

    assert take(datetime(2026, 12, 31, 15, 59), 9001) == "职工安置〔2026〕1号"  # 23:59 in Beijing
    assert take(datetime(2026, 12, 31, 16, 0), 9002) == "职工安置〔2027〕1号"  # midnight in Beijing
    assert take(datetime(2027, 3, 1), 9003) == "职工安置〔2027〕2号"
    assert take(datetime(2026, 6, 1), 9004) == "职工安置〔2026〕2号"


def test_two_documents_of_one_issuer_made_at_once_get_two_numbers():
    """PostgreSQL, two transactions: the second computes the same next number, waits on the unique constraint
    until the first commits, then takes the number after it instead of failing."""
    with fresh_postgres_database("docnumbers") as url:
        engine = create_engine(database_url(url))
        try:
            Base.metadata.create_all(engine)
            with Session(engine) as setup:
                setup.add(Region(code="130283", name="迁安市", level="county"))
                firm = Enterprise(name="迁安钢铁", uscc="911302830000000011", industry="steel", region_code="130283",
                                  headcount=100)  # fmt: skip
                setup.add(firm)
                setup.flush()
                setup.add_all([Plan(enterprise_id=firm.id, title=f"方案{n}", content={}, content_hash="0" * 64)
                               for n in (1, 2)])  # fmt: skip
                setup.commit()
            first, second = Session(engine), Session(engine)
            plans = [
                s.scalars(select(Plan).where(Plan.title == f"方案{n}")).one() for n, s in ((1, first), (2, second))
            ]

            def take(session: Session, plan: Plan, out: list[str]) -> None:
                out.append(label(allocate(session, kind="published-plan", plan=plan, record_id=plan.id,
                                          issuer="enterprise:1", on=datetime(2026, 7, 1))))  # fmt: skip
                session.commit()

            taken: list[str] = []
            label_first = label(allocate(first, kind="published-plan", plan=plans[0], record_id=plans[0].id,
                                         issuer="enterprise:1", on=datetime(2026, 7, 1)))  # fmt: skip
            racer = threading.Thread(target=take, args=(second, plans[1], taken))
            racer.start()
            # The second transaction now waits on the first one's uncommitted number: PostgreSQL shows it
            # waiting for a lock (no fixed sleep that a busy machine could outrun).
            waiting = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")  # fmt: skip
            deadline = time.monotonic() + 30
            with engine.connect() as watcher:
                while not watcher.execute(waiting).scalar_one():
                    assert racer.is_alive(), taken  # it took a number without waiting
                    assert time.monotonic() < deadline, "the second transaction never waited"
                    time.sleep(0.02)
            assert taken == []
            first.commit()
            racer.join(timeout=30)
            assert (label_first, taken) == ("职工安置〔2026〕1号", ["职工安置〔2026〕2号"])
            first.close()
            second.close()
        finally:
            engine.dispose()
