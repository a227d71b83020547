"""Migration abe87ddce286 flags the workers at or past the statutory retirement age (劳动合同法 Art 44(2),
实施条例 Art 21): rows stored before it get the flag from their retirement date against the plan's
reference date, the plan's roster summary gets the count, and a downgrade takes both out again."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, inspect, text

from tests.test_migrations import _flask, empty_database  # noqa: F401 -- the fixture

BEFORE = "fe6f364e122a"
REVISION = "abe87ddce286"
SUMMARY = {"workers": 3, "in_scope": 3, "by_channel": {"termination": 3}, "terminations": 3}
CONTENT = {"severance": {"reference_date": "2018-09-30"}}
# name, retirement date: before, on and after the reference date
ROWS = [("赵四", "2018-05-20"), ("赵五", "2018-09-30"), ("孙七", "2018-10-01")]


def _summaries(engine) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, roster_summary FROM plan ORDER BY id")).all()
    return {i: json.loads(s) if isinstance(s, str) else s for i, s in rows}


def test_reached_retirement_is_filled_from_the_stored_dates_and_taken_out_on_downgrade(empty_database):  # noqa: F811
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
                "roster_digest, roster_summary, created_at, updated_at, version) VALUES "
                "(:id, 1, '方案', 'drafting', :content, 'h', 0, '', :summary, '2018-07-01', '2018-07-01', 1)"),
                {"id": plan_id, "content": json.dumps(CONTENT), "summary": json.dumps(summary) if summary else None})  # fmt: skip
        for n, (name, retirement) in enumerate(ROWS):
            conn.execute(text(
                "INSERT INTO roster_worker (plan_id, enterprise_id, id_number, name, sex, birth_date, channel, data, "
                "warnings, row_hash, updated_at, in_scope, protected, art42, couple, unreachable, has_warnings, "
                "retirement_date) VALUES (1, 1, :number, :name, 'M', '1958-05-20', 'termination', '{}', '[]', 'x', "
                "'2018-07-01', true, false, false, false, false, false, :retirement)"),
                {"number": f"13028319580520{n:04d}", "name": name, "retirement": retirement})  # fmt: skip
    upgraded = _flask("db", "upgrade", REVISION, url=url)
    assert upgraded.returncode == 0, upgraded.stderr
    with engine.connect() as conn:
        flagged = conn.execute(text("SELECT name FROM roster_worker WHERE reached_retirement ORDER BY id")).scalars()
        assert list(flagged) == ["赵四", "赵五"]
    assert _summaries(engine) == {1: {**SUMMARY, "reached_retirement": 2}, 2: None}
    assert "ix_roster_worker_reached_retirement" in {i["name"] for i in inspect(engine).get_indexes("roster_worker")}

    downgraded = _flask("db", "downgrade", BEFORE, url=url)
    assert downgraded.returncode == 0, downgraded.stderr
    assert _summaries(engine) == {1: SUMMARY, 2: None}
    assert "reached_retirement" not in {c["name"] for c in inspect(engine).get_columns("roster_worker")}
    engine.dispose()
