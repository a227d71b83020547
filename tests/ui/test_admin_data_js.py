"""What only an administrator can enter, seen in a real browser (Debian's Chromium through Playwright, answered
by the Flask test client): the clerk's refusal names the worker, the missing item and who can fix it; the
administrator's home says which figures plans wait for and links to where they are entered, after which the
plan is recomputed without a new upload; the read-only funding amounts do not ask to "fill in 0"; the holiday
page for a year chinese-calendar does not know, and the deadline notes until it is entered (issue 12 §2)."""

from __future__ import annotations

import io
from decimal import Decimal

from app.extensions import db
from approvals.db import utcnow
from approvals.demo import roster_csv, sample_roster
from approvals.models import WageParameter
from approvals.workdays import local_date
from tests import flow
from tests.ui.forms_support import ORIGIN, page_for


def _plan_waiting_for_wages(api, world, complete_content) -> dict:  # type: ignore[no-untyped-def]
    """A steel plan whose roster came in before 唐山市's 2017 average wage was entered (the plan's reference
    date is 2018-07-31: 劳动合同法第四十七条 counts on the year before)."""
    content = {k: v for k, v in complete_content(world.steel).items() if k != "roster"}
    plan = flow.create(api("clerk"), content)
    db.session.execute(WageParameter.__table__.delete().where(WageParameter.city_code == "130200"))
    db.session.commit()
    rows = sample_roster(world.steel)
    rows[3][4] = ""  # 刘某4 (自主创业, a leaver: severance owed) without 月平均工资, file row 5
    upload = api("clerk").put(f"/plans/{plan['id']}/roster", data={"file": (io.BytesIO(roster_csv(rows)), "r.csv")},
                              content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 200, upload.json
    return plan


def test_the_refusal_names_the_worker_the_item_and_who_fixes_it_and_entering_the_figures_recomputes_the_plan(
    browser, api, world, complete_content, chromium
):
    plan = _plan_waiting_for_wages(api, world, complete_content)
    clerk = page_for(chromium, browser("clerk"))
    clerk.goto(f"{ORIGIN}/plans/{plan['id']}/draft")
    clerk.get_by_role("button", name="提交方案").click()
    refused = clerk.get_by_test_id("missing").inner_text()
    assert "唐山市2017年度职工月平均工资（系统管理—工资参数）尚未录入" in refused
    assert "该数据由系统管理员录入，企业无法填写" in refused
    assert "无须重新导入名单" in refused
    assert "第5行刘某4缺少月平均工资" in refused  # the worker's own item: the clerk's
    assert "请在职工名单中补充后重新导入" in refused

    clerk.goto(f"{ORIGIN}/plans/{plan['id']}/draft?section=funding")  # the amount shown is not the whole of it
    assert "名职工的经济补偿尚无法计算，未计入此金额" in clerk.get_by_test_id("severance-incomplete").inner_text()

    admin = page_for(chromium, browser("admin"))
    admin.goto(f"{ORIGIN}/")
    waiting = admin.get_by_test_id("wages-waited-for")
    assert "唐山市 2017 年度" in waiting.inner_text()
    assert "1 个起草中方案在等待" in waiting.inner_text()
    waiting.get_by_role("link", name="职工月平均工资").click()
    assert admin.locator("#city").input_value() == "130200"
    assert admin.locator("#year").input_value() == "2017"
    admin.fill("#average", "5000")
    admin.get_by_test_id("wage-form").get_by_role("button", name="保存").click()
    assert "已按此重新计算1个起草中方案的经济补偿" in admin.locator(".alert-info").inner_text()
    admin.goto(f"{ORIGIN}/")
    assert admin.get_by_test_id("wages-waited-for").count() == 0

    clerk.goto(f"{ORIGIN}/plans/{plan['id']}/draft")
    left = clerk.get_by_test_id("missing").inner_text()
    assert "尚未录入" not in left  # the plan was recomputed: no new upload
    assert "第5行刘某4缺少月平均工资" in left  # what only the clerk can give still waits
    clerk.goto(f"{ORIGIN}/plans/{plan['id']}/draft?section=funding")
    assert "其中1名职工的经济补偿尚无法计算" in clerk.get_by_test_id("severance-incomplete").inner_text()


def test_the_read_only_funding_amounts_do_not_ask_to_fill_in_zero(browser, api, world, complete_content, chromium):
    content = {k: v for k, v in complete_content(world.steel).items() if k != "roster"}
    content["funding"] = {**content["funding"], "required": {"training": "0"}}
    plan = flow.create(api("clerk"), content)
    page = page_for(chromium, browser("clerk"))
    page.goto(f"{ORIGIN}/plans/{plan['id']}/draft?section=funding")
    severance = page.get_by_test_id("computed-severance")
    assert severance.locator("input").get_attribute("readonly") is not None
    assert "由职工名单按人计算，导入职工名单后自动填入" in severance.inner_text()
    for key in ("severance", "internal_retirement"):
        assert "无此项填0" not in page.get_by_test_id(f"computed-{key}").inner_text()
    assert page.get_by_test_id("section-findings").count() == 0  # the computed items' findings sit beside them
    editable = page.get_by_test_id("finding-required-social_insurance").inner_text()
    assert "无此项填0" in editable  # an item the clerk types still says so


def test_a_deadline_in_a_year_without_holidays_is_flagged_until_the_administrator_enters_them(
    browser, api, world, complete_content, chromium
):
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], plan["content_hash"])  # 20 working days of review: into 2027
    reviewer = page_for(chromium, browser("reviewer"))
    reviewer.goto(f"{ORIGIN}/plans/{plan['id']}/review")
    assert reviewer.get_by_test_id("review-deadline").inner_text().startswith("审核期限 2027-")
    assert (
        "2027年节假日安排尚未录入，该期限暂按周一至周五计算工作日"
        in reviewer.get_by_test_id("calendar-note").inner_text()
    )

    admin = page_for(chromium, browser("admin"))
    admin.goto(f"{ORIGIN}/")
    assert "2027年节假日安排尚未录入" in admin.get_by_test_id("missing-holidays").inner_text()
    admin.get_by_test_id("missing-holidays").get_by_role("link", name="去录入").click()
    assert admin.locator("#year").input_value() == "2027"
    admin.fill("#holidays", "2027-01-01\n2027-02-30")
    admin.fill("#workdays", "2027-01-04")
    admin.get_by_role("button", name="保存").click()
    form = admin.get_by_test_id("holiday-form").inner_text()
    assert "法定节假日第2行“2027-02-30”不是日期" in form
    assert "调休上班日2027-01-04是工作日（周一至周五）" in form
    assert "请填写依据" in form
    assert admin.locator("#holidays").input_value() == "2027-01-01\n2027-02-30"  # nothing typed is lost
    admin.fill("#holidays", "2027-01-01至2027-01-03\n2027-02-10至2027-02-16")
    admin.fill("#workdays", "2027-02-07\n2027-02-20")
    admin.fill("#basis", "国务院办公厅关于2027年部分节假日安排的通知")
    admin.get_by_role("button", name="保存").click()
    assert "已录入2027年节假日安排：放假10天，调休上班2天" in admin.locator(".alert-success").inner_text()
    assert "2027" in admin.get_by_test_id("holiday-years").inner_text()

    reviewer.reload()  # a deadline once counted keeps its date: the page says how it was counted
    counted = reviewer.get_by_test_id("calendar-note").inner_text()
    assert counted == "该期限在2027年节假日安排录入之前确定，是按周一至周五计算的。"
    later = flow.create(clerk, complete_content(world.steel, seed=2), title="录入后提交的方案")
    flow.submit(clerk, later["id"])
    flow.vote(api("union"), later["id"], later["content_hash"])  # counted on the entered days
    reviewer.goto(f"{ORIGIN}/plans/{later['id']}/review")
    assert reviewer.get_by_test_id("review-deadline").inner_text().startswith("审核期限 2027-")
    assert reviewer.get_by_test_id("calendar-note").count() == 0


