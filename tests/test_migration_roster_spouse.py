"""Migration e8fc25c2741c gives rows stored before it their spouse's ID number as a column (where the
row's data holds a valid one, as the import reads it), so couples are found across plans; 参加工作时间
gets its own column, empty for rows imported when it was read as 入企时间."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from approvals.demo import make_resident_id
from tests.test_migrations import _flask

# The same whatever TEST_DATABASE_URL names (its databases, if any, are its own): CI's PostgreSQL pass leaves
# it out (.ci/run).
pytestmark = pytest.mark.any_database


def _required(conn: sqlite3.Connection, table: str) -> list[str]:
    """The NOT NULL columns without a default of a table (besides its primary key)."""
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})") if row[3] and row[4] is None and not row[5]]


def test_rows_stored_before_the_migration_get_their_spouse_column(tmp_path):
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    assert _flask("db", "upgrade", "0b546237a0ed", url=url).returncode == 0
    husband, wife = make_resident_id("130283", date(1980, 3, 1), 11), make_resident_id("130283", date(1981, 4, 2), 12)
    wrong = wife[:-1] + ("0" if wife[-1] != "0" else "1")
    rows = {"赵四": (husband, {"spouse_id_number": wife.lower()}), "赵五": (wife, {"spouse_id_number": wrong}),
            "钱六": (make_resident_id("130283", date(1965, 5, 3), 13), {})}  # fmt: skip
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO region (code, name, level) VALUES ('130283', '迁安市', 'county')")
        conn.execute("INSERT INTO enterprise (id, name, uscc, industry, region_code, headcount, zombie) "
                     "VALUES (1, '迁安钢铁', '911302830000000011', 'steel', '130283', 100, 0)")  # fmt: skip
        plan = {"id": 1, "enterprise_id": 1, "title": "方案", "status": "drafting", "content": "{}"}
        plan |= {c: 0 if c in ("version", "revision_number") else "" for c in _required(conn, "plan") if c not in plan}
        conn.execute(f"INSERT INTO plan ({', '.join(plan)}) VALUES ({', '.join('?' * len(plan))})", list(plan.values()))
        for name, (number, data) in rows.items():
            worker = {"plan_id": 1, "enterprise_id": 1, "id_number": number, "name": name, "sex": "M",
                      "birth_date": "1980-01-01", "hire_date": "2008-03-01", "data": json.dumps(data)}  # fmt: skip
            worker |= {c: 0 if c not in ("warnings", "row_hash", "updated_at") else "" for c in
                       _required(conn, "roster_worker") if c not in worker}  # fmt: skip
            conn.execute(f"INSERT INTO roster_worker ({', '.join(worker)}) VALUES ({', '.join('?' * len(worker))})",
                         list(worker.values()))  # fmt: skip
    upgraded = _flask("db", "upgrade", url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(path) as conn:
        found = dict(conn.execute("SELECT name, spouse_id_number FROM roster_worker"))
        work_start = {row[0] for row in conn.execute("SELECT work_start FROM roster_worker")}
    assert found == {"赵四": wife, "赵五": None, "钱六": None}  # a wrong check character: no couple by it
    assert work_start == {None}
