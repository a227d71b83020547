"""Plan page benchmark: one plan whose 50,000-row roster went through the real import (bench/roster_import.py's
generator, so protected groups, couples, unreachable workers, Art 42 and exclusions are all there), beside
other plans' rosters; every tab of the plan page and the roster's search, filters and deep pages, timed in
process through the Flask test client (routing, queries and template rendering), with the SQL statements
each request sends and the query plan of each roster query.

Run from the repository root:
  .venv/bin/python bench/plan_page.py [--rows N] [--others N] [--repeat K] [--quick] [--database-url URL]

--database-url: an empty database (e.g. postgresql+psycopg://…/bench_x); the bench creates and drops its tables.
The last line printed is one JSON object with the figures, the targets and `ok`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c
from roster_import import PASSWORD, app_config, build_world, generate, make_plans, store_workers, write_xlsx
from sqlalchemy import func, inspect, select, text

from app import create_app
from app.extensions import db
from approvals.actor import Actor
from approvals.models import Plan, User
from approvals.services.roster import import_roster
from approvals.services.roster_view import RosterFilter, roster_ids, roster_page, stored_total
from config import database_url

TARGETS = {"p95_ms": (200.0, "<"), "statements_max": (8, "<="), "full_scans": (0, "==")}
# name: query string of the plan page (the roster's filters are what a reviewer clicks on the warnings tab)
SCENARIOS = {
    "content": "",
    "roster_page_1": "tab=roster",
    "roster_middle_page": "tab=roster&page={middle}",
    "roster_last_page": "tab=roster&page={last}",
    "name_prefix": "tab=roster&q=王",
    "id_prefix": "tab=roster&q=130283198",
    "id_exact": "tab=roster&q={some_id}",
    "unreachable": "tab=roster&unreachable=1",
    "protected": "tab=roster&protected=1",
    "art42": "tab=roster&art42=1",
    "couple": "tab=roster&couple=1",
    "excluded": "tab=roster&excluded=1",
    "warnings": "tab=roster&warnings=1",
    "termination_open_ended": "tab=roster&channel=termination&contract_type=open_ended",
    "warnings_tab": "tab=warnings",
    "gate": "tab=gate",
    "revisions": "tab=revisions",
    "diagram": "tab=diagram",
    "timeline": "tab=timeline",
}


def explain(statement: Any) -> list[str]:
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    return [str(row[-1]) for row in db.session.execute(text(prefix + sql)).all()]


def query_plans(plan: Plan, values: dict[str, Any], per_page: int) -> dict[str, list[str]]:
    """The plans of the roster queries each scenario sends: the page it asks for, then its count unless the
    roster summary keeps the count (approvals/services/roster_view.py roster_total)."""
    out = {}
    for name, query in SCENARIOS.items():
        if "tab=roster" not in query:
            continue
        args = dict(part.split("=", 1) for part in query.format(**values).split("&") if "=" in part)
        chosen = RosterFilter.from_args(args)
        page = roster_page(plan.id, chosen, search_ids=True, page=int(args.get("page", 1)), per_page=per_page)
        out[name] = explain(page)
        if stored_total(plan, chosen) is None:
            ids = roster_ids(plan.id, chosen, search_ids=True)
            out[name] += ["/ count:", *explain(select(func.count()).select_from(ids.order_by(None).subquery()))]
    return out


def full_scans(plans: dict[str, list[str]]) -> list[str]:
    """Roster queries that read the whole table (not one plan's index range): a table scan, or PostgreSQL
    walking the primary key (every plan's workers) and filtering on the plan."""
    marks = ("SCAN roster_worker", "Seq Scan on roster_worker", "using pk_roster_worker")
    return [name for name, lines in plans.items() if any(line.startswith(m) or m in line for line in lines
                                                          for m in marks)]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="workers on the plan's roster (50,000)")
    parser.add_argument("--others", type=int, default=200_000, help="workers on other plans' rosters (200,000)")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per scenario (15)")
    parser.add_argument("--quick", action="store_true", help="5,000 rows, 20,000 others, 5 repeats")
    parser.add_argument("--database-url", default="", help="an empty database instead of a SQLite file")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.others, args.repeat = 5_000, 20_000, 5
    tmp = tempfile.TemporaryDirectory(prefix="plan-page-bench-")
    uri = database_url(args.database_url) if args.database_url else f"sqlite:///{Path(tmp.name) / 'app.sqlite'}"
    app = create_app({**app_config(uri), "WTF_CSRF_ENABLED": False})
    ctx = app.app_context()
    ctx.push()
    if inspect(db.engine).get_table_names():
        print("refusing to run: the database already has tables (use an empty one)", file=sys.stderr)
        return 2
    db.create_all()
    try:
        out = bench(app, ctx, args)
    finally:
        db.session.remove()
        if args.database_url:
            db.drop_all()
        db.engine.dispose()
        ctx.pop()
        tmp.cleanup()
    print(json.dumps(out, ensure_ascii=False))
    return 0


def bench(app: Any, ctx: Any, args: argparse.Namespace) -> dict[str, Any]:
    print(f"plan page benchmark: a {args.rows:,}-row roster beside {args.others:,} workers of other plans, "
          f"{db.engine.dialect.name}, {args.repeat} requests per scenario")  # fmt: skip
    t0 = time.perf_counter()
    roster = generate(args.rows)
    world = build_world(roster)
    store_workers(world, args.others, [], random.Random(1))
    [plan_id] = make_plans(world, 1)
    plan = db.session.get(Plan, plan_id)
    clerk = db.session.get(User, world.clerk_id)
    assert plan is not None
    assert clerk is not None
    report = import_roster(db.session, actor=Actor(clerk, "127.0.0.1"), plan=plan, data=write_xlsx(roster),
                           filename="roster.xlsx", dry_run=False, accept_valid=True)  # fmt: skip
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    some_id = roster.rows[len(roster.rows) // 2]["id_number"]
    pages = -(-report.accepted // app.config["PAGE_SIZE"])
    print(f"data: {report.accepted:,} workers imported ({report.rejected} rows refused) in "
          f"{time.perf_counter() - t0:.1f} s; {pages:,} pages of {app.config['PAGE_SIZE']}")  # fmt: skip
    plans = query_plans(plan, {"middle": pages // 2, "last": pages, "some_id": some_id}, app.config["PAGE_SIZE"])
    scans = full_scans(plans)
    counter = c.SqlCounter(db.engine)
    db.session.remove()
    ctx.pop()  # each request then has its own application context and session, as when served
    try:
        figures, xml_times = timed_requests(app, plan_id, args.repeat, pages, some_id, counter)
    finally:
        ctx.push()
    for name, lines in plans.items():
        print(f"  plan of {name}: {' | '.join(lines)[:160]}")
    counts = {n for f in figures.values() for n in f["statements"]}
    measured = {
        "p95_ms": max(f["p95_ms"] for f in figures.values()),
        "statements_max": max(counts),
        "full_scans": len(scans),
    }
    checks = {k: c.clean(measured[k]) for k in TARGETS}
    ok = all(
        (measured[k] < limit) if op == "<" else (measured[k] <= limit) if op == "<=" else (measured[k] == limit)
        for k, (limit, op) in TARGETS.items()
    )
    return {"bench": "plan_page", "database": db.engine.dialect.name, "rows": report.accepted, "others": args.others,
            "repeat": args.repeat, "scenarios": figures, "diagram_xml_p50_ms": round(c.median(xml_times), 1),
            "full_scans": scans, "figures": checks,
            "targets": {k: f"{op} {v}" for k, (v, op) in TARGETS.items()}, "ok": ok}  # fmt: skip


def timed_requests(app: Any, plan_id: int, repeat: int, pages: int, some_id: str,
                   counter: c.SqlCounter) -> tuple[dict[str, Any], list[float]]:  # fmt: skip
    """Each scenario `repeat` times after one warm-up, logged in as the enterprise's clerk."""
    client = app.test_client()
    assert client.post("/login", data={"username": "clerk", "password": PASSWORD}).status_code == 302
    figures: dict[str, Any] = {}
    for name, query in SCENARIOS.items():
        url = f"/plans/{plan_id}?" + query.format(middle=pages // 2, last=pages, some_id=some_id)
        times, statements = [], set()
        for k in range(repeat + 1):
            counter.reset()
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if k:  # the first is a warm-up
                times.append(elapsed)
                statements.add(len(counter.statements))
        figures[name] = {"p50_ms": round(c.median(times), 1), "p95_ms": round(c.quantile(times, 0.95), 1),
                         "statements": sorted(statements)}  # fmt: skip
        print(f"  {name:24s} p50 {figures[name]['p50_ms']:7.1f} ms  p95 {figures[name]['p95_ms']:7.1f} ms  "
              f"SQL statements {figures[name]['statements']}")  # fmt: skip
    xml_times = []
    for _ in range(repeat):
        start = time.perf_counter()
        assert client.get(f"/plans/{plan_id}/process/placement_plan.bpmn").status_code == 200
        xml_times.append((time.perf_counter() - start) * 1000)
    print(f"  {'diagram_xml':24s} p50 {c.median(xml_times):7.1f} ms")
    return figures, xml_times


if __name__ == "__main__":
    sys.exit(main())
