"""The administrator's parameter pages: each legal parameter's history and a new dated value, each county's
minimum-wage tier; refusals name the field; every change is in the audit trail (issue 11 §6)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db, get_engine
from approvals.models import ParameterValue, RegionWageTier
from tests import stages
from tests.ui.html_tables import table_rows, text_of
from tests.ui.test_admin import events, field_error


def test_a_new_dated_value_is_listed_in_the_history_and_audited(browser, world):
    admin = browser("admin")
    page = admin.get("/admin/legal-parameters").get_data(as_text=True)
    window = text_of(page, "parameter-internal_retirement_window_years")
    assert "1993-04-20" in window
    assert "5年" in window
    assert "《国有企业富余职工安置规定》第九条" in window
    saved = admin.post("/admin/legal-parameters", {"key": "internal_retirement_window_years",
                                                   "effective_from": "2017-03-01", "value": "8",
                                                   "basis": "河北省去产能职工安置若干意见（2017）"})  # fmt: skip
    assert saved.status_code == 302
    [event] = events("parameter.set")
    assert event.actor_name == "admin"
    assert event.summary["value"] == "8"
    assert event.summary["before"] == "5"
    rows = table_rows(admin.get("/admin/legal-parameters").get_data(as_text=True),
                      "history-internal_retirement_window_years")  # fmt: skip
    assert rows[0][:3] == ["2017-03-01 现行", "8年", "河北省去产能职工安置若干意见（2017）"]
    assert rows[1][:2] == ["1993-04-20", "5年"]  # the earlier value is kept


def test_a_bad_value_is_refused_under_the_field_it_names_and_nothing_is_saved(browser, world):
    admin = browser("admin")
    before = db.session.scalar(select(func.count()).select_from(ParameterValue))
    bad = admin.post("/admin/legal-parameters", {"key": "employer_pension_rate", "effective_from": "2019-05-01",
                                                 "value": "160", "basis": "文件"})  # fmt: skip
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert field_error(page, "内退人员单位基本养老保险缴费比例：“160”须为大于0、小于100的百分比。")
    assert 'value="160"' in page  # kept for correction
    no_date = admin.post("/admin/legal-parameters", {"key": "employer_pension_rate", "effective_from": "2019/5/1",
                                                     "value": "16", "basis": "文件"})  # fmt: skip
    assert no_date.status_code == 422
    assert "请按“年-月-日”填写日期" in no_date.get_data(as_text=True)
    no_basis = admin.post("/admin/legal-parameters", {"key": "employer_pension_rate", "effective_from": "2019-05-01",
                                                      "value": "16", "basis": " "})  # fmt: skip
    assert no_basis.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ParameterValue)) == before
    assert events("parameter.set") == []


def test_a_county_tier_is_set_from_a_date_and_listed(browser, world):
    admin = browser("admin")
    page = admin.get("/admin/wage-tiers").get_data(as_text=True)
    assert ["130406", "峰峰矿区", "二类", "2016-07-01"] in table_rows(page, "wage-tiers")
    assert ["130203", "路北区", "未设定（暂按一类）", ""] in table_rows(page, "wage-tiers")
    saved = admin.post("/admin/wage-tiers", {"region": "130203", "tier": "1", "effective_from": "2016-07-01",
                                             "basis": "河北省最低工资标准附表"})  # fmt: skip
    assert saved.status_code == 302
    assert events("wage_tier.set")[-1].summary["region"] == "130203"
    assert ["130203", "路北区", "一类", "2016-07-01"] in table_rows(
        admin.get("/admin/wage-tiers").get_data(as_text=True), "wage-tiers"
    )
    bad = admin.post("/admin/wage-tiers", {"region": "130203", "tier": "5", "effective_from": "2016-07-01",
                                           "basis": "x"})  # fmt: skip
    assert bad.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(RegionWageTier).where(
        RegionWageTier.region_code == "130203")) == 1  # fmt: skip


def test_the_plan_page_states_the_parameters_it_applies(browser, world):
    plan = stages.plan_at(db.session, get_engine(), world, "published")
    db.session.commit()
    page = browser("reviewer_other").get(f"/plans/{plan.id}").get_data(as_text=True)
    stated = text_of(page, "plan-parameters")
    assert "本方案适用参数（截至参考日期2018-07-31）" in stated
    assert "月最低工资标准（峰峰矿区，二类）" in stated
    assert "1,590.00元/月（自2016-07-01起" in stated
    assert "内部退养：距法定退休年龄不超过" in stated
