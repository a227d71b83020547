"""The roster checked across plans (domain.md §8): the same ID number on another plan of the same
enterprise is flagged as it is across enterprises, dual-worker couples are found across the
enterprise's plans (batches), and only the bureau sees which plan holds the other record.

Also 参加工作时间 apart from 入企时间: service at this employer (劳动合同法第四十七条 "在本单位工作的年限",
第四十二条第五项 "在本单位连续工作满十五年") runs from 入企时间; 参加工作时间 is total working years.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from app.extensions import db
from approvals.demo import make_resident_id
from approvals.models import RosterWorker
from tests import flow
from tests.conftest import reload
from tests.ui.test_plan_page import pane

HEADER = ["公民身份号码", "姓名", "入企时间", "参加工作时间", "安置渠道", "月平均工资", "配偶身份证号", "书面说明"]
HUSBAND = make_resident_id("130283", date(1980, 3, 1), 11)
WIFE = make_resident_id("130283", date(1982, 5, 1), 12)
SOMEONE = make_resident_id("130283", date(1979, 7, 9), 13)


def roster(*rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("gbk")


def row(number: str, name: str, channel: str = "转岗培训", spouse: str = "", hire: str = "2008-03-01",
        start: str = "", why: str = "") -> list[str]:  # fmt: skip
    return [number, name, hire, start, channel, "4500", spouse, why]


def put(client, plan_id: int, data: bytes, **params: str):  # type: ignore[no-untyped-def]
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.put(f"/plans/{plan_id}/roster?{query}", data={"file": (io.BytesIO(data), "名单.csv")},
                      content_type="multipart/form-data")  # fmt: skip


def rules(body: dict, rule: str) -> list[dict]:  # type: ignore[type-arg]
    return [w for w in body["warnings"] if w["rule"] == rule]


@pytest.fixture
def first(api, world):  # type: ignore[no-untyped-def]
    """The steel firm's first batch: a plan whose roster holds SOMEONE and the husband, terminated."""
    plan = flow.create(api("clerk"), {}, title="第一批职工安置方案")
    data = roster(row(SOMEONE, "王五"), row(HUSBAND, "张伟", "依法解除劳动合同", spouse=WIFE, why="本人申请"))
    assert put(api("clerk"), plan["id"], data).status_code == 200
    return plan


def test_the_same_id_on_another_plan_of_the_enterprise_is_flagged_without_saying_where(api, world, first):
    second = flow.create(api("clerk"), {}, title="第二批职工安置方案")
    body = put(api("clerk"), second["id"], roster(row(SOMEONE, "王五"), row(WIFE, "李娜")), dry_run="1").json
    (match,) = rules(body, "data_match_other_plan")
    assert match["value"].startswith(SOMEONE[:6])
    assert "*" in match["value"]
    assert "本企业的其他安置方案" in match["message"]
    # the clerk sees the row and the worker of this plan (the CSV's header is row 1): not where else
    assert match["row"] == 2
    assert match["message"].startswith("第2行（王五）：数据比对")
    assert "第一批" not in str(body)
    assert str(first["id"]) not in match["message"]
    assert rules(body, "data_match_other_enterprise") == []  # the same enterprise: not "another enterprise"


def test_a_reimport_of_the_same_plan_does_not_flag_itself(api, world, first):
    again = put(api("clerk"), first["id"], roster(row(SOMEONE, "王五", "自主创业"), row(HUSBAND, "张伟")))
    assert again.status_code == 200, again.json
    assert rules(again.json, "data_match_other_plan") == rules(again.json, "data_match_other_enterprise") == []
    assert not any(w.warnings for w in db.session.query(RosterWorker).filter_by(plan_id=first["id"]))


def test_another_enterprise_is_still_another_enterprise(api, world, first):
    other = flow.create(api("clerk_small"), {}, title="沙河方案")
    body = put(api("clerk_small"), other["id"], roster(row(SOMEONE, "王五")), dry_run="1").json
    assert [w["rule"] for w in body["warnings"] if w["rule"].startswith("data_match")] == [
        "data_match_other_enterprise"
    ]


