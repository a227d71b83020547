"""The audit trail pages: filters, paging, CSV/XLSX exports of exactly the filtered rows, the chain
verification, and the reader's region."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from flask.globals import _cv_app
from openpyxl import load_workbook
from sqlalchemy import func, insert, select, text

from app.extensions import db
from approvals import audit
from approvals.models import AuditCheckpoint, AuditEvent
from approvals.roster.workbook import neutralise
from tests import flow
from tests.ui.html_tables import row_attributes, table_rows, text_of

CHINA = ZoneInfo("Asia/Shanghai")
PLAN_COLUMN, ACTION_COLUMN, ENTERPRISE_COLUMN, PERSON_COLUMN, TIME_COLUMN = 5, 4, 6, 2, 1


@pytest.fixture
def plans(api, world, complete_content):
    """A steel plan (唐山) voted through the congress, and a small firm's draft (邢台)."""
    clerk = api("clerk")
    steel = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, steel["id"])
    flow.vote(api("union"), steel["id"], steel["content_hash"])
    small = api("clerk_small").post("/plans", json={"title": "沙河玻璃职工安置方案", "content": {}}).json
    return {"steel": steel["id"], "small": small["id"]}


def rows(browser_, url: str) -> list[list[str]]:
    response = browser_.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return table_rows(response.get_data(as_text=True), "trail")


def all_pages(browser_, url: str) -> list[list[str]]:
    """Every row the filter finds, page after page, as many as the page says there are."""
    first = browser_.get(url).get_data(as_text=True)
    total = int(text_of(first, "trail-count").removeprefix("共 ").removesuffix(" 条记录").replace(",", ""))
    found, page = table_rows(first, "trail"), 1
    while len(found) < total:
        page += 1
        found += rows(browser_, f"{url}&page={page}")
    return found


def _collapse(cells: list[str]) -> list[str]:
    return [" ".join(cell.split()) for cell in cells]


def test_filters_by_person_enterprise_action_and_date(browser, plans, world):
    supervisor = browser("supervisor")
    everything = rows(supervisor, "/audit?")
    assert {row[ENTERPRISE_COLUMN] for row in everything} == {"迁安钢铁", "沙河玻璃"}

    by_union = rows(supervisor, "/audit?person=union")
    assert [row[ACTION_COLUMN] for row in by_union] == ["录入职代会表决结果", *["上传职代会会议材料"] * 3]
    assert by_union[0][PERSON_COLUMN] == "union"

    small = rows(supervisor, f"/audit?enterprise={world.small.id}")
    assert [(row[ACTION_COLUMN], row[PLAN_COLUMN]) for row in small] == [("创建方案", "沙河玻璃职工安置方案")]

    submitted = rows(supervisor, "/audit?action=plan.submitted")
    assert [(row[ACTION_COLUMN], row[ENTERPRISE_COLUMN]) for row in submitted] == [("提交方案", "迁安钢铁")]

    # the days in China the events fell on, read from the trail (a run may cross midnight in China)
    days = sorted({date.fromisoformat(row[TIME_COLUMN][:10]) for row in everything})
    for day in days:
        on_day = [row for row in everything if row[TIME_COLUMN].startswith(day.isoformat())]
        assert rows(supervisor, f"/audit?date_from={day}&date_to={day}") == on_day
    assert rows(supervisor, f"/audit?date_from={days[-1] + timedelta(days=1)}") == []
    assert rows(supervisor, f"/audit?date_to={days[0] - timedelta(days=1)}") == []


def test_the_filter_form_as_a_browser_sends_it_with_no_enterprise_chosen(browser, plans):
    supervisor = browser("supervisor")
    form = lxml.html.fromstring(supervisor.get("/audit").get_data(as_text=True)).xpath(
        "//form[@data-testid='trail-filter']"
    )[0]
    sent = dict(form.form_values())  # what the browser sends: every field, "all enterprises" selected
    sent["person"] = "union"
    found = rows(supervisor, f"/audit?{urlencode(sent)}")
    assert [row[ACTION_COLUMN] for row in found] == ["录入职代会表决结果", *["上传职代会会议材料"] * 3]


