"""Migration 5ade01ef986b registers the numbers of the documents issued before it: each published plan and
review opinion keeps the number it was printed with (the plan's or the review's id, of the year of its date
in China), under its issuer (the enterprise; the reviewer's most local bureau covering the firm), and the
issuer's next number follows them."""

from __future__ import annotations

import sqlite3

import pytest

from tests.test_migrations import _flask

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, object]) -> None:
    """The row, with a blank or zero for every other NOT NULL column without a default."""
    required = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[3] and r[4] is None and not r[5]]
    texts = {r[1] for r in conn.execute(f"PRAGMA table_info({table})") if "CHAR" in r[2] or "TEXT" in r[2]}
    row = row | {c: "" if c in texts else 0 for c in required if c not in row}
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def test_documents_issued_before_keep_their_numbers_under_their_issuer(tmp_path):
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    assert _flask("db", "upgrade", "7c3d51e0a9b2", url=url).returncode == 0
    with sqlite3.connect(path) as conn:
        for code, name, level, parent in (("130000", "河北省", "province", None), ("130200", "唐山市", "city", "130000"),
                                          ("130283", "迁安市", "county", "130200")):  # fmt: skip
            _insert(conn, "region", {"code": code, "name": name, "level": level, "parent_code": parent})
        _insert(conn, "enterprise", {"id": 1, "name": "迁安钢铁", "uscc": "911302830000000011", "industry": "steel",
                                     "region_code": "130283", "headcount": 100, "zombie": 0})  # fmt: skip
        _insert(conn, "user_account", {"id": 7, "username": "reviewer", "display_name": "reviewer", "active": 1})
        for n, code in enumerate(("130000", "130200"), start=1):
            _insert(conn, "role_grant", {"id": n, "user_id": 7, "role": "bureau", "region_code": code})
        _insert(
            conn,
            "plan",
            {
                "id": 5,
                "enterprise_id": 1,
                "title": "方案",
                "status": "published",
                "content": "{}",
                "published_at": "2025-12-31 16:30:00.000000",
            },
        )  # 2026-01-01 00:30 in Beijing
        _insert(conn, "plan", {"id": 6, "enterprise_id": 1, "title": "草稿", "status": "drafting", "content": "{}"})
        _insert(conn, "bureau_review", {"id": 3, "plan_id": 5, "decision": "approve", "content_hash": "0" * 64,
                                        "reviewer_id": 7, "reviewed_at": "2025-12-20 02:00:00.000000"})  # fmt: skip
    upgraded = _flask("db", "upgrade", url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(path) as conn:
        found = sorted(conn.execute("SELECT kind, record_id, plan_id, issuer, year, serial FROM document_number"))
    assert found == [("published-plan", 5, 5, "enterprise:1", 2026, 5),
                     ("review-opinion", 3, 5, "bureau:130200", 2025, 3)]  # fmt: skip
