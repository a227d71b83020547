"""The working-day calendar (工作日): Chinese public holidays and make-up working days (调休).

The holidays and the make-up days come from the `chinese-calendar` package, which carries the
State Council's arrangement for each year it knows. For a later year (the arrangement is published
in the autumn before, the package a release later), the days an administrator entered from the
State Council's notice are used (approvals/services/holidays.py, handed in by `use_entered_days`).
For a year neither knows, Monday to Friday are working days and every result says it is
provisional (`covers`), so a caller can say so to the user.

Periods follow 民法典 Art 201: the day an event happens is not counted, the period starts the
next day. Dates are China Standard Time (UTC+8, no daylight saving); moments are naive UTC, as
stored everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import chinese_calendar

CHINA = timezone(timedelta(hours=8), "CST")
LIBRARY_YEARS = range(
    min(d.year for d in chinese_calendar.holidays), max(d.year for d in chinese_calendar.holidays) + 1
)
# The library's own days, read once: its is_workday() checks the year's range on every call by scanning
# every holiday it knows (~80 µs a day), which made counting deadlines over a 5,000-worker ledger take
# seconds. The same rule over the same data, as sets.
_LIBRARY_HOLIDAYS = frozenset(chinese_calendar.holidays)
_LIBRARY_WORKDAYS = frozenset(chinese_calendar.workdays)


@dataclass(frozen=True)
class YearDays:
    """An entered year's arrangement: its public holidays and its make-up working days (调休上班)."""

    holidays: frozenset[date]
    workdays: frozenset[date]
    entered_at: datetime | None = None  # naive UTC: deadlines counted before then counted Monday to Friday


def _nothing_entered(year: int) -> YearDays | None:
    return None


_entered: Callable[[int], YearDays | None] = _nothing_entered


def use_entered_days(lookup: Callable[[int], YearDays | None] | None) -> None:
    """Where the entered arrangements are read from (the application hands in its database's); None: nowhere."""
    global _entered
    _entered = lookup or _nothing_entered


def library_knows(year: int) -> bool:
    """Whether `chinese-calendar` carries the year's arrangement."""
    return year in LIBRARY_YEARS


def covers(day: date) -> bool:
    """Whether the holiday arrangement of the day's year is known (from the library, or entered)."""
    return day.year in LIBRARY_YEARS or _entered(day.year) is not None


def is_working_day(day: date) -> bool:
    """A working day: a weekday that is not a public holiday, or a make-up working day (调休)."""
    if day.year in LIBRARY_YEARS:
        if isinstance(day, datetime):
            day = day.date()
        return day in _LIBRARY_WORKDAYS or (day.weekday() < 5 and day not in _LIBRARY_HOLIDAYS)
    entered = _entered(day.year)
    if entered is not None:
        return day in entered.workdays or (day.weekday() < 5 and day not in entered.holidays)
    return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (before it when n < 0); `start` itself is not counted.

    n = 0 gives `start` back, working day or not.
    """
    day, step, left = start, (1 if n > 0 else -1), abs(n)
    while left:
        day += timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; when `end` is earlier, minus the
    working days from `end` up to but not including `start`.

    The inverse of add_working_days: working_days_between(d, add_working_days(d, n)) == n.
    """
    if end < start:
        return -sum(1 for k in range((start - end).days) if is_working_day(end + timedelta(days=k)))
    return sum(1 for k in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=k)))


def all_covered(start: date, end: date) -> bool:
    """Whether every year from `start` to `end` has a known holiday arrangement."""
    return all(covers(date(year, 1, 1)) for year in range(min(start, end).year, max(start, end).year + 1))


def local_date(moment: datetime) -> date:
    """The date in China of a naive UTC moment."""
    return moment.replace(tzinfo=UTC).astimezone(CHINA).date()


def start_of_day(day: date) -> datetime:
    """00:00 in China on `day`, as a naive UTC moment."""
    return datetime.combine(day, datetime.min.time(), CHINA).astimezone(UTC).replace(tzinfo=None)
