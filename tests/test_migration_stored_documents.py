"""Migration d7a3c5e91b2f asks the worker for the documents of every plan that has one before it (a vote,
a review, a working-group record or its publication), so they are rendered before the first download."""

from __future__ import annotations

import sqlite3

from tests.test_migration_document_numbers import _insert
from tests.test_migrations import _flask


def test_the_plans_with_documents_wait_for_the_worker(tmp_path):
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    assert _flask("db", "upgrade", "c4e8a1f20b6d", url=url).returncode == 0
    with sqlite3.connect(path) as conn:
        _insert(conn, "region", {"code": "130283", "name": "迁安市", "level": "county"})
        _insert(conn, "enterprise", {"id": 1, "name": "迁安钢铁", "uscc": "911302830000000011", "industry": "steel",
                                     "region_code": "130283", "headcount": 100, "zombie": 0})  # fmt: skip
        _insert(conn, "user_account", {"id": 7, "username": "reviewer", "display_name": "reviewer", "active": 1})
        for plan_id, status in ((1, "drafting"), (2, "review"), (3, "publication"), (4, "published")):
            row = {"id": plan_id, "enterprise_id": 1, "title": "方案", "status": status, "content": "{}"}
            _insert(conn, "plan", row | ({"published_at": "2026-01-05 02:00:00"} if plan_id == 4 else {}))
        _insert(conn, "congress_vote", {"id": 1, "plan_id": 2, "held_on": "2026-01-02", "recorded_by_id": 7,
                                        "recorded_at": "2026-01-02 02:00:00"})  # fmt: skip
        _insert(conn, "bureau_review", {"id": 1, "plan_id": 3, "decision": "approve", "content_hash": "0" * 64,
                                        "reviewer_id": 7, "reviewed_at": "2026-01-03 02:00:00"})  # fmt: skip
    upgraded = _flask("db", "upgrade", url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(path) as conn:
        assert sorted(plan_id for (plan_id,) in conn.execute("SELECT plan_id FROM document_job")) == [2, 3, 4]
        assert conn.execute("SELECT count(*) FROM stored_document").fetchone() == (0,)