def test_a_couple_across_the_enterprises_plans_is_found_both_ways(api, world, first):
    # the wife does not name her husband: his record on the first plan names her
    second = flow.create(api("clerk"), {}, title="第二批职工安置方案")
    body = put(api("clerk"), second["id"], roster(row(WIFE, "李娜", "依法解除劳动合同"))).json
    (dual,) = rules(body, "dual_worker_termination")
    assert "配偶张伟" in dual["message"]
    assert "另一安置方案" in dual["message"]
    assert "第一批" not in dual["message"]
    assert dual["justified"] is False
    stored = db.session.query(RosterWorker).filter_by(plan_id=second["id"]).one()
    assert stored.couple
    summary = reload(second["id"]).roster_summary
    assert (summary["couple"], summary["couple_terminated"], summary["unjustified"]) == (1, 1, 1)
    # the wife names him and is placed by a channel that keeps the relation: a couple, no warning
    third = flow.create(api("clerk"), {}, title="第三批职工安置方案")
    kept = put(api("clerk"), third["id"], roster(row(WIFE, "李娜", spouse=HUSBAND))).json
    assert rules(kept, "dual_worker_termination") == []
    assert db.session.query(RosterWorker).filter_by(plan_id=third["id"]).one().couple


def test_a_spouse_on_another_enterprises_plan_is_not_a_couple(api, world, first):
    other = flow.create(api("clerk_small"), {}, title="沙河方案")
    body = put(api("clerk_small"), other["id"], roster(row(WIFE, "李娜", "依法解除劳动合同"))).json
    assert rules(body, "dual_worker_termination") == []
    assert not db.session.query(RosterWorker).filter_by(plan_id=other["id"]).one().couple


def test_an_edit_finds_the_spouse_on_another_plan(api, world, first):
    second = flow.create(api("clerk"), {}, title="第二批职工安置方案")
    assert put(api("clerk"), second["id"], roster(row(WIFE, "李娜"))).status_code == 200
    edited = api("clerk").patch(f"/plans/{second['id']}/roster/{WIFE}", json={"channel": "依法解除劳动合同"})
    assert edited.status_code == 200, edited.json
    (dual,) = rules(edited.json["report"], "dual_worker_termination")
    assert "配偶张伟" in dual["message"]
    assert db.session.query(RosterWorker).filter_by(plan_id=second["id"]).one().couple


def test_the_bureau_sees_which_plan_and_the_enterprise_does_not(api, browser, world, first):
    second = flow.create(api("clerk"), {}, title="第二批职工安置方案")
    assert put(api("clerk"), second["id"], roster(row(SOMEONE, "王五"), row(WIFE, "李娜"))).status_code == 200
    bureau = pane(browser("reviewer").get(f"/plans/{second['id']}?tab=roster").get_data(as_text=True), "roster")
    assert bureau.count('data-testid="elsewhere"') == 2
    same = re.search(r'data-relation="same_person">(.*?)</li>', bureau, re.S)
    assert same
    assert "第一批职工安置方案" in same[1]
    assert f"/plans/{first['id']}?tab=roster" in same[1]
    spouse = re.search(r'data-relation="spouse">(.*?)</li>', bureau, re.S)
    assert spouse
    assert "张伟" in spouse[1]
    assert "第一批职工安置方案" in spouse[1]
    worker_page = browser("reviewer").get(f"/plans/{second['id']}/roster/workers/{SOMEONE}").get_data(as_text=True)
    assert "第一批职工安置方案" in worker_page
    assert 'data-relation="same_person"' in worker_page
    for role in ("clerk", "union"):
        page = browser(role).get(f"/plans/{second['id']}?tab=roster").get_data(as_text=True)
        assert "数据比对" in page  # the warning that a match exists
        assert 'data-testid="elsewhere"' not in page
        assert "第一批职工安置方案" not in page
        worker = browser(role).get(f"/plans/{second['id']}/roster/workers/{SOMEONE}").get_data(as_text=True)
        assert "第一批职工安置方案" not in worker
        assert 'data-testid="elsewhere"' not in worker


def test_the_api_tells_the_bureau_which_plan_and_the_enterprise_only_that_one_exists(api, world, first):
    second = flow.create(api("clerk"), {}, title="第二批职工安置方案")
    assert put(api("clerk"), second["id"], roster(row(SOMEONE, "王五"), row(WIFE, "李娜"))).status_code == 200
    url = f"/plans/{second['id']}/roster"
    assert api("reviewer").get(f"{url}/{SOMEONE}").json["elsewhere"] == [
        {"relation": "same_person", "plan_id": first["id"], "plan_title": "第一批职工安置方案",
         "enterprise": "迁安钢铁", "name": "王五"}
    ]  # fmt: skip
    assert api("reviewer").get(f"{url}/{WIFE}").json["elsewhere"] == [
        {"relation": "spouse", "plan_id": first["id"], "plan_title": "第一批职工安置方案",
         "enterprise": "迁安钢铁", "name": "张伟"}
    ]  # fmt: skip
    for role in ("clerk", "union"):
        body = api(role).get(f"{url}/{SOMEONE}").json
        assert body["elsewhere"] is None
        assert [w["rule"] for w in body["warnings"]] == ["data_match_other_plan"]
        assert "第一批" not in str(body)