def test_dates_are_days_in_china_time(browser, plans):
    # 2026-01-01 17:30 UTC is 2026-01-02 01:30 in Beijing: it belongs to 2 January.
    first = db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plans["small"])).one()
    first.occurred_at = datetime(2026, 1, 1, 17, 30)
    db.session.commit()
    supervisor = browser("supervisor")
    assert [r[0] for r in rows(supervisor, "/audit?date_from=2026-01-02&date_to=2026-01-02")] == [str(first.id)]
    assert rows(supervisor, "/audit?date_from=2026-01-01&date_to=2026-01-01") == []
    assert rows(supervisor, "/audit?date_from=2026-01-02&date_to=2026-01-02")[0][1] == "2026-01-02 01:30:00"


def test_a_range_that_ends_before_it_starts_is_refused_naming_the_field(browser, plans):
    response = browser("supervisor").get("/audit?date_from=2026-03-02&date_to=2026-03-01")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "截止日期：结束日期不得早于开始日期。" in page
    assert 'value="2026-03-02"' in page  # the input is kept
    assert table_rows(page, "trail") == []


def test_the_trail_is_paged_on_the_server(app, browser, plans):
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.plan_id.is_not(None)))
    app.config["PAGE_SIZE"] = 3
    try:
        supervisor = browser("supervisor")
        first = supervisor.get("/audit?").get_data(as_text=True)
        assert f"共 {total} 条记录" in first
        assert len(table_rows(first, "trail")) == 3
        assert f"第 1 / {-(-total // 3)} 页" in first
        every = all_pages(supervisor, "/audit?")
    finally:
        app.config["PAGE_SIZE"] = 50
    assert len(every) == total
    assert len({row[0] for row in every}) == total  # no row twice
    ids = [int(row[0]) for row in every]
    assert ids == sorted(ids, reverse=True)  # newest first


def test_csv_and_xlsx_exports_hold_exactly_the_filtered_rows(app, browser, plans, world):
    app.config["PAGE_SIZE"] = 2  # the page shows a few; the export holds every filtered row
    query = f"enterprise={world.steel.id}&person=clerk"
    try:
        supervisor = browser("supervisor")
        shown = all_pages(supervisor, f"/audit?{query}")
        csv_response = supervisor.get(f"/audit/export.csv?{query}")
        xlsx_response = supervisor.client.get(f"/audit/export.xlsx?{query}")
    finally:
        app.config["PAGE_SIZE"] = 50
    evidence = ["上传资金证明材料"] * 2  # one file per funding source (tests/flow.create)
    assert [r[ACTION_COLUMN] for r in shown] == ["提交方案", *evidence, "修改方案", "导入职工实名制台账", "创建方案"]

    assert csv_response.status_code == 200
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset said once
    assert "attachment" in csv_response.headers["Content-Disposition"]
    body = csv_response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    header, *exported = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[:3] == ["记录编号", "时间", "人员"]
    assert [_collapse(r) for r in exported] == [[neutralise(c) for c in r] for r in shown]

    sheet = load_workbook(io.BytesIO(xlsx_response.get_data()), read_only=True).active
    cells = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == header
    assert [_collapse(r) for r in cells[1:]] == [[neutralise(c) for c in r] for r in shown]


def test_a_cell_that_starts_like_a_formula_is_exported_as_text(browser, api, world):
    title = '=HYPERLINK("http://evil.example","点此")'
    plan = api("clerk").post("/plans", json={"title": title, "content": {}}).json
    supervisor = browser("supervisor")
    assert rows(supervisor, f"/audit?plan={plan['id']}")[0][PLAN_COLUMN] == title  # shown as typed
    exported = list(
        csv.reader(io.StringIO(supervisor.get(f"/audit/export.csv?plan={plan['id']}").get_data(as_text=True)))
    )
    assert exported[1][PLAN_COLUMN] == "'" + title
    book = load_workbook(io.BytesIO(supervisor.client.get(f"/audit/export.xlsx?plan={plan['id']}").get_data()))
    cell = book.active.cell(row=2, column=PLAN_COLUMN + 1)
    assert cell.data_type == "s"  # text, never a formula
    assert cell.value == "'" + title


