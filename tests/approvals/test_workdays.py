"""The working-day calendar and the deadlines counted on it, across real holiday arrangements.

Dates are the State Council's arrangements as the chinese-calendar package carries them:
2025 Spring Festival 1月28日–2月4日 off, make-up working days Sunday 1月26日 and Saturday 2月8日;
2025 National Day and Mid-Autumn 10月1日–8日 off, make-up Sunday 9月28日 and Saturday 10月11日;
2026 Spring Festival 2月15日–23日 off, make-up Saturday 2月14日 and Saturday 2月28日;
2026 National Day 10月1日–7日 off, make-up Sunday 9月20日 and Saturday 10月10日.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals import deadlines
from approvals.workdays import (
    add_working_days,
    all_covered,
    covers,
    is_working_day,
    local_date,
    start_of_day,
    working_days_between,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-01-26", True),  # Sunday, make-up day for the Spring Festival
        ("2025-01-28", False),  # 除夕, a Tuesday
        ("2025-02-04", False),  # last day off, a Tuesday
        ("2025-02-08", True),  # Saturday, make-up day
        ("2025-09-28", True),  # Sunday, make-up day for National Day
        ("2025-10-08", False),  # a Wednesday off
        ("2025-10-11", True),  # Saturday, make-up day
        ("2026-02-14", True),  # Saturday, make-up day
        ("2026-02-23", False),  # a Monday off
        ("2026-02-28", True),  # Saturday, make-up day
        ("2026-09-20", True),  # Sunday, make-up day
        ("2026-10-07", False),  # a Wednesday off
        ("2026-10-10", True),  # Saturday, make-up day
        ("2026-03-07", False),  # an ordinary Saturday
        ("2026-03-09", True),  # an ordinary Monday
    ],
)
def test_holidays_and_make_up_days(day, working):
    assert is_working_day(date.fromisoformat(day)) is working


def test_twenty_working_days_across_the_2026_spring_festival():
    # From Tuesday 2月10日: 11–14 (the 14th a make-up Saturday), nine days off, 24–28 (the 28th a
    # make-up Saturday), then March: the 20th working day is Monday 3月16日.
    assert add_working_days(date(2026, 2, 10), 20) == date(2026, 3, 16)
    # Twenty calendar days would end on 3月2日; Monday to Friday without holidays on 3月10日.
    assert working_days_between(date(2026, 2, 10), date(2026, 3, 10)) == 16


def test_twenty_working_days_across_the_2025_national_day():
    # From Friday 9月26日: 9月28日 (make-up Sunday), 29, 30, eight days off, 10月9日–11日 (the 11th a
    # make-up Saturday): the 20th working day is Thursday 10月30日.
    assert add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0


def test_backwards_across_the_2025_spring_festival():
    # Back from Monday 2月10日: Saturday 8th (a make-up day), Friday 7th, Thursday 6th.
    assert add_working_days(date(2025, 2, 10), -1) == date(2025, 2, 8)
    assert add_working_days(date(2025, 2, 10), -3) == date(2025, 2, 6)
    assert add_working_days(date(2025, 2, 5), -1) == date(2025, 1, 27)  # over the eight days off


def test_zero_days_and_the_start_day_not_counted():
    assert add_working_days(date(2026, 2, 16), 0) == date(2026, 2, 16)  # a holiday stays itself
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)  # Monday's next working day
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0


@given(
    st.dates(min_value=date(2024, 11, 1), max_value=date(2027, 2, 1)),
    st.integers(min_value=-45, max_value=45),
)
def test_counting_and_adding_are_inverse(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        assert (end > start) == (n > 0)


def test_a_year_without_a_published_arrangement_counts_monday_to_friday():
    assert covers(date(2026, 12, 31))
    assert not covers(date(2027, 1, 4))
    assert is_working_day(date(2027, 1, 1))  # a Friday: New Year's Day, unknown to the calendar yet
    assert not is_working_day(date(2027, 1, 2))
    assert all_covered(date(2025, 1, 1), date(2026, 12, 31))
    assert not all_covered(date(2026, 12, 1), date(2027, 1, 5))


def test_china_time_days():
    assert local_date(datetime(2026, 2, 9, 16, 0)) == date(2026, 2, 10)  # 00:00 CST
    assert local_date(datetime(2026, 2, 9, 15, 59)) == date(2026, 2, 9)
    assert start_of_day(date(2026, 3, 17)) == datetime(2026, 3, 16, 16, 0)


def test_review_deadline_ends_at_midnight_after_the_last_working_day():
    deadline = deadlines.deadline_after(datetime(2026, 2, 10, 2, 0), 20)  # 10:00 CST
    assert deadline.last_day == date(2026, 3, 16)
    assert deadline.due_at == datetime(2026, 3, 16, 16, 0)  # 3月17日 00:00 CST
    assert deadline.provisional is False
    # A review reaching the bureau at 23:30 CST on the same day has the same deadline.
    assert deadlines.deadline_after(datetime(2026, 2, 10, 15, 30), 20).due_at == deadline.due_at
    # Its last day falls in 2027, whose arrangement is not published: provisional.
    assert deadlines.deadline_after(datetime(2026, 12, 20, 2, 0), 20).provisional is True
    with pytest.raises(ValueError, match="at least one working day"):
        deadlines.deadline_after(datetime(2026, 2, 10), 0)


def test_the_timer_duration_reaches_the_deadline_to_the_microsecond():
    now = datetime(2026, 2, 10, 2, 0, 0, 250000)
    duration = deadlines.working_day_timer(now, 20)
    seconds = float(duration.removeprefix("PT").removesuffix("S"))
    assert now + timedelta(seconds=seconds) == datetime(2026, 3, 16, 16, 0)


def test_the_reminder_comes_when_three_working_days_remain():
    due = datetime(2026, 3, 16, 16, 0, 0, 3000)  # an engine timer a few ms late
    assert deadlines.last_day(due) == date(2026, 3, 16)
    # Monday 3月16日 is the last day: Thursday 12, Friday 13 and Monday 16 remain from 00:00 on the 12th.
    assert deadlines.remind_at(due, datetime(2026, 2, 10, 2)) == datetime(2026, 3, 11, 16, 0)
    # Across National Day 2025: last day Thursday 10月30日, reminder from Tuesday 10月28日.
    assert deadlines.remind_at(datetime(2025, 10, 30, 16), datetime(2025, 9, 26, 2)) == datetime(2025, 10, 27, 16)
    # Across the 2025 Spring Festival, a last day of Monday 2月10日: from Friday 2月7日 (the 8th is a make-up day).
    assert deadlines.remind_at(datetime(2025, 2, 10, 16), datetime(2025, 1, 2)) == datetime(2025, 2, 6, 16)
    # A task that began with three days or fewer left gets no separate reminder.
    assert deadlines.remind_at(datetime(2026, 3, 16, 16), datetime(2026, 3, 12, 1)) is None


def test_periods_time_both_steps_from_the_same_moment():
    now = datetime(2026, 2, 10, 2, 0)  # 10:00 CST on Tuesday 2月10日
    timers = deadlines.Periods(review=20, vote=15).timers(now)
    ends = {name: now + timedelta(seconds=float(value.removeprefix("PT").removesuffix("S")))
            for name, value in timers.items()}  # fmt: skip
    assert ends == {"review_deadline": datetime(2026, 3, 16, 16, 0), "vote_deadline": datetime(2026, 3, 9, 16, 0)}


def test_a_standing_counts_the_working_days_left_today_included():
    due = datetime(2026, 3, 9, 16, 0)  # the end of Monday 3月9日, CST
    began = datetime(2026, 2, 10, 2, 0)
    assert deadlines.standing(due, datetime(2026, 3, 2, 1, 0), started_at=began) == deadlines.Standing(
        date(2026, 3, 9), 6, False
    )
    assert deadlines.standing(due, datetime(2026, 3, 7, 1, 0), started_at=began) == deadlines.Standing(
        date(2026, 3, 9), 1, False
    )  # Sat
    assert deadlines.standing(due, datetime(2026, 3, 9, 16, 0, 1), started_at=began) == deadlines.Standing(
        date(2026, 3, 9), 0, True
    )


# A 15-working-day vote period that begins at 10:00 CST on Tuesday 2月10日 2026 ends with Monday 3月9日
# (the 2026 Spring Festival in between). The day it begins is not counted (民法典 Art 201).
FIFTEEN_BEGAN = datetime(2026, 2, 10, 2, 0)
FIFTEEN_DUE = deadlines.deadline_after(FIFTEEN_BEGAN, 15).due_at


@pytest.mark.parametrize(
    ("now", "left", "overdue"),
    [
        (datetime(2026, 2, 10, 2, 0), 15, False),  # the moment it begins: all fifteen ahead, not 16
        (datetime(2026, 2, 10, 15, 59), 15, False),  # 23:59 CST the same day
        (datetime(2026, 2, 10, 16, 0), 15, False),  # 00:00 CST 2月11日, the first day: today counts
        (datetime(2026, 2, 11, 16, 0), 14, False),  # the second day
        (datetime(2026, 2, 16, 4, 0), 11, False),  # a Spring Festival holiday: 11, 12, 13 and 14 (make-up Sat) gone
        (datetime(2026, 3, 8, 16, 0), 1, False),  # 00:00 CST on the last day
        (datetime(2026, 3, 9, 15, 59), 1, False),  # 23:59 CST on the last day
        (datetime(2026, 3, 9, 16, 0), 0, True),  # 00:00 CST the day after: over
    ],
)
def test_a_fifteen_day_period_says_fifteen_on_its_first_day_and_one_on_its_last(now, left, overdue):
    place = deadlines.standing(FIFTEEN_DUE, now, started_at=FIFTEEN_BEGAN)
    assert (place.last_day, place.working_days_left, place.overdue) == (date(2026, 3, 9), left, overdue)


def test_every_day_the_library_knows_is_counted_as_the_library_says() -> None:
    """The library's days are read once into sets; over every year it carries, the answer is its own."""
    import chinese_calendar

    from approvals.workdays import LIBRARY_YEARS

    day, last = date(LIBRARY_YEARS.start, 1, 1), date(LIBRARY_YEARS.stop - 1, 12, 31)
    while day <= last:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert is_working_day(datetime(2026, 10, 10, 9, 30)) is True  # a moment's day, as the library takes it


def test_a_known_day_is_answered_without_the_librarys_per_call_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """chinese_calendar.is_workday() scans every holiday it knows on each call (~80 µs): a 5,000-worker
    execution ledger counts some 24,000 days, seconds of a page. The calendar answers from its own sets."""
    import chinese_calendar

    def scanning(_day: date) -> bool:
        raise AssertionError("the library's per-call check on the hot path")

    monkeypatch.setattr(chinese_calendar, "is_workday", scanning)
    assert is_working_day(date(2026, 2, 14)) is True  # Saturday, make-up day
    assert is_working_day(date(2026, 10, 1)) is False  # National Day
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
