"""Issue 11 §4: the roster reader drops nothing it does not understand. The HR columns for the facts the rules
need (劳动合同法 Art 42 and 44(2), 冀人社发〔2018〕38号 §二) are read; every other column is reported."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.models import RosterWorker
from approvals.rules.roster import RosterSummary
from tests import flow
from tests.conftest import reload
from tests.web.test_roster_api import csv_bytes, put, rid

HR_HEADER = ["公民身份号码", "姓名", "入企时间", "安置渠道", "月平均工资", "特殊情形", "劳动关系状态", "是否领取基本养老金",
             "所在车间"]  # fmt: skip


def hr_worker(n: int, channel: str = "依法解除劳动合同", situation: str = "", status: str = "在岗",
              pension: str = "否") -> list[str]:  # fmt: skip
    return [rid(n), f"职工{n}", "2008-03-01", channel, "4500", situation, status, pension, "一车间"]


@pytest.fixture
def plan(api, world):
    # The plan's ground for ending contracts, the rows' default: an economic layoff (劳动合同法第四十一条),
    # which Art 42 forbids for the workers it protects.
    return flow.create(api("clerk"), {"severance": {"termination_ground": "economic_layoff"}}, title="名单测试方案")


def hr_file() -> bytes:
    return csv_bytes([
        hr_worker(1, situation="孕期"),  # Art 42(4)
        hr_worker(2, situation="工伤"),  # Art 42(2)
        hr_worker(3, pension="是"),  # Art 44(2): ends, no severance
        hr_worker(4, channel="", status="已解除"),  # 冀38号 §二: out of scope, no channel needed
        hr_worker(5, situation="无"),
    ], header=HR_HEADER)  # fmt: skip


def test_hr_columns_refuse_the_pregnant_and_injured_and_flag_the_pensioner(api, plan):
    """劳动合同法 Art 42: 孕期 and 工伤 given in 特殊情形 refuse termination; Art 44(2): 是否领取基本养老金 = 是 is flagged."""
    body = put(api("clerk"), plan["id"], hr_file(), dry_run="1").json
    assert [(e["row"], e["rule"]) for e in body["errors"]] == [(2, "art42_pregnancy"), (3, "art42_work_injury")]
    pension = [w for w in body["warnings"] if w["rule"] == "pension_ends_contract"]
    assert [(w["row"], w["column"]) for w in pension] == [(4, "drawing_pension")]
    assert "第四十四条第二项" in pension[0]["message"]
    assert (body["accepted"], body["rejected"]) == (3, 2)


def test_unknown_columns_are_reported_in_the_dry_run_and_the_commit_answer(api, plan):
    clerk = api("clerk")
    expected = {"row": None, "column": "I", "rule": "unknown_column", "value": "所在车间",
                "message": "第I列“所在车间”未被识别，其内容不会导入。", "justified": False}  # fmt: skip
    dry = put(clerk, plan["id"], hr_file(), dry_run="1").json
    assert expected in dry["warnings"]
    committed = put(clerk, plan["id"], hr_file(), accept_valid="1").json
    assert committed["committed"] is True
    assert expected in committed["warnings"]


def test_out_of_scope_workers_are_saved_without_a_channel_and_without_severance(api, plan):
    """冀人社发〔2018〕38号 §二: 已解除劳动关系 and pensioners are counted out of the scope."""
    assert put(api("clerk"), plan["id"], hr_file(), accept_valid="1").json["added"] == 3
    saved = {w.name: w for w in db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan["id"]))}
    assert (saved["职工3"].in_scope, saved["职工3"].severance) == (False, None)
    assert (saved["职工4"].in_scope, saved["职工4"].channel) == (False, None)
    assert saved["职工5"].in_scope is True
    summary = RosterSummary.from_json(reload(plan["id"]).roster_summary)
    assert summary is not None
    assert (summary.workers, summary.in_scope, summary.excluded, summary.terminations) == (3, 1, 2, 1)
