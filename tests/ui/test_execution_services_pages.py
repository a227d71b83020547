"""The services pages of a plan in execution (冀人社发〔2018〕38号 §四): the enterprise records, the bureau sees
who is short and by how much, the supervisor reads names with masked ID numbers; a refusal is shown on the
form that was sent, with what was typed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.execution_services.common import today
from approvals.models import Plan, RosterWorker
from approvals.rules.resident_id import mask_id
from tests import snapshots
from tests.stages import plan_at


@pytest.fixture
def plan(session, engine, world) -> Plan:
    plan_id = snapshots.cached(session, ("plan", "steel", "executing", None, False),
                               lambda: plan_at(session, engine, world, "executing", firm="steel").id)  # fmt: skip
    return session.get(Plan, plan_id)


def roster(plan: Plan) -> list[RosterWorker]:
    return list(
        db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id).order_by(RosterWorker.id))
    )


def row_text(html: str, row: int) -> str:
    found = re.search(rf'<tr data-row="{row}"[^>]*>(.*?)</tr>', html, flags=re.S)
    assert found, f"row {row} not on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_list_shows_who_is_short_and_by_how_much_and_the_enterprise_records_on_the_workers_page(browser, plan):
    clerk = browser("clerk")
    assert "分流职工就业服务" in clerk.get(f"/plans/{plan.id}").get_data(as_text=True)  # linked from the plan
    page = clerk.get(f"/plans/{plan.id}/execution-services")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "岗位推荐3次" in row_text(html, 5)
    assert "职业指导、就业服务或职业培训1次" in row_text(html, 5)
    assert 'data-row="2"' not in html  # internal retirement: not leaving
    worker = roster(plan)[3]
    url = f"/plans/{plan.id}/execution-services/workers/{worker.id_number}"
    clerk.get(url)
    refused = clerk.post(f"/plans/{plan.id}/execution-services/records/service/{worker.id_number}", {"kind": "job_recommendation", "provided_on": "2026-13-01",
                                            "provider": "迁安市人才市场", "result": ""})  # fmt: skip
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "“服务日期”须为日期" in body
    assert 'value="迁安市人才市场"' in body  # what was typed is kept
    refused = clerk.post(f"/plans/{plan.id}/execution-services/records/service/{worker.id_number}", {"kind": "job_recommendation", "provided_on": today().isoformat(),
                                            "provider": "迁安市人才市场", "result": ""})  # fmt: skip
    assert "请填写“服务结果”" in refused.get_data(as_text=True)
    done = clerk.post(f"/plans/{plan.id}/execution-services/records/service/{worker.id_number}", {"kind": "job_recommendation", "provided_on": today().isoformat(),
                                         "provider": "迁安市人才市场", "result": "推荐到迁安某物流公司"})  # fmt: skip
    assert done.status_code == 302
    html = clerk.get(f"/plans/{plan.id}/execution-services").get_data(as_text=True)
    assert "岗位推荐2次" in row_text(html, 5)
    loan = clerk.post(f"/plans/{plan.id}/execution-services/records/support/{worker.id_number}", {"kind": "guaranteed_loan", "granted_on": today().isoformat(),
                                         "provider": "迁安农商银行", "amount": "400000", "reference": ""})  # fmt: skip
    assert loan.status_code == 422
    assert "超过" in loan.get_data(as_text=True)
    assert worker.name in loan.get_data(as_text=True)


def test_the_bureau_follows_the_shortfalls_and_records_nothing(browser, plan):
    reviewer = browser("reviewer")
    html = reviewer.get(f"/plans/{plan.id}/execution-services?short=1").get_data(as_text=True)
    assert "岗位推荐3次" in row_text(html, 5)
    worker = roster(plan)[3]
    page = reviewer.get(f"/plans/{plan.id}/execution-services/workers/{worker.id_number}")
    assert page.status_code == 200
    assert "记录就业服务</button>" not in page.get_data(as_text=True)  # no forms
    refused = reviewer.post(f"/plans/{plan.id}/execution-services/records/service/{worker.id_number}",
                            {"kind": "job_recommendation", "provided_on": today().isoformat(), "provider": "x",
                             "result": "y"})  # fmt: skip
    assert refused.status_code == 403


def test_the_supervisor_reads_names_with_masked_id_numbers_and_no_workers_page(browser, plan):
    supervisor = browser("supervisor")
    html = supervisor.get(f"/plans/{plan.id}/execution-services").get_data(as_text=True)
    worker = roster(plan)[3]
    assert worker.name in html
    assert mask_id(worker.id_number) in html
    assert worker.id_number not in html
    assert supervisor.get(f"/plans/{plan.id}/execution-services/workers/{worker.id_number}").status_code == 403
    assert browser("clerk_small").get(f"/plans/{plan.id}/execution-services").status_code == 404


def test_a_couple_on_the_roster_is_proposed_as_a_household_and_flagged_until_one_has_a_post(browser, plan):
    a, b = roster(plan)[5], roster(plan)[11]  # both terminated
    a.spouse_id_number = b.id_number
    db.session.commit()
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan.id}/execution-services/households").get_data(as_text=True)
    assert 'data-testid="couples"' in page
    registered = clerk.post(f"/plans/{plan.id}/execution-services/households/records",
                            {"id_number": [a.id_number, b.id_number], "relation": ["head", "spouse"]})  # fmt: skip
    assert registered.status_code == 302
    page = clerk.get(f"/plans/{plan.id}/execution-services/households").get_data(as_text=True)
    assert "零就业家庭：优先安排公益性岗位" in page
    household = re.search(r'data-household="(\d+)"', page).group(1)
    refused = clerk.post(f"/plans/{plan.id}/execution-services/households/records",
                         {"household_id": household, "name": "王小某", "relation": "child", "sex": "M",
                          "birth_date": ""})  # fmt: skip
    assert refused.status_code == 422
    assert "请填写“出生日期”" in refused.get_data(as_text=True)
    html = clerk.get(f"/plans/{plan.id}/execution-services").get_data(as_text=True)
    assert "是" in row_text(html, 7)  # the zero-employment column
    # a worker's post is the placement outcome entered in the execution record (one source): the pages link there
    worker_page = clerk.get(f"/plans/{plan.id}/execution-services/workers/{b.id_number}").get_data(as_text=True)
    assert 'data-testid="form-post"' not in worker_page
    record = f"/plans/{plan.id}/execution/workers/{b.id}"
    assert f'href="{record}#part-outcome"' in worker_page
    assert clerk.post(f"/plans/{plan.id}/execution-services/records/post/{b.id_number}", {}).status_code == 404
    clerk.get(record)
    posted = clerk.post(record, {"part": "outcome", "outcome_kind": "public_welfare", "employer": "迁安市城管局",
                                 "post": "保洁", "started_on": today().isoformat(),
                                 "ends_on": f"{today().year + 3}-12-31"})  # fmt: skip
    assert posted.status_code == 302
    page = clerk.get(f"/plans/{plan.id}/execution-services/households").get_data(as_text=True)
    assert "零就业家庭：优先安排公益性岗位" not in page
    assert "安置去向：公益性岗位安置" in page


def test_before_execution_the_pages_say_it_has_not_started(browser, session, engine, world):
    published = plan_at(session, engine, world, "published", firm="steel", seed=5)
    session.commit()
    page = browser("clerk").get(f"/plans/{published.id}/execution-services")
    assert page.status_code == 409
    assert "方案尚未开始实施" in page.get_data(as_text=True)


def test_the_services_pages_say_their_own_words_in_english(browser, plan, world):
    """Every page and a refusal, as an English reader sees them: Chinese only where it is the users' data."""
    from tests.ui.test_english_pages import database_text, untranslated

    a, b = roster(plan)[5], roster(plan)[11]
    a.spouse_id_number = b.id_number
    db.session.commit()
    clerk = browser("clerk")
    clerk.get("/")
    clerk.get("/lang/en")
    worker = f"/plans/{plan.id}/execution-services/workers/{a.id_number}"
    clerk.get(worker)
    day = today().isoformat()
    for what, form in (("service", {"kind": "career_guidance", "provided_on": day, "provider": "迁安市人才市场", "result": "已指导"}),
                       ("difficulty", {"criteria": "long_term_unemployed", "note": "失业登记已满一年"}),
                       ("filing", {"filed_on": day, "file_number": "QA-1"}),
                       ("assistance", {"provided_on": day, "helper": "张科长", "content": "走访", "result": "推荐岗位"}),
                       ("support", {"kind": "incubator", "granted_on": day, "provider": "迁安市创业孵化基地"})):  # fmt: skip
        assert (
            clerk.post(f"/plans/{plan.id}/execution-services/records/{what}/{a.id_number}", form).status_code == 302
        ), what
    assert clerk.post(f"/plans/{plan.id}/execution-services/households/records",
                      {"id_number": [a.id_number, b.id_number], "relation": ["head", "spouse"]}).status_code == 302  # fmt: skip
    refusal = clerk.post(f"/plans/{plan.id}/execution-services/records/support/{a.id_number}", {"kind": "guaranteed_loan", "granted_on": day, "provider": "银行",
                                               "amount": "400000"})  # fmt: skip
    data = database_text()
    leftovers = {"refusal": untranslated(refusal.get_data(as_text=True), data)}
    for path in (f"/plans/{plan.id}/execution-services", f"/plans/{plan.id}/execution-services?short=1", worker,
                 f"/plans/{plan.id}/execution-services/workers/{roster(plan)[0].id_number}",
                 f"/plans/{plan.id}/execution-services/households", f"/plans/{plan.id}?tab=timeline"):  # fmt: skip
        response = clerk.get(path)
        assert response.status_code == 200, path
        leftovers[path] = untranslated(response.get_data(as_text=True), data)
    assert not any(leftovers.values()), leftovers


def test_the_bureau_is_told_of_a_record_and_led_to_the_services(browser, plan, world):
    worker = roster(plan)[3]
    clerk = browser("clerk")
    clerk.get(f"/plans/{plan.id}/execution-services/workers/{worker.id_number}")
    clerk.post(f"/plans/{plan.id}/execution-services/records/service/{worker.id_number}",
               {"kind": "job_recommendation", "provided_on": today().isoformat(), "provider": "迁安市人才市场",
                "result": "已推荐"})  # fmt: skip
    page = browser("reviewer").get("/notifications").get_data(as_text=True)
    assert "有新的实施记录" in page
    assert f'href="/plans/{plan.id}/execution-services"' in page
