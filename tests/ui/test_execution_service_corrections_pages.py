"""Correcting and withdrawing a service record on the worker's services page: the enterprise's forms (CSRF, a
required reason), a refusal above the form that was sent, and the history in plain words in both languages;
the bureau sees no form and may post none."""

from __future__ import annotations

import re

import pytest

from approvals.models import Plan, ServiceRecord
from tests.execution_support import steel_in_execution
from tests.ui.forms_support import block
from tests.web.test_execution_services import at_row, serve


@pytest.fixture
def plan(session, engine, world) -> Plan:  # type: ignore[no-untyped-def]
    return steel_in_execution(session, engine, world)


def _values(record: ServiceRecord, **changed: str) -> dict[str, str]:
    return {"kind": record.kind, "provided_on": record.provided_on.isoformat(), "provider": record.provider,
            "result": record.result, **changed}  # fmt: skip


def test_the_worker_page_corrects_and_withdraws_with_csrf_forms_and_shows_the_history(browser, session, world, plan):
    worker = at_row(session, plan, 5)
    record = serve(session, world, plan, worker)
    session.commit()
    clerk = browser("clerk")
    url = f"/plans/{plan.id}/execution-services/workers/{worker.id_number}"
    page = clerk.get(url).get_data(as_text=True)
    assert f'data-testid="form-correct-service-{record.id}"' in page
    assert re.search(rf'form-correct-service-{record.id}">\s*<input type="hidden" name="csrf_token"', page)
    base = f"/plans/{plan.id}/execution-services/corrections/service/{record.id}"
    refused = clerk.post(f"{base}/correct", {**_values(record, provider="另一中心"), "reason": ""})
    assert refused.status_code == 422
    assert "请填写更正或撤销的理由" in block(refused.get_data(as_text=True), f"refusal-service-{record.id}-correct")
    clerk.get(url)
    done = clerk.post(f"{base}/correct", {**_values(record, provider="另一中心"), "reason": "提供方<b>录错</b>"})
    assert done.status_code == 302
    clerk.get(url)
    assert clerk.post(f"{base}/withdraw", {"reason": "重复记录"}).status_code == 302
    page = clerk.get(url).get_data(as_text=True)
    shown = block(page, "history")
    assert "更正“就业服务”" in shown
    assert "撤销“就业服务”" in shown
    assert "迁安市公共就业服务中心" in shown
    assert "另一中心" in shown
    assert "提供方<b>录错</b>" in shown
    assert "&lt;b&gt;" in page
    assert not re.search(r"provider|job_recommendation|[{}]", shown)
    clerk.get("/lang/en")
    english = block(clerk.get(url).get_data(as_text=True), "history")
    assert 'corrected "Employment service"' in english
    reviewer = browser("reviewer")
    assert "form-correct-" not in reviewer.get(url).get_data(as_text=True)
    assert reviewer.post(f"{base}/withdraw", {"reason": "x"}).status_code == 403
