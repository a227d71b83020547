"""The execution ledger's pages: the enterprise records and closes, the bureau reads who is short and what is
overdue, the supervisor reads with ID numbers masked; other enterprises' users see nothing."""

from __future__ import annotations

import io
import re
from datetime import date

import lxml.html
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.demo import record_sample_vote
from approvals.execution.amendment import start_amendment
from approvals.execution.ledger import ledger_of
from approvals.execution_services.households import record_household
from approvals.execution_services.services import service_shortfalls
from approvals.models import AuditEvent, Plan, RosterWorker
from approvals.rules.resident_id import mask_id
from approvals.services.submission import submit_plan
from config import TestConfig
from tests.execution_support import drop_last_worker, wages_for
from tests.stages import plan_at
from tests.ui.forms_support import block

AMENDMENT_REASON = "职工名单更正：第20行职工已于公布前调离。"


@pytest.fixture
def executing(world) -> tuple[int, int, str, str]:  # type: ignore[no-untyped-def]
    """The steel firm's plan in execution: (plan id, a terminated worker's id, name, ID number)."""
    plan = plan_at(db.session, get_engine(), world, "executing", firm="steel")
    wages_for(db.session, "130200", 2025)
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                           RosterWorker.channel == "termination")).first()  # fmt: skip
    db.session.commit()
    return plan.id, worker.id, worker.name, worker.id_number


def _rows(page: str) -> list[str]:
    return [str(r) for r in lxml.html.fromstring(page).xpath("//table[@data-testid='ledger']/tbody/tr/@data-row")]


def test_the_clerk_records_a_part_and_the_ledger_shows_what_is_open(browser, executing):
    plan_id, worker_id, name, _number = executing
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan_id}/execution/ledger").get_data(as_text=True)
    assert len(_rows(page)) == 20
    assert "确认实施完毕" in page
    url = f"/plans/{plan_id}/execution/workers/{worker_id}"
    clerk.get(url)
    done = clerk.post(
        url, {"part": "termination", "terminated_on": "2026-11-02", "certificate_issued_on": "2026-11-02"}
    )
    assert done.status_code == 302
    page = clerk.get(url).get_data(as_text=True)
    assert "已登记：解除劳动关系及证明。" in page
    assert "clerk 于" in block(page, "entered-termination")
    open_items = block(page, "open-items")
    assert "档案转移已逾期" in open_items
    assert "劳动合同法第五十条" in open_items
    ledger = clerk.get(f"/plans/{plan_id}/execution/ledger?show=overdue").get_data(as_text=True)
    assert len(_rows(ledger)) == 1
    assert name in block(ledger, "ledger")


def test_a_refused_entry_keeps_what_was_typed_and_names_the_field(browser, executing):
    plan_id, worker_id, name, _number = executing
    clerk = browser("clerk")
    url = f"/plans/{plan_id}/execution/workers/{worker_id}"
    clerk.get(url)
    clerk.post(url, {"part": "termination", "terminated_on": "2026-11-30", "certificate_issued_on": "2026-11-30"})
    clerk.get(url)
    refused = clerk.post(url, {"part": "severance", "severance_paid": "1.00", "severance_paid_on": "2026-11-30",
                               "payment_reference": "银付<b>1</b>"})  # fmt: skip
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert name in block(page, "error-severance_paid")
    assert "1.00" in block(page, "error-severance_paid")
    assert 'value="银付&lt;b&gt;1&lt;/b&gt;"' in page  # kept, escaped


def test_closing_is_refused_on_the_page_naming_each_worker(browser, executing):
    plan_id, _worker_id, _name, _number = executing
    clerk = browser("clerk")
    clerk.get(f"/plans/{plan_id}/execution/ledger")
    refused = clerk.post(f"/plans/{plan_id}/execution/close", {"confirmed": "yes"})
    assert refused.status_code == 409
    listed = block(refused.get_data(as_text=True), "close-refused")
    first = ledger_of(db.session, db.session.get(Plan, plan_id), date.today()).rows[0]
    assert f"第 {first.row} 行（{first.worker.name}）" in listed
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan_id,
                                                       AuditEvent.action == "execution.close_refused")).first()  # fmt: skip


def test_the_bureau_reads_who_is_short_and_opens_a_record_but_records_nothing(browser, executing):
    plan_id, worker_id, _name, number = executing
    bureau = browser("reviewer")
    page = bureau.get(f"/plans/{plan_id}/execution/ledger").get_data(as_text=True)
    assert "安置去向：20人" in block(page, "short")
    assert "close-form" not in page
    assert number in page
    record = bureau.get(f"/plans/{plan_id}/execution/workers/{worker_id}")
    assert record.status_code == 200
    assert "form-termination" not in record.get_data(as_text=True)
    assert bureau.post(f"/plans/{plan_id}/execution/workers/{worker_id}", {"part": "agreement"}).status_code == 403


