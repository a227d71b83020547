"""Correcting and withdrawing a part on the worker's execution page: the enterprise's forms (with CSRF and a
required reason), refusals beside their field, and the history of corrections in plain words, in both
languages; nobody else sees the forms or may post them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.execution.ledger import ledger_row
from approvals.models import AuditEvent, ExecutionRecord, Plan
from tests.execution_support import steel_leaver_in_execution
from tests.ui.forms_support import block

ENDED = "2026-11-30"


@pytest.fixture
def entered(world, browser) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """The steel firm's plan in execution, a terminated worker with the end and the severance entered:
    (plan id, worker id, the worker page's URL)."""
    plan, worker = steel_leaver_in_execution(db.session, get_engine(), world)
    url = f"/plans/{plan.id}/execution/workers/{worker.id}"
    clerk = browser("clerk")
    clerk.get(url)
    assert (
        clerk.post(url, {"part": "termination", "terminated_on": ENDED, "certificate_issued_on": ENDED}).status_code
        == 302
    )
    due = ledger_row(db.session, plan, worker.id).record.severance_due  # type: ignore[union-attr]
    clerk.get(url)
    assert clerk.post(url, {"part": "severance", "severance_paid": str(due + 100), "severance_paid_on": ENDED,
                            "payment_reference": "银付0001"}).status_code == 302  # fmt: skip
    return plan.id, worker.id, url


def _due(plan_id: int, worker_id: int) -> ExecutionRecord:
    db.session.expire_all()
    return ledger_row(db.session, db.session.get(Plan, plan_id), worker_id).record


def test_the_clerk_corrects_a_payment_and_the_page_shows_the_history_in_plain_words(browser, entered):
    plan_id, worker_id, url = entered
    clerk = browser("clerk")
    page = clerk.get(url).get_data(as_text=True)
    assert 'data-testid="form-correct-severance"' in page
    assert 'data-testid="form-severance"' not in page  # an entered part is corrected, not entered again
    assert re.search(r'form-correct-severance">\s*<input type="hidden" name="csrf_token"', page)
    record = _due(plan_id, worker_id)
    due = record.severance_due
    corrected = clerk.post(f"{url}/severance/correct", {"severance_paid": str(due), "severance_paid_on": ENDED,
                                                        "payment_reference": "银付0002", "reason": "金额<b>录错</b>"})  # fmt: skip
    assert corrected.status_code == 302
    page = clerk.get(url).get_data(as_text=True)
    assert "已更正：经济补偿支付。" in page
    history = block(page, "history")
    assert "clerk 于" in history
    assert "更正“经济补偿支付”" in history
    assert "理由：金额<b>录错</b>" in history  # the clerk's words, as typed
    assert "&lt;b&gt;" in page.split('data-testid="history"')[1]  # escaped, never markup
    assert f"{due + 100:,.2f}" in history
    assert f"{due:,.2f}" in history
    assert "银付0001" in history
    assert "银付0002" in history
    assert not re.search(r"severance_paid|payment_reference|[{}]", history)
    clerk.get("/lang/en")
    english = block(clerk.get(url).get_data(as_text=True), "history")
    assert 'clerk corrected "Severance payment"' in english
    assert "Reason: " in english
    assert "Entered before" in english
    assert not re.search(r"[\u4e00-\u9fff]", english.replace("金额<b>录错</b>", "").replace("银付000", ""))


def test_a_refused_correction_names_the_field_and_keeps_what_was_typed(browser, entered):
    plan_id, worker_id, url = entered
    clerk = browser("clerk")
    clerk.get(url)
    refused = clerk.post(f"{url}/severance/correct", {"severance_paid": "1.00", "severance_paid_on": ENDED,
                                                      "payment_reference": "银付0003", "reason": ""})  # fmt: skip
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "请填写更正或撤销的理由" in block(page, "error-reason")
    assert 'value="1.00"' in page
    clerk.get(url)
    refused = clerk.post(f"{url}/severance/correct", {"severance_paid": "1.00", "severance_paid_on": ENDED,
                                                      "payment_reference": "银付0003", "reason": "更正金额"})  # fmt: skip
    assert refused.status_code == 422
    assert "劳动合同法第四十七条" in block(refused.get_data(as_text=True), "error-severance_paid")
    assert _due(plan_id, worker_id).payment_reference == "银付0001"


def test_the_clerk_withdraws_a_part_and_it_is_open_again(browser, entered):
    plan_id, worker_id, url = entered
    clerk = browser("clerk")
    clerk.get(url)
    refused = clerk.post(f"{url}/termination/withdraw", {"reason": "录错职工"})
    assert refused.status_code == 409
    assert "请先撤销这些部分" in refused.get_data(as_text=True)
    clerk.get(url)
    assert clerk.post(f"{url}/severance/withdraw", {"reason": "重复登记"}).status_code == 302
    page = clerk.get(url).get_data(as_text=True)
    assert "已撤销：经济补偿支付。" in page
    assert 'data-testid="form-severance"' in page  # open again: entered anew
    assert "撤销“经济补偿支付”" in block(page, "history")
    assert "经济补偿" in block(page, "open-items")
    assert _due(plan_id, worker_id).severance_paid is None


@pytest.mark.parametrize("who", ["reviewer", "supervisor", "clerk_zombie"])
def test_nobody_else_corrects_or_sees_the_forms(browser, entered, who):
    plan_id, worker_id, url = entered
    other = browser(who)
    page = other.get(url)
    if page.status_code == 200:
        assert "form-correct-" not in page.get_data(as_text=True)
    assert other.post(f"{url}/severance/correct", {"reason": "x", "severance_paid": "1"}).status_code in (403, 404)
    assert other.post(f"{url}/severance/withdraw", {"reason": "x"}).status_code in (403, 404)
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan_id, AuditEvent.action.in_(
        ("execution.corrected", "execution.withdrawn")))).all()  # fmt: skip