def test_the_home_warns_of_cities_whose_newest_wage_figures_are_stale_and_links_to_entering_them(
    app, browser, world, chromium, monkeypatch
):
    """Severance is capped by the previous year's local average wage (劳动合同法第四十七条): figures that stop
    years ago (the test world's are 2017) are named with the year they stop at, per city, beyond the setting
    WAGE_FIGURES_MAX_AGE_YEARS; a city with recent figures is not named, and a wider setting silences it."""
    due = local_date(utcnow()).year - 1
    db.session.add(WageParameter(city_code="130200", year=due, average_monthly_wage=Decimal("8000.00")))
    db.session.commit()
    admin = page_for(chromium, browser("admin"))
    admin.goto(f"{ORIGIN}/")
    stale = admin.get_by_test_id("stale-wages")
    assert "已超过 2 年未更新" in stale.inner_text()
    assert "石家庄市：最新为 2017 年度" in stale.inner_text()
    assert "唐山市" not in stale.inner_text()  # its figure of last year is in
    assert "劳动合同法第四十七条" in stale.inner_text()
    stale.get_by_role("link", name="石家庄市：最新为 2017 年度").click()
    assert admin.locator("#city").input_value() == "130100"
    assert admin.locator("#year").input_value() == str(due)
    monkeypatch.setitem(app.config, "WAGE_FIGURES_MAX_AGE_YEARS", due - 2017 + 1)
    admin.goto(f"{ORIGIN}/")
    assert admin.get_by_test_id("stale-wages").count() == 0