def test_the_supervisor_reads_the_ledger_with_id_numbers_masked_and_no_records(browser, executing):
    plan_id, worker_id, _name, number = executing
    supervisor = browser("supervisor")
    page = supervisor.get(f"/plans/{plan_id}/execution/ledger").get_data(as_text=True)
    assert number not in page
    assert mask_id(number) in page
    assert f"/execution/workers/{worker_id}" not in page
    assert supervisor.get(f"/plans/{plan_id}/execution/workers/{worker_id}").status_code == 404


@pytest.mark.parametrize("who", ["clerk_zombie", "reviewer_other", "supervisor_other"])
def test_other_enterprises_and_regions_see_nothing(browser, executing, who):
    plan_id, worker_id, _name, _number = executing
    other = browser(who)
    assert other.get(f"/plans/{plan_id}/execution/ledger").status_code == 404
    assert other.get(f"/plans/{plan_id}/execution/workers/{worker_id}").status_code == 404
    assert other.post(f"/plans/{plan_id}/execution/close", {"confirmed": "yes"}).status_code == 404
    assert other.post(f"/plans/{plan_id}/execution/amend", {"reason": "更正", "confirmed": "yes"}).status_code == 404


def test_the_english_ledger_is_in_english(browser, executing):
    plan_id, _worker_id, _name, _number = executing
    clerk = browser("clerk")
    clerk.get("/lang/en")
    page = clerk.get(f"/plans/{plan_id}/execution/ledger").get_data(as_text=True)
    assert "Execution ledger" in page
    assert "Placement outcome" in page
    assert "实施台账" not in block(page, "counts")


def test_a_refused_entry_is_said_in_english_on_the_english_page(browser, executing):
    """The record service's refusals are translatable messages: the English reader reads them in English, the
    summary and the message beside each field (a payment below what is due, a date in the future)."""
    plan_id, worker_id, name, _number = executing
    clerk = browser("clerk")
    url = f"/plans/{plan_id}/execution/workers/{worker_id}"
    clerk.get(url)
    clerk.post(url, {"part": "termination", "terminated_on": "2026-11-30", "certificate_issued_on": "2026-11-30"})
    clerk.get("/lang/en")
    clerk.get(url)
    refused = clerk.post(url, {"part": "severance", "severance_paid": "1.00", "severance_paid_on": "2999-01-01",
                               "payment_reference": "银付1"})  # fmt: skip
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    beside = block(page, "error-severance_paid")
    assert f"({name}): the severance paid, 1.00 yuan, is below the" in beside
    assert "Labour Contract Law Art 47" in beside
    assert "Payment date 2999-01-01 is after today" in block(page, "error-severance_paid_on")
    summary = block(page, "problems")
    assert "is below the" in summary
    assert "only what has happened can be recorded; Row" in summary
    for said in (beside, summary):
        assert not re.search("[实付经济补偿低于应付金额晚于今天；。]", said), said


def test_the_clerk_checks_then_saves_an_xlsx_and_errors_name_row_and_column(browser, executing):
    plan_id, worker_id, name, number = executing
    clerk = browser("clerk")
    template = clerk.get("/execution-template.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.data))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    sheet.append([number if h == "公民身份号码" else name if h == "姓名" else "2026-11-30" if h == "劳动关系解除（终止）日期"
                  else None for h in headers])  # fmt: skip
    sheet.append(["110101199001011234", "外人"])
    buffer = io.BytesIO()
    book.save(buffer)

    def upload(action: str):  # type: ignore[no-untyped-def]
        clerk.get(f"/plans/{plan_id}/execution/ledger")
        return clerk.post(f"/plans/{plan_id}/execution/ledger/upload",
                          {"action": action, "file": (io.BytesIO(buffer.getvalue()), "ledger.xlsx")},
                          content_type="multipart/form-data")  # fmt: skip

    checked = upload("commit")
    assert checked.status_code == 422
    report = block(checked.get_data(as_text=True), "bulk-report")
    assert "未保存任何数据" in report
    assert "公民身份号码" in report
    assert "110101199001011234" in report
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    assert "校验通过" in block(upload("check").get_data(as_text=True), "bulk-report")
    assert upload("commit").status_code == 302
    page = clerk.get(f"/plans/{plan_id}/execution/workers/{worker_id}").get_data(as_text=True)
    assert "2026-11-30" in page


