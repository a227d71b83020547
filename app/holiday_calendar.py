"""The working-day calendar's link to the database: the holiday arrangements an administrator entered
(approvals/services/holidays.py) for the years `chinese-calendar` does not know, and the note pages show
beside a deadline that falls in a year nobody has entered yet."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, has_app_context
from flask_babel import gettext as _

from app.extensions import db
from approvals import workdays
from approvals.services import holidays


def _entered_days(year: int) -> workdays.YearDays | None:
    if not has_app_context():
        return None
    return holidays.year_days_of(db.session, year)


def calendar_note(day: date | datetime | None, counted_at: datetime | None = None) -> str:
    """What to say beside a deadline on `day` (a naive UTC moment: its China date) when its year's holiday
    arrangement is unknown, or was entered after the deadline was counted (at `counted_at`, naive UTC: a
    deadline once set keeps its date); empty otherwise."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = workdays.local_date(day)
    if not workdays.covers(day):
        return _("%(year)s年节假日安排尚未录入，该期限暂按周一至周五计算工作日。", year=day.year)
    entered = None if workdays.library_knows(day.year) else holidays.year_days_of(db.session, day.year)
    if entered is not None and entered.entered_at and counted_at and counted_at < entered.entered_at:
        return _("该期限在%(year)s年节假日安排录入之前确定，是按周一至周五计算的。", year=day.year)
    return ""


def init(app: Flask) -> None:
    workdays.use_entered_days(_entered_days)
    app.jinja_env.globals["calendar_note"] = calendar_note
