"""Migration 3f9d2c7a1e58 keeps each worker's row in the exported roster (the header is row 1) as a column:
rows stored before it are numbered per plan in the order of their ids, as the count on every view numbered
them (two plans' workers interleaved, one removed in the middle); the roster's filter indexes end in the row.
A downgrade takes the column out and gives the indexes back as they were."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from tests.test_migrations import _flask, empty_database  # noqa: F401 -- the fixture

BEFORE = "b8e2f4a6c1d3"
REVISION = "3f9d2c7a1e58"
# plan of each worker in the order they were stored (ids 1…7); the worker with id 4 is removed before
PLANS = [1, 2, 1, 1, 2, 1, 2]


def test_rows_are_numbered_per_plan_by_id_and_taken_out_on_downgrade(empty_database):  # noqa: F811
    url = empty_database
    assert _flask("db", "upgrade", BEFORE, url=url).returncode == 0
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO region (code, name, level) VALUES ('130283', '迁安市', 'county')"))
        conn.execute(text("INSERT INTO enterprise (id, name, uscc, industry, region_code, headcount, zombie) "
                          "VALUES (1, '迁安钢铁', '911302830000000011', 'steel', '130283', 100, false)"))  # fmt: skip
        for plan_id in (1, 2):
            conn.execute(text(
                "INSERT INTO plan (id, enterprise_id, title, status, content, content_hash, revision_number, "
                "roster_digest, created_at, updated_at, version) VALUES "
                "(:id, 1, '方案', 'drafting', '{}', 'h', 0, '', '2018-07-01', '2018-07-01', 1)"), {"id": plan_id})  # fmt: skip
        for n, plan_id in enumerate(PLANS, start=1):
            conn.execute(text(
                "INSERT INTO roster_worker (id, plan_id, enterprise_id, id_number, name, sex, birth_date, channel, "
                "data, warnings, row_hash, updated_at, in_scope, protected, art42, couple, unreachable, has_warnings, "
                "reached_retirement) VALUES (:id, :plan, 1, :number, :name, 'M', '1970-05-20', 'termination', '{}', "
                "'[]', 'x', '2018-07-01', true, false, false, false, false, false, false)"),
                {"id": n, "plan": plan_id, "number": f"13028319700520{n:04d}", "name": f"职工{n}"})  # fmt: skip
        conn.execute(text("DELETE FROM roster_worker WHERE id = 4"))
        counted = conn.execute(text(
            "SELECT w.id, (SELECT count(*) FROM roster_worker o WHERE o.plan_id = w.plan_id AND o.id < w.id) + 2 "
            "FROM roster_worker w ORDER BY w.id")).all()  # fmt: skip
    upgraded = _flask("db", "upgrade", REVISION, url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, plan_id, roster_row FROM roster_worker ORDER BY id")).all()
    assert [(i, p, r) for i, p, r in rows] == [(1, 1, 2), (2, 2, 2), (3, 1, 3), (5, 2, 3), (6, 1, 4), (7, 2, 4)]
    assert [(i, r) for i, _p, r in rows] == [tuple(row) for row in counted]  # what every view counted before
    indexes = {i["name"]: i for i in inspect(engine).get_indexes("roster_worker")}
    assert indexes["ix_roster_worker_row"]["unique"]
    # the filters' indexes list a plan's workers by row
    assert indexes["ix_roster_worker_protected"]["column_names"] == ["plan_id", "roster_row"]
    assert indexes["ix_roster_worker_plan_channel"]["column_names"] == ["plan_id", "channel", "roster_row"]
    assert indexes["ix_roster_worker_id_prefix"]["column_names"] == ["plan_id", "id_number"]
    assert not next(c for c in inspect(engine).get_columns("roster_worker") if c["name"] == "roster_row")["nullable"]

    downgraded = _flask("db", "downgrade", BEFORE, url=url)
    assert downgraded.returncode == 0, downgraded.stderr
    assert "roster_row" not in {c["name"] for c in inspect(engine).get_columns("roster_worker")}
    indexes = {i["name"]: i for i in inspect(engine).get_indexes("roster_worker")}
    assert indexes["ix_roster_worker_protected"]["column_names"] == ["plan_id", "id"]
    assert "ix_roster_worker_id_prefix" not in indexes
    engine.dispose()
