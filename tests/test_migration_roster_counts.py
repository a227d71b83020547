"""Migration 5e0c2a7d9b41 moves the warnings tab's counts into the plan's roster summary: plans
imported before it get them counted from their stored rows, and a downgrade takes them out again."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, inspect, text

from tests.test_migrations import _flask, empty_database  # noqa: F401 -- the fixture

BEFORE = "38a893b5edc3"
REVISION = "5e0c2a7d9b41"  # this test's migration: later ones add counts of their own
SUMMARY = {"workers": 4, "in_scope": 3, "by_channel": {"termination": 2, "transfer_training": 1}, "terminations": 2,
           "mass_layoff": False, "severance_total": "0", "internal_retirement_total": "0", "severance_missing": 2,
           "unjustified": 0, "unreachable_unfiled": 1}  # fmt: skip
# name, channel, in scope, protected, art42, couple, unreachable, has warnings
ROWS = [("赵四", "termination", True, True, False, True, False, True),
        ("赵五", "termination", True, False, True, True, False, False),
        ("孙七", "transfer_training", True, False, False, False, True, True),
        ("周八", "termination", False, True, False, False, False, False)]  # fmt: skip


def _summaries(engine) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, roster_summary FROM plan ORDER BY id")).all()
    return {i: json.loads(s) if isinstance(s, str) else s for i, s in rows}


def test_counts_are_filled_from_the_stored_rows_and_taken_out_on_downgrade(empty_database):  # noqa: F811
    url = empty_database
    assert _flask("db", "upgrade", BEFORE, url=url).returncode == 0
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO region (code, name, level) VALUES ('130283', '迁安市', 'county')"))
        conn.execute(text("INSERT INTO enterprise (id, name, uscc, industry, region_code, headcount, zombie) "
                          "VALUES (1, '迁安钢铁', '911302830000000011', 'steel', '130283', 100, false)"))  # fmt: skip
        for plan_id, summary in ((1, SUMMARY), (2, None)):
            conn.execute(text(
                "INSERT INTO plan (id, enterprise_id, title, status, content, content_hash, revision_number, "
                "roster_digest, roster_summary, created_at, updated_at, audit_seq, audit_head, version) VALUES "
                "(:id, 1, '方案', 'drafting', '{}', 'h', 0, '', :summary, '2018-07-01', '2018-07-01', 0, '', 1)"),
                {"id": plan_id, "summary": json.dumps(summary) if summary else None})  # fmt: skip
        for n, (name, channel, *flags) in enumerate(ROWS):
            conn.execute(text(
                "INSERT INTO roster_worker (plan_id, enterprise_id, id_number, name, sex, birth_date, channel, data, "
                "warnings, row_hash, updated_at, in_scope, protected, art42, couple, unreachable, has_warnings) "
                "VALUES (1, 1, :number, :name, 'M', '1980-01-01', :channel, '{}', '[]', 'x', '2018-07-01', "
                ":f0, :f1, :f2, :f3, :f4, :f5)"),
                {"number": f"13028319800101{n:04d}", "name": name, "channel": channel,
                 **{f"f{i}": flag for i, flag in enumerate(flags)}})  # fmt: skip
    upgraded = _flask("db", "upgrade", REVISION, url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    summaries = _summaries(engine)
    counts = {"protected": 2, "protected_terminated": 1, "art42": 1, "couple": 2, "couple_terminated": 2,
              "unreachable": 1, "with_warnings": 2}  # fmt: skip
    assert summaries == {1: {**SUMMARY, **counts}, 2: None}
    indexes = {index["name"] for index in inspect(engine).get_indexes("roster_worker")}
    assert "ix_roster_worker_plan_channel" in indexes
    assert not indexes & {"ix_roster_worker_filters", "ix_roster_worker_channel"}

    downgraded = _flask("db", "downgrade", BEFORE, url=url)
    assert downgraded.returncode == 0, downgraded.stderr
    assert _summaries(engine) == {1: SUMMARY, 2: None}
    indexes = {index["name"] for index in inspect(engine).get_indexes("roster_worker")}
    assert {"ix_roster_worker_filters", "ix_roster_worker_channel"} <= indexes
    engine.dispose()
