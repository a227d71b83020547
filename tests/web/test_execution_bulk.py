"""Updating the execution ledger from an .xlsx: a dry run changes nothing, a commit stores every row only
when none has an error, and the report names row, column and rule."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from sqlalchemy import event, func, select

from app.errors import said
from app.extensions import db, get_engine
from app.web.audit_summary import summary_text
from approvals.errors import NotAllowed
from approvals.execution.bulk import bulk_update
from approvals.execution.items import PARTS, parts_for
from approvals.execution.ledger import ledger_of
from approvals.execution.records import record_part
from approvals.execution.workbook import COLUMNS, ID_HEADER, NAME_HEADER, ledger_template
from approvals.models import AuditEvent, ExecutionRecord, Plan, RosterWorker
from notifications.models import Notification
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


def _uploaded(plan: Plan) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.plan_id == plan.id,
                                                            AuditEvent.action == "execution.uploaded")
                                   .order_by(AuditEvent.seq)))  # fmt: skip


def test_the_commit_stores_every_row_with_one_event_for_the_upload(world, executing):
    data = _xlsx(_rows(executing))
    report = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=data, dry_run=False,
                         filename="台账.xlsx", today=TODAY)  # fmt: skip
    assert report.committed
    assert report.errors == []
    db.session.commit()
    assert _count(ExecutionRecord, executing) == 20
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.plan_id == executing.id, AuditEvent.action == "execution.recorded")) == 0  # fmt: skip
    (uploaded,) = _uploaded(executing)
    assert uploaded.summary == {"file": "台账.xlsx", "sha256": hashlib.sha256(data).hexdigest(), "rows": 20,
                             "workers": 20, "entries": 40, "parts": {"agreement": 20, "arrears": 20}, "late": 0}  # fmt: skip
    assert {i.key for r in ledger_of(db.session, executing, TODAY).rows for i in r.open} <= {"termination", "outcome"}


def _ended_rows(plan: Plan) -> list[dict[str, str]]:
    """Every leaving worker's end, the payment of the severance due and the transfers, some done late
    (劳动合同法 Art 50: within 15 days of the end), in one row each."""
    rows = []
    for number, r in enumerate(
        r for r in ledger_of(db.session, plan, TODAY).rows if "termination" in parts_for(r.worker.channel)
    ):
        ended = date(2026, 11, 2 + number % 3)
        rows.append({ID_HEADER: r.worker.id_number, NAME_HEADER: r.worker.name,
                     "劳动关系解除（终止）日期": ended.isoformat(), "实付经济补偿（元）": "999999",
                     "支付日期": ended.isoformat(), "支付凭证号": f"P-{number}",
                     "社会保险关系转移日期": "2026-12-01" if number % 2 else "2026-11-10"})  # fmt: skip
    return rows


def _stored(plan: Plan) -> dict[int, dict[str, object]]:
    """Each worker's record as stored, without the times it was entered."""
    skip = {"id", "updated_at", "entered"}
    return {r.worker_id: {c.key: getattr(r, c.key) for c in ExecutionRecord.__table__.columns if c.key not in skip}
            | {"entered": {p: e["by"] for p, e in r.entered.items()}}
            for r in db.session.scalars(select(ExecutionRecord).where(ExecutionRecord.plan_id == plan.id))}  # fmt: skip


def _late_told(plan: Plan) -> list[tuple[int, str]]:
    told = db.session.scalars(select(Notification).where(Notification.plan_id == plan.id,
                                                         Notification.kind == "execution_late"))  # fmt: skip
    return sorted((n.payload["row"], str(n.payload["late"])) for n in told)


