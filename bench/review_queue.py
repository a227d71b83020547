"""Review queue benchmark: the bureau reviewer's home page over many plans.

Run from the repository root:
  .venv/bin/python bench/review_queue.py [--plans N] [--quick] [--repeat K] [--database-url URL]

What it does:

  database  SQLite file in a temp dir (or --database-url, e.g. PostgreSQL: use an empty database, the
            bench creates and drops its tables) with Hebei's regions, --enterprises enterprises spread
            over the counties and the six industries, a provincial and a city reviewer, and --plans
            plans bulk-inserted untimed in the shape the process leaves them: a status per stage
            (40% waiting for review), the task mirror (completed drafting and vote tasks, the open
            review task), the workflow instance with the review timer's due time (none for the ~1/3 of
            the reviews already past their deadline, escalated with an audit event), risk levels for
            the plans past review; every row carries the document, roster summary and engine state of
            one plan driven to the review through the services (rows of several KB, as in use).
  plan      EXPLAIN (QUERY PLAN) of the queue's page query.
  timing    the home page (the queue's section included) through the Flask test client, logged in as
            each reviewer, for: the default view, every stage, each filter alone, all filters at once,
            and a deep page. After one untimed warm-up of each, --repeat rounds in rotated order;
            wall and CPU time per request, p50/p95/max per view, and the SQL statements of each
            request. `ok` when every view's WALL p95 is under 200 ms (the issue's page target): that is
            what a reviewer waits, and with PostgreSQL the only time that includes the server's work.
            The CPU time (the test client, the app and SQLite share one thread) is printed beside it
            for attribution: on a machine shared with other work, wall minus CPU is the wait for a core.
            Every page is checked for the queue's section and for the title of a plan it must list.

The database must be empty (the bench refuses one with tables); it creates its tables and drops
them at the end (a SQLite file lives in a temp dir that is removed).
The last line printed is one JSON object with the figures, the targets and `ok`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import _common as c
from sqlalchemy import insert, inspect, select, text
from werkzeug.security import generate_password_hash

from app import create_app
from app.extensions import db, get_engine
from approvals.actor import SYSTEM, Actor
from approvals.db import utcnow
from approvals.demo import ENTERPRISES, advance_to, create_complete_plan, make_uscc, seed_wage_parameters
from approvals.models import (
    AuditEvent,
    HumanTask,
    Plan,
    Region,
    Role,
    User,
    WorkflowInstance,
)
from approvals.queries.plan_list import PlanFilter, review_queue
from approvals.regions import HEBEI_REGIONS
from approvals.services import accounts
from config import database_url

PASSWORD = "Bench#2026-pw"  # noqa: S105 (a throw-away database)
TARGET_P95_MS = 200.0
STAGES = [("review", 40), ("drafting", 15), ("congress", 10), ("working_group", 10), ("publication", 15),
          ("published", 10)]  # fmt: skip
TASK_OF = {"drafting": "draft_plan", "congress": "congress_vote", "review": "bureau_review",
           "working_group": "form_working_group", "publication": "publish_plan"}  # fmt: skip
LANE_OF = {"draft_plan": "enterprise", "congress_vote": "union", "bureau_review": "bureau",
           "form_working_group": "working_group", "publish_plan": "enterprise"}  # fmt: skip


def seed(plans: int, enterprises: int, rng: random.Random) -> dict[str, Any]:
    for code, name, level, parent in HEBEI_REGIONS:
        db.session.add(Region(code=code, name=name, level=level, parent_code=parent))
    db.session.flush()
    seed_wage_parameters(db.session)
    counties = [code for code, _n, level, _p in HEBEI_REGIONS if level == "county"]
    industries = [industry for industry, *_ in ENTERPRISES]
    firms = []
    for n in range(enterprises):
        region = counties[n % len(counties)]
        firms.append(accounts.create_enterprise(
            db.session, actor=SYSTEM, name=f"示范企业{n + 1}", uscc=make_uscc(region, 500000 + n),
            industry=industries[n % len(industries)], region_code=region, headcount=rng.randrange(80, 3000),
            zombie=n % 17 == 0))  # fmt: skip
    users = {}
    for username, region in (("province", "130000"), ("tangshan", "130200")):
        user = User(username=username, display_name=username, password_hash=generate_password_hash(PASSWORD))
        db.session.add(user)
        db.session.flush()
        accounts.grant_role(db.session, actor=SYSTEM, user=user, role=Role.BUREAU, region_code=region)
        users[username] = user
    # One plan driven through the process for real: every bulk row carries its document and engine state.
    clerk, union = (accounts.create_user(db.session, actor=SYSTEM, username=name, password=PASSWORD,
                                         display_name=name) for name in ("clerk", "union"))  # fmt: skip
    accounts.grant_role(db.session, actor=SYSTEM, user=clerk, role=Role.ENTERPRISE, enterprise=firms[0])
    accounts.grant_role(db.session, actor=SYSTEM, user=union, role=Role.UNION, enterprise=firms[0])
    model = create_complete_plan(db.session, get_engine(), actor=Actor(clerk, "-"), enterprise=firms[0], title="样板")
    advance_to(db.session, get_engine(), model, "review", Actor(clerk, "-"), Actor(union, "-"), Actor(clerk, "-"))
    instance = db.session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == model.id)).one()
    content, summary, state, version = model.content, model.roster_summary, instance.state, instance.process_version
    first = model.id + 1
    now = utcnow()
    weights = [w for _s, w in STAGES]
    plan_rows, instance_rows, task_rows, audit_rows = [], [], [], []
    for pid in range(first, first + plans):
        firm = firms[rng.randrange(len(firms))]
        status = rng.choices([s for s, _w in STAGES], weights)[0]
        created = now - timedelta(days=rng.uniform(30, 400))
        risk = None if status in ("drafting", "congress", "review") else (
            "high" if status == "working_group" or rng.random() < 0.15 else "normal")  # fmt: skip
        plan_rows.append({"id": pid, "enterprise_id": firm.id, "title": f"{firm.name}职工安置方案（第{pid}号）",
                          "status": status, "content": content, "roster_summary": summary, "content_hash": f"{pid:064x}",
                          "revision_number": 1 if status != "drafting" else 0, "roster_digest": "",
                          "risk_level": risk, "risk_reason": "未见高风险情形" if risk == "normal" else (
                              "拟出清的僵尸企业" if risk else None), "created_at": created, "updated_at": created,
                          "version": 1})  # fmt: skip
        timer = None
        ready = created
        for done in ("draft_plan", "congress_vote")[: 0 if status == "drafting" else 1 if status == "congress" else 2]:
            task_rows.append({"plan_id": pid, "task_uuid": f"{pid}-{done}", "bpmn_id": done, "title": done,
                              "lane": LANE_OF[done], "ready_at": ready, "completed_at": ready + timedelta(days=3)})  # fmt: skip
            ready += timedelta(days=3)
        if status == "review":
            ready = now - timedelta(days=rng.uniform(0, 30))
            due = ready + timedelta(days=20)
            timer = due if due > now else None
            if timer is None:
                audit_rows.append({"chain": f"plan:{pid}", "seq": 1, "plan_id": pid, "actor_id": None,
                                   "actor_name": "system", "actor_role": "system", "action": "review.escalated",
                                   "summary": {}, "remote_addr": "-", "occurred_at": due, "prev_hash": "",
                                   "hash": f"{pid:064x}"})  # fmt: skip
        if status in TASK_OF:
            task = TASK_OF[status]
            task_rows.append({"plan_id": pid, "task_uuid": f"{pid}-{task}", "bpmn_id": task, "title": task,
                              "lane": LANE_OF[task], "ready_at": ready, "completed_at": None})  # fmt: skip
        instance_rows.append({"plan_id": pid, "process_version": version, "state": state,
                              "completed": status == "published", "next_timer_at": timer, "version": 1})  # fmt: skip
    for table, rows in ((Plan, plan_rows), (WorkflowInstance, instance_rows), (HumanTask, task_rows),
                        (AuditEvent, audit_rows)):  # fmt: skip
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(table), rows[start : start + 2000])
    db.session.commit()
    db.session.execute(text("ANALYZE"))  # statistics for the planner, as a live database has them
    db.session.commit()
    return {"users": users, "review": sum(r["status"] == "review" for r in plan_rows),
            "tasks": len(task_rows), "escalated": len(audit_rows)}  # fmt: skip


def explain(user: User) -> list[str]:
    query = review_queue(user, PlanFilter(status="review"), utcnow()).limit(50)
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        return [" ".join(str(v) for v in row) for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    sql = sql.replace("%%", "%")  # the compiled literal is escaped for the driver's paramstyle
    return [row[0] for row in db.session.execute(text("EXPLAIN ANALYZE " + sql))]


def expected_titles(app: Any) -> dict[str, str | None]:
    """Per view, the title of the first plan its page must show (None: the view lists no plan), read
    with the queue's own query before timing, so a page that loses its rows fails the check."""
    out: dict[str, str | None] = {}
    size = app.config["PAGE_SIZE"]
    for view, (username, url) in VIEWS.items():
        args = dict(part.split("=", 1) for part in url.partition("?")[2].split("&") if "=" in part)
        user = db.session.scalars(select(User).where(User.username == username)).one()
        page = int(args.pop("page", "1"))
        ids = review_queue(user, PlanFilter.of(args, default_status="review"), utcnow())
        first = db.session.scalar(ids.offset((page - 1) * size).limit(1))
        out[view] = db.session.get(Plan, first).title if first is not None else None  # type: ignore[union-attr]
    return out


