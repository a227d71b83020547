"""Correcting and withdrawing a service record (a service, one-to-one assistance, a self-employment support, a
household member's post): the plan's enterprise while the plan is carried out, with a reason, by the rules of
recording it; the old and new values in the trail with the bureau told; who is short recomputed; the pages
and the API."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from app.web.audit_summary import summary_text
from approvals.errors import Conflict, Invalid, NotAllowed, NotFound
from approvals.execution.amendment import start_amendment
from approvals.execution_services import service_shortfalls
from approvals.execution_services.common import today
from approvals.execution_services.corrections import correct_record, history, withdraw_record
from approvals.execution_services.households import add_member, record_household, record_post
from approvals.execution_services.self_employment import record_support
from approvals.models import AuditEvent, Plan, PostRecord, ServiceRecord
from notifications.models import Notification
from tests.execution_support import steel_in_execution
from tests.web.test_execution_services import at_row, serve

REASON = "服务日期录入错误，以服务台账为准。"


@pytest.fixture
def plan(session, engine, world) -> Plan:  # type: ignore[no-untyped-def]
    return steel_in_execution(session, engine, world)


def _events(session, plan: Plan) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id, AuditEvent.action.in_(
        ("execution_service.corrected", "execution_service.withdrawn"))).order_by(AuditEvent.seq)))  # fmt: skip


def _values(record: ServiceRecord, **changed: str) -> dict[str, str]:
    return {"kind": record.kind, "provided_on": record.provided_on.isoformat(), "provider": record.provider,
            "result": record.result, **changed}  # fmt: skip


def test_a_corrected_service_keeps_old_and_new_values_and_the_reason_in_the_trail(session, world, plan):
    worker = at_row(session, plan, 5)
    record = serve(session, world, plan, worker, kind="job_recommendation")
    session.commit()
    correct_record(session, actor=world.actor("clerk"), plan=plan, what="service", record_id=record.id,
                   values=_values(record, kind="career_guidance"), reason=REASON)  # fmt: skip
    session.commit()
    assert session.get(ServiceRecord, record.id).kind == "career_guidance"
    (event,) = _events(session, plan)
    assert event.summary["record"] == "service"
    assert event.summary["reason"] == REASON
    assert (event.summary["old"]["kind"], event.summary["new"]["kind"]) == ("job_recommendation", "career_guidance")
    assert event.summary["worker_id"] == worker.id
    assert worker.id_number not in str(event.summary)
    told = session.scalars(select(Notification).where(Notification.plan_id == plan.id,
                                                      Notification.kind == "execution_service_recorded")).all()  # fmt: skip
    assert "execution_service.corrected" in {n.payload["action"] for n in told}
    with current_app.test_request_context(), force_locale("zh_CN"):
        said = summary_text(event.action, event.summary)
        with force_locale("en"):
            english = summary_text(event.action, event.summary)
    assert "岗位推荐 → 职业指导" in said
    assert REASON in said
    assert "Job recommendations → Career guidance" in english
    assert not re.search(r"job_recommendation|record_id|worker_id|[{}\[\]]", said + english)
    (change,) = history(session, plan, worker_id=worker.id)
    assert change.changed[0][:2] == ("kind", "类型")


def test_who_is_short_is_recomputed_from_the_records_as_corrected_and_withdrawn(session, world, plan):
    worker = at_row(session, plan, 5)
    records = [serve(session, world, plan, worker) for _ in range(3)]
    records.append(serve(session, world, plan, worker, kind="career_guidance"))
    session.commit()
    assert worker.id_number not in {s.id_number for s in service_shortfalls(session, plan.id)}
    withdraw_record(session, actor=world.actor("clerk"), plan=plan, what="service", record_id=records[0].id,
                    reason="重复记录。")  # fmt: skip
    (short,) = [s for s in service_shortfalls(session, plan.id) if s.id_number == worker.id_number]
    assert (short.job_recommendations_short, short.other_services_short) == (1, 0)
    correct_record(session, actor=world.actor("clerk"), plan=plan, what="service", record_id=records[3].id,
                   values=_values(records[3], kind="job_recommendation"), reason="服务类型录入错误。")  # fmt: skip
    (short,) = [s for s in service_shortfalls(session, plan.id) if s.id_number == worker.id_number]
    assert (short.job_recommendations_short, short.other_services_short) == (0, 1)
    assert session.get(ServiceRecord, records[0].id) is None
    assert [e.action for e in _events(session, plan)] == ["execution_service.withdrawn", "execution_service.corrected"]


def test_a_corrected_loan_above_the_cap_is_refused_as_when_recorded(session, world, plan):
    worker = at_row(session, plan, 5)  # self-employment
    loan = record_support(session, actor=world.actor("clerk"), plan=plan, id_number=worker.id_number,
                          kind="guaranteed_loan", granted_on=today(), provider="迁安农商银行", amount="150000",
                          reference="QA-L")  # fmt: skip
    session.commit()
    values = {"kind": "guaranteed_loan", "granted_on": today().isoformat(), "provider": "迁安农商银行",
              "amount": "300000.01", "reference": "QA-L"}  # fmt: skip
    with pytest.raises(Invalid) as refused:
        correct_record(session, actor=world.actor("clerk"), plan=plan, what="support", record_id=loan.id,
                       values=values, reason="金额录入错误。")  # fmt: skip
    assert [(d["field"], d["rule"]) for d in refused.value.details] == [("amount", "loan_cap")]
    correct_record(session, actor=world.actor("clerk"), plan=plan, what="support", record_id=loan.id,
                   values={**values, "amount": "200000"}, reason="金额录入错误。")  # fmt: skip
    (event,) = _events(session, plan)
    assert (event.summary["old"]["amount"], event.summary["new"]["amount"]) == ("150000.00", "200000.00")


def test_refusals_reason_role_unknown_record_bad_date_unchanged_and_amendment(session, engine, world, plan):
    worker = at_row(session, plan, 5)
    record = serve(session, world, plan, worker)
    session.commit()
    clerk = world.actor("clerk")
    with pytest.raises(Invalid) as refused:
        correct_record(session, actor=clerk, plan=plan, what="service", record_id=record.id,
                       values=_values(record, provider="另一中心"), reason=" ")  # fmt: skip
    assert refused.value.details[0]["field"] == "reason"
    with pytest.raises(NotAllowed):
        withdraw_record(session, actor=world.actor("reviewer"), plan=plan, what="service", record_id=record.id,
                        reason=REASON)  # fmt: skip
    with pytest.raises(NotFound):
        withdraw_record(session, actor=clerk, plan=plan, what="service", record_id=record.id + 999, reason=REASON)
    with pytest.raises(Invalid) as refused:
        correct_record(session, actor=clerk, plan=plan, what="service", record_id=record.id,
                       values=_values(record, provided_on="2026-02-30"), reason=REASON)  # fmt: skip
    assert (refused.value.details[0]["field"], refused.value.details[0]["rule"]) == ("provided_on", "date")
    with pytest.raises(Invalid) as refused:
        correct_record(session, actor=clerk, plan=plan, what="service", record_id=record.id,
                       values=_values(record, provided_on=(today() + timedelta(days=3)).isoformat()), reason=REASON)  # fmt: skip
    assert refused.value.details[0]["rule"] == "not_future"
    with pytest.raises(Invalid) as refused:
        correct_record(session, actor=clerk, plan=plan, what="service", record_id=record.id, values=_values(record),
                       reason=REASON)  # fmt: skip
    assert refused.value.code == "unchanged"
    start_amendment(session, engine, actor=clerk, plan=plan, reason="职工名单更正。")
    with pytest.raises(Conflict):
        withdraw_record(session, actor=clerk, plan=plan, what="service", record_id=record.id, reason=REASON)
    assert _events(session, plan) == []


def test_a_members_post_is_corrected_and_withdrawn_and_the_history_names_the_member(session, world, plan):
    clerk = world.actor("clerk")
    household = record_household(session, actor=clerk, plan=plan, members=[(at_row(session, plan, 7).id_number,
                                                                             "head")])  # fmt: skip
    member = add_member(session, actor=clerk, plan=plan, household_id=household.id, name="孙某梅", relation="spouse",
                        sex="F", birth_date=date(1985, 3, 12), employed=False)  # fmt: skip
    post = record_post(session, actor=clerk, plan=plan, member_id=member.id, kind="public_welfare", employer="城管局",
                       post="保洁", starts_on=today(), ends_on=today() + timedelta(days=365))  # fmt: skip
    values = {"kind": "public_welfare", "employer": "城管局", "post": "保洁", "starts_on": today().isoformat(),
              "ends_on": ""}  # fmt: skip
    with pytest.raises(Invalid) as refused:  # 就业促进法 Art 53–54: a public-welfare post has its period
        correct_record(session, actor=clerk, plan=plan, what="post", record_id=post.id, values=values, reason=REASON)
    assert refused.value.details[0]["rule"] == "period"
    correct_record(session, actor=clerk, plan=plan, what="post", record_id=post.id,
                   values={**values, "post": "绿化", "ends_on": (today() + timedelta(days=365)).isoformat()},
                   reason="岗位录入错误。")  # fmt: skip
    withdraw_record(session, actor=clerk, plan=plan, what="post", record_id=post.id, reason="未实际上岗。")
    assert session.get(PostRecord, post.id) is None
    changes = history(session, plan, member_ids={member.id})
    assert [(c.withdrawn, c.part) for c in changes] == [(False, "家庭成员上岗情况"), (True, "家庭成员上岗情况")]
    assert _events(session, plan)[-1].summary["member"] == "孙某梅"


def test_the_api_corrects_and_withdraws_and_is_in_the_openapi_document(api, session, world, plan):
    worker = at_row(session, plan, 5)
    record = serve(session, world, plan, worker)
    session.commit()
    url = f"/plans/{plan.id}/execution-services/records/service/{record.id}"
    assert api("reviewer").post(f"{url}/withdrawal", json={"reason": "x"}).status_code == 403
    assert api("clerk_zombie").post(f"{url}/withdrawal", json={"reason": "x"}).status_code == 404
    corrected = api("clerk").post(f"{url}/correction", json={"reason": REASON,
                                                             "values": _values(record, provider="另一中心")})  # fmt: skip
    assert corrected.status_code == 200, corrected.json
    assert corrected.json["values"]["provider"] == "另一中心"
    assert corrected.json["corrections"][0]["changes"] == [
        {"field": "provider", "label": "服务提供方", "old": "迁安市公共就业服务中心", "new": "另一中心"}]  # fmt: skip
    missing = api("clerk").post(f"{url}/withdrawal", json={"reason": ""})
    assert (missing.status_code, missing.json["details"][0]["field"]) == (422, "reason")
    withdrawn = api("clerk").post(f"{url}/withdrawal", json={"reason": "重复记录"})
    assert withdrawn.status_code == 200, withdrawn.json
    assert withdrawn.json["values"] == {}
    assert [c["action"] for c in withdrawn.json["corrections"]] == ["corrected", "withdrawn"]
    ledger = api("clerk").get(f"/plans/{plan.id}/execution-services/workers/{worker.id_number}").json
    assert [(c["action"], c["part"], c["reason"]) for c in ledger["corrections"]] == [
        ("corrected", "service", REASON), ("withdrawn", "service", "重复记录")]  # fmt: skip
    assert ledger["services"] == []
    paths = api("clerk").get("/openapi.json").json["paths"]
    for tail in ("correction", "withdrawal"):
        operation = paths[f"/api/v1/plans/{{plan_id}}/execution-services/records/{{what}}/{{record_id}}/{tail}"]["post"]
        assert {"403", "404", "409", "422"} <= set(operation["responses"])