@pytest.mark.parametrize("before", ["nothing", "agreements"])
def test_the_upload_stores_what_entering_the_rows_one_by_one_stores(world, executing, before):
    if before == "agreements":  # the workers' records exist: the upload changes them
        first = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(_rows(executing)),
                            dry_run=False, today=TODAY)  # fmt: skip
        assert first.committed
        db.session.commit()
    stored_before = _stored(executing)
    rows = _ended_rows(executing)
    assert len(rows) >= 5
    numbers = {r.worker.id_number: r.worker.id for r in ledger_of(db.session, executing, TODAY).rows}
    by_header = {header: (part, key) for part, key, header in COLUMNS}
    for row in rows:  # the single entry, part by part in the order they happen
        parts: dict[str, dict[str, str]] = {}
        for header, value in row.items():
            if header in by_header:
                parts.setdefault(by_header[header][0], {})[by_header[header][1]] = value
        for part in (p for p in PARTS if p in parts):
            record_part(db.session, actor=world.actor("clerk"), plan=executing, worker_id=numbers[row[ID_HEADER]],
                        part=part, values=parts[part], today=TODAY)  # fmt: skip
    one_by_one, told_one_by_one = _stored(executing), _late_told(executing)
    db.session.rollback()
    assert _stored(executing) == stored_before

    report = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(rows), dry_run=False,
                         today=TODAY)  # fmt: skip
    assert report.errors == []
    db.session.commit()
    assert _stored(executing) == one_by_one
    assert sum(r["severance_due"] is not None for r in one_by_one.values()) == len(rows)
    assert _late_told(executing) == told_one_by_one  # the bureau is told of each late transfer, as one by one
    assert told_one_by_one
    uploaded = _uploaded(executing)[-1]
    assert (uploaded.summary["entries"], uploaded.summary["late"]) == (3 * len(rows), len(rows) // 2)


def test_a_dry_runs_statements_do_not_grow_with_its_rows(world, executing):
    def statements(rows: list[dict[str, str]]) -> int:
        data, actor = _xlsx(rows), world.actor("clerk")
        assert executing.enterprise.region_code  # the plan as loaded before, not counted
        seen: list[str] = []

        def count(*args) -> None:  # type: ignore[no-untyped-def]
            seen.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            report = bulk_update(db.session, actor=actor, plan=executing, data=data, dry_run=True, today=TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert report.errors == []
        db.session.rollback()
        return len(seen)

    rows = [{**r, "劳动关系解除（终止）日期": "2026-11-02", "支付日期": "2026-11-02"} for r in _ended_rows(executing)]
    assert len(rows) >= 6
    assert statements(rows[:2]) == statements(rows)


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
    assert _uploaded(executing) == []


def test_a_rule_of_the_single_entry_names_the_row_and_column_of_the_upload(world, executing):
    rows = _ended_rows(executing)
    rows[3]["实付经济补偿（元）"] = "1.00"  # below the severance due (劳动合同法 Art 47)
    rows[4]["社会保险关系转移日期"] = "2026-10-01"  # before the end
    report = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(rows), dry_run=False,
                         today=TODAY)  # fmt: skip
    assert not report.committed
    assert {(e["row"], e["column"], e["rule"]) for e in report.errors} == {
        (5, "实付经济补偿（元）", "not_below_due"), (6, "社会保险关系转移日期", "after_end")}  # fmt: skip
    assert all(e["message"].startswith(f"第{e['row']}行") for e in report.errors)
    db.session.commit()
    assert _count(ExecutionRecord, executing) == 0
    assert _uploaded(executing) == []


def test_only_the_plans_clerk_updates_in_bulk(world, executing):
    with pytest.raises(NotAllowed):
        bulk_update(db.session, actor=world.actor("reviewer"), plan=executing, data=_xlsx([]), dry_run=True)


def test_the_uploads_event_is_said_for_people_in_both_languages(app):
    stored = {"file": "台账.xlsx", "sha256": "ab" * 32, "rows": 20, "workers": 19, "entries": 1,
              "parts": {"agreement": 1}, "late": 2}  # fmt: skip
    with app.test_request_context():
        with force_locale("zh_CN"):  # not whatever locale an earlier test left on the shared app context
            said = summary_text("execution.uploaded", stored)
        with force_locale("en"):
            english = summary_text("execution.uploaded", stored)
    assert "文件“台账.xlsx”" in said
    assert all(words in said for words in ("20行", "19名职工", "登记1项"))
    assert "其中2项超过法定期限办理，已告知人社部门" in said
    assert "文件SHA-256 abababababab" in said
    assert all(words in english for words in ("20 rows", "19 workers", "1 entry"))
    assert "2 entries done after the legal period" in english
    assert not re.search(r"[{}\[\]]|agreement|\b[0-9a-f]{64}\b", said + english)


def test_a_rule_message_names_the_workers_roster_row_and_name_beside_the_files_row(app, world, executing):
    rows = list(reversed(_ended_rows(executing)))  # the file's order is not the roster's
    rows[3]["实付经济补偿（元）"] = "1.00"  # below the severance due (劳动合同法 Art 47)
    rows[4][NAME_HEADER] = "别人"
    rows.append(dict(rows[0]))  # the same worker twice
    roster = {r.worker.id_number: r.row for r in ledger_of(db.session, executing, TODAY).rows}
    report = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(rows), dry_run=True,
                         today=TODAY)  # fmt: skip
    by_rule = {e["rule"]: e for e in report.errors}
    assert set(by_rule) == {"not_below_due", "name_matches", "duplicate_in_file"}
    for rule, index in (("not_below_due", 3), ("name_matches", 4), ("duplicate_in_file", len(rows) - 1)):
        error, written = by_rule[rule], rows[index]
        assert error["row"] == index + 2
        assert error["roster_row"] == roster[written[ID_HEADER]] != error["row"]
        assert error["name"] == db.session.scalar(select(RosterWorker.name).where(
            RosterWorker.plan_id == executing.id, RosterWorker.id_number == written[ID_HEADER]))  # fmt: skip
    payment = by_rule["not_below_due"]
    assert str(payment["message"]).startswith(
        f"第{payment['row']}行（名单第{payment['roster_row']}行，{payment['name']}）：实付"
    )
    assert f"名单第{by_rule['name_matches']['roster_row']}行" in str(by_rule["name_matches"]["message"])
    with app.test_request_context(), force_locale("en"):
        english = said(payment["message"])
    assert english.startswith(f"Row {payment['row']} (roster row {payment['roster_row']}, {payment['name']}): the sev")


def test_a_part_entered_before_is_not_changed_by_an_upload_but_the_same_values_pass(world, executing):
    first = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(_rows(executing)),
                        dry_run=False, today=TODAY)  # fmt: skip
    assert first.committed
    db.session.commit()
    rows = _rows(executing)
    again = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(rows), dry_run=True,
                        today=TODAY)  # fmt: skip
    assert (again.errors, again.entries) == ([], 0)  # the same values: nothing entered again
    rows[2]["签订日期"] = "2026-11-21"
    changed = bulk_update(db.session, actor=world.actor("clerk"), plan=executing, data=_xlsx(rows), dry_run=False,
                          today=TODAY)  # fmt: skip
    assert not changed.committed
    (error,) = changed.errors
    assert (error["row"], error["rule"]) == (4, "already_entered")
    assert "请在该职工的实施记录中更正或撤销" in str(error["message"])
