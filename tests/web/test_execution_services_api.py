"""The services API of a plan in execution (冀人社发〔2018〕38号 §四), scoped like the rest: whoever sees the plan
reads who is short and the households, a worker's ledger only those who see personal data, and only the
plan's enterprise records; other enterprises' users get 404, the plan's other readers 403."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from approvals.demo import sample_roster
from approvals.models import AuditEvent
from tests.web.test_permissions import (
    KIND,
    PERSONAL_DATA_KINDS,
    USERS,
    call,
    collect,
    plan_at,
    service_bodies,
    visible_to,
)

RECORDS = ("svc_service", "svc_difficulty", "svc_filing", "svc_assistance", "svc_support")
HOUSEHOLD_RECORDS = ("household_create", "household_member", "member_post")


def events(plan_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.plan_id == plan_id)) or 0


@pytest.mark.parametrize("firm", ["steel", "zombie"])
def test_who_reads_the_services_of_a_plan_in_execution(api, world, firm):
    plan = plan_at(api, world, firm, "executing")
    failures: list[str] = []
    for user in USERS:
        seen = user in visible_to(firm, "executing")
        personal = seen and KIND[user] in PERSONAL_DATA_KINDS
        for name, status in (("svc_list", 200 if seen else 404), ("households", 200 if seen else 404),
                             ("svc_worker", 200 if personal else 403 if seen else 404)):  # fmt: skip

            def check(user: str = user, name: str = name, status: int = status, personal: bool = personal) -> None:
                response = call(api(user), name, world, plan, firm)
                assert response.status_code == status, response.json
                if status == 404:
                    assert response.json["error"] == "plan_not_found"
                elif status == 403:
                    assert response.json["error"] == "personal_data"
                elif name == "svc_list":
                    body = response.json
                    assert (body["leaving"], body["short"]) == (9, 9)
                    first = body["items"][0]
                    assert (first["row"], first["job_recommendations_short"], first["other_services_short"]) == (
                        5,
                        3,
                        1,
                    )
                    full = sample_roster(getattr(world, firm))[3][0]
                    assert (first["id_number"] == full) is personal  # masked for the others

            collect(failures, f"{name}-{firm}_executing-{user}-{status}", check)
    assert not failures, "\n".join(failures)


def test_only_the_plans_enterprise_records_and_every_record_is_in_the_trail(api, world):
    plan = plan_at(api, world, "steel", "executing")
    failures: list[str] = []
    before = events(plan["id"])
    for name in RECORDS + HOUSEHOLD_RECORDS:
        for user in USERS:
            if user == "clerk":
                continue
            status = 403 if user in visible_to("steel", "executing") else 404

            def refused(user: str = user, name: str = name, status: int = status) -> None:
                response = call(api(user), name, world, plan, "steel")
                assert response.status_code == status, response.json
                assert response.json["error"] == {403: "role_required", 404: "plan_not_found"}[status]

            collect(failures, f"{name}-steel_executing-{user}-{status}", refused)
    assert not failures, "\n".join(failures)
    assert events(plan["id"]) == before  # nothing recorded
    clerk = api("clerk")
    for name in RECORDS:  # in this order: filed once confirmed, assisted once filed
        response = call(clerk, name, world, plan, "steel")
        assert response.status_code == 201, (name, response.json)
    ledger = response.json
    assert (ledger["row"], ledger["job_recommendations"], ledger["difficulty"]["file_number"]) == (5, 1, "QA-001")
    assert [s["kind"] for s in ledger["self_employment"]] == ["incubator"]
    assert ledger["outcome_kind"] is None  # a worker's post is the outcome of the execution record, not recorded here
    bodies: dict[str, Any] = service_bodies(plan, "steel", world)
    created = clerk.post(f"/plans/{plan['id']}/households", json=bodies["household_create"])
    assert created.status_code == 201, created.json
    household = created.json["items"][0]["id"]
    added = clerk.post(f"/plans/{plan['id']}/households/{household}/members", json=bodies["household_member"])
    assert added.status_code == 201, added.json
    member = next(m["id"] for m in added.json["items"][0]["members"] if m["id_number"] is None)
    posted = clerk.post(
        f"/plans/{plan['id']}/households/{household}/members/{member}/posts", json=bodies["member_post"]
    )
    assert posted.status_code == 201, posted.json
    assert events(plan["id"]) == before + len(RECORDS) + len(HOUSEHOLD_RECORDS)


def test_before_execution_the_services_are_refused_409(api, world):
    plan = plan_at(api, world, "steel", "published")
    for name in ("svc_list", "svc_service", "households"):
        response = call(api("clerk"), name, world, plan, "steel")
        assert response.status_code == 409, response.json
        assert response.json["error"] == "execution_not_started"


def test_a_loan_above_the_cap_is_refused_naming_the_worker_and_the_amounts(api, world):
    plan = plan_at(api, world, "steel", "executing")
    body = {**service_bodies(plan, "steel", world)["svc_support"], "kind": "guaranteed_loan", "amount": "350000"}
    worker = sample_roster(world.steel)[3]
    response = api("clerk").post(
        f"/plans/{plan['id']}/execution-services/workers/{worker[0]}/self-employment", json=body
    )
    assert response.status_code == 422
    assert response.json["details"][0]["field"] == "amount"
    assert response.json["details"][0]["rule"] == "loan_cap"
    assert worker[1] in response.json["message"]
    assert "350,000" in response.json["message"]
    assert "300,000" in response.json["message"]


def test_a_worker_who_keeps_the_relation_is_refused_naming_the_row(api, world):
    plan = plan_at(api, world, "steel", "executing")
    transfer = sample_roster(world.steel)[1]  # 转岗培训
    body = service_bodies(plan, "steel", world)["svc_service"]
    response = api("clerk").post(f"/plans/{plan['id']}/execution-services/workers/{transfer[0]}/services", json=body)
    assert response.status_code == 422
    assert response.json["error"] == "not_leaving"
    assert "第3行" in response.json["message"]
    assert transfer[1] in response.json["message"]
