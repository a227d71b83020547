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


def calendar_note(day: date | datetime | None) -> str:
    """What to say beside a deadline on `day` (a naive UTC moment: its China date) when its year's holiday
    arrangement is unknown; empty otherwise."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = workdays.local_date(day)
    if workdays.covers(day):
        return ""
    return _("%(year)s年节假日安排尚未录入，该期限暂按周一至周五计算工作日。", year=day.year)


def init(app: Flask) -> None:
    workdays.use_entered_days(_entered_days)
    app.jinja_env.globals["calendar_note"] = calendar_note
