"""The State Council's holiday arrangement for a year chinese-calendar does not know (it carries 2004–2026):
entered by an administrator, validated, audited, and used by the working-day arithmetic (issue 12 §2)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from app.extensions import db
from approvals import workdays
from approvals.models.holidays import HOLIDAY
from approvals.services import holidays
from tests.ui.html_tables import text_of
from tests.ui.test_admin import events, field_error

# 国务院办公厅关于2027年部分节假日安排的通知 as an administrator would type it (the dates are this test's).
NATIONAL_DAY = {"year": "2027", "holidays": "2027-01-01\n2027-10-01至2027-10-07",
                "workdays": "2027-09-26\n2027-10-09", "basis": "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）"}  # fmt: skip


def test_the_library_does_not_know_2027_so_its_weekdays_all_count(app):
    assert not workdays.library_knows(2027)
    assert not workdays.covers(date(2027, 10, 1))
    assert workdays.is_working_day(date(2027, 10, 1))  # a Friday: Monday–Friday only, until entered


def test_an_entered_year_counts_its_holidays_and_make_up_days(browser, world):
    admin = browser("admin")
    saved = admin.post("/admin/holidays", NATIONAL_DAY)
    assert saved.status_code == 302
    assert workdays.covers(date(2027, 10, 1))
    assert not workdays.is_working_day(date(2027, 10, 1))  # National Day, a Friday
    assert not workdays.is_working_day(date(2027, 10, 4))  # a Monday within the holiday
    assert workdays.is_working_day(date(2027, 9, 26))  # a Sunday worked instead (调休)
    assert workdays.is_working_day(date(2027, 10, 8))  # an ordinary Friday
    # 2027-09-24 (Fri) + 3 working days: Sun 26 (调休), Mon 27, Tue 28
    assert workdays.add_working_days(date(2027, 9, 24), 3) == date(2027, 9, 28)
    # Thu 30 Sep + 1: the holiday runs to Thu 7 Oct, Fri 8 is the next working day
    assert workdays.add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 8)
    [event] = events("holidays.set")
    assert event.actor_name == "admin"
    assert event.summary["year"] == 2027
    assert event.summary["workdays"] == ["2027-09-26", "2027-10-09"]
    assert len(event.summary["holidays"]) == 8
    assert event.summary["before"] is None
    page = admin.get("/admin/holidays").get_data(as_text=True)
    listed = text_of(page, "holiday-years")
    assert "2027" in listed
    assert "8 天" in listed
    assert "国办发明电〔2026〕9号" in listed


def test_saving_a_year_again_replaces_it_and_the_trail_keeps_the_earlier_days(browser, world):
    admin = browser("admin")
    assert admin.post("/admin/holidays", NATIONAL_DAY).status_code == 302
    assert admin.post("/admin/holidays", {**NATIONAL_DAY, "workdays": "2027-09-26"}).status_code == 302
    assert workdays.is_working_day(date(2027, 10, 9)) is False  # a Saturday again
    first, second = events("holidays.set")
    assert second.summary["before"]["workdays"] == ["2027-09-26", "2027-10-09"]
    assert second.summary["workdays"] == ["2027-09-26"]


def test_wrong_days_are_refused_beside_their_field_and_nothing_is_saved(browser, world):
    admin = browser("admin")
    bad = admin.post("/admin/holidays", {"year": "2027", "holidays": "2027-10-01\n2028-01-01\n2027-13-01\n2027-10-01",
                                         "workdays": "2027-10-01\n2027-10-05", "basis": ""})  # fmt: skip
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert field_error(page, "法定节假日2028-01-01不在2027年内。")
    assert field_error(
        page, "法定节假日第3行“2027-13-01”不是日期，请写成2027-10-01，连续多日写成2027-10-01至2027-10-07。"
    )
    assert field_error(page, "法定节假日2027-10-01重复填写。")
    assert field_error(page, "调休上班日2027-10-01已填为法定节假日。")
    assert field_error(page, "调休上班日2027-10-05是工作日（周一至周五），调休上班日应为周六或周日。")
    assert field_error(page, "请填写依据（国务院办公厅通知的名称和文号）。")
    assert "2027-13-01" in page  # what was typed stays in the form
    assert events("holidays.set") == []
    assert holidays.entered(db.session) == {}
    known = admin.post("/admin/holidays", {**NATIONAL_DAY, "year": "2026", "holidays": "2026-10-01"})
    assert known.status_code == 422
    assert field_error(known.get_data(as_text=True), "2026年的节假日安排已内置（2004—2026年），无须录入。")


@time_machine.travel("2026-12-07 10:00:00+08:00", tick=False)
def test_the_admin_home_names_the_year_missing_until_it_is_entered(browser, world):
    admin = browser("admin")
    warning = text_of(admin.get("/").get_data(as_text=True), "missing-holidays")
    assert "2027年节假日安排尚未录入" in warning
    assert admin.post("/admin/holidays", NATIONAL_DAY).status_code == 302
    assert 'data-testid="missing-holidays"' not in admin.get("/").get_data(as_text=True)


BAD_DAYS = {"year": "2027", "holidays": "2027-10-01\n2027-13-01\n2027-10-07至2027-10-01",
            "workdays": "2027-10-01\n2027-10-05", "basis": ""}  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", ["法定节假日第2行“2027-13-01”不是日期，请写成2027-10-01，连续多日写成2027-10-01至2027-10-07。",
                "法定节假日第3行“2027-10-07至2027-10-01”：结束日期须不早于开始日期，且一段不超过31天。",
                "调休上班日2027-10-01已填为法定节假日。",
                "调休上班日2027-10-05是工作日（周一至周五），调休上班日应为周六或周日。"]),
        ("en", ["Public holidays, line 2: \"2027-13-01\" is not a date. Write it as 2027-10-01, and several days in a "
                "row as 2027-10-01 to 2027-10-07.",
                "Public holidays, line 3: \"2027-10-07至2027-10-01\": the end date may not be before the start date, "
                "and a range may not exceed 31 days.",
                "Make-up working days: 2027-10-01 is already listed under \"Public holidays\".",
                "Make-up working day 2027-10-05 is a weekday (Monday to Friday); a make-up working day must be a "
                "Saturday or Sunday."]),
    ],
)  # fmt: skip
def test_the_refusals_are_said_in_the_interface_language(browser, world, lang, said):
    admin = browser("admin")
    admin.get(f"/lang/{lang}")
    bad = admin.post("/admin/holidays", BAD_DAYS)
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    for message in said:
        assert field_error(page, message), message
    if lang == "en":
        assert not re.search(r"不是日期|结束日期|已填为|是工作日|请填写依据", page)
    known = admin.post("/admin/holidays", {**NATIONAL_DAY, "year": "2026", "holidays": "2026-10-01"})
    built_in = {"zh": "2026年的节假日安排已内置（2004—2026年），无须录入。",
                "en": "The holiday arrangements of 2026 are built in (2004–2026); there is no need to enter them."}  # fmt: skip
    assert field_error(known.get_data(as_text=True), built_in[lang])


@pytest.mark.parametrize("joined", ["2027-10-01 to 2027-10-07", "2027-10-01 TO 2027-10-07", "2027-10-01 - 2027-10-07",
                                    "2027-10-01-2027-10-07", "2027-10-01至2027-10-07"])  # fmt: skip
def test_a_range_may_be_joined_by_to_or_a_dash_as_the_help_says(browser, world, joined):
    admin = browser("admin")
    assert admin.post("/admin/holidays", {**NATIONAL_DAY, "holidays": f"2027-01-01\n{joined}"}).status_code == 302
    assert len(events("holidays.set")[0].summary["holidays"]) == 8


def test_a_single_date_is_not_taken_for_a_range_of_its_own_parts():
    days, problems = holidays.parse_days("2027-10-01\n2027/10/02", HOLIDAY)
    assert (days, problems) == ([date(2027, 10, 1), date(2027, 10, 2)], [])


@pytest.mark.parametrize(("lang", "said"), [("zh", "也可用“to”或“-”连接两个日期"), ("en", "2027-10-01 to 2027-10-07 (a range may also be written with 至 or -)")])  # fmt: skip
def test_the_help_names_every_way_to_write_a_range(browser, world, lang, said):
    admin = browser("admin")
    admin.get(f"/lang/{lang}")
    assert said in admin.get("/admin/holidays").get_data(as_text=True)
