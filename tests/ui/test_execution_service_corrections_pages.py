"""Correcting and withdrawing a service record on the worker's services page: the enterprise's forms (CSRF, a
required reason), a refusal above the form that was sent, and the history in plain words in both languages;
the bureau sees no form and may post none."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from approvals.execution_services.common import today
from approvals.execution_services.households import add_member, record_household, record_post
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


def test_a_members_post_is_corrected_on_the_households_page(browser, session, world, plan):
    clerk_actor = world.actor("clerk")
    household = record_household(session, actor=clerk_actor, plan=plan,
                                 members=[(at_row(session, plan, 7).id_number, "head")])  # fmt: skip
    member = add_member(session, actor=clerk_actor, plan=plan, household_id=household.id, name="孙某梅",
                        relation="spouse", sex="F", birth_date=date(1985, 3, 12), employed=False)  # fmt: skip
    post = record_post(session, actor=clerk_actor, plan=plan, member_id=member.id, kind="employment",
                       employer="城管局", post="保洁", starts_on=today(), ends_on=None)  # fmt: skip
    session.commit()
    clerk = browser("clerk")
    url = f"/plans/{plan.id}/execution-services/households"
    assert f'data-testid="form-correct-post-{post.id}"' in clerk.get(url).get_data(as_text=True)
    base = f"/plans/{plan.id}/execution-services/corrections/post/{post.id}"
    values = {"kind": "public_welfare", "employer": "城管局", "post": "保洁", "starts_on": today().isoformat(),
              "ends_on": "", "reason": "上岗方式录入错误"}  # fmt: skip
    refused = clerk.post(f"{base}/correct", values)  # 就业促进法 Art 53–54: a public-welfare post has its period
    assert refused.status_code == 422
    assert "公益性岗位须填写岗位期限的截止日期" in block(
        refused.get_data(as_text=True), f"refusal-post-{post.id}-correct"
    )
    clerk.get(url)
    ends = (today() + timedelta(days=365)).isoformat()
    assert clerk.post(f"{base}/correct", {**values, "ends_on": ends}).status_code == 302
    shown = block(clerk.get(url).get_data(as_text=True), "history")
    assert "更正“家庭成员上岗情况”" in shown
    assert "单位就业" in shown
    assert "公益性岗位" in shown
    assert ends in shown
