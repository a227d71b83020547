"""Which roster totals the plan's roster summary answers (approvals.services.roster_view.stored_total), so a
page of a large roster does not count it again (issue 14 §1), and which it leaves to a count in SQL."""

from __future__ import annotations

from approvals.models import Plan
from approvals.services.roster_view import RosterFilter, stored_total

SUMMARY = {"workers": 50_000, "in_scope": 49_000, "protected": 120, "art42": 30, "couple": 400, "unreachable": 7,
           "reached_retirement": 12, "with_warnings": 900}  # fmt: skip


def total(summary: dict | None, **chosen: str) -> int | None:  # type: ignore[type-arg]
    return stored_total(Plan(roster_summary=summary), RosterFilter.from_args(chosen))


def test_the_whole_roster_and_each_flag_alone_come_from_the_summary():
    assert total(SUMMARY) == 50_000
    assert total(SUMMARY, excluded="1") == 1_000  # not in the placement scope
    assert total(SUMMARY, warnings="1") == 900
    for flag in ("protected", "art42", "couple", "unreachable", "reached_retirement"):
        assert total(SUMMARY, **{flag: "1"}) == SUMMARY[flag]


def test_a_search_a_channel_or_two_filters_at_once_are_counted_in_sql():
    assert total(SUMMARY, q="王") is None
    assert total(SUMMARY, channel="termination") is None  # the summary counts channels in scope only
    assert total(SUMMARY, protected="1", couple="1") is None


def test_no_summary_or_one_without_the_count_is_counted_in_sql():
    assert total(None) is None
    assert total({"workers": 4, "in_scope": 3}, reached_retirement="1") is None
