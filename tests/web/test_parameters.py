"""The parameters in force on a plan's reference date drive its roster's figures (issue 11 §1, §6): the
minimum wage of the county's tier on the termination date (劳动合同法实施条例第二十七条), an
administrator's audited change, and the values a published plan keeps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.documents.plan_text import published_plan
from app.extensions import db, get_engine
from approvals.actor import SYSTEM
from approvals.demo import ROSTER_HEADER, make_resident_id, make_uscc, roster_csv, sample_content
from approvals.models import AuditEvent, Plan, Role, RosterWorker
from approvals.rules.parameters import parameter_lines
from approvals.services import accounts
from approvals.services.parameters import plan_parameters, set_parameter_value, set_wage_tier
from approvals.services.plans import create_plan
from approvals.services.roster import edit_worker, import_roster, reference_date
from tests import stages

LOW_WAGE = "1000"  # below every Hebei minimum: the floor decides the base


def _plan_with_low_paid_leaver(world, enterprise, reference: str, clerk: str = "clerk"):  # type: ignore[no-untyped-def]
    """A plan dated `reference` whose one worker, hired 2010-01-15 on 1,000 yuan a month, is terminated."""
    content = sample_content(enterprise)
    content["severance"] = {**content["severance"], "reference_date": reference}
    actor = world.actor(clerk)
    plan = create_plan(db.session, get_engine(), actor=actor, title="最低工资保底", content=content,
                       enterprise_id=enterprise.id)  # fmt: skip
    row = [make_resident_id(enterprise.region_code, date(1980, 5, 5), 7), "王某", "2010-01-15", "依法解除劳动合同",
           LOW_WAGE, "工人", "否", "否"]  # fmt: skip
    report = import_roster(db.session, actor=actor, plan=plan, data=roster_csv([row]), filename="r.csv",
                           dry_run=False)  # fmt: skip
    assert report.committed, report.errors
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id)).one()
    return plan, worker, report


def _wages_for(year: int) -> None:
    accounts.set_wage_parameters(db.session, actor=SYSTEM, city_code="130200", year=year, average=Decimal(5500))


def test_a_termination_in_2019_uses_the_tier_figure_in_force_then_not_the_later_one(world):
    # 迁安市 is 一类; Hebei's 一类 standard: 1650 from 2016-07-01, 1900 from 2019-11-01 (冀人社发〔2019〕34号).
    _wages_for(2018)
    plan, worker, _ = _plan_with_low_paid_leaver(world, world.steel, "2019-06-30")
    # 2010-01-15 → 2019-06-30: 9 years 5 months 15 days → 9.5 months (劳动合同法第四十七条) × 1650.
    assert worker.severance == Decimal("15675.00")
    assert plan.parameters_used["values"]["minimum_wage_tier_1"]["effective_from"] == "2016-07-01"
    later, worker, _ = _plan_with_low_paid_leaver(world, world.steel, "2019-12-31")
    assert worker.severance == Decimal("19000.00")  # 9 years 11 months → 10 months × 1900


def test_the_county_tier_decides_the_floor_and_a_reassignment_applies_from_its_date(world):
    # 沙河市 is 二类 from 2016-07-01 (1590 a month).
    small = world.small
    _, worker, _ = _plan_with_low_paid_leaver(world, small, "2018-07-31", clerk="clerk_small")
    # 2010-01-15 → 2018-07-31: 8 years 6 months 16 days → 9 months (a remainder of six months counts a year).
    assert worker.severance == Decimal("14310.00")  # 9 × 1590
    set_wage_tier(db.session, actor=world.actor("admin"), region_code=small.region_code,
                  effective_from=date(2018, 7, 1), tier=1, basis="调整地区类别的通知")  # fmt: skip
    _, worker, _ = _plan_with_low_paid_leaver(world, small, "2018-07-31", clerk="clerk_small")
    assert worker.severance == Decimal("14850.00")  # 9 × 1650
    _, worker, _ = _plan_with_low_paid_leaver(world, small, "2018-06-30", clerk="clerk_small")
    assert worker.severance == Decimal("13515.00")  # before the reassignment: 8.5 × 1590


def test_an_unassigned_county_is_floored_at_the_highest_tier_with_a_warning(world):
    # 路北区 has no tier entered: the first tier (the highest standard) protects the worker, and the clerk is told.
    firm = accounts.create_enterprise(db.session, actor=SYSTEM, name="唐山路北钢铁", uscc=make_uscc("130203", 99),
                                      industry="steel", region_code="130203", headcount=300)  # fmt: skip
    accounts.grant_role(db.session, actor=SYSTEM, user=world.users["clerk"], role=Role.ENTERPRISE, enterprise=firm)
    _, worker, report = _plan_with_low_paid_leaver(world, firm, "2018-07-31")
    assert worker.severance == Decimal("14850.00")  # 9 × 1650 (一类, 2016-07-01)
    [warning] = [w for w in report.warnings if w.rule == "wage_tier_unassigned"]
    assert "路北区" in warning.message
    assert "一类" in warning.message


def test_an_admin_change_is_audited_changes_a_new_plan_and_a_published_plan_keeps_what_it_showed(world):
    engine = get_engine()
    published = stages.plan_at(db.session, engine, world, "published")  # 峰峰矿区, 二类, dated 2018-07-31
    shown = plan_parameters(db.session, published, reference_date(published))
    before = dict(parameter_lines(shown.parameters, shown.region))
    assert before["月最低工资标准（峰峰矿区，二类）"].startswith("1,590.00元/月")

    set_parameter_value(db.session, actor=world.actor("admin"), key="minimum_wage_tier_2",
                        effective_from=date(2018, 1, 1), value="1700", basis="测试调整文件")  # fmt: skip
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "parameter.set")).one()
    assert event.actor_name == "admin"
    assert event.summary == {"key": "minimum_wage_tier_2", "effective_from": "2018-01-01", "value": "1700",
                             "basis": "测试调整文件", "before": "1590"}  # fmt: skip

    kept = plan_parameters(db.session, published, reference_date(published))
    assert dict(parameter_lines(kept.parameters, kept.region)) == before
    document = published_plan(db.session, published)
    [section] = [s for s in document["sections"] if s["title"] == "本方案适用参数（截至参考日期2018-07-31）"]
    assert ("月最低工资标准（峰峰矿区，二类）", before["月最低工资标准（峰峰矿区，二类）"]) in section["items"]

    _, worker, _ = _plan_with_low_paid_leaver(world, world.zombie, "2018-07-31", clerk="clerk_zombie")
    assert worker.severance == Decimal("15300.00")  # 9 × 1700: the new value, for a plan computed after it
    fresh = stages.plan_at(db.session, engine, world, "drafting", seed=2)
    now = plan_parameters(db.session, fresh, reference_date(fresh))
    assert dict(parameter_lines(now.parameters, now.region))["月最低工资标准（峰峰矿区，二类）"].startswith(
        "1,700.00元/月（自2018-01-01起，依据：测试调整文件"
    )


def test_one_workers_edit_is_computed_with_the_values_the_roster_was(world):
    _, worker, _ = _plan_with_low_paid_leaver(world, world.small, "2018-07-31", clerk="clerk_small")
    plan = worker.plan_id
    set_parameter_value(db.session, actor=world.actor("admin"), key="minimum_wage_tier_2",
                        effective_from=date(2018, 1, 1), value="1700", basis="测试调整文件")  # fmt: skip
    found = db.session.get(Plan, plan)
    report, edited = edit_worker(db.session, actor=world.actor("clerk_small"), plan=found,
                                 id_number=worker.id_number, changes={"name": "王某某"})  # fmt: skip
    assert report.committed
    assert edited.severance == Decimal("14310.00")  # still 9 × 1590, as the other rows of the import


def test_a_workers_own_county_decides_the_floor_and_the_plan_states_it(world):
    # 工作地区划代码: a 迁安 (一类) plan whose workers work in 沙河 (二类), 路北区 (no tier: 一类, warned) or
    # an unregistered code (refused, naming the row and the column).
    content = sample_content(world.steel)
    actor = world.actor("clerk")
    plan = create_plan(db.session, get_engine(), actor=actor, title="工作地", content=content,
                       enterprise_id=world.steel.id)  # fmt: skip
    rows = [[make_resident_id("130283", date(1980, 5, 5), n), f"王某{n}", "2010-01-15", "依法解除劳动合同", LOW_WAGE,
             "工人", "否", "否", place] for n, place in ((1, "130582"), (2, "130203"), (3, ""), (4, "999999"))]  # fmt: skip
    data = "\n".join(",".join(r) for r in [[*ROSTER_HEADER, "工作地区划代码"], *rows]).encode("gbk")
    report = import_roster(db.session, actor=actor, plan=plan, data=data, filename="r.csv", dry_run=False,
                           accept_valid=True)  # fmt: skip
    [error] = report.errors
    assert (error.row, error.column, error.rule) == (5, "工作地区划代码", "known_region")
    pay = dict(db.session.execute(select(RosterWorker.name, RosterWorker.severance)
                                  .where(RosterWorker.plan_id == plan.id)).all())  # fmt: skip
    # 2010-01-15 → 2018-07-31: 9 months' wages (劳动合同法第四十七条), floored by the county's standard.
    assert pay == {"王某1": Decimal("14310.00"), "王某2": Decimal("14850.00"), "王某3": Decimal("14850.00")}
    assert [w.row for w in report.warnings if w.rule == "wage_tier_unassigned"] == [3]
    shown = plan_parameters(db.session, plan, reference_date(plan))
    labels = [label for label, _ in parameter_lines(shown.parameters, shown.region, others=shown.others)]
    assert "月最低工资标准（迁安市，一类）" in labels
    assert "月最低工资标准（沙河市，二类）" in labels
    assert "月最低工资标准（路北区，一类）（该地区尚未设定类别，按各类中最高的一类）" in labels


def test_the_special_type_age_in_force_decides_an_underground_miners_retirement(world):
    # 国发〔1978〕104号 第一条第（二）项: men in special-type posts retire at 55. An administrator's dated value
    # (here 56 from 2018-01-01) is what the roster applies to a plan dated after it, not the constant.
    def miner_retires(reference: str) -> date | None:
        content = sample_content(world.steel)
        content["severance"] = {**content["severance"], "reference_date": reference}
        actor = world.actor("clerk")
        plan = create_plan(db.session, get_engine(), actor=actor, title="特殊工种", content=content,
                           enterprise_id=world.steel.id)  # fmt: skip
        row = [make_resident_id(world.steel.region_code, date(1965, 5, 5), 3), "李某", "1990-01-15",
               "转岗培训消化", "5000", "井下", "否", "否"]  # fmt: skip
        report = import_roster(db.session, actor=actor, plan=plan, data=roster_csv([row]), filename="r.csv",
                               dry_run=False)  # fmt: skip
        assert report.committed, report.errors
        return db.session.scalars(select(RosterWorker.retirement_date).where(RosterWorker.plan_id == plan.id)).one()

    assert miner_retires("2018-07-31") == date(2020, 5, 5)
    set_parameter_value(db.session, actor=world.actor("admin"), key="special_type_age_men",
                        effective_from=date(2018, 1, 1), value="56", basis="测试：调整后的特殊工种退休年龄")  # fmt: skip
    assert miner_retires("2018-07-31") == date(2021, 5, 5)
    assert miner_retires("2017-12-31") == date(2020, 5, 5)  # before the new value: the statutory 55
