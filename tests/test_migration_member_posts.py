"""Migration c4e8b2d61f07 keeps execution_post for family members who are no workers (a worker's post is the
placement outcome of the execution record): it refuses to run while a worker's post is stored there, rather
than drop it, and then removes the ID-number column."""

from __future__ import annotations

import sqlite3

from tests.test_migrations import _flask


def test_a_workers_post_stored_before_stops_the_upgrade_until_it_is_moved(tmp_path):
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    assert _flask("db", "upgrade", "a7d3e9c51b20", url=url).returncode == 0
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO execution_post (plan_id, id_number, member_id, kind, employer, post, starts_on, "
                     "recorded_by_id, recorded_at) VALUES (1, '130283198001010011', NULL, 'employment', '某公司', "
                     "'电工', '2026-11-01', 1, '2026-11-01 08:00:00')")  # fmt: skip
    refused = _flask("db", "upgrade", url=url)
    assert refused.returncode != 0
    assert "execution_post holds posts of roster workers (1)" in refused.stderr
    with sqlite3.connect(path) as conn:
        assert "id_number" in {row[1] for row in conn.execute("PRAGMA table_info(execution_post)")}
        conn.execute("DELETE FROM execution_post")  # entered as the worker's placement outcome instead
    upgraded = _flask("db", "upgrade", url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(path) as conn:
        columns = {row[1]: row[3] for row in conn.execute("PRAGMA table_info(execution_post)")}
    assert "id_number" not in columns
    assert columns["member_id"] == 1  # required
