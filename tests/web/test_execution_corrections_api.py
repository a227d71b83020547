"""Correcting and withdrawing a part through the API: scoped like the other execution endpoints (404 for a plan
one may not see, 403 for the wrong role), the reason required (422 naming the field), the corrected record with
its history in the answer, and both endpoints in the OpenAPI document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db, get_engine
from approvals.models import AuditEvent
from tests.execution_support import steel_leaver_in_execution
from tests.web.test_permissions import USERS, VISIBLE_TO

ENDED = "2026-11-30"


@pytest.fixture
def paid(world, api) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    plan, worker = steel_leaver_in_execution(db.session, get_engine(), world)
    url = f"/plans/{plan.id}/execution/workers/{worker.id}"
    clerk = api("clerk")
    ended = clerk.put(f"{url}/termination", json={"terminated_on": ENDED, "certificate_issued_on": ENDED})
    due = Decimal(ended.json["severance_due"])
    entered = clerk.put(f"{url}/severance", json={"severance_paid": str(due + 1), "severance_paid_on": ENDED,
                                                  "payment_reference": "银付0001"})  # fmt: skip
    assert entered.status_code == 200, entered.json
    return {"plan": plan.id, "url": url, "due": due}


def _correction(due: Decimal, reason: str = "金额录入错误") -> dict[str, Any]:
    return {"reason": reason, "values": {"severance_paid": str(due), "severance_paid_on": ENDED,
                                         "payment_reference": "银付0001"}}  # fmt: skip


@pytest.mark.parametrize("user", USERS)
def test_only_the_plans_clerk_corrects_and_withdraws(api, paid, user):
    client = api(user)
    corrected = client.post(f"{paid['url']}/severance/correction", json=_correction(paid["due"]))
    withdrawn = client.post(f"{paid['url']}/severance/withdrawal", json={"reason": "重复登记"})
    if user == "clerk":
        assert corrected.status_code == 200, corrected.json
        assert corrected.json["severance_paid"] == str(paid["due"])
        (change,) = corrected.json["corrections"]
        assert (change["action"], change["part"], change["by"], change["reason"]) == (
            "corrected", "severance", "clerk", "金额录入错误")  # fmt: skip
        assert {"field": "severance_paid", "label": "实付经济补偿（元）", "old": f"{paid['due'] + 1:,.2f}",
                "new": f"{paid['due']:,.2f}"} in change["changes"]  # fmt: skip
        assert withdrawn.status_code == 200, withdrawn.json
        assert withdrawn.json["severance_paid"] is None
        assert "severance" not in withdrawn.json["entered"]
        assert [c["action"] for c in withdrawn.json["corrections"]] == ["corrected", "withdrawn"]
        return
    status = 403 if user in VISIBLE_TO["steel"] else 404
    assert (corrected.status_code, withdrawn.status_code) == (status, status)
    assert corrected.json["error"] == {403: "role_required", 404: "plan_not_found"}[status]
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == paid["plan"], AuditEvent.action.in_(
        ("execution.corrected", "execution.withdrawn")))).all()  # fmt: skip


def test_a_missing_reason_and_a_payment_below_the_due_are_422_naming_the_field(api, paid):
    clerk = api("clerk")
    response = clerk.post(f"{paid['url']}/severance/correction", json=_correction(paid["due"], reason=" "))
    assert response.status_code == 422
    assert response.json["details"][0]["field"] == "reason"
    response = clerk.post(f"{paid['url']}/severance/correction", json=_correction(paid["due"] - 1))
    assert response.status_code == 422
    assert [(d["field"], d["rule"]) for d in response.json["details"]] == [("severance_paid", "not_below_due")]
    response = clerk.post(f"{paid['url']}/outcome/withdrawal", json={"reason": "录错"})
    assert (response.status_code, response.json["error"]) == (409, "part_not_entered")


def test_the_endpoints_are_in_the_openapi_document(api):
    paths = api("clerk").get("/openapi.json").json["paths"]
    for tail, body in (("correction", "CorrectionIn"), ("withdrawal", "WithdrawalIn")):
        operation = paths[f"/api/v1/plans/{{plan_id}}/execution/workers/{{worker_id}}/{{part}}/{tail}"]["post"]
        assert {"403", "404", "409", "422"} <= set(operation["responses"])
        assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(body)


def test_an_entered_part_is_not_entered_again_over_what_was_entered(api, paid):
    """A second entry would change the record without the reason or the old values: it is refused, pointing
    to the correction."""
    again = api("clerk").put(f"{paid['url']}/severance", json={"severance_paid": str(paid["due"]),
                                                               "severance_paid_on": ENDED, "payment_reference": "X"})  # fmt: skip
    assert (again.status_code, again.json["error"]) == (409, "already_entered")
    assert "请更正或撤销该项登记" in again.json["message"]
    record = api("clerk").get(paid["url"]).json
    assert record["severance_paid"] == str(paid["due"] + 1)