def login(app: Any, username: str) -> Any:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


VIEWS = {
    "default (waiting for review)": ("province", "/"),
    "every stage": ("province", "/?status=all"),
    "city filter": ("province", "/?status=all&city=130200"),
    "industry filter": ("province", "/?status=all&industry=coal"),
    "risk filter": ("province", "/?status=all&risk=high"),
    "all filters": ("province", "/?status=all&city=130400&industry=coke&risk=normal"),
    "deep page": ("province", "/?status=all&page=150"),
    "city reviewer": ("tangshan", "/"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=10_000, help="plans in the database (default 10,000)")
    parser.add_argument("--enterprises", type=int, default=300, help="enterprises (default 300)")
    parser.add_argument("--repeat", type=int, default=20, help="timed rounds over every view (default 20)")
    parser.add_argument("--quick", action="store_true", help="2,000 plans, 5 rounds")
    parser.add_argument("--database-url", default="", help="an empty database instead of a temp SQLite file")
    parser.add_argument("--postgres", default="", metavar="SERVER_URL",
                        help="run on a database of the bench's own on this PostgreSQL server (bench_queue_PID, "
                             "dropped at the end), e.g. postgresql://postgres@127.0.0.1:5432/postgres")  # fmt: skip
    args = parser.parse_args()
    if args.quick:
        args.plans, args.repeat = 2_000, 5
    if args.postgres:
        with c.ScratchPostgres(args.postgres, "queue") as url:
            args.database_url = url
            return bench(args)
    return bench(args)


def bench(args: argparse.Namespace) -> int:
    tmp = tempfile.TemporaryDirectory(prefix="review-queue-bench-")
    uri = args.database_url or f"sqlite:///{Path(tmp.name) / 'app.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(uri), "SECRET_KEY": "bench",
                      "AUDIT_KEY": "bench-audit"})  # fmt: skip
    with app.app_context():
        if inspect(db.engine).get_table_names():
            print("refusing to run: the database already has tables (use an empty one)", file=sys.stderr)
            return 2
    try:
        return run(app, args, uri)
    finally:
        with app.app_context():
            db.session.remove()
            if args.database_url:
                db.drop_all()
            db.engine.dispose()
        tmp.cleanup()