def test_a_supervisor_sees_only_the_plans_of_their_region(browser, plans, world):
    other = browser("supervisor_other")  # 邢台市: covers 沙河, not 迁安
    mine = rows(other, "/audit?")
    assert mine
    assert {row[ENTERPRISE_COLUMN] for row in mine} == {"沙河玻璃"}
    assert other.get(f"/audit?plan={plans['steel']}").status_code == 404
    assert other.get(f"/audit?enterprise={world.steel.id}").status_code == 404
    assert other.get(f"/audit/export.csv?plan={plans['steel']}").status_code == 404
    exported = other.get("/audit/export.csv").get_data(as_text=True)
    assert "迁安钢铁" not in exported
    assert "沙河玻璃" in exported
    enterprises = other.get("/audit").get_data(as_text=True)
    assert f'<option value="{world.small.id}"' in enterprises
    assert f'<option value="{world.steel.id}"' not in enterprises
    # The province's supervisor sees the steel plan's events.
    assert rows(browser("supervisor"), f"/audit?plan={plans['steel']}")


def test_only_supervisors_and_administrators_read_the_trail(browser, plans):
    for name in ("clerk", "union", "reviewer", "wg"):
        user = browser(name)
        for url in ("/audit", "/audit/export.csv", "/audit/export.xlsx", "/audit/verify"):
            response = user.get(url)
            assert response.status_code == 403, (name, url)
            assert "审计记录仅限督查人员或系统管理员使用" in response.get_data(as_text=True)
    assert 'href="/audit"' not in browser("clerk").get("/").get_data(as_text=True)
    assert 'href="/audit"' in browser("supervisor").get("/").get_data(as_text=True)


def test_administration_is_in_the_administrators_trail_only(browser, plans):
    admin = browser("admin")
    created = rows(admin, "/audit?action=enterprise.created")
    assert sorted(row[6] for row in created) == ["", "", ""]  # no plan, no enterprise column
    assert {row[ACTION_COLUMN] for row in created} == {"新增企业"}
    assert {row[3] for row in created} == {"系统管理员"}
    assert rows(admin, f"/audit?plan={plans['steel']}")  # and every plan
    assert rows(browser("supervisor"), "/audit?action=enterprise.created") == []


def _verify_page(browser_) -> str:
    response = browser_.get("/audit/verify")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_verify_shows_the_chains_intact_then_names_the_first_tampered_row(browser, plans):
    supervisor = browser("supervisor")
    page = _verify_page(supervisor)
    assert "审计链完整。" in page
    statuses = {
        a["data-chain"]: r[3] for a, r in zip(row_attributes(page, "chains"), table_rows(page, "chains"), strict=True)
    }
    assert statuses == {f"plan:{plans['steel']}": "完整", f"plan:{plans['small']}": "完整"}

    # Someone with database access rewrites who recorded the vote.
    target = db.session.scalars(
        select(AuditEvent).where(AuditEvent.plan_id == plans["steel"], AuditEvent.action == "congress.vote_recorded")
    ).one()
    db.session.execute(text("UPDATE audit_event SET actor_name = 'someone_else' WHERE id = :id"), {"id": target.id})
    db.session.commit()

    page = _verify_page(supervisor)
    assert "审计链已被破坏。" in page
    assert "审计链完整。" not in page
    assert (
        text_of(page, "first-break")
        == f"首个异常：链 plan:{plans['steel']} 第 {target.seq} 条（记录编号 {target.id}）：记录内容与其哈希不符（已被修改）"
    )
    chains = dict(
        zip([a["data-chain"] for a in row_attributes(page, "chains")], table_rows(page, "chains"), strict=True)
    )
    assert chains[f"plan:{plans['steel']}"][3].startswith("异常")
    assert chains[f"plan:{plans['small']}"][3] == "完整"
    assert list(chains)[0] == f"plan:{plans['steel']}"  # broken chains first

    # Verification stays within the region: 邢台's supervisor neither sees nor is alarmed by 迁安's chain.
    other = _verify_page(browser("supervisor_other"))
    assert "审计链完整。" in other
    assert [a["data-chain"] for a in row_attributes(other, "chains")] == [f"plan:{plans['small']}"]


