"""The State Council's holiday arrangement (国务院办公厅关于某年部分节假日安排的通知) for the years the
`chinese-calendar` package does not know yet, as an administrator entered it (approvals/services/holidays.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from approvals.db import Base, utcnow

HOLIDAY, MAKEUP_WORKDAY = "holiday", "workday"


class HolidayYear(Base):
    """One year's arrangement: the notice it was entered from, who entered it and when."""

    __tablename__ = "holiday_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    basis: Mapped[str] = mapped_column(String(200))  # the notice's title and number
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class HolidayDay(Base):
    """A day of an entered year that is not what its weekday says: a public holiday (休) or a make-up
    working day (调休上班)."""

    __tablename__ = "holiday_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("holiday_year.year"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # HOLIDAY or MAKEUP_WORKDAY