def run(app: Any, args: argparse.Namespace, uri: str) -> int:
    with app.app_context():
        db.create_all()
        t0 = time.perf_counter()
        seeded = seed(args.plans, args.enterprises, random.Random(7))
        seed_s = time.perf_counter() - t0
        plan_lines = explain(db.session.scalars(select(User).where(User.username == "province")).one())
        titles = expected_titles(app)
        db.session.remove()
    print(f"review queue benchmark: {args.plans:,} plans ({seeded['review']:,} waiting for review, "
          f"{seeded['escalated']:,} of them escalated), {seeded['tasks']:,} mirrored tasks, seeded in {seed_s:.1f} s")  # fmt: skip
    print(f"database {uri.split(':', 1)[0]}; python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("query plan of the page query (province reviewer, waiting for review):")
    for line in plan_lines:
        print("  " + line)

    with app.app_context():
        counter = c.SqlCounter(db.engine)
        clients = {name: login(app, name) for name in ("province", "tangshan")}
        timings: dict[str, list[float]] = {view: [] for view in VIEWS}
        cpu_times: dict[str, list[float]] = {view: [] for view in VIEWS}
        statements: dict[str, int] = {}
        names = list(VIEWS)
        for view in names:  # warm-up, untimed
            user, url = VIEWS[view]
            assert clients[user].get(url).status_code == 200
        empty = [view for view in names if titles[view] is None]
        if empty:
            print(f"views that list no plan (checked for the queue's section only): {', '.join(empty)}")
        for r in range(args.repeat):
            for view in names[r % len(names) :] + names[: r % len(names)]:
                user, url = VIEWS[view]
                counter.reset()
                t, cpu = c.now_ns(), time.thread_time_ns()
                response = clients[user].get(url)
                elapsed, cpu_ms = (c.now_ns() - t) / 1e6, (time.thread_time_ns() - cpu) / 1e6
                assert response.status_code == 200, (view, response.status_code)
                page = response.get_data(as_text=True)
                assert 'data-testid="review-queue"' in page, view
                assert titles[view] is None or titles[view] in page, (view, titles[view])
                timings[view].append(elapsed)
                cpu_times[view].append(cpu_ms)
                statements[view] = len(counter.take())
    print(f"{'view':<30}{'wall p50':>9}{'p95':>8}{'max':>8}{'cpu p50':>9}{'p95':>8}{'SQL':>5}  (ms)")
    figures = {}
    for view in names:
        wall, cpu_t = timings[view], cpu_times[view]
        p50, p95, cpu50, cpu95 = (c.quantile(wall, 0.5), c.quantile(wall, 0.95), c.quantile(cpu_t, 0.5),
                                  c.quantile(cpu_t, 0.95))  # fmt: skip
        figures[view] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "max_ms": round(max(wall), 1),
                         "cpu_p50_ms": round(cpu50, 1), "cpu_p95_ms": round(cpu95, 1),
                         "statements": statements[view]}  # fmt: skip
        print(f"{view:<30}{p50:>9.1f}{p95:>8.1f}{max(wall):>8.1f}{cpu50:>9.1f}{cpu95:>8.1f}{statements[view]:>5}")
    worst = max(f["p95_ms"] for f in figures.values())
    worst_cpu = max(f["cpu_p95_ms"] for f in figures.values())
    ok = worst < TARGET_P95_MS  # what the reviewer waits (and, with PostgreSQL, the server's work too)
    result = {"bench": "review_queue", "database": uri.split(":", 1)[0], "plans": args.plans, "repeat": args.repeat,
              "views": figures, "worst_p95_ms": worst, "worst_cpu_p95_ms": worst_cpu,
              "targets": {"worst_p95_ms": f"< {TARGET_P95_MS}"}, "ok_basis": "wall p95 of every view",
              "load_average": round(os.getloadavg()[0], 1), "ok": ok}  # fmt: skip
    print(json.dumps(result, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
