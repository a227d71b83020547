"""Migration b52ad681d270 fills the roster's filter facts of rows stored before it, by the import's rules."""

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


def test_rows_stored_before_the_migration_get_their_facts(tmp_path):
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    assert _flask("db", "upgrade", "c3101fcbcfcd", url=url).returncode == 0
    husband, wife = make_resident_id("130283", date(1980, 3, 1), 11), make_resident_id("130283", date(1981, 4, 2), 12)
    veteran, plain = make_resident_id("130283", date(1965, 5, 3), 13), make_resident_id("130283", date(1990, 6, 4), 15)
    rows = [  # id number, name, hire date, retirement date, data, warnings
        (husband, "赵四", "2008-03-01", "2040-03-01", {"spouse_id_number": wife, "contract_type": "open_ended"}, []),
        (wife, "赵五", "2008-03-01", "2031-04-02", {"spouse_id_number": husband, "pregnancy": True}, []),
        (veteran, "钱六", "1990-01-01", "2022-05-03", {"model_worker": "provincial"}, []),  # Art 42: service, age
        (
            plain,
            "孙七",
            "2015-01-01",
            "2050-06-04",
            {"contact_status": "unreachable"},
            [{"rule": "unreachable_filing"}],
        ),
    ]
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO region (code, name, level) VALUES ('130283', '迁安市', 'county')")
        conn.execute("INSERT INTO enterprise (id, name, uscc, industry, region_code, headcount, zombie) "
                     "VALUES (1, '迁安钢铁', '911302830000000011', 'steel', '130283', 100, 0)")  # fmt: skip
        content = json.dumps({"severance": {"reference_date": "2018-07-31"}})
        conn.execute("INSERT INTO plan (id, enterprise_id, title, status, content, content_hash, revision_number, "
                     "roster_digest, created_at, updated_at, audit_seq, audit_head, version) VALUES "
                     "(1, 1, '方案', 'drafting', ?, 'h', 0, '', '2018-07-01', '2018-07-01', 0, '', 1)", (content,))  # fmt: skip
        conn.executemany(
            "INSERT INTO roster_worker (plan_id, enterprise_id, id_number, name, sex, birth_date, hire_date, "
            "retirement_date, channel, in_scope, data, warnings, row_hash, updated_at) "
            "VALUES (1, 1, ?, ?, 'M', '1980-01-01', ?, ?, 'transfer_training', 1, ?, ?, 'x', '2018-07-01')",
            [
                (n, name, hired, retires, json.dumps(data), json.dumps(warn))
                for n, name, hired, retires, data, warn in rows
            ],
        )
    upgraded = _flask("db", "upgrade", url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(path) as conn:
        facts = {name: rest for name, *rest in conn.execute(
            "SELECT name, contract_type, protected, art42, couple, unreachable, has_warnings FROM roster_worker")}  # fmt: skip
    assert facts == {
        "赵四": ["open_ended", 0, 0, 1, 0, 0],
        "赵五": [None, 0, 1, 1, 0, 0],
        "钱六": [None, 1, 1, 0, 0, 0],
        "孙七": [None, 0, 0, 0, 1, 1],
    }
