"""Updating the execution ledger from an .xlsx: a dry run changes nothing, a commit stores every row only
when none has an error, and the report names row, column and rule."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.extensions import db, get_engine
from approvals.errors import NotAllowed
from approvals.execution.bulk import bulk_update
from approvals.execution.ledger import ledger_of
from approvals.execution.workbook import COLUMNS, ID_HEADER, NAME_HEADER, ledger_template
from approvals.models import AuditEvent, ExecutionRecord, Plan
from tests.execution_support import wages_for
from tests.stages import plan_at

TODAY = date(2026, 12, 7)
HEADERS = [ID_HEADER, NAME_HEADER, *(header for _part, _key, header in COLUMNS)]


@pytest.fixture
def executing(world) -> Plan:  # type: ignore[no-untyped-def]
    plan = plan_at(db.session, get_engine(), world, "executing", firm="steel")
    wages_for(db.session, "130200", 2025)
    db.session.commit()
    return plan


def _xlsx(rows: list[dict[str, str]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(plan: Plan) -> list[dict[str, str]]:
    """An agreement and the arrears for every worker in scope."""
    kinds = {"internal_retirement": "内部退养协议", "transfer_training": "转岗（变更劳动合同）协议",
             "transformation": "转岗（变更劳动合同）协议"}  # fmt: skip
    return [{ID_HEADER: r.worker.id_number, NAME_HEADER: r.worker.name,
             "协议类型": kinds.get(r.worker.channel or "", "解除（终止）劳动合同协议"), "签订日期": "2026-11-20",
             "拖欠工资和社会保险费金额（元，无拖欠填0）": "0"} for r in ledger_of(db.session, plan, TODAY).rows]  # fmt: skip


def _count(model, plan: Plan) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model).where(model.plan_id == plan.id)) or 0


def test_the_template_has_the_columns_and_drop_downs():
    sheet = load_workbook(io.BytesIO(ledger_template())).active
    assert [c.value for c in sheet[1]] == HEADERS
    listed = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert any("内部退养协议" in f for f in listed)
    assert any("公益性岗位安置" in f for f in listed)


def test_a_dry_run_checks_every_row_and_changes_nothing(world, executing):
    report = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(_rows(executing)),
                         dry_run=True, today=TODAY)  # fmt: skip
    assert (report.rows, report.entries, report.errors, report.committed) == (20, 40, [], False)
    db.session.commit()
    assert _count(ExecutionRecord, executing) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.plan_id == executing.id, AuditEvent.action == "execution.recorded")) == 0  # fmt: skip


def test_the_commit_stores_every_row_each_entry_in_the_trail(world, executing):
    report = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(_rows(executing)),
                         dry_run=False, today=TODAY)  # fmt: skip
    assert report.committed
    assert report.errors == []
    db.session.commit()
    assert _count(ExecutionRecord, executing) == 20
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.plan_id == executing.id, AuditEvent.action == "execution.recorded")) == 40  # fmt: skip
    assert {i.key for r in ledger_of(db.session, executing, TODAY).rows for i in r.open} <= {"termination", "outcome"}


def test_one_bad_row_stores_nothing_and_the_report_names_row_column_and_rule(world, executing):
    rows = _rows(executing)
    rows[2]["签订日期"] = "2026-02-30"
    rows[5][NAME_HEADER] = "别人"
    rows.append({ID_HEADER: "110101199001011234", NAME_HEADER: "外人"})
    report = bulk_update(db.session, actor=world.actor("clerk"), plan=executing,
                         data=_xlsx(rows, [*HEADERS, "备注"]), dry_run=False, today=TODAY)  # fmt: skip
    assert not report.committed
    found = {(e["row"], e["column"], e["rule"]) for e in report.errors}
    assert found == {(1, "备注", "known_column"), (4, "签订日期", "date"), (7, NAME_HEADER, "name_matches"),
                     (22, ID_HEADER, "worker_in_plan")}  # fmt: skip
    db.session.commit()
    assert _count(ExecutionRecord, executing) == 0


def test_only_the_plans_clerk_updates_in_bulk(world, executing):
    with pytest.raises(NotAllowed):
        bulk_update(db.session, actor=world.actor("reviewer"), plan=executing, data=_xlsx([]), dry_run=True)
