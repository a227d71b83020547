"""Migration 4bcb5edcf3fd turns each return recorded before it (a bureau return, a working group's 退回修改)
into one reason: bound to the revision submitted after it, without an answer (none was asked for then), or
open, to be answered at resubmission, where no revision followed yet."""

from __future__ import annotations

import sqlite3

import pytest

from tests.test_migration_roster_spouse import _required
from tests.test_migrations import _flask

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, object]) -> None:
    row = row | {c: 0 for c in _required(conn, table) if c not in row}
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def test_earlier_returns_become_reasons_answered_by_the_next_revision_or_open(tmp_path):
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    assert _flask("db", "upgrade", "5ade01ef986b", url=url).returncode == 0
    with sqlite3.connect(path) as conn:
        _insert(conn, "plan", {"id": 1, "enterprise_id": 1, "title": "方案", "status": "drafting", "content": "{}"})
        for number, submitted in ((1, "2026-11-01 08:00:00"), (2, "2026-11-10 08:00:00")):
            _insert(conn, "plan_revision", {"id": number, "plan_id": 1, "number": number, "title": "方案",
                                            "content": "{}", "submitted_at": submitted})  # fmt: skip
        _insert(conn, "bureau_review", {"id": 1, "plan_id": 1, "decision": "return", "reasons": "请补充协议。",
                                        "reviewed_at": "2026-11-05 08:00:00"})  # fmt: skip
        _insert(conn, "bureau_review", {"id": 2, "plan_id": 1, "decision": "approve", "reasons": "",
                                        "reviewed_at": "2026-11-12 08:00:00"})  # fmt: skip
        _insert(conn, "working_group_record", {"id": 1, "plan_id": 1, "members": "[]", "findings": "请核实资金。",
                                               "decision": "revise", "recorded_at": "2026-11-20 08:00:00"})  # fmt: skip
    upgraded = _flask("db", "upgrade", url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT review_id, working_group_record_id, number, text, answer, revision_id "
                            "FROM return_reason ORDER BY id").fetchall()  # fmt: skip
    assert rows == [(1, None, 1, "请补充协议。", None, 2), (None, 1, 1, "请核实资金。", None, None)]
