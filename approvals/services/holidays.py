"""The State Council's holiday arrangement for the years `chinese-calendar` does not know yet.

Each year the General Office of the State Council publishes the next year's public holidays and the
weekend days worked instead (调休上班) in its notice (国务院办公厅关于某年部分节假日安排的通知); the
package carries them a release later. Until then an administrator enters the notice's days here, and
working-day arithmetic (approvals/workdays.py) uses them: deadlines are counted as the notice says,
not Monday to Friday. Saving a year replaces its days; the audit event keeps what it replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, scoped_session

from approvals import audit
from approvals.actor import Actor
from approvals.db import utcnow
from approvals.errors import Invalid
from approvals.i18n import N_, Text
from approvals.models import Role
from approvals.models.holidays import HOLIDAY, MAKEUP_WORKDAY, HolidayDay, HolidayYear
from approvals.workdays import LIBRARY_YEARS, YearDays, library_knows

FIELDS = {HOLIDAY: "holidays", MAKEUP_WORKDAY: "workdays"}
LABELS = {HOLIDAY: N_("法定节假日"), MAKEUP_WORKDAY: N_("调休上班日")}
# A range: two dates joined by 至 (or 到, ~, a dash), by "to" or " - " between spaces, or by "-" between two
# full ISO dates (2027-10-01-2027-10-07); a single date's own hyphens are never taken for a range.
_RANGE = re.compile(r"\s*(\S+?)\s*(?:至|到|~|～|—|–|--|\s+-\s+|\s+to\s+)\s*(\S+)\s*$", re.IGNORECASE)
_ISO_PAIR = re.compile(r"\s*(\d{4}-\d{2}-\d{2})-(\d{4}-\d{2}-\d{2})\s*$")
MAX_RANGE_DAYS = 31  # the longest holiday is about a week: a longer range is a typing mistake


def _problem(field: str, rule: str, message: Text) -> dict[str, str]:
    return {"field": field, "rule": rule, "message": message}


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        return None


def parse_days(text: str, kind: str) -> tuple[list[date], list[dict[str, str]]]:
    """The days a text lists, one date (2027-10-01) or range (2027-10-01至2027-10-07,
    2027-10-01 to 2027-10-07, 2027-10-01 - 2027-10-07) a line, and a problem
    for each line that is neither; blank lines are skipped."""
    field, label = FIELDS[kind], LABELS[kind]
    days: list[date] = []
    problems = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        ends = _RANGE.match(line) or _ISO_PAIR.match(line)
        first, last = (_day(ends[1]), _day(ends[2])) if ends else (_day(line), _day(line))
        if first is None or last is None:
            problems.append(_problem(field, "iso_date", Text(N_("%(label)s第%(n)s行“%(line)s”不是日期，请写成2027-10-01，"
                                                                "连续多日写成2027-10-01至2027-10-07。"),
                                                             label=Text(label), n=n, line=line.strip())))  # fmt: skip
        elif last < first or (last - first).days >= MAX_RANGE_DAYS:
            problems.append(_problem(field, "date_range", Text(N_("%(label)s第%(n)s行“%(line)s”：结束日期须不早于开始日期，"
                                                                  "且一段不超过%(max)s天。"),
                                                               label=Text(label), n=n, line=line.strip(),
                                                               max=MAX_RANGE_DAYS)))  # fmt: skip
        else:
            days += [first + timedelta(days=k) for k in range((last - first).days + 1)]
    return days, problems


def set_arrangement(session: Session, *, actor: Actor, year: int, holidays: list[date], workdays: list[date],
                    basis: str, problems: Iterable[dict[str, str]] = ()) -> HolidayYear:  # fmt: skip
    """Enter (or replace) a year's public holidays and make-up working days from the State Council's notice.

    Refused (422, every problem named) for a year the library already knows, a day outside the year, a day
    listed twice or as both, a make-up working day that is not a Saturday or Sunday, no holiday at all, or
    no basis; `problems` are the caller's own (lines it could not read), reported with these."""
    found = list(problems)
    basis = basis.strip()
    if not 2000 <= year <= 2100:
        found.append(_problem("year", "year_range", Text(N_("年度须在2000至2100之间。"))))
    elif library_knows(year):
        found.append(_problem("year", "library_year", Text(N_("%(year)s年的节假日安排已内置（%(first)s—%(last)s年），无须录入。"),
                                                           year=year, first=LIBRARY_YEARS.start,
                                                           last=LIBRARY_YEARS.stop - 1)))  # fmt: skip
    if not basis:
        found.append(_problem("basis", "required", Text(N_("请填写依据（国务院办公厅通知的名称和文号）。"))))
    elif len(basis) > 200:
        found.append(_problem("basis", "max_length", Text(N_("依据不超过200字。"))))
    if not holidays and not any(p["field"] == "holidays" for p in found):
        found.append(_problem("holidays", "required", Text(N_("请至少填写一个法定节假日。"))))
    seen: dict[date, str] = {}
    for kind, days in ((HOLIDAY, holidays), (MAKEUP_WORKDAY, workdays)):
        field, label = FIELDS[kind], LABELS[kind]
        for day in days:
            if day.year != year:
                found.append(_problem(field, "in_year", Text(N_("%(label)s%(day)s不在%(year)s年内。"), label=Text(label),
                                                             day=day.isoformat(), year=year)))  # fmt: skip
            elif day in seen:
                again = (Text(N_("%(label)s%(day)s重复填写。"), label=Text(label), day=day.isoformat())
                         if seen[day] == kind else
                         Text(N_("%(label)s%(day)s已填为%(other)s。"), label=Text(label), day=day.isoformat(),
                              other=Text(LABELS[seen[day]])))  # fmt: skip
                found.append(_problem(field, "no_duplicates", again))
            elif kind == MAKEUP_WORKDAY and day.weekday() < 5:
                found.append(_problem(field, "weekend", Text(N_("调休上班日%(day)s是工作日（周一至周五），调休上班日应为周六或周日。"),
                                                             day=day.isoformat())))  # fmt: skip
            seen.setdefault(day, kind)
    if found:
        raise Invalid("invalid_holidays", "；".join(dict.fromkeys(p["message"] for p in found)), found)
    row = session.get(HolidayYear, year)
    before = None if row is None else _as_listed(year_days_of(session, year))
    if row is None:
        row = HolidayYear(year=year)
        session.add(row)
    row.basis, row.set_by_id, row.set_at = basis, actor.user.id if actor.user else None, utcnow()
    session.flush()
    session.execute(delete(HolidayDay).where(HolidayDay.year == year))
    session.add_all(HolidayDay(day=day, year=year, kind=kind) for day, kind in sorted(seen.items()))
    session.flush()
    forget(session)
    audit.record(session, actor=actor, role=Role.ADMIN, action="holidays.set",
                 summary={"year": year, "basis": basis, **_as_listed(YearDays(frozenset(holidays), frozenset(workdays))),
                          "before": before})  # fmt: skip
    return row


