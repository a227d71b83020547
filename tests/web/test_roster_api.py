"""The roster over the API: two-step import, every problem by row/column/rule, history, 数据比对."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from approvals.demo import make_resident_id
from approvals.models import RosterWorker, RosterWorkerChange
from tests import flow
from tests.conftest import reload

HEADER = ["公民身份号码", "姓名", "入企时间", "安置渠道", "月平均工资", "劳动模范", "书面说明", "孕期哺乳期"]


def rid(n: int, year: int = 1980, region: str = "130283") -> str:
    return make_resident_id(region, date(year, 1 + n % 12, 1 + n % 28), n)


def csv_bytes(rows: list[list[str]], encoding: str = "gbk", header: list[str] = HEADER) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def worker(n: int, channel: str = "转岗培训", **extra: str) -> list[str]:
    row = {"id": rid(n), "name": f"职工{n}", "hire": "2008-03-01", "channel": channel, "wage": "4500",
           "model": "无", "why": "", "pregnant": "否"} | extra  # fmt: skip
    return list(row.values())


def put(client, plan_id: int, data: bytes, name: str = "名单.csv", **params: str):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.put(f"/plans/{plan_id}/roster?{query}", data={"file": (io.BytesIO(data), name)},
                      content_type="multipart/form-data")  # fmt: skip


@pytest.fixture
def plan(api, world):
    return flow.create(api("clerk"), {}, title="名单测试方案")


def count(plan_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(RosterWorker).where(RosterWorker.plan_id == plan_id))


def test_dry_run_reports_every_problem_and_saves_nothing(api, plan):
    bad_id = rid(3)[:-1] + ("0" if rid(3)[-1] != "0" else "1")
    data = csv_bytes([worker(1), worker(2), [bad_id, "职工3", "2008-03-01", "转岗培训", "4500", "无", "", "否"],
                      worker(1), worker(5, channel="搬家")])  # fmt: skip
    response = put(api("clerk"), plan["id"], data, dry_run="1")
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["accepted"], body["rejected"], body["committed"]) == (2, 3, False)
    found = {(e["row"], e["rule"]) for e in body["errors"]}
    assert {(4, "check_character"), (5, "duplicate_in_file"), (6, "choice")} <= found
    assert next(e for e in body["errors"] if e["row"] == 4)["value"] == bad_id
    assert count(plan["id"]) == 0


def test_a_file_with_errors_is_refused_whole_unless_valid_rows_are_chosen(api, plan):
    data = csv_bytes([worker(1), worker(2), ["123", "坏", "2008-03-01", "转岗培训", "4500", "无", "", "否"]])
    refused = put(api("clerk"), plan["id"], data)
    assert refused.status_code == 422
    assert refused.json["error"] == "roster_invalid"
    assert count(plan["id"]) == 0
    accepted = put(api("clerk"), plan["id"], data, accept_valid="1")
    assert accepted.status_code == 200
    assert (accepted.json["committed"], accepted.json["added"]) == (True, 2)
    assert count(plan["id"]) == 2


def test_reimport_updates_by_id_and_keeps_history(api, plan):
    clerk = api("clerk")
    assert put(clerk, plan["id"], csv_bytes([worker(1), worker(2), worker(3)])).status_code == 200
    again = put(clerk, plan["id"], csv_bytes([worker(1), worker(2, channel="自主创业"), worker(4)]))
    assert (again.json["added"], again.json["updated"], again.json["removed"]) == (1, 1, 1)
    changes = {(c.id_number, c.change, c.before["channel"]) for c in db.session.scalars(select(RosterWorkerChange))}
    assert changes == {(rid(2), "updated", "transfer_training"), (rid(3), "removed", "transfer_training")}
    page = clerk.get(f"/plans/{plan['id']}/roster?channel=self_employment").json
    assert [w["id_number"] for w in page["items"]] == [rid(2)]
    audit = clerk.get(f"/plans/{plan['id']}/audit").json["items"]
    assert audit[-1]["action"] == "roster.imported"
    assert audit[-1]["summary"]["updated"] == 1


def test_statutory_immunity_refuses_and_protected_groups_warn(api, plan):
    header = [*HEADER, "解除或终止劳动合同依据"]
    data = csv_bytes([
        worker(1, channel="依法解除劳动合同", pregnant="是", ground="经济性裁员"),
        worker(2, channel="依法解除劳动合同", model="国家级", ground=""),
        worker(3, channel="依法解除劳动合同", model="省部级", why="本人书面申请解除，已另行安置配偶。", ground=""),
    ], header=header)  # fmt: skip
    body = put(api("clerk"), plan["id"], data, dry_run="1").json
    assert [(e["row"], e["rule"]) for e in body["errors"]] == [(2, "art42_pregnancy")]
    protected = [w for w in body["warnings"] if w["rule"] == "protected_group_termination"]
    assert [(w["row"], w["justified"]) for w in protected] == [(3, False), (4, True)]


def test_article_42_refuses_only_dismissals_and_asks_a_justification_for_agreement_or_closure(api, plan):
    """劳动合同法第四十二条 forbids only the dismissals of Arts 40 and 41; under Art 36 (the plan's default
    ground here) or Art 44(4)/(5) a protected worker's row is a warning that the 书面说明 column answers."""
    header = [*HEADER, "解除/终止劳动合同依据"]
    data = csv_bytes([
        worker(1, channel="依法解除劳动合同", pregnant="是", ground="第40条第3项"),
        worker(2, channel="依法解除劳动合同", pregnant="是", ground=""),
        worker(3, channel="依法解除劳动合同", pregnant="是", ground="破产", why="破产裁定（2018）冀02破1号；延续哺乳期待遇"),
        worker(4, channel="依法解除劳动合同", ground="被上级撤掉"),
        worker(5, channel="转岗培训", ground="破产"),
    ], header=header)  # fmt: skip
    body = put(api("clerk"), plan["id"], data, dry_run="1").json
    assert [(e["row"], e["rule"]) for e in body["errors"]] == [(2, "art42_pregnancy"), (5, "choice")]
    unknown = body["errors"][1]["message"]
    assert "被上级撤掉" in unknown
    assert "协商一致（第三十六条）" in unknown
    assert "宣告破产（第四十四条第四项）" in unknown
    lawful = [w for w in body["warnings"] if w["rule"] == "art42_lawful_end"]
    assert [(w["row"], w["justified"]) for w in lawful] == [(3, False), (4, True)]
    assert "书面协议" in lawful[0]["message"]
    assert "破产的裁定" in lawful[1]["message"]
    assert lawful[1]["value"] == "破产裁定（2018）冀02破1号；延续哺乳期待遇"  # the justification kept with the warning
    unused = [(w["row"], w["value"]) for w in body["warnings"] if w["rule"] == "termination_ground_unused"]
    assert unused == [(6, "宣告破产（第四十四条第四项）")]  # a transfer ends no contract: said, not dropped


