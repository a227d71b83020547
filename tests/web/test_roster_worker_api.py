"""One worker of the roster over the API: read it, edit it through the import's row checks, keep its history."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from approvals.demo import DEMO_WAGES, make_resident_id, sample_roster
from approvals.models import RosterWorker, RosterWorkerChange
from approvals.rules.severance import WageParameters, segmented_severance
from tests import flow
from tests.conftest import reload

PARAMS = WageParameters("130200", 2017, DEMO_WAGES["average"], DEMO_WAGES["minimum"])


@pytest.fixture
def plan(api, world, complete_content):
    return flow.create(api("clerk"), complete_content(world.steel))


def worker_id(world, index: int) -> str:
    return sample_roster(world.steel)[index][0]


def changes() -> int:
    return db.session.scalar(select(func.count()).select_from(RosterWorkerChange)) or 0


def test_one_worker_with_its_fields_row_and_history(api, world, plan):
    number = worker_id(world, 1)
    body = api("reviewer").get(f"/plans/{plan['id']}/roster/{number}")
    assert body.status_code == 200, body.json
    worker = body.json
    assert (worker["id_number"], worker["channel"], worker["row"]) == (number, "transfer_training", 3)
    assert worker["data"]["name"] == sample_roster(world.steel)[1][1]
    assert worker["history"] == []
    missing = api("clerk").get(f"/plans/{plan['id']}/roster/{make_resident_id('130283', date(1980, 1, 1), 999)}")
    assert missing.status_code == 404
    assert missing.json["error"] == "worker_not_found"


def test_an_edit_recomputes_the_worker_the_summary_and_the_hash_and_keeps_history(api, world, plan):
    clerk = api("clerk")
    number = worker_id(world, 1)
    before = reload(plan["id"])
    old_total, old_hash = Decimal(before.content["funding"]["required"]["severance"]), before.content_hash
    old_terminations = before.roster_summary["by_channel"]["termination"]
    response = clerk.patch(f"/plans/{plan['id']}/roster/{number}",
                           json={"channel": "依法解除劳动合同", "hire_date": "1995年3月15日", "monthly_wage": "4,500元"})  # fmt: skip
    assert response.status_code == 200, response.json
    report, worker = response.json["report"], response.json["worker"]
    assert (report["accepted"], report["rejected"], report["committed"], report["updated"]) == (1, 0, True, 1)
    expected = segmented_severance(date(1995, 3, 15), date(2018, 7, 31), Decimal(4500), PARAMS).amount
    assert (worker["channel"], worker["hire_date"], Decimal(worker["severance"])) == ("termination", "1995-03-15",
                                                                                       expected)  # fmt: skip
    assert worker["data"]["monthly_wage"] == "4500.00"
    assert [(h["change"], h["before"]["channel"], h["import_id"]) for h in worker["history"]] == [
        ("edited", "transfer_training", None)]  # fmt: skip
    assert worker["history"][0]["changed_by_id"] == world.users["clerk"].id
    after = reload(plan["id"])
    assert Decimal(after.content["funding"]["required"]["severance"]) == old_total + expected
    assert after.roster_summary["by_channel"]["termination"] == old_terminations + 1
    assert after.content_hash != old_hash
    trail = clerk.get(f"/plans/{plan['id']}/audit").json["items"]
    assert trail[-1]["action"] == "roster.worker_edited"
    assert trail[-1]["summary"]["fields"] == ["channel", "hire_date", "monthly_wage"]
    assert trail[-1]["summary"]["content_hash"] == after.content_hash
    assert number not in str(trail[-1]["summary"])  # masked


def test_codes_as_the_api_shows_them_are_accepted_too(api, world, plan):
    response = api("clerk").patch(f"/plans/{plan['id']}/roster/{worker_id(world, 1)}",
                                  json={"channel": "self_employment", "pregnancy": False})  # fmt: skip
    assert response.status_code == 200, response.json
    assert response.json["worker"]["channel"] == "self_employment"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"hire_date": "1995-13-01", "channel": "搬家"}, [("入企时间", "date"), ("安置渠道", "choice")]),
        ({"name": ""}, [("姓名", "required")]),
        ({"monthly_wage": "-3"}, [("月平均工资", "amount")]),
        (
            {"channel": "依法解除劳动合同", "pregnancy": "是", "termination_ground": "经济性裁员"},
            [("channel", "art42_pregnancy")],
        ),
        ({"excluded_reason": "调走了"}, [("不纳入安置原因", "choice")]),
    ],
    ids=["bad_date_and_choice", "name_cleared", "negative_wage", "art42", "unknown_exclusion"],
)
def test_a_bad_value_answers_the_import_report_and_changes_nothing(api, world, plan, fields, expected):
    number = worker_id(world, 1)
    before = reload(plan["id"])
    old_hash, old_summary = before.content_hash, dict(before.roster_summary)
    response = api("clerk").patch(f"/plans/{plan['id']}/roster/{number}", json=fields)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "roster_invalid"
    report = response.json["details"]
    assert (report["accepted"], report["rejected"], report["committed"]) == (0, 1, False)
    assert [(e["column"], e["rule"]) for e in report["errors"]] == expected
    assert {e["row"] for e in report["errors"]} == {3}  # its row in the exported roster
    assert all(e["message"].startswith("第3行") for e in report["errors"])
    after = reload(plan["id"])
    assert (after.content_hash, after.roster_summary) == (old_hash, old_summary)
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.id_number == number)).one()
    assert worker.channel == "transfer_training"
    assert changes() == 0


@pytest.mark.parametrize(
    ("fields", "error"),
    [({"id_number": "x"}, "invalid_worker_fields"), ({"salary": 1}, "invalid_worker_fields"), ({}, "no_fields")],
)
def test_fields_that_are_not_editable_are_refused(api, world, plan, fields, error):
    response = api("clerk").patch(f"/plans/{plan['id']}/roster/{worker_id(world, 1)}", json=fields)
    assert response.status_code == 422
    assert response.json["error"] == error
    assert changes() == 0


def test_an_unchanged_edit_writes_nothing(api, world, plan):
    number = worker_id(world, 1)
    response = api("clerk").patch(f"/plans/{plan['id']}/roster/{number}", json={"channel": "转岗培训"})
    assert response.status_code == 200
    assert (response.json["report"]["committed"], response.json["report"]["updated"]) == (False, 0)
    assert changes() == 0
    assert reload(plan["id"]).version == plan["version"]


def test_a_dual_worker_couple_is_checked_both_ways(api, world, complete_content):
    clerk = api("clerk")
    content = {k: v for k, v in complete_content(world.steel).items() if k != "roster"}
    plan = flow.create(clerk, content)
    husband, wife = make_resident_id("130283", date(1980, 3, 1), 11), make_resident_id("130283", date(1982, 5, 1), 12)
    data = ("公民身份号码,姓名,入企时间,安置渠道,月平均工资,配偶身份证号,岗位类别\n"
            f"{husband},张伟,2010-03-01,依法解除劳动合同,4500,{wife},工人\n"
            f"{wife},李娜,2011-05-01,转岗培训,4200,{husband},工人\n").encode()  # fmt: skip
    assert clerk.put(f"/plans/{plan['id']}/roster", data={"file": (io.BytesIO(data), "名单.csv")},
                     content_type="multipart/form-data").status_code == 200  # fmt: skip

    def dual(number: str) -> list[bool]:
        worker = clerk.get(f"/plans/{plan['id']}/roster/{number}").json
        return [w["justified"] for w in worker["warnings"] if w["rule"] == "dual_worker_termination"]

    assert (dual(husband), dual(wife)) == ([], [])
    both = clerk.patch(f"/plans/{plan['id']}/roster/{wife}", json={"channel": "依法解除劳动合同"})
    assert both.status_code == 200, both.json
    assert [w["rule"] for w in both.json["report"]["warnings"]] == ["dual_worker_termination"]
    assert (dual(husband), dual(wife)) == ([False], [False])
    assert reload(plan["id"]).roster_summary["unjustified"] == 2
    justified = clerk.patch(f"/plans/{plan['id']}/roster/{wife}", json={"justification": "本人书面申请解除。"})
    assert justified.status_code == 200
    assert (dual(husband), dual(wife)) == ([False], [True])
    assert reload(plan["id"]).roster_summary["unjustified"] == 1
    apart = clerk.patch(f"/plans/{plan['id']}/roster/{wife}", json={"channel": "转岗培训"})
    assert apart.status_code == 200
    assert (dual(husband), dual(wife)) == ([], [])
    assert reload(plan["id"]).roster_summary["unjustified"] == 0


def test_the_edit_is_a_draft_change_like_any_other(api, world, plan):
    clerk, union = api("clerk"), api("union")
    flow.submit(clerk, plan["id"])
    refused = clerk.patch(f"/plans/{plan['id']}/roster/{worker_id(world, 1)}", json={"remarks": "已核实"})
    assert refused.status_code == 409
    assert refused.json["error"] == "not_drafting"
    flow.vote(union, plan["id"], plan["content_hash"], yes=50, no=45, abstain=5)  # voted down: back to drafting
    edited = clerk.patch(f"/plans/{plan['id']}/roster/{worker_id(world, 1)}", json={"remarks": "已核实"})
    assert edited.status_code == 200, edited.json
    assert flow.plan(clerk, plan["id"])["content_hash"] != plan["content_hash"]