def _as_listed(days: YearDays | None) -> dict[str, Any]:
    if days is None:
        return {}
    return {"holidays": [d.isoformat() for d in sorted(days.holidays)],
            "workdays": [d.isoformat() for d in sorted(days.workdays)]}  # fmt: skip


# --- reading --------------------------------------------------------------------------------------

_CACHE = "entered_holidays"


def _own(session: Session) -> Session:
    """The session itself, also when given the application's scoped session (which proxies no transaction)."""
    return session() if isinstance(session, scoped_session) else session


def forget(session: Session) -> None:
    """Drop what this session read of the entered arrangements (after a change)."""
    _own(session).info.pop(_CACHE, None)


def entered(session: Session) -> dict[int, YearDays]:
    """Every entered year's days, read once per transaction (one small query): a request that counts
    many deadlines reads the table once, and the next transaction sees a change another server made."""
    own = _own(session)
    cached = own.info.get(_CACHE)
    if cached is not None and cached[0] is own.get_transaction():
        return cached[1]  # type: ignore[no-any-return]
    years: dict[int, tuple[set[date], set[date]]] = {}
    entered_at: dict[int, datetime] = {}
    with own.no_autoflush:
        rows = own.execute(select(HolidayYear.year, HolidayYear.set_at, HolidayDay.day, HolidayDay.kind)
                           .outerjoin(HolidayDay, HolidayDay.year == HolidayYear.year))  # fmt: skip
        for year, set_at, day, kind in rows:
            holidays, workdays = years.setdefault(year, (set(), set()))
            entered_at[year] = set_at
            if day is not None:
                (holidays if kind == HOLIDAY else workdays).add(day)
    found = {year: YearDays(frozenset(h), frozenset(w), entered_at[year]) for year, (h, w) in years.items()}
    own.info[_CACHE] = (own.get_transaction(), found)
    return found


def year_days_of(session: Session, year: int) -> YearDays | None:
    return entered(session).get(year)


@dataclass(frozen=True)
class EnteredYear:
    year: int
    basis: str
    holidays: list[date]
    workdays: list[date]


def entered_years(session: Session) -> list[EnteredYear]:
    """The entered years, newest first, with their days (for the administrator's page)."""
    days = entered(session)
    return [EnteredYear(row.year, row.basis, sorted(days[row.year].holidays), sorted(days[row.year].workdays))
            for row in session.scalars(select(HolidayYear).order_by(HolidayYear.year.desc()))]  # fmt: skip


def missing_years(session: Session, today: date, ahead_days: int = 120) -> list[int]:
    """The years a deadline may fall in soon (from today to `ahead_days` on) whose arrangement neither the
    library nor an administrator has: deadlines in them count Monday to Friday only."""
    have = entered(session)
    return [year for year in range(today.year, (today + timedelta(days=ahead_days)).year + 1)
            if not library_knows(year) and year not in have]  # fmt: skip