def test_a_bureau_that_cannot_open_the_other_plan_gets_no_link(api, browser, world, first):
    other = flow.create(api("clerk_small"), {}, title="沙河方案")  # 邢台: outside 唐山
    assert put(api("clerk_small"), other["id"], roster(row(SOMEONE, "王五"))).status_code == 200
    page = pane(browser("reviewer").get(f"/plans/{first['id']}?tab=roster").get_data(as_text=True), "roster")
    same = re.search(r'data-relation="same_person">(.*?)</li>', page, re.S)
    assert same
    assert "沙河方案" in same[1]
    assert "沙河玻璃" in same[1]
    assert f"/plans/{other['id']}" not in same[1]


# --- 参加工作时间 and 入企时间 -----------------------------------------------------------------------


def test_work_start_is_kept_apart_from_the_hire_date(api, browser, world):
    plan = flow.create(api("clerk"), {"severance": {"reference_date": "2018-07-31"}}, title="工龄方案")
    body = put(api("clerk"), plan["id"], roster(row(SOMEONE, "王五", hire="2005-03-01", start="1997-09-01"))).json
    assert [w for w in body["warnings"] if w["rule"].startswith("work_start")] == []
    stored = db.session.query(RosterWorker).filter_by(plan_id=plan["id"]).one()
    assert (stored.hire_date, stored.work_start) == (date(2005, 3, 1), date(1997, 9, 1))
    listed = api("clerk").get(f"/plans/{plan['id']}/roster").json["items"][0]
    assert (listed["hire_date"], listed["work_start"]) == ("2005-03-01", "1997-09-01")
    assert api("supervisor").get(f"/plans/{plan['id']}/roster").json["items"][0]["work_start"] is None  # personal
    page = browser("clerk").get(f"/plans/{plan['id']}/roster/workers/{SOMEONE}").get_data(as_text=True)
    # to the reference date 2018-07-31: at this employer from 2005-03-01, working since 1997-09-01
    assert re.search(r'data-testid="service-at-employer">13年4个月<', page)
    assert re.search(r'data-testid="working-years">20年10个月<', page)
    table = pane(browser("clerk").get(f"/plans/{plan['id']}?tab=roster").get_data(as_text=True), "roster")
    assert re.search(r'data-col="work-start">1997-09-01<', table)


@pytest.mark.parametrize(
    ("hire", "start", "expected"),
    [
        ("2005-03-01", "2006-09-01", ["work_start_after_hire"]),  # started work after joining: swapped?
        ("2005-03-01", "1994-01-01", ["work_start_under_16"]),  # born 1979-07-09: 14 years old
        ("2005-03-01", "1995-07-09", []),  # the 16th birthday itself (劳动法第十五条)
        ("2005-03-01", "", []),  # not given: nothing to check
    ],
)
def test_work_start_is_checked_against_the_hire_date_and_age_16(api, world, hire, start, expected):
    plan = flow.create(api("clerk"), {}, title="工龄方案")
    body = put(api("clerk"), plan["id"], roster(row(SOMEONE, "王五", hire=hire, start=start)), dry_run="1").json
    found = [w for w in body["warnings"] if w["rule"].startswith("work_start")]
    assert [w["rule"] for w in found] == expected
    assert all(w["row"] == 2 and w["column"] == "work_start" for w in found)
    if expected == ["work_start_under_16"]:
        assert "劳动法第十五条" in found[0]["message"]
        assert "1995-07-09" in found[0]["message"]


def test_an_invalid_spouse_id_is_said_not_dropped(api, world):
    plan = flow.create(api("clerk"), {}, title="双职工方案")
    wrong = WIFE[:-1] + ("0" if WIFE[-1] != "0" else "1")
    body = put(api("clerk"), plan["id"], roster(row(HUSBAND, "张伟", spouse=wrong)), dry_run="1").json
    (warning,) = rules(body, "spouse_id_invalid")
    assert (warning["row"], warning["column"], warning["value"]) == (2, "配偶身份证号", wrong)
    assert "无法据此识别双职工夫妻" in warning["message"]
