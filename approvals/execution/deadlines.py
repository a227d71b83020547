"""The periods the law sets after a labour relation ends, in calendar days.

* 劳动合同法 Art 50 ¶1: "用人单位应当在解除或者终止劳动合同时出具解除或者终止劳动合同的证明，并在十五日内为
  劳动者办理档案和社会保险关系转移手续" — 15 days for the personnel file and the social-insurance transfer.
* 失业保险条例 Art 16: "……并将失业人员的名单自终止或者解除劳动关系之日起7日内报社会保险经办机构备案" — 7 days
  for the unemployment list.

Both say 日 (days), not 工作日 (working days, as the law writes when it means them: e.g. 工伤保险条例 Art 17's
"30日内" against 劳动保障监察条例 Art 18's "3个工作日"), so they are calendar days, counted by 民法典
Art 201 (the day of the end is not counted) and Art 203 (a last day that is a statutory rest day moves to the
first working day after it; approvals/workdays.py knows the holidays and the 调休).

The process watches them: the timer `execution_deadlines_due` on `carry_out_plan` (workflows/README.md) fires
at 00:00 China time every day of the execution stage, the moment at which a period's last day passes or its
reminder falls due (approvals/execution/reminders.py `check_plan`), and re-arms for the next day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from approvals.i18n import N_
from approvals.workdays import is_working_day, local_date, start_of_day

TRANSFER_DAYS = 15  # 劳动合同法 Art 50 ¶1
UNEMPLOYMENT_LIST_DAYS = 7  # 失业保险条例 Art 16


@dataclass(frozen=True)
class Period:
    key: str  # the record's field the period is kept by
    label: str
    days: int
    source: str


PERIODS = (
    Period("insurance_transferred_on", N_("社会保险关系转移"), TRANSFER_DAYS, N_("劳动合同法第五十条")),
    Period("file_transferred_on", N_("档案转移"), TRANSFER_DAYS, N_("劳动合同法第五十条")),
    Period("unemployment_listed_on", N_("失业人员名单报送社会保险经办机构"), UNEMPLOYMENT_LIST_DAYS,
           N_("失业保险条例第十六条")),
)  # fmt: skip


def last_day(ended_on: date, days: int) -> date:
    """The last day of a period of `days` calendar days after the relation ended on `ended_on`
    (民法典 Art 201: the day itself not counted; Art 203: a last day at rest moves to the next working day)."""
    day = ended_on + timedelta(days=days)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def days_overdue(ended_on: date, days: int, done_on: date | None, today: date) -> int:
    """How many days past the last day the step is (done late, or still open on `today`); 0 when in time."""
    end = last_day(ended_on, days)
    return max(0, ((done_on or today) - end).days)


# The process variable the cycle of `execution_deadlines_due` is read from (workflows/placement_plan.bpmn).
CHECK_CYCLE = "execution_check_cycle"


def check_cycle(now: datetime) -> dict[str, str]:
    """The process variable for the execution stage that begins at `now` (naive UTC): an ISO 8601 repeating
    interval, every day from the next 00:00 China time, with no end (the stage's end cancels it)."""
    first = start_of_day(local_date(now) + timedelta(days=1)).replace(tzinfo=UTC)
    return {CHECK_CYCLE: f"R/{first.isoformat()}/P1D"}
