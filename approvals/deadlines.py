"""Deadlines of the process, counted in working days (approvals.workdays).

The review deadline: the bureau has REVIEW_WORKING_DAYS working days (configurable) after the day
the review reaches it; the deadline passes at 00:00 China time after the last of them.

The vote deadline: the union has VOTE_WORKING_DAYS working days (configurable) after the day the
plan reaches the congress to hold the session and record its vote; a vote found invalid (quorum
not met) gives it the period again for the new session. Neither the notice nor the national rules
fix this period: 15 working days is the administrative default, room for the representatives to
receive the plan at least 7 days before the session (上海市职工代表大会条例 Art 30; domain-research.md
§A.4) and for the union to convene them.

The BPMN timers `review_overdue` and `vote_overdue` take their due time as an ISO 8601 duration
(workflows/README.md), so the app hands each the exact time from now to that moment.

The reminder: at 00:00 China time on the working day from which REMIND_WORKING_DAYS working days
remain, the last day included (for a deadline on a Friday: Wednesday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from approvals.workdays import add_working_days, all_covered, local_date, start_of_day, working_days_between

REVIEW_WORKING_DAYS = 20
VOTE_WORKING_DAYS = 15
REMIND_WORKING_DAYS = 3


@dataclass(frozen=True)
class Deadline:
    last_day: date  # the last working day of the period
    due_at: datetime  # naive UTC: the moment the period is over
    provisional: bool  # a year without a published holiday arrangement lies in the period


def deadline_after(start: datetime, working_days: int) -> Deadline:
    """The period of `working_days` working days after the (China) day of `start`."""
    if working_days < 1:
        raise ValueError("a deadline needs at least one working day")
    first = local_date(start)
    last = add_working_days(first, working_days)
    return Deadline(last, start_of_day(last + timedelta(days=1)), not all_covered(first, last))


def iso_duration(start: datetime, end: datetime) -> str:
    """The ISO 8601 duration from `start` to `end` in seconds, as BPMN duration timers read it."""
    return f"PT{max((end - start).total_seconds(), 0.0):.6f}S"


def working_day_timer(now: datetime, working_days: int) -> str:
    """A process timer's duration for a step that begins at `now` and has `working_days` working days."""
    return iso_duration(now, deadline_after(now, working_days).due_at)


@dataclass(frozen=True)
class Periods:
    """The working days of each timed step (config REVIEW_ and VOTE_DEADLINE_WORKING_DAYS)."""

    review: int = REVIEW_WORKING_DAYS
    vote: int = VOTE_WORKING_DAYS

    def timers(self, now: datetime) -> dict[str, str]:
        """The process variables of both timers, for whichever step begins at `now`: sent with every
        completion that can lead to the congress vote or the review (workflows/README.md)."""
        return {
            "review_deadline": working_day_timer(now, self.review),
            "vote_deadline": working_day_timer(now, self.vote),
        }


DEFAULT_PERIODS = Periods()


def on_the_minute(due_at: datetime) -> datetime:
    """The deadline an engine timer stands for: periods end on a whole minute (00:00 China time),
    the timer's own due time may be some ms off (it is handed a duration in seconds)."""
    return (due_at + timedelta(seconds=30)).replace(second=0, microsecond=0)


def last_day(due_at: datetime) -> date:
    """The last day of a period that ends at `due_at`."""
    return local_date(on_the_minute(due_at) - timedelta(microseconds=1))


@dataclass(frozen=True)
class Standing:
    """Where an open task stands against its deadline, as a user reads it."""

    last_day: date  # the last working day of the period
    working_days_left: int  # of the period's days not yet over: today included once the period has begun
    overdue: bool


def standing(due_at: datetime, now: datetime, *, started_at: datetime) -> Standing:
    """The standing at `now` of a task that began at `started_at` and is due at `due_at` (naive UTC).

    The day the task began is not counted (民法典 Art 201): on that day every working day of the
    period is still ahead, so a 15-day period says 15, not 16; from its first day on, today counts
    while it lasts, down to 1 on the last day."""
    last = last_day(due_at)
    overdue = now >= on_the_minute(due_at)
    counted_from = max(local_date(now), local_date(started_at) + timedelta(days=1))
    left = 0 if overdue else working_days_between(counted_from - timedelta(days=1), last)
    return Standing(last, left, overdue)


def remind_at(due_at: datetime, ready_at: datetime) -> datetime | None:
    """When to say the deadline is near; None when the task began with fewer days than that left."""
    moment = start_of_day(add_working_days(last_day(due_at), -(REMIND_WORKING_DAYS - 1)))
    return moment if moment > ready_at else None
