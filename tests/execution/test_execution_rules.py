"""The rules of one worker's execution record (approvals/execution): the law's periods after the end of the
relation, what stays open, and what is overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from approvals.execution.deadlines import TRANSFER_DAYS, UNEMPLOYMENT_LIST_DAYS, days_overdue, last_day
from approvals.execution.items import AGREEMENT_BY_CHANNEL, OUTCOMES_BY_CHANNEL, parts_for
from approvals.execution.open_items import late_steps, open_items
from approvals.rules.content import CHANNELS
from approvals.rules.roster import ENDS_LABOUR_RELATION


@dataclass
class Record:
    """An execution record as the rules read it (the ORM row has the same attributes)."""

    agreement_kind: str | None = None
    agreement_signed_on: date | None = None
    terminated_on: date | None = None
    certificate_issued_on: date | None = None
    severance_due: Decimal | None = None
    severance_paid: Decimal | None = None
    severance_paid_on: date | None = None
    payment_reference: str | None = None
    arrears_amount: Decimal | None = None
    arrears_settled_on: date | None = None
    insurance_transferred_on: date | None = None
    file_transferred_on: date | None = None
    unemployment_listed_on: date | None = None
    outcome_kind: str | None = None
    outcome: dict[str, Any] = field(default_factory=dict)


ENDED = date(2026, 11, 2)  # a Monday
TODAY = date(2026, 12, 7)


def _done_leaver(**changes: Any) -> Record:
    record = Record(agreement_kind="termination", agreement_signed_on=date(2026, 10, 20), terminated_on=ENDED,
                    certificate_issued_on=ENDED, severance_due=Decimal("30000.00"), severance_paid=Decimal("30000.00"),
                    severance_paid_on=ENDED, payment_reference="银付2026-001", arrears_amount=Decimal(0),
                    insurance_transferred_on=date(2026, 11, 10), file_transferred_on=date(2026, 11, 10),
                    unemployment_listed_on=date(2026, 11, 5), outcome_kind="employed",
                    outcome={"employer": "唐山某公司", "post": "电工", "started_on": "2026-11-20"})  # fmt: skip
    for name, value in changes.items():
        setattr(record, name, value)
    return record


def test_art_50_transfers_are_due_within_15_calendar_days() -> None:
    # 劳动合同法 Art 50 ¶1 "十五日内"; 民法典 Art 201: the day of the end is not counted.
    assert TRANSFER_DAYS == 15
    assert last_day(date(2026, 12, 1), TRANSFER_DAYS) == date(2026, 12, 16)


def test_unemployment_insurance_art_16_list_is_due_within_7_calendar_days() -> None:
    # 失业保险条例 Art 16 "自终止或者解除劳动关系之日起7日内"
    assert UNEMPLOYMENT_LIST_DAYS == 7
    assert last_day(date(2026, 12, 1), UNEMPLOYMENT_LIST_DAYS) == date(2026, 12, 8)


def test_a_last_day_at_rest_moves_to_the_next_working_day() -> None:
    # 民法典 Art 203: a period ending on a statutory rest day ends on the first day after it.
    assert last_day(date(2026, 12, 4), TRANSFER_DAYS) == date(2026, 12, 21)  # Sat 19th → Mon 21st
    assert last_day(date(2026, 9, 24), UNEMPLOYMENT_LIST_DAYS) == date(2026, 10, 8)  # National Day holidays


def test_days_overdue_count_from_the_last_day() -> None:
    assert days_overdue(date(2026, 12, 1), 7, None, date(2026, 12, 8)) == 0
    assert days_overdue(date(2026, 12, 1), 7, None, date(2026, 12, 11)) == 3
    assert days_overdue(date(2026, 12, 1), 7, date(2026, 12, 9), date(2026, 12, 30)) == 1


def test_every_channel_has_its_agreement_and_outcomes() -> None:
    assert set(AGREEMENT_BY_CHANNEL) == set(CHANNELS) == set(OUTCOMES_BY_CHANNEL)


def test_only_a_channel_that_ends_the_relation_needs_the_end_the_money_and_the_transfers() -> None:
    for channel in CHANNELS:
        leaving = {"termination", "severance", "transfers", "unemployment"} <= set(parts_for(channel))
        assert leaving == (channel in ENDS_LABOUR_RELATION), channel
    assert [i.key for i in open_items("internal_retirement", None, TODAY)] == ["agreement", "arrears", "outcome"]


def test_nothing_entered_for_a_leaver_names_the_agreement_the_end_the_arrears_and_the_outcome() -> None:
    items = open_items("termination", None, TODAY)
    assert [i.key for i in items] == ["agreement", "termination", "arrears", "outcome"]
    assert "解除（终止）劳动合同协议" in items[0].message


def test_a_complete_leaver_has_nothing_open() -> None:
    assert open_items("termination", _done_leaver(), TODAY) == []


def test_open_transfers_past_their_period_are_overdue_with_the_days_and_the_law() -> None:
    record = _done_leaver(insurance_transferred_on=None, file_transferred_on=None, unemployment_listed_on=None)
    items = {i.key: i for i in open_items("termination", record, TODAY)}
    # ended 2026-11-02: transfers by 11-17 (Art 50), the list by 11-09 (Art 16); on 12-07 both are overdue
    assert items["insurance_transferred_on"].overdue == (TODAY - date(2026, 11, 17)).days
    assert items["unemployment_listed_on"].overdue == (TODAY - date(2026, 11, 9)).days
    assert "劳动合同法第五十条" in items["file_transferred_on"].message
    assert "失业保险条例第十六条" in items["unemployment_listed_on"].message


def test_an_open_step_within_its_period_is_open_but_not_overdue() -> None:
    record = _done_leaver(terminated_on=date(2026, 12, 3), unemployment_listed_on=None)
    (item,) = open_items("termination", record, TODAY)
    assert item.key == "unemployment_listed_on"
    assert item.overdue == 0
    assert "2026-12-10" in item.message


def test_a_step_done_late_is_no_longer_open_but_kept_as_late() -> None:
    record = _done_leaver(unemployment_listed_on=date(2026, 11, 12))
    assert open_items("termination", record, TODAY) == []
    assert late_steps(record) == {"unemployment_listed_on": 3}


def test_severance_below_the_due_amount_stays_open_naming_both_amounts() -> None:
    # 劳动合同法 Arts 46, 47: the due amount was recomputed at the end after a payment was entered.
    (item,) = open_items("termination", _done_leaver(severance_due=Decimal("32000.00")), TODAY)
    assert item.key == "severance"
    assert "30000.00" in item.message
    assert "32000.00" in item.message


def test_severance_not_yet_computable_stays_open_until_computed() -> None:
    (item,) = open_items("termination", _done_leaver(severance_due=None), TODAY)
    assert item.key == "severance"
    assert "待核算" in item.message


def test_no_severance_due_needs_no_payment() -> None:
    # A worker at retirement age: the contract ends (劳动合同法 Art 44(2)) with no severance (Art 46).
    record = _done_leaver(severance_due=Decimal("0.00"), severance_paid=None, severance_paid_on=None)
    assert open_items("termination", record, TODAY) == []


def test_arrears_owed_need_the_day_they_were_settled() -> None:
    (item,) = open_items("termination", _done_leaver(arrears_amount=Decimal("1200.00")), TODAY)
    assert item.key == "arrears"


def test_an_outcome_needs_every_fact_of_its_kind_and_a_kind_the_channel_allows() -> None:
    missing = _done_leaver(outcome={"employer": "唐山某公司", "post": "", "started_on": "2026-11-20"})
    assert [i.key for i in open_items("termination", missing, TODAY)] == ["outcome"]
    wrong = _done_leaver(outcome_kind="internal_retirement", outcome={"started_on": "2026-11-20"})
    assert [i.key for i in open_items("termination", wrong, TODAY)] == ["outcome"]