def test_verify_reports_the_signed_checkpoint(browser, plans):
    supervisor = browser("supervisor")
    page = _verify_page(supervisor)  # the administration steps that set up the world signed one each
    assert "签名有效" in page
    assert "审计链完整。" in page
    db.session.execute(text("UPDATE audit_checkpoint SET signature = :s"), {"s": "0" * 64})
    db.session.commit()
    page = _verify_page(supervisor)
    assert "检查点异常" in page
    assert "检查点签名无效（检查点已被篡改）" in page
    assert "审计链已被破坏。" in page


def test_verify_reports_that_there_is_no_checkpoint(browser, plans):
    db.session.execute(text("DELETE FROM audit_checkpoint"))
    db.session.commit()
    page = _verify_page(browser("supervisor"))
    assert "尚无签名检查点" in page
    assert "审计链已被破坏。" in page
    assert "没有任何签名检查点，却已有" in page
    assert "签名检查点记载共" in page  # the checkpoints' own head row still counts them


def test_the_administrator_downloads_the_checkpoints_to_keep_elsewhere(app, browser, plans, tmp_path):
    admin = browser("admin")
    assert 'data-testid="export-checkpoints"' in _verify_page(admin)
    assert 'data-testid="export-checkpoints"' not in _verify_page(browser("supervisor"))
    response = admin.get("/audit/checkpoints.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    stored = db.session.scalars(select(AuditCheckpoint.signature).order_by(AuditCheckpoint.seq)).all()
    assert [c["signature"] for c in data["checkpoints"]] == stored
    copy = tmp_path / "checkpoints.json"
    copy.write_bytes(response.get_data())
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--against", str(copy)])
    assert result.exit_code == 0, result.output
    assert browser("supervisor").get("/audit/checkpoints.json").status_code == 403


@contextmanager
def as_a_server_runs_requests() -> Iterator[None]:
    """Without the tests' own application context, each request pushes one of its own and tears it
    down (the database session with it) when the view returns, before a streamed body is read."""
    context = _cv_app.get()
    context.pop()
    try:
        yield
    finally:
        context.push()


def test_the_exports_hold_every_row_of_a_long_trail_filtered_or_not(app, browser, plans, world):
    """2,500 more events than a page of the database driver: every one exported, once, newest first
    (PostgreSQL: the download goes on after the view has returned, so it must not lean on a cursor)."""
    chain = audit.plan_chain(plans["steel"])
    seq = db.session.scalar(select(func.max(AuditEvent.seq)).where(AuditEvent.chain == chain))
    start = datetime(2026, 1, 1)
    db.session.execute(
        insert(AuditEvent),
        [
            {"chain": chain, "seq": seq + i, "plan_id": plans["steel"], "actor_id": world.users["clerk"].id,
             "actor_name": "clerk", "actor_role": "enterprise", "action": "plan.updated", "summary": {"n": i},
             "remote_addr": "203.0.113.9", "occurred_at": start + timedelta(seconds=i // 7),  # ties across batches
             "prev_hash": "0" * 64, "hash": "0" * 64}
            for i in range(1, 2501)
        ],
    )  # fmt: skip
    db.session.commit()
    reader = browser("admin")
    exports, filtered = {}, f"enterprise={world.steel.id}&person=clerk&action=plan.updated"
    with as_a_server_runs_requests():  # each body read to its end before the next request, as a server does
        for query in ("", filtered):
            csv_response = reader.client.get(f"/audit/export.csv?{query}")
            csv_body = csv_response.get_data()
            xlsx_body = reader.client.get(f"/audit/export.xlsx?{query}").get_data()
            exports[query] = (csv_response.status_code, csv_body, xlsx_body)
    for query, expected in (
        ("", select(func.count()).select_from(AuditEvent)),
        (filtered, select(func.count()).where(AuditEvent.action == "plan.updated", AuditEvent.actor_name == "clerk")),
    ):  # fmt: skip
        status, csv_body, xlsx_body = exports[query]
        assert status == 200
        _header, *exported = list(csv.reader(io.StringIO(csv_body.decode("utf-8-sig"))))
        ids = [int(row[0]) for row in exported]
        assert len(ids) == db.session.scalar(expected) >= 2500, query
        assert len(set(ids)) == len(ids)
        times = [row[1] for row in exported]
        assert times == sorted(times, reverse=True)
        sheet = load_workbook(io.BytesIO(xlsx_body), read_only=True)
        assert sum(1 for _row in sheet.active.iter_rows(values_only=True)) == len(ids) + 1
