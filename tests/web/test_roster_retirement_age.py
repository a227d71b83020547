"""Issue 11 §2: the retirement age of each worker in the roster.

* 国发〔1978〕104号 Art 1(二)(三): special-type posts (特殊工种) retire at men 55 / women 45 with their years in
  the post, illness retirement (病退) at men 50 / women 45; internal retirement and Art 42(5) use them.
* 全国人大常委会关于实施渐进式延迟法定退休年龄的决定 (adopted 2024-09-13): plans dated from its adoption use
  the raised ages.
* 劳动合同法第四十四条第二项 and 实施条例第二十一条: a worker at or past the statutory age is flagged; the
  contract ends and no severance is owed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.demo import make_resident_id, sample_content
from approvals.models import RosterWorker
from approvals.rules.roster import RosterSummary
from tests import flow
from tests.conftest import reload
from tests.web.test_roster_api import csv_bytes, put

HEADER = ["公民身份号码", "姓名", "入企时间", "安置渠道", "月平均工资", "岗位类别", "特殊工种年限", "本人同意内退",
          "签订内退协议"]  # fmt: skip


def row(n: int, birth: date, channel: str, post: str = "", years: str = "", consent: str = "") -> list[str]:
    return [make_resident_id("130283", birth, n), f"职工{n}", "1990-03-01", channel, "4500", post, years, consent,
            consent]  # fmt: skip


@pytest.fixture
def plan(api, world):
    """A complete plan without its roster, reference date (基准日) 2018-07-31: the 1978 ages apply."""
    return flow.create(api("clerk"), sample_content(world.steel), title="退休年龄测试方案")


def by_rule(found: list[dict]) -> dict[str, list[int]]:
    rules: dict[str, list[int]] = {}
    for issue in found:
        rules.setdefault(issue["rule"], []).append(issue["row"])
    return rules


def test_the_rows_say_what_the_retirement_age_needs(api, plan):
    rows = [  # the serial's last digit gives the sex: odd a man, even a woman
        row(2, date(1970, 3, 1), "转岗培训"),  # row 2: a woman without post category
        row(3, date(1975, 3, 1), "转岗培训", "井下"),  # row 3: special-type post, years not given
        row(5, date(1975, 3, 1), "转岗培训", "高温", "5"),  # row 4: too few years: the normal age
        row(6, date(1975, 3, 1), "转岗培训", "因病提前退休"),  # row 5: illness retirement
        row(7, date(1970, 3, 1), "转岗培训", "坐办公室"),  # row 6: not a post category
        row(9, date(1970, 3, 1), "转岗培训"),  # row 7: a man needs no post category
    ]
    body = put(api("clerk"), plan["id"], csv_bytes(rows, header=HEADER), dry_run="1").json
    warnings = by_rule(body["warnings"])
    assert warnings == {"post_category_missing": [2], "special_type_years_missing": [3],
                        "special_type_years_short": [4], "illness_retirement_appraisal": [5]}  # fmt: skip
    missing = next(w for w in body["warnings"] if w["rule"] == "post_category_missing")
    assert missing["column"] == "post_category"
    assert "暂按工人岗50周岁估算" in missing["message"]
    [error] = body["errors"]
    assert (error["row"], error["column"], error["value"]) == (6, "岗位类别", "坐办公室")
    assert "特殊工种·井下" in error["message"]
    assert "因病完全丧失劳动能力（病退）" in error["message"]


def test_a_52_year_old_underground_miner_may_take_internal_retirement(api, plan):
    """Born 1966-03 and 52 on 2018-07-31: underground work retires him at 55 (国发〔1978〕104号 Art 1(二)), within
    the five years of internal retirement; as a normal worker (60) he is not."""
    miner = row(1, date(1966, 3, 1), "企业内部退养", "井下", "12", "是")
    other = row(3, date(1966, 3, 1), "企业内部退养", "工人", "", "是")
    body = put(api("clerk"), plan["id"], csv_bytes([miner, other], header=HEADER), dry_run="1").json
    assert [(e["row"], e["rule"]) for e in body["errors"]] == [(3, "internal_retirement_window")]
    assert body["accepted"] == 1
    put(api("clerk"), plan["id"], csv_bytes([miner], header=HEADER))
    saved = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"])).one()
    assert saved.retirement_date == date(2021, 3, 1)
    assert saved.internal_retirement_cost is not None
    assert saved.internal_retirement_cost > 0


def test_a_worker_past_retirement_is_flagged_with_no_severance_and_filtered(api, plan):
    """劳动合同法第四十四条第二项, 实施条例第二十一条: 60 on 2018-05-01, before the reference date 2018-07-31."""
    retired = row(1, date(1958, 5, 1), "依法解除劳动合同")
    working = row(3, date(1970, 5, 1), "依法解除劳动合同")
    body = put(api("clerk"), plan["id"], csv_bytes([retired, working], header=HEADER)).json
    reached = [w for w in body["warnings"] if w["rule"] == "reached_retirement_age"]
    assert [(w["row"], w["value"]) for w in reached] == [(2, "2018-05-01")]
    assert "2018-05-01" not in reached[0]["message"]  # the worker's own date only in the value (personal data)
    assert "第四十四条第二项" in reached[0]["message"]
    assert "实施条例第二十一条" in reached[0]["message"]
    saved = {w.name: w for w in db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"]))}
    assert (saved["职工1"].reached_retirement, saved["职工1"].severance) == (True, Decimal("0.00"))
    assert saved["职工3"].reached_retirement is False
    assert saved["职工3"].severance is not None
    assert saved["职工3"].severance > 0
    summary = RosterSummary.from_json(reload(plan["id"]).roster_summary)
    assert summary is not None
    assert summary.reached_retirement == 1
    page = api("clerk").get(f"/plans/{plan['id']}/roster?reached_retirement=1").json
    assert [w["name"] for w in page["items"]] == ["职工1"]


def test_a_plan_dated_after_the_2025_decision_was_adopted_uses_the_raised_age(api, world):
    """A plan dated 2024-10 for a man born 1966-03: 60 years 4 months, 2026-07 (not 2026-03)."""
    content = sample_content(world.steel)
    content["severance"] = {**content["severance"], "reference_date": "2024-10-15"}
    plan = flow.create(api("clerk"), content, title="2024年方案")
    put(api("clerk"), plan["id"], csv_bytes([row(1, date(1966, 3, 1), "转岗培训")], header=HEADER))
    saved = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"])).one()
    assert saved.retirement_date == date(2026, 7, 1)


def test_art42_long_service_counts_to_the_special_type_age(api, plan):
    """劳动合同法第四十二条第五项: 15 years here and under 5 years to retirement. The underground miner born 1966-03
    retires at 55 (国发〔1978〕104号 Art 1(二)), in 2021: he is protected, a worker of 60 is not. Under the plan's
    Art 36 ground his end needs a written justification; dismissed under Art 40 it is refused (Art 42)."""
    miner = row(1, date(1966, 3, 1), "依法解除劳动合同", "井下", "12")
    other = row(3, date(1966, 3, 1), "依法解除劳动合同", "工人")
    body = put(api("clerk"), plan["id"], csv_bytes([miner, other], header=HEADER), dry_run="1").json
    assert body["errors"] == []
    assert [w["row"] for w in body["warnings"] if w["rule"] == "art42_lawful_end"] == [2]
    dismissed = csv_bytes(
        [[*miner, "第四十条第三项"], [*other, "第四十条第三项"]], header=[*HEADER, "解除/终止劳动合同依据"]
    )
    body = put(api("clerk"), plan["id"], dismissed, dry_run="1").json
    assert [(e["row"], e["rule"]) for e in body["errors"]] == [(2, "art42_long_service")]
