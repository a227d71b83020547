"""Costs computed from the law for each worker, the plan's funding requirement, wages, verification."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from approvals.actor import SYSTEM
from approvals.demo import DEMO_WAGES, ROSTER_HEADER, make_resident_id, roster_csv, sample_roster
from approvals.models import RosterWorker
from approvals.rules.content import CHANNELS
from approvals.rules.roster import RosterSummary
from approvals.rules.severance import WageParameters, segmented_severance, severance
from approvals.services import accounts
from tests import flow
from tests.conftest import reload


def test_severance_and_internal_retirement_costs_fill_the_funding_requirement(api, world, complete_content):
    p = flow.create(api("clerk"), complete_content(world.steel))
    workers = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == p["id"])).all()
    # 劳动合同法 Art 46, 47: every channel that ends the labour relation owes severance (冀人社发〔2018〕38号 §四).
    leaving = [w for w in workers if w.channel in ("termination", "self_employment", "public_welfare")]
    retiring = [w for w in workers if w.channel == "internal_retirement"]
    assert {w.channel for w in leaving} == {"termination", "self_employment", "public_welfare"}
    assert all(w.severance and w.severance > 0 for w in leaving)
    assert retiring
    assert all(w.internal_retirement_cost and w.internal_retirement_cost > 0 for w in retiring)
    assert all(w.severance is None for w in workers if w not in leaving)
    # Art 47 by hand for each leaver: hired the 15th of a month, reference date 2018-07-31, so the service
    # always ends with 16 days after the whole months: a remainder, half a month at least. (Those hired
    # before 2008 have a 481号 segment too: Art 97 ¶3, held in test_service_before_2008_... below.)
    since_2008 = [w for w in leaving if w.hire_date >= date(2008, 1, 1)]
    assert since_2008
    for sample in since_2008:
        wage = Decimal(sample.data["monthly_wage"])
        months = (2018 - sample.hire_date.year) * 12 + 7 - sample.hire_date.month
        years = months // 12 + (1 if months % 12 >= 6 else Decimal("0.5"))
        assert sample.severance == (years * wage).quantize(Decimal("0.01"))
    required = reload(p["id"]).content["funding"]["required"]
    assert Decimal(required["severance"]) == sum(w.severance for w in leaving)
    assert Decimal(required["internal_retirement"]) == sum(w.internal_retirement_cost for w in retiring)
    assert flow.plan(api("clerk"), p["id"])["missing"] == []


def test_without_wage_parameters_severance_waits_for_the_administrator_and_is_computed_once_entered(
    app, api, world, complete_content
):
    # 劳动合同法第四十七条: severance is capped at three times the city's average monthly wage of the year
    # before; only an administrator enters that figure, so the refusal says who, and entering it recomputes
    # the plans waiting for it without a new upload (issue 12 §2).
    p = flow.create(api("clerk"), {k: v for k, v in complete_content(world.steel).items() if k != "roster"})
    from approvals.models import WageParameter

    db.session.execute(WageParameter.__table__.delete().where(WageParameter.city_code == "130200"))
    db.session.commit()
    upload = api("clerk").put(f"/plans/{p['id']}/roster",
                              data={"file": (io.BytesIO(roster_csv(sample_roster(world.steel))), "r.csv")},
                              content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 200
    [warning] = [w for w in upload.json["warnings"] if w["rule"] == "wage_parameters_missing"]
    assert warning["message"].startswith("唐山市2017年度职工月平均工资（系统管理—工资参数）尚未录入")
    assert "该数据由系统管理员录入" in warning["message"]
    missing = {m["rule"]: m["message"] for m in flow.plan(api("clerk"), p["id"])["missing"]}
    assert "唐山市2017年度职工月平均工资（系统管理—工资参数）尚未录入" in missing["wage_figures_entered"]
    assert "由系统管理员录入，企业无法填写" in missing["wage_figures_entered"]
    assert "无须重新导入名单" in missing["wage_figures_entered"]
    assert "severance_computable" not in missing  # every worker's own data is there
    hash_before = reload(p["id"]).content_hash

    entry = accounts.set_wage_parameters(db.session, actor=SYSTEM, city_code="130200", year=2017,
                                         average=DEMO_WAGES["average"])  # fmt: skip
    db.session.commit()
    assert [r.plan_id for r in entry.refreshed] == [p["id"]]
    plan = reload(p["id"])
    assert plan.roster_summary["severance_missing"] == 0
    assert plan.roster_summary["wage_figures_missing"] is None
    assert Decimal(plan.content["funding"]["required"]["severance"]) > 0
    assert plan.content_hash != hash_before  # the roster is part of what the congress votes on
    workers = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == p["id"])).all()
    assert all(w.severance is not None for w in workers if w.channel == "termination")
    left = flow.plan(api("clerk"), p["id"])["missing"]
    assert [m for m in left if m["section"] == "roster" or m["field"].startswith("required.")] == []
    trail = api("clerk").get(f"/plans/{p['id']}/audit").json["items"]
    assert trail[-1]["action"] == "roster.recomputed"
    assert trail[-1]["summary"]["year"] == 2017
    told = api("clerk").get("/notifications").json["items"][0]  # the clerk is told, in the same transaction
    assert told["title"] == "【经济补偿已重新计算】《迁安钢铁职工安置方案》"
    assert told["message"].startswith("系统管理员已录入唐山市2017年度工资参数")


def test_a_leavers_own_missing_data_is_named_by_row_and_name_for_the_clerk(api, world, complete_content):
    clerk = api("clerk")
    plan = flow.create(clerk, {k: v for k, v in complete_content(world.steel).items() if k != "roster"})
    header = "公民身份号码,姓名,入企时间,安置渠道,月平均工资\n"
    rows = [(make_resident_id("130283", date(1980, 5, 1), 11), "张三", "2010-03-15", ""),
            (make_resident_id("130283", date(1982, 5, 1), 12), "李四", "2010-03-15", "4500"),
            (make_resident_id("130283", date(1984, 5, 1), 13), "王五", "2011-03-15", "")]  # fmt: skip
    data = (header + "".join(f"{n},{name},{hired},依法解除劳动合同,{wage}\n" for n, name, hired, wage in rows)).encode()
    upload = clerk.put(f"/plans/{plan['id']}/roster", data={"file": (io.BytesIO(data), "r.csv")},
                       content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 200, upload.json
    own = [w for w in upload.json["warnings"] if w["rule"] == "severance_input_missing"]
    assert [(w["row"], w["column"]) for w in own] == [(2, "monthly_wage"), (4, "monthly_wage")]
    assert own[0]["message"].startswith("第2行（张三）：缺少月平均工资，无法计算经济补偿")
    missing = {m["rule"]: m["message"] for m in flow.plan(clerk, plan["id"])["missing"]}
    assert missing["severance_computable"].startswith(
        "职工实名制台账：第2行张三缺少月平均工资；第4行王五缺少月平均工资，无法计算经济补偿"
    )
    assert "请在职工名单中补充后重新导入" in missing["severance_computable"]
    assert "wage_figures_entered" not in missing  # the city's figures are there


def test_wage_parameters_are_validated(app, world):
    runner = app.test_cli_runner()
    bad_city = runner.invoke(args=["wages", "set", "--city", "130283", "--year", "2017", "--average", "5000"])
    assert bad_city.exit_code != 0
    assert "设区市" in bad_city.output
    negative = runner.invoke(args=["wages", "set", "--city", "130200", "--year", "2017", "--average", "-1000"])
    assert negative.exit_code != 0
    assert "月平均工资须为正数" in negative.output


def test_bureau_records_verifications_of_workers_on_the_roster(api, world, complete_content):
    p = flow.create(api("clerk"), complete_content(world.steel))
    checked = [row[0] for row in sample_roster(world.steel)[:3]]
    body = {
        "method": "phone_check",
        "sample": "随机抽取3人",
        "result": "均确认在册并同意安置方式",
        "workers_checked": checked,
    }
    made = api("reviewer").post(f"/plans/{p['id']}/verifications", json=body)
    assert made.status_code == 201, made.json
    assert made.json["workers_checked"] == sorted(checked)
    assert api("clerk").post(f"/plans/{p['id']}/verifications", json=body).status_code == 403
    stranger = {**body, "workers_checked": ["110101199001011234"]}
    refused = api("reviewer").post(f"/plans/{p['id']}/verifications", json=stranger)
    assert refused.status_code == 422
    assert refused.json["details"][0]["rule"] == "on_roster"
    listed = api("supervisor").get(f"/plans/{p['id']}/verifications").json["items"]
    assert [v["method"] for v in listed] == ["phone_check"]
    assert api("clerk").get(f"/plans/{p['id']}/audit").json["items"][-1]["action"] == "roster.verified"


def test_channel_labels_in_the_template_are_the_plan_channels(api, world):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(api("clerk").get("/roster-template").data))
    formulas = " ".join(dv.formula1 or "" for dv in book.worksheets[0].data_validations.dataValidation)
    assert all(label in formulas for label in CHANNELS.values())


def test_service_before_2008_is_paid_under_481_and_fills_the_funding_requirement(api, world, complete_content):
    clerk = api("clerk")
    content = {k: v for k, v in complete_content(world.steel).items() if k != "roster"}
    plan = flow.create(clerk, content)
    header = "公民身份号码,姓名,入企时间,安置渠道,月平均工资\n"
    rows = [(make_resident_id("130283", date(1970, 5, 1), 11), "老职工", "1995-03-15", "4500"),
            (make_resident_id("130283", date(1985, 5, 1), 12), "新职工", "2010-03-15", "4500")]  # fmt: skip
    data = (header + "".join(f"{n},{name},{hired},依法解除劳动合同,{wage}\n" for n, name, hired, wage in rows)).encode()
    params = WageParameters("130200", 2017, DEMO_WAGES["average"], DEMO_WAGES["minimum"])
    reference = date(2018, 7, 31)

    def imported(ground: str | None) -> dict[str, Decimal]:
        if ground:
            severance_terms = {**content["severance"], "termination_ground": ground}
            assert (
                clerk.patch(f"/plans/{plan['id']}", json={"content": {"severance": severance_terms}}).status_code == 200
            )
        upload = clerk.put(f"/plans/{plan['id']}/roster", data={"file": (io.BytesIO(data), "名单.csv")},
                           content_type="multipart/form-data")  # fmt: skip
        assert upload.status_code == 200, upload.json
        workers = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"]))
        return {w.name: w.severance for w in workers}

    default = imported(None)  # no ground stated: mutual agreement (Art 36), 481号 Art 5
    old = segmented_severance(date(1995, 3, 15), reference, Decimal(4500), params, "mutual_agreement")
    assert old.pre_reform is not None
    assert old.pre_reform.years == 12  # 13 years begun, capped at 12
    assert default["老职工"] == old.amount
    assert default["新职工"] == severance(date(2010, 3, 15), reference, Decimal(4500), params).amount
    required = reload(plan["id"]).content["funding"]["required"]
    assert Decimal(required["severance"]) == default["老职工"] + default["新职工"]
    layoff = imported("economic_layoff")  # 481号 Art 9: no cap
    assert layoff["老职工"] == default["老职工"] + Decimal(4500)
    assert layoff["新职工"] == default["新职工"]
    required = reload(plan["id"]).content["funding"]["required"]
    assert Decimal(required["severance"]) == layoff["老职工"] + layoff["新职工"]


def test_self_employed_and_public_welfare_leavers_are_owed_severance_and_fund_it(api, world, complete_content):
    """劳动合同法 Art 46, 47 on every channel of 冀人社发〔2018〕38号 §四 that ends the labour relation: a worker
    leaving to start a business or for a public-welfare post outside is owed severance; one retiring
    internally or transferred keeps the relation and is not. The plan's requirement sums the leavers."""
    clerk = api("clerk")
    content = {k: v for k, v in complete_content(world.steel).items() if k != "roster"}
    plan = flow.create(clerk, content)
    header = ",".join(ROSTER_HEADER) + "\n"
    rows = [(make_resident_id("130283", date(1980, 5, 1), 21), "创业者", "2010-03-15", "自主创业", "否"),
            (make_resident_id("130283", date(1981, 5, 1), 22), "公益岗", "2012-07-15", "公益性岗位兜底", "否"),
            (make_resident_id("130283", date(1959, 5, 1), 23), "内退者", "2000-03-15", "企业内部退养", "是"),
            (make_resident_id("130283", date(1983, 5, 1), 24), "转岗者", "2011-03-15", "转岗培训", "否")]  # fmt: skip
    data = (header + "".join(f"{n},{name},{hired},{channel},4500,工人,{yes},{yes}\n"
                             for n, name, hired, channel, yes in rows)).encode()  # fmt: skip
    upload = clerk.put(f"/plans/{plan['id']}/roster", data={"file": (io.BytesIO(data), "名单.csv")},
                       content_type="multipart/form-data")  # fmt: skip
    assert upload.status_code == 200, upload.json
    assert upload.json["errors"] == []
    workers = {w.name: w for w in db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"]))}
    params = WageParameters("130200", 2017, DEMO_WAGES["average"], DEMO_WAGES["minimum"])
    reference = date(2018, 7, 31)
    assert workers["创业者"].severance == severance(date(2010, 3, 15), reference, Decimal(4500), params).amount
    assert workers["创业者"].severance == Decimal("38250.00")  # 8 years 4 months 16 days: 8.5 months
    assert workers["公益岗"].severance == Decimal("29250.00")  # 6 years 16 days: 6.5 months
    assert workers["内退者"].severance is None
    assert workers["转岗者"].severance is None
    saved = reload(plan["id"])
    assert Decimal(saved.content["funding"]["required"]["severance"]) == Decimal("67500.00")
    assert RosterSummary.from_json(saved.roster_summary).leavers == 2  # type: ignore[union-attr]
    assert saved.roster_summary["severance_missing"] == 0


def test_each_workers_ground_and_the_plans_method_decide_the_severance_and_the_medical_subsidy(
    api, world, complete_content
):
    """劳动合同法第九十七条第三款 with 劳部发〔1994〕481号 by each worker's own ground (the plan's when the row names
    none); 481号第六条 adds the medical subsidy on the illness ground, funded with the severance; a plan whose
    local practice counts the whole service under 第四十七条 gets that instead."""
    clerk = api("clerk")
    content = {k: v for k, v in complete_content(world.steel).items() if k != "roster"}
    plan = flow.create(clerk, content)
    header = "公民身份号码,姓名,入企时间,安置渠道,月平均工资,解除或终止劳动合同依据,病情程度\n"
    rows = [(make_resident_id("130283", date(1970, 5, 1), 21), "协商", "1995-03-15", ""),
            (make_resident_id("130283", date(1971, 5, 1), 22), "破产", "1995-03-15", "第四十四条第四项"),
            (make_resident_id("130283", date(1972, 5, 1), 23), "患病", "1995-03-15", "患病或非因工负伤")]  # fmt: skip
    data = (header + "".join(f"{n},{name},{hired},依法解除劳动合同,4500,{ground},{'重病' if name == '患病' else ''}\n"
                             for n, name, hired, ground in rows)).encode()  # fmt: skip
    params = WageParameters("130200", 2017, DEMO_WAGES["average"], DEMO_WAGES["minimum"])
    reference, hired, wage = date(2018, 7, 31), date(1995, 3, 15), Decimal(4500)

    def imported(method: str | None) -> dict[str, RosterWorker]:
        if method:
            terms = {**content["severance"], "pre2008_method": method}
            assert clerk.patch(f"/plans/{plan['id']}", json={"content": {"severance": terms}}).status_code == 200
        upload = clerk.put(f"/plans/{plan['id']}/roster", data={"file": (io.BytesIO(data), "名单.csv")},
                           content_type="multipart/form-data")  # fmt: skip
        assert upload.status_code == 200, upload.json
        db.session.expire_all()
        return {w.name: w for w in db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"]))}

    split = imported(None)
    for name, ground in (("协商", "mutual_agreement"), ("破产", "bankruptcy"), ("患病", "illness")):
        expected = segmented_severance(hired, reference, wage, params, ground, illness_severity="serious")
        assert split[name].severance == expected.amount
    assert split["破产"].severance == split["协商"].severance + wage  # 481号: 13 years uncapped, not 12
    assert (split["协商"].medical_subsidy, split["破产"].medical_subsidy) == (None, None)
    assert split["患病"].medical_subsidy == 9 * wage  # six months, half as much again for a serious illness
    summary = RosterSummary.from_json(reload(plan["id"]).roster_summary)
    assert summary is not None
    assert summary.medical_subsidy_total == 9 * wage
    required = reload(plan["id"]).content["funding"]["required"]
    assert Decimal(required["severance"]) == sum(w.severance for w in split.values()) + 9 * wage
    missing = flow.plan(clerk, plan["id"])["missing"]
    assert not [m for m in missing if m["field"] == "required.severance"]  # the requirement agrees with the roster

    whole = imported("art47_whole")
    assert "computed_on_current_terms" not in {m["rule"] for m in flow.plan(clerk, plan["id"])["missing"]}
    for name in ("协商", "破产", "患病"):
        assert whole[name].severance == severance(hired, reference, wage, params).amount
    assert whole["患病"].medical_subsidy == 9 * wage