def test_the_same_person_in_another_enterprise_is_flagged_without_saying_where(api, world, plan):
    other = flow.create(api("clerk_small"), {}, title="沙河方案")
    shared = worker(7)
    assert put(api("clerk_small"), other["id"], csv_bytes([shared])).status_code == 200
    body = put(api("clerk"), plan["id"], csv_bytes([shared, worker(8)]), dry_run="1").json
    matches = [w for w in body["warnings"] if w["rule"] == "data_match_other_enterprise"]
    assert len(matches) == 1
    assert "*" in matches[0]["value"]
    assert world.small.name not in str(body)
    # its row and worker in this plan, nothing of the other plan
    assert matches[0]["message"] == "第2行（职工7）：数据比对：该职工同时出现在其他企业的安置方案中，请核实劳动关系。"


def test_mass_layoff_is_detected(api, plan):
    data = csv_bytes([worker(n, channel="依法解除劳动合同") for n in range(20)])
    body = put(api("clerk"), plan["id"], data, dry_run="1").json
    assert body["mass_layoff"] is True
    assert any(w["rule"] == "mass_layoff" and "三十日" in w["message"] for w in body["warnings"])
    few = put(
        api("clerk"), plan["id"], csv_bytes([worker(n, channel="依法解除劳动合同") for n in range(3)]), dry_run="1"
    )
    assert few.json["mass_layoff"] is False  # 3 of 1,200 workers


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(api, plan, encoding):
    body = put(api("clerk"), plan["id"], csv_bytes([worker(1), worker(2)], encoding), dry_run="1").json
    assert (body["accepted"], body["rejected"]) == (2, 0)


@pytest.mark.parametrize(
    ("data", "name", "rule"),
    [
        (b"", "a.csv", "empty_file"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "a.xlsx", "unsupported_format"),
        (b"PK\x03\x04broken", "a.xlsx", "corrupt"),
        ("姓名,年龄\n张三,40\n".encode(), "a.csv", "no_header"),
    ],
)
def test_malformed_files_are_422_and_lose_nothing(api, plan, data, name, rule):
    clerk = api("clerk")
    assert put(clerk, plan["id"], csv_bytes([worker(1)])).status_code == 200
    response = put(clerk, plan["id"], data, name=name)
    assert response.status_code == 422
    assert response.json["details"][0]["rule"] in {rule, "missing_required", "unreadable"}
    assert count(plan["id"]) == 1


def test_only_the_enterprise_may_import_and_only_while_drafting(api, world, complete_content, plan):
    data = csv_bytes([worker(1)])
    assert put(api("union"), plan["id"], data, dry_run="1").status_code == 403
    assert put(api("clerk_small"), plan["id"], data, dry_run="1").status_code == 404
    submitted = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), submitted["id"])
    assert put(api("clerk"), submitted["id"], data, dry_run="1").status_code == 409


def test_export_neutralises_formulas_and_keeps_ids_as_text(api, plan):
    clerk = api("clerk")
    assert put(clerk, plan["id"], csv_bytes([worker(1, name="=HYPERLINK(1)")])).status_code == 200
    response = clerk.get(f"/plans/{plan['id']}/roster/export")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [cell.value for cell in sheet[2]]
    assert rid(1) in values
    assert "'=HYPERLINK(1)" in values


def test_template_has_the_headers_and_drop_downs(api, world):
    response = api("clerk").get("/roster-template")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert {"公民身份号码", "姓名", "入企时间", "安置渠道"} <= set(headers)
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation]
    assert any("转岗培训" in (f or "") for f in lists)
    assert len(book.worksheets) == 2


def test_reimporting_a_file_with_a_duplicate_id_counts_that_worker_once(api, plan):
    clerk = api("clerk")
    data = csv_bytes([worker(1), worker(2), worker(1)])  # the last row repeats the first's ID: rejected
    for _ in range(2):
        response = put(clerk, plan["id"], data, accept_valid="1")
        assert (response.status_code, response.json["accepted"], response.json["rejected"]) == (200, 2, 1)
    summary = reload(plan["id"]).roster_summary
    assert (summary["workers"], summary["in_scope"]) == (2, 2)
