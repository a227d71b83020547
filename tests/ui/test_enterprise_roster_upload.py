"""The roster upload page: check (dry run) with the full report, then commit — all, or only the valid rows."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from approvals.demo import make_resident_id, sample_content
from approvals.models import RosterWorker
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import actions, block, field_value, rules

HEADER = ["公民身份号码", "姓名", "入企时间", "安置渠道", "月平均工资", "劳动模范", "书面说明"]


def rid(n: int) -> str:
    return make_resident_id("130283", date(1980, 1 + n % 12, 1 + n % 28), n)


def worker(n: int, channel: str = "转岗培训", model: str = "无", why: str = "") -> list[str]:
    return [rid(n), f"职工{n}", "2008-03-01", channel, "4500", model, why]


def csv_file(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("gbk")


@pytest.fixture
def stash(app, tmp_path: Path):
    before = dict(app.config)
    app.config["UPLOAD_STASH_DIR"] = tmp_path / "uploads"
    yield tmp_path / "uploads"
    app.config.update(before)


@pytest.fixture
def plan(api, world):
    return flow.create(api("clerk"), sample_content(world.steel))


def upload(client, plan_id: int, data: bytes, name: str = "职工名单.csv"):
    client.get(f"/plans/{plan_id}/roster/upload")
    return client.post(f"/plans/{plan_id}/roster/upload", {"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")  # fmt: skip


def workers(plan_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(RosterWorker).where(RosterWorker.plan_id == plan_id)) or 0


def commit(client, plan_id: int, page: str, **extra: str):
    return client.post(f"/plans/{plan_id}/roster/commit", {"sha256": field_value(page, "sha256") or "", **extra})


def test_the_report_shows_each_row_error_and_nothing_is_saved_until_the_clerk_commits(browser, plan, stash):
    clerk = browser("clerk")
    bad = rid(3)[:-1] + ("0" if rid(3)[-1] != "0" else "1")
    response = upload(
        clerk, plan["id"], csv_file([worker(1), worker(2), [bad, "职工3", "2008-03-01", "转岗培训", "4500", "无", ""]])
    )
    assert response.status_code == 302
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert block(page, "accepted") == "2"
    assert block(page, "rejected") == "1"
    issues = block(page, "issues")
    assert "4" in issues
    assert "公民身份号码" in issues
    assert 'data-rule="check_character"' in page  # the rule is marked on its row, said in words
    assert "check_character" not in issues
    assert bad in issues
    # Nothing saved by the check: no worker, same content hash, no event.
    assert workers(plan["id"]) == 0
    assert reload(plan["id"]).content_hash == plan["content_hash"]
    assert actions(plan["id"]) == ["plan.created"]
    assert len(list(stash.glob("*.bin"))) == 1  # the file waits on the server, not in the browser
    # Committing a file with errors without choosing "only the valid rows" saves nothing either.
    refused = commit(clerk, plan["id"], page)
    assert refused.status_code == 302
    again = clerk.get(refused.headers["Location"]).get_data(as_text=True)
    assert "名单有 1 行存在错误，未导入任何数据" in again
    assert workers(plan["id"]) == 0
    # The explicit choice: only the valid rows.
    done = commit(clerk, plan["id"], again, accept_valid="y")
    assert "职工名单已导入：有效 2 行" in clerk.get(done.headers["Location"]).get_data(as_text=True)
    assert workers(plan["id"]) == 2
    assert actions(plan["id"])[-1] == "roster.imported"
    assert reload(plan["id"]).content_hash != plan["content_hash"]
    assert list(stash.iterdir()) == []  # the kept file is deleted once committed


def test_a_clean_file_is_committed_with_one_click(browser, plan, stash):
    clerk = browser("clerk")
    upload(clerk, plan["id"], csv_file([worker(n) for n in range(1, 6)]))
    page = clerk.get(f"/plans/{plan['id']}/roster/upload").get_data(as_text=True)
    assert "确认导入 5 行" in page
    commit(clerk, plan["id"], page)
    assert workers(plan["id"]) == 5
    after = clerk.get(f"/plans/{plan['id']}/roster/upload").get_data(as_text=True)
    assert "共 5 人" in block(after, "current-roster")
    # The plan says 20 workers to place: the roster's count is checked against it.
    assert "纳入安置范围的名单人数（5）应等于需安置职工数（20）" in block(after, "roster-findings")


def test_an_unreadable_file_is_refused_beside_the_file_field(browser, plan, stash):
    clerk = browser("clerk")
    response = upload(clerk, plan["id"], b"PK\x03\x04 not really a workbook", name="名单.xlsx")
    assert response.status_code == 422
    assert rules(response.get_data(as_text=True), "error-file")  # the refusal's rule is marked, not shown
    assert "规则" not in block(response.get_data(as_text=True), "error-file")
    assert list(stash.glob("*.bin")) == []
    missing = clerk.post(f"/plans/{plan['id']}/roster/upload", {}, content_type="multipart/form-data")
    assert "请选择要上传的职工名单文件" in block(missing.get_data(as_text=True), "error-file")
    assert rules(missing.get_data(as_text=True), "error-file") == ["file_required"]


def test_a_protected_workers_termination_needs_a_written_justification(browser, plan, stash):
    clerk = browser("clerk")
    rows = [
        worker(1),
        worker(2, channel="依法解除劳动合同", model="省部级"),
        worker(4, channel="依法解除劳动合同", model="国家级", why="本人申请，已书面确认"),
    ]
    upload(clerk, plan["id"], csv_file(rows))
    page = clerk.get(f"/plans/{plan['id']}/roster/upload?show=warnings").get_data(as_text=True)
    warnings = block(page, "issues")
    assert "protected_group_termination" in rules(page, "issues")
    assert "protected_group_termination" not in warnings
    assert "须填写" in warnings
    assert "已填写" in warnings


def test_commit_without_a_kept_upload_or_after_expiry_saves_nothing(app, browser, plan, stash):
    clerk = browser("clerk")
    clerk.get(f"/plans/{plan['id']}/roster/upload")
    nothing = clerk.post(f"/plans/{plan['id']}/roster/commit", {"sha256": "0" * 64})
    assert "待导入的文件已过期" in clerk.get(nothing.headers["Location"]).get_data(as_text=True)
    upload(clerk, plan["id"], csv_file([worker(1)]))
    page = clerk.get(f"/plans/{plan['id']}/roster/upload").get_data(as_text=True)
    app.config["UPLOAD_STASH_MAX_AGE"] = -1  # everything kept is now too old
    expired = commit(clerk, plan["id"], page)
    assert "待导入的文件已过期" in clerk.get(expired.headers["Location"]).get_data(as_text=True)
    assert workers(plan["id"]) == 0
    assert list(stash.iterdir()) == []


def test_a_long_report_is_paged(browser, plan, stash):
    clerk = browser("clerk")
    rows = [[f"12345{n}", f"职工{n}", "2008-03-01", "转岗培训", "4500", "无", ""] for n in range(30)]
    upload(clerk, plan["id"], csv_file(rows))
    first = clerk.get(f"/plans/{plan['id']}/roster/upload").get_data(as_text=True)
    errors = int(block(first, "error-count"))
    assert errors > 50
    assert "第 1 / 2 页" in first
    assert "第31行" not in block(first, "issues")
    second = clerk.get(f"/plans/{plan['id']}/roster/upload?show=errors&page=2").get_data(as_text=True)
    assert "第 2 / 2 页" in second
    assert "第31行" in block(second, "issues")  # the last data row (the header is row 1)


def test_the_template_and_the_current_roster_download_as_workbooks(browser, api, world, complete_content):
    planned = flow.create(api("clerk"), complete_content(world.steel, workers=6))
    clerk = browser("clerk")
    template = clerk.client.get("/roster-template.xlsx")
    assert template.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "公民身份号码" in [c.value for c in load_workbook(io.BytesIO(template.data)).worksheets[0][1]]
    export = clerk.client.get(f"/plans/{planned['id']}/roster.xlsx")
    sheet = load_workbook(io.BytesIO(export.data)).worksheets[0]
    assert sheet.max_row == 7  # header and six workers
    assert browser("clerk_small").client.get(f"/plans/{planned['id']}/roster.xlsx").status_code == 404


def test_only_the_enterprises_clerk_may_upload(browser, plan, stash):
    union = browser("union")
    assert union.get(f"/plans/{plan['id']}/roster/upload").status_code == 403
    response = union.post(f"/plans/{plan['id']}/roster/upload", {"file": (io.BytesIO(csv_file([worker(1)])), "a.csv")},
                          content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 403
    assert list(stash.glob("*.bin")) == []


def test_the_report_lists_the_columns_it_will_not_import_before_the_commit(browser, plan, stash):
    """Issue 11 §4: an unrecognised or headerless column is said on the page, never dropped silently."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[*HEADER, "所在车间", ""], [*worker(1), "一车间", "手写备注"]])
    clerk = browser("clerk")
    response = upload(clerk, plan["id"], buffer.getvalue().encode("gbk"))
    assert response.status_code == 302
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    skipped = block(page, "skipped-columns")
    assert "第H列“所在车间”未被识别，其内容不会导入。" in skipped
    assert "第I列没有表头，其内容不会导入。" in skipped