def test_the_ledger_page_offers_the_amendment_to_the_clerk_with_confirmation_and_a_reason(browser, executing):
    plan_id, _worker_id, _name, _number = executing
    page, url = f"/plans/{plan_id}/execution/ledger", f"/plans/{plan_id}/execution/amend"
    assert 'data-testid="amend-form"' not in browser("province").get(page).get_data(as_text=True)
    clerk = browser("clerk")
    assert 'data-testid="amend-form"' in clerk.get(page).get_data(as_text=True)
    reason = "增加安置渠道：部分职工自愿转为灵活就业。"
    unconfirmed = clerk.post(url, {"reason": reason})
    assert unconfirmed.status_code == 422
    assert 'data-testid="error-confirm-amend"' in unconfirmed.get_data(as_text=True)
    no_reason = clerk.post(url, {"reason": " ", "confirmed": "yes"})
    assert no_reason.status_code == 422
    assert "变更理由须为1至2000个字符" in block(no_reason.get_data(as_text=True), "error-reason")
    assert db.session.get(Plan, plan_id).status == "executing"
    assert clerk.post(url, {"reason": reason, "confirmed": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Plan, plan_id).status == "drafting"
    assert clerk.get(f"/plans/{plan_id}").status_code == 200
    paused = clerk.get(page).get_data(as_text=True)  # the records stay readable; nothing is recorded meanwhile
    assert 'data-testid="amend-form"' not in paused
    assert 'data-testid="close-form"' not in paused


def test_the_reviewer_sees_the_diff_against_the_published_revision_and_the_reason(world, executing, browser):
    plan = db.session.get(Plan, executing[0])
    published = plan.revision_number
    start_amendment(db.session, get_engine(), actor=world.actor("clerk"), plan=plan, reason=AMENDMENT_REASON)
    drop_last_worker(db.session, world.actor("clerk"), world.steel, plan)
    submit_plan(db.session, get_engine(), actor=world.actor("clerk"), plan=plan)
    record_sample_vote(db.session, get_engine(), world.actor("union"), plan,
                       congress_threshold=TestConfig.CONGRESS_HEADCOUNT_THRESHOLD)  # fmt: skip
    db.session.commit()
    page = browser("province").get(f"/plans/{plan.id}/review").get_data(as_text=True)
    diff = page.split('data-testid="diff"', 1)[1]
    assert f"与已公布的第{published}版的差异（第{published + 1}版）" in diff
    assert AMENDMENT_REASON in diff
    assert "删除1人" in diff


def test_the_ledger_counts_the_leaving_workers_short_of_services_and_the_households_without_work(
    browser, world, executing
):
    """Closing also waits for the notice's services and for no zero-employment household (冀人社发〔2018〕38号
    §四): the ledger says how many are short and links to where they are recorded."""
    plan_id, _worker_id, _name, number = executing
    leaving = len(service_shortfalls(db.session, plan_id))
    assert leaving > 0
    clerk = browser("clerk")
    short = block(clerk.get(f"/plans/{plan_id}/execution/ledger").get_data(as_text=True), "services-short")
    assert f"就业服务未达最低要求的分流职工：{leaving}人" in short
    assert "零就业家庭：0户" in short
    plan = db.session.get(Plan, plan_id)
    record_household(db.session, actor=world.actor("clerk"), plan=plan, members=[(number, "head")])
    db.session.commit()
    page = clerk.get(f"/plans/{plan_id}/execution/ledger").get_data(as_text=True)
    assert "零就业家庭：1户" in block(page, "services-short")
    assert f'href="/plans/{plan_id}/execution-services?short=1"' in page


def test_a_column_of_the_file_is_named_as_the_file_writes_it_not_through_the_catalogue(browser, executing):
    """A header the template does not have is the file's own text: the English report shows it as written, even
    when it happens to be a text of the catalogue (退出 is "Log out" there), while the template's own headers
    are said in English."""
    plan_id, _worker_id, name, number = executing
    clerk = browser("clerk")
    book = load_workbook(io.BytesIO(clerk.get("/execution-template.xlsx").data))
    sheet = book.active
    sheet.cell(row=1, column=sheet.max_column + 1, value="退出")
    sheet.append([number, name])
    buffer = io.BytesIO()
    book.save(buffer)
    clerk.get("/lang/en")
    clerk.get(f"/plans/{plan_id}/execution/ledger")
    checked = clerk.post(f"/plans/{plan_id}/execution/ledger/upload",
                         {"action": "check", "file": (io.BytesIO(buffer.getvalue()), "ledger.xlsx")},
                         content_type="multipart/form-data")  # fmt: skip
    cells = lxml.html.fromstring(checked.get_data(as_text=True)).xpath(
        "//*[@data-testid='bulk-report']//tr[@data-rule='known_column']/td[@data-testid='column']/text()")  # fmt: skip
    assert cells == ["退出"]


def test_the_upload_report_names_the_workers_roster_row_and_name_beside_the_files_row(browser, executing):
    plan_id, worker_id, name, number = executing
    clerk = browser("clerk")
    book = load_workbook(io.BytesIO(clerk.get("/execution-template.xlsx").data))
    sheet = book.active
    sheet.append([number, "别人"])
    buffer = io.BytesIO()
    book.save(buffer)
    clerk.get(f"/plans/{plan_id}/execution/ledger")
    checked = clerk.post(f"/plans/{plan_id}/execution/ledger/upload",
                         {"action": "check", "file": (io.BytesIO(buffer.getvalue()), "ledger.xlsx")},
                         content_type="multipart/form-data")  # fmt: skip
    roster_row = ledger_of(db.session, db.session.get(Plan, plan_id), date.today()).rows
    row = next(r.row for r in roster_row if r.worker.id == worker_id)
    cells = lxml.html.fromstring(checked.get_data(as_text=True)).xpath(
        "//*[@data-testid='bulk-report']//tr[@data-rule='name_matches']/td[@data-testid='roster-row']/text()")  # fmt: skip
    assert cells == [f"{name}（名单第 {row} 行）"]
