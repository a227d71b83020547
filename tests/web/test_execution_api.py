"""The execution ledger's API: scoped like the rest (404 for a plan one may not see, 403 for the wrong role or
for personal data), each entry checked and recorded, the close refused naming each worker's open items."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.extensions import db, get_engine
from approvals.execution.workbook import ID_HEADER, NAME_HEADER
from approvals.models import AuditEvent, RosterWorker
from approvals.rules.resident_id import mask_id
from tests.execution_support import wages_for
from tests.stages import plan_at
from tests.web.test_permissions import KIND, PERSONAL_DATA_KINDS, USERS, VISIBLE_TO


@pytest.fixture
def executing(world) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    plan = plan_at(db.session, get_engine(), world, "executing", firm="steel")
    wages_for(db.session, "130200", 2025)
    worker = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan.id,
                                                           RosterWorker.channel == "termination")).first()  # fmt: skip
    db.session.commit()
    return {"plan": plan.id, "worker": worker.id, "id_number": worker.id_number, "name": worker.name}


def _url(ids: dict[str, Any], tail: str = "") -> str:
    return f"/plans/{ids['plan']}/execution{tail}"


@pytest.mark.parametrize("user", USERS)
def test_reading_the_ledger_and_a_record(api, world, executing, user):
    client = api(user)
    ledger = client.get(_url(executing, "/ledger"))
    record = client.get(_url(executing, f"/workers/{executing['worker']}"))
    if user not in VISIBLE_TO["steel"]:
        assert (ledger.status_code, record.status_code) == (404, 404)
        assert ledger.json["error"] == "plan_not_found"
        return
    assert ledger.status_code == 200
    shown = {row["worker_id"]: row for row in ledger.json["items"]}[executing["worker"]]
    personal = KIND[user] in PERSONAL_DATA_KINDS
    assert shown["id_number"] == (executing["id_number"] if personal else mask_id(executing["id_number"]))
    assert ledger.json["counts"]["all"] == 20
    assert ledger.json["short"]["outcome"] == 20
    assert record.status_code == (200 if personal else 403)
    if not personal:
        assert record.json["error"] == "personal_data"


@pytest.mark.parametrize("user", USERS)
def test_only_the_plans_clerk_enters_a_part_and_closes(api, world, executing, user):
    client = api(user)
    entered = client.put(_url(executing, f"/workers/{executing['worker']}/termination"),
                         json={"terminated_on": "2026-11-30", "certificate_issued_on": "2026-11-30"})  # fmt: skip
    closed = client.post(_url(executing, "/close"))
    if user == "clerk":
        assert entered.status_code == 200, entered.json
        assert entered.json["severance_due"] is not None
        assert entered.json["entered"]["termination"]["name"] == "clerk"
        assert closed.status_code == 409
        return
    status = 403 if user in VISIBLE_TO["steel"] else 404
    assert (entered.status_code, closed.status_code) == (status, status)
    assert entered.json["error"] == {403: "role_required", 404: "plan_not_found"}[status]


def test_a_bad_part_is_422_naming_each_field_and_nothing_is_recorded(api, world, executing):
    clerk = api("clerk")
    before = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.plan_id == executing["plan"])
    )
    response = clerk.put(_url(executing, f"/workers/{executing['worker']}/agreement"),
                         json={"agreement_kind": "无此协议", "agreement_signed_on": "2026-13-01"})  # fmt: skip
    assert response.status_code == 422
    assert {(d["field"], d["rule"]) for d in response.json["details"]} == {("agreement_kind", "choice"),
                                                                          ("agreement_signed_on", "date")}  # fmt: skip
    after = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.plan_id == executing["plan"])
    )
    assert after == before


def test_a_payment_below_the_due_amount_is_422_naming_the_worker_and_amounts(api, world, executing):
    clerk = api("clerk")
    ended = clerk.put(_url(executing, f"/workers/{executing['worker']}/termination"),
                      json={"terminated_on": "2026-11-30", "certificate_issued_on": "2026-11-30"}).json  # fmt: skip
    due = ended["severance_due"]
    response = clerk.put(_url(executing, f"/workers/{executing['worker']}/severance"),
                         json={"severance_paid": "100.00", "severance_paid_on": "2026-11-30", "payment_reference": "x"})  # fmt: skip
    assert response.status_code == 422
    assert executing["name"] in response.json["message"]
    assert f"{float(due):,.2f}" in response.json["message"]


def test_the_close_refusal_names_each_worker_row_and_item(api, world, executing):
    response = api("clerk").post(_url(executing, "/close"))
    assert response.status_code == 409
    assert response.json["error"] == "close_refused"
    rows = {item["row"] for item in response.json["details"]["open"]}
    assert len(rows) == 20
    first = response.json["details"]["open"][0]
    assert f"第{first['row']}行（{first['name']}）" in response.json["message"]


def test_the_openapi_document_lists_the_execution_endpoints(api):
    paths = api(None).get("/openapi.json").json["paths"]
    assert {"/api/v1/plans/{plan_id}/execution/ledger", "/api/v1/plans/{plan_id}/execution/workers/{worker_id}",
            "/api/v1/plans/{plan_id}/execution/workers/{worker_id}/{part}",
            "/api/v1/plans/{plan_id}/execution/close"} <= set(paths)  # fmt: skip


def test_bulk_update_through_the_api_dry_run_then_commit(api, world, executing):
    book = Workbook()
    book.active.append([ID_HEADER, NAME_HEADER, "劳动关系解除（终止）日期"])
    book.active.append([executing["id_number"], executing["name"], "2026-11-30"])
    buffer = io.BytesIO()
    book.save(buffer)
    clerk = api("clerk")

    def upload(query: str):  # type: ignore[no-untyped-def]
        return clerk.put(_url(executing, f"/ledger{query}"), content_type="multipart/form-data",
                         data={"file": (io.BytesIO(buffer.getvalue()), "ledger.xlsx")})  # fmt: skip

    checked = upload("?dry_run=1")
    assert checked.status_code == 200
    assert checked.json["entries"] == 1
    assert not checked.json["committed"]
    assert clerk.get(_url(executing, f"/workers/{executing['worker']}")).json["terminated_on"] is None
    stored = upload("")
    assert stored.status_code == 200
    assert stored.json["committed"]
    assert clerk.get(_url(executing, f"/workers/{executing['worker']}")).json["terminated_on"] == "2026-11-30"
    assert api("reviewer").put(_url(executing, "/ledger?dry_run=1"), content_type="multipart/form-data",
                               data={"file": (io.BytesIO(buffer.getvalue()), "l.xlsx")}).status_code == 403  # fmt: skip
