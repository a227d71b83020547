"""What the documents share: Chinese numbers, dates and amounts, masked text, and the look-ups of
names, regions, bureaus and revisions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals.errors import NotFound
from approvals.i18n import Counted, Np_, Text
from approvals.models import BureauReview, CongressVote, Plan, PlanRevision, Region, User
from approvals.models.reference import INDUSTRIES
from approvals.rules.funding import to_amount
from approvals.rules.resident_id import mask_ids_in_text
from approvals.services.document_numbers import issuing_region, label, number_of, reviewing_bureau

CHINA = ZoneInfo("Asia/Shanghai")

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 21 → 二十一 (section headings up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def local(moment: datetime) -> datetime:
    """A stored naive-UTC time in Beijing time."""
    return moment.replace(tzinfo=UTC).astimezone(CHINA)


def cn_date(day: date | datetime) -> str:
    """成文日期 as GB/T 9704 writes it: 2018年7月26日 (Arabic numerals, no leading zeros)."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{day.year}年{day.month}月{day.day}日"


def cn_time(moment: datetime) -> str:
    t = local(moment)
    return f"{cn_date(t.date())} {t:%H:%M}"


def yuan(value: Any) -> str:
    amount = to_amount(value)
    return "—" if amount is None else f"{amount:,.2f}"


def percent(part: int | float, whole: int | float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def text(value: Any) -> str:
    """A value as the published text shows it; resident IDs typed into free text are masked."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):  # something a clerk sent through the API: in words, never a Python repr
        return "；".join(f"{text(key)}：{text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "；".join(text(item) for item in value)
    return mask_ids_in_text(str(value))


# -- look-ups ----------------------------------------------------------------------------------


def user_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return (user.display_name or user.username) if user else "—"


def region_name(session: Session, code: str) -> str:
    """Full name from the province down: 河北省唐山市迁安市."""
    names: list[str] = []
    region = session.get(Region, code)
    while region is not None:
        names.insert(0, region.name)
        region = session.get(Region, region.parent_code) if region.parent_code else None
    return "".join(names) or code


def bureau_name(session: Session, review: BureauReview, plan: Plan) -> str:
    """The bureau that issued a review opinion: the one its number was taken for (document_numbers), else
    the most local region of the reviewer's bureau grants that covers the plan."""
    number = number_of(session, "review-opinion", review.id)
    code = issuing_region(number) if number else None
    region = session.get(Region, code) if code else reviewing_bureau(session, review.reviewer_id, plan)
    if region is None:
        return "人力资源和社会保障部门"
    return region.name + ("人力资源和社会保障厅" if region.level == "province" else "人力资源和社会保障局")


def revision_of(session: Session, plan: Plan, content_hash: str) -> PlanRevision | None:
    """The latest submitted revision with this content hash."""
    return session.scalars(
        select(PlanRevision)
        .where(PlanRevision.plan_id == plan.id, PlanRevision.content_hash == content_hash)
        .order_by(PlanRevision.number.desc())
        .limit(1)
    ).first()


def revision_ref(session: Session, plan: Plan, content_hash: str) -> dict[str, Any]:
    revision = revision_of(session, plan, content_hash)
    return {"number": revision.number if revision else None, "hash": content_hash,
            "label": f"第{revision.number}版" if revision else "未提交的版本"}  # fmt: skip


def plan_ref(session: Session, plan: Plan, content_hash: str) -> dict[str, Any]:
    """The plan as the document names it: the title of the revision the document is about."""
    e = plan.enterprise
    revision = revision_of(session, plan, content_hash)
    return {"id": plan.id, "title": revision.title if revision else plan.title, "enterprise": e.name, "uscc": e.uscc,
            "region": region_name(session, e.region_code), "industry": INDUSTRIES.get(e.industry, e.industry)}  # fmt: skip


def pick(rows: list[Any], number: int | None, what: str) -> tuple[int, Any]:
    """The `number`-th of the rows (1-based; the latest when None), or 404 naming how many there are."""
    if number is None:
        return len(rows), rows[-1]
    if not 1 <= number <= len(rows):
        raise NotFound("document_not_found", Counted(Np_("本方案共有%(count)s份%(what)s，没有第%(number)s份。",
                                                          "本方案共有%(count)s份%(what)s，没有第%(number)s份。"),
                                                      len(rows), count=len(rows), what=Text(what), number=number),
                       {"available": len(rows), "requested": number})  # fmt: skip
    return number, rows[number - 1]


def rows_of(session: Session, model: Any, plan: Plan) -> list[Any]:
    """The plan's votes, reviews, group records… in the order they were made."""
    return list(session.scalars(select(model).where(model.plan_id == plan.id).order_by(model.id)))


def passing_vote(session: Session, plan: Plan, content_hash: str) -> CongressVote | None:
    """The latest congress vote that passed this revision."""
    return session.scalars(
        select(CongressVote)
        .where(CongressVote.plan_id == plan.id, CongressVote.content_hash == content_hash, CongressVote.passed)
        .order_by(CongressVote.id.desc())
        .limit(1)
    ).first()


def document_number(session: Session, kind: str, record_id: int) -> str:
    """文号 of a document as taken when it was made (人社审〔2026〕12号: services/document_numbers.py)."""
    number = number_of(session, kind, record_id)
    return label(number) if number else "（文号未登记）"


def opinion_number(session: Session, review: BureauReview) -> str:
    return document_number(session, "review-opinion", review.id)
