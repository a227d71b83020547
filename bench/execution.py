"""Execution benchmark (issue 15): a plan of 5,000 workers in execution; the clerk's .xlsx ledger upload of two
parts per worker checked (dry run) and stored (commit), against a bare read of the same bytes with the same
reader; and the bureau's "who is short" pages fetched over HTTP, their figures checked.

Run from the repository root:
  .venv/bin/python bench/execution.py [--rows N] [--repeat K] [--quick] [--database-url URL] [--profile]

What it does:

  database  SQLite file in a temp dir (or --database-url, e.g. postgresql://postgres@127.0.0.1:5432/test: an
            empty database; the bench refuses one with tables, creates its own and drops them at the end)
            with the demo data, and one more plan of the demo steel enterprise with a roster of --rows
            workers imported through the real import service. The plan is then put in execution directly
            (status "executing", started 14 months ago, so that the services' due date has passed): the
            upload and the pages need nothing else of the plan's earlier steps, and walking 5,000 workers
            through the workflow would time nothing that matters here. The city's average wage of last year
            is entered so that the severance due at each end is computed. Bulk-inserted, untimed: leaving
            worker k in roster order has k % 4 job recommendations and, when k % 3 == 0, one career
            guidance; the first leaving workers are grouped in twos into households (one per 25 leaving).
  file      the execution ledger template's columns (approvals/execution/workbook.py), one row per
            worker, two parts each as a clerk fills them after the start of execution: the agreement
            (its kind by the worker's channel) and, for a worker who leaves, the end of the labour
            relation (five different end dates, so the severance due is recomputed with the rules in
            force on each), for the others the arrears (0). Written with openpyxl as the template is.
  upload    interleaved in rounds (order rotated each round), median of --repeat rounds after one
            untimed warm-up of each; wall time, and CPU time: this process's and, on PostgreSQL, that of
            the server's processes for this database (read from /proc: the server runs on this machine):
              bare      openpyxl load_workbook(read_only=True, data_only=True) and every row's values:
                        the reader bulk.py reads the file with, alone (the like-for-like baseline)
              read      approvals.execution.workbook.read_ledger only
              dry_run   bulk_update(dry_run=True) + rollback, as the page and the API do
              commit    bulk_update(dry_run=False) + commit; the records written are deleted again after
                        each round (untimed), so that every round inserts them
            SQL statements of one dry run and one commit are counted (before_cursor_execute). A last
            commit, untimed, leaves the records in for the pages.
  pages     gunicorn (1 worker, gthread) serves the application in a child process; one keep-alive
            client logs in through the login form as the demo's provincial reviewer (bureau) and fetches,
            after one untimed warm-up each, --repeat times in rotated order:
              ledger_open      /plans/<id>/execution/ledger?show=open
              ledger_overdue   /plans/<id>/execution/ledger?show=overdue
              services_short   /plans/<id>/execution-services?short=1
            client wall time (request sent -> response read), the application's own wall time, CPU time
            (the server thread's, plus PostgreSQL's as for the upload) and SQL statements (a probe around
            the application). The server is wsgi:app, configured from the environment as in production. Every response is checked, not only its status:
            the ledger's counts (all, done, open, overdue; the filter badges; the rows of the table) against
            ledger_of() called here and the in-scope workers counted from the roster table; the services
            short of the minimum and the zero-employment households, on both pages, against the figures
            computed here from the seeded records. Baseline: `rows`, a raw read in this process of every
            row the pages are computed from (the plan's roster, execution records, service records,
            household members; DB-API cursor, no ORM), and the ratio of each page to it.
  --profile after the run, each page once under cProfile in this process (Flask test client, same user),
            the top functions by cumulative time.

Targets: dry run, commit and each page < 2 s (median); dry run and commit ≤ 3× the bare read. Judged on the
CPU time above, the whole cost of the work on either database, which a machine shared with other work
disturbs much less than wall time; the wall time is printed beside it (on an idle machine the two agree).
The last line printed is one JSON object with the figures, the targets and `ok`; exit status 1 when not ok.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import _common as c
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, insert, select

from app import create_app
from app.extensions import db, get_engine
from approvals import demo
from approvals.actor import Actor
from approvals.execution.bulk import BulkReport, bulk_update
from approvals.execution.items import AGREEMENT_BY_CHANNEL, AGREEMENT_KINDS, FIELD_LABELS, leaves
from approvals.execution.ledger import ledger_of, today_in_china
from approvals.execution.workbook import COLUMNS, ID_HEADER, NAME_HEADER, read_ledger
from approvals.models import (
    Enterprise,
    ExecutionRecord,
    Household,
    HouseholdMember,
    Plan,
    RosterWorker,
    ServiceRecord,
    User,
    WageParameter,
)
from approvals.rules.roster import ENDS_LABOUR_RELATION
from approvals.services.plans import create_plan
from approvals.services.roster import city_of, import_roster
from config import database_url

SEED = 11
TARGET_RATIO = 3.0  # dry run and commit, each, at most this many times the bare read (issue 15 §3)
TARGET_SECONDS = 2.0  # the upload's dry run and commit, and each "who is short" page (issue 15's "Done when")
HEADERS = [ID_HEADER, NAME_HEADER, *(header for _part, _key, header in COLUMNS)]
BUREAU_USER = "reviewer"  # the demo's provincial reviewer (Role.BUREAU, 130000)
LEDGER_PER_PAGE = 100  # app/web/execution.py PER_PAGE
PAGES = {
    "ledger_open": "/plans/{plan}/execution/ledger?show=open",
    "ledger_overdue": "/plans/{plan}/execution/ledger?show=overdue",
    "services_short": "/plans/{plan}/execution-services?short=1",
}


def git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=c.ROOT).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "?"


def app_config(uri: str) -> dict[str, Any]:
    return {"SQLALCHEMY_DATABASE_URI": uri, "TESTING": False, **c.BENCH_SECRETS}


class ServerCpu:
    """The CPU seconds PostgreSQL's server processes spent for this database (every backend connected to it,
    read from /proc: the server runs on this machine); 0 for SQLite, which works in the timed process."""

    def __init__(self, uri: str) -> None:
        self.conn: Any = None
        if not uri.startswith("sqlite"):
            import psycopg

            self.conn = psycopg.connect(uri.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        self.tick = os.sysconf("SC_CLK_TCK")

    def __call__(self) -> float:
        if self.conn is None:
            return 0.0
        pids = [pid for (pid,) in self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")]  # fmt: skip
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # gone since, or not on this machine
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / self.tick

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def roster_rows(enterprise: Enterprise, rows: int) -> list[list[str]]:
    """The demo roster of `rows` workers, each ID number once (the demo's serials repeat past a thousand)."""
    body, used = demo.sample_roster(enterprise, rows, SEED), set()
    for row in body:
        serial = int(row[0][14:17])
        while row[0] in used:
            serial += 2  # the same sex (odd: male)
            row[0] = demo.make_resident_id(enterprise.region_code, date.fromisoformat(
                f"{row[0][6:10]}-{row[0][10:12]}-{row[0][12:14]}"), serial)  # fmt: skip
        used.add(row[0])
    return body


def build_world(rows: int) -> tuple[int, int]:
    """The demo data and a plan of `rows` workers in execution: (plan id, clerk id)."""
    session, engine = db.session, get_engine()
    demo.load(session, engine)
    steel = session.scalar(select(Enterprise).where(Enterprise.industry == "steel"))
    clerk = session.scalar(select(User).where(User.username == "clerk"))
    assert steel is not None
    assert clerk is not None
    steel.headcount = max(steel.headcount, rows * 2)
    actor = Actor(clerk, "127.0.0.1")
    plan = create_plan(session, engine, actor=actor, title="冀东示范钢铁职工安置方案（实施基准测试）",
                       content=demo.sample_content(steel, rows, SEED), enterprise_id=steel.id)  # fmt: skip
    report = import_roster(session, actor=actor, plan=plan, data=demo.roster_csv(roster_rows(steel, rows)),
                           filename="职工名单.csv", dry_run=False)  # fmt: skip
    assert report.committed, report.errors[:3]
    plan.status = "executing"
    # 14 months ago: the services' period (12 months by default) is over, the ledger's deadlines have run.
    plan.execution_started_at = datetime.combine(today_in_china() - timedelta(days=425), datetime.min.time())
    city, year = city_of(plan), today_in_china().year - 1
    if (
        session.scalar(select(WageParameter.id).where(WageParameter.city_code == city, WageParameter.year == year))
        is None
    ):
        session.add(WageParameter(city_code=city, year=year, average_monthly_wage=Decimal("6000.00")))
    session.commit()
    return plan.id, clerk.id


def seed_services(plan_id: int, clerk_id: int) -> dict[str, int]:
    """Service records and households of the leaving workers (bulk inserts, untimed), and what the pages must
    then show, computed here from what was inserted: the leaving workers, those short of §四's minimum (3 job
    recommendations and 1 other service), the households (all zero-employment: two leaving workers without a
    placement outcome) and the workers in scope."""
    plan = db.session.get(Plan, plan_id)
    assert plan is not None
    assert plan.execution_started_at is not None
    given_on = plan.execution_started_at.date() + timedelta(days=30)  # within the services' period
    workers = db.session.execute(select(RosterWorker.id_number, RosterWorker.name, RosterWorker.channel,
                                        RosterWorker.in_scope, RosterWorker.reached_retirement)
                                 .where(RosterWorker.plan_id == plan_id).order_by(RosterWorker.id)).all()  # fmt: skip
    leaving = [w for w in workers if w.in_scope and w.channel in ENDS_LABOUR_RELATION and not w.reached_retirement]
    services, short = [], 0
    for k, worker in enumerate(leaving):
        jobs, others = k % 4, 1 if k % 3 == 0 else 0
        short += jobs < 3 or others < 1
        services += [{"plan_id": plan_id, "id_number": worker.id_number, "kind": kind, "provided_on": given_on,
                      "provider": "市公共就业服务中心", "result": "已提供", "recorded_by_id": clerk_id}
                     for kind in ["job_recommendation"] * jobs + ["career_guidance"] * others]  # fmt: skip
    for start in range(0, len(services), 2000):
        db.session.execute(insert(ServiceRecord), services[start : start + 2000])
    couples = len(leaving) // 25
    for h in range(couples):
        household = Household(plan_id=plan_id, recorded_by_id=clerk_id)
        db.session.add(household)
        db.session.flush()
        for worker, relation in zip(leaving[2 * h : 2 * h + 2], ("head", "spouse"), strict=True):
            db.session.add(HouseholdMember(household_id=household.id, plan_id=plan_id, id_number=worker.id_number,
                                           name=worker.name, relation=relation, recorded_by_id=clerk_id))  # fmt: skip
    db.session.commit()
    return {"in_scope": sum(1 for w in workers if w.in_scope), "leaving": len(leaving), "short": short,
            "services": len(services), "households": couples, "zero_employment": couples}  # fmt: skip


def ledger_file(plan_id: int) -> tuple[bytes, dict[str, int]]:
    """One row per worker in scope, two parts each; and how many rows of each kind."""
    today = today_in_china()
    ends = [(today - timedelta(days=7 + k)).isoformat() for k in range(5)]
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    kinds = {"termination": 0, "arrears": 0}
    workers = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan_id).order_by(RosterWorker.id))
    for n, worker in enumerate(w for w in workers if w.in_scope):
        kind = AGREEMENT_BY_CHANNEL[worker.channel or ""]
        row = {ID_HEADER: worker.id_number, NAME_HEADER: worker.name,
               FIELD_LABELS["agreement_kind"]: AGREEMENT_KINDS[kind], FIELD_LABELS["agreement_signed_on"]: ends[n % 5]}  # fmt: skip
        if leaves(worker.channel):
            row[FIELD_LABELS["terminated_on"]] = ends[n % 5]
            row[FIELD_LABELS["certificate_issued_on"]] = ends[n % 5]
            kinds["termination"] += 1
        else:
            row[FIELD_LABELS["arrears_amount"]] = "0"
            kinds["arrears"] += 1
        sheet.append([row.get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), kinds


def bare_read(data: bytes) -> int:
    """What the reader alone costs: open the workbook as read_ledger does, every row's values."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))


class Runner:
    def __init__(self, plan_id: int, clerk_id: int, data: bytes, server_cpu: ServerCpu) -> None:
        self.plan_id, self.clerk_id, self.data, self.server_cpu = plan_id, clerk_id, data, server_cpu
        self.reports: dict[str, BulkReport] = {}

    def _upload(self, dry_run: bool) -> BulkReport:
        plan = db.session.get(Plan, self.plan_id)
        clerk = db.session.get(User, self.clerk_id)
        report = bulk_update(db.session, actor=Actor(clerk, "127.0.0.1"), plan=plan, data=self.data,
                             dry_run=dry_run, filename="实施台账.xlsx")  # fmt: skip
        if report.committed:
            db.session.commit()
        else:
            db.session.rollback()
        return report

    def run(self, variant: str) -> tuple[float, float]:
        """Wall and CPU seconds of one run, this process's and the database server's (the garbage of the one
        before collected first, untimed)."""
        gc.collect()
        server = self.server_cpu()
        start, cpu = time.perf_counter(), time.process_time()
        if variant == "bare":
            bare_read(self.data)
        elif variant == "read":
            read_ledger(self.data)
        else:
            self.reports[variant] = self._upload(dry_run=variant == "dry_run")
        elapsed = time.perf_counter() - start, time.process_time() - cpu
        elapsed = elapsed[0], elapsed[1] + self.server_cpu() - server
        if variant == "commit":  # untimed: the next round inserts the records again
            db.session.execute(delete(ExecutionRecord).where(ExecutionRecord.plan_id == self.plan_id))
            db.session.commit()
        return elapsed


def bulk_bench(args: argparse.Namespace, runner: Runner, rows: int, dialect: str) -> dict[str, Any]:
    variants = ["bare", "read", "dry_run", "commit"]
    for variant in variants:  # warm-up
        runner.run(variant)
    times: dict[str, list[float]] = {v: [] for v in variants}
    cpu_times: dict[str, list[float]] = {v: [] for v in variants}
    for k in range(args.repeat):
        for variant in variants[k % len(variants) :] + variants[: k % len(variants)]:
            wall, cpu = runner.run(variant)
            times[variant].append(wall)
            cpu_times[variant].append(cpu)
    counter = c.SqlCounter(db.engine)
    statements = {}
    for variant in ("dry_run", "commit"):
        counter.reset()
        runner.run(variant)
        statements[variant] = len(counter.take())
    event_off(counter)
    med = {v: c.median(t) for v, t in times.items()}
    med_cpu = {v: c.median(t) for v, t in cpu_times.items()}
    for variant, report in runner.reports.items():
        assert not report.errors, report.errors[:3]
        assert report.entries == 2 * rows, (variant, report.entries)
    print()
    print(f"{'upload':<10} {'wall s':>7} {'× bare':>7} {'cpu s':>7} {'× bare':>7}   all rounds (wall s)")
    for variant in variants:
        print(f"{variant:<10} {c.fmt(med[variant], 3):>7} {c.fmt(c.ratio(med[variant], med['bare'])):>7} "
              f"{c.fmt(med_cpu[variant], 3):>7} {c.fmt(c.ratio(med_cpu[variant], med_cpu['bare'])):>7}   "
              f"{', '.join(c.fmt(t, 3) for t in times[variant])}")  # fmt: skip
    print(f"SQL statements: dry run {statements['dry_run']}, commit {statements['commit']}")
    ratios = {v: c.ratio(med[v], med["bare"]) for v in ("read", "dry_run", "commit")}
    cpu_ratios = {v: c.ratio(med_cpu[v], med_cpu["bare"]) for v in ("read", "dry_run", "commit")}
    # CPU time (this process's, and PostgreSQL's server processes') is the whole cost, and less disturbed by a
    # machine shared with other work than wall time, which is printed beside it.
    ok = all(cpu_ratios[v] <= TARGET_RATIO and med_cpu[v] < TARGET_SECONDS for v in ("dry_run", "commit"))
    return {"seconds": {v: med[v] for v in variants}, "cpu_seconds": {v: med_cpu[v] for v in variants},
            "baseline": "bare: openpyxl read-only read of the same file",
            "ratio_to_bare": ratios, "cpu_ratio_to_bare": cpu_ratios,
            "judged_on": "cpu (this process + database server)", "statements": statements,
            "per_1000_rows_ms": {v: med[v] * 1000 / rows * 1000 for v in ("dry_run", "commit")}, "ok": ok}  # fmt: skip


def event_off(counter: c.SqlCounter) -> None:
    from sqlalchemy import event

    event.remove(db.engine, "before_cursor_execute", counter._on_execute)


# -- the "who is short" pages -----------------------------------------------------------------------


def expected_ledger(plan_id: int, seeded: dict[str, int]) -> dict[str, int]:
    """The ledger's counts as approvals.execution.ledger computes them, called here (not through the page)."""
    plan = db.session.get(Plan, plan_id)
    assert plan is not None
    ledger = ledger_of(db.session, plan)
    counts = ledger.counts
    assert counts["all"] == seeded["in_scope"], (counts, seeded)  # the roster table's own count
    assert counts["open"] + counts["done"] == counts["all"], counts
    db.session.rollback()
    return counts


def number(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def check_ledger(html: str, which: str, counts: dict[str, int], seeded: dict[str, int]) -> list[str]:
    """What is wrong with one ledger page (empty when nothing is)."""
    problems = []
    block = re.search(r'data-testid="counts">(.*?)</dl>', html, re.S)
    shown = [number(v) for v in re.findall(r"<dd[^>]*>([^<]*)</dd>", block.group(1))] if block else []
    if shown != [counts["all"], counts["done"], counts["open"], counts["overdue"]]:
        problems.append(f"counts {shown} != {counts}")
    badges = re.search(r'data-testid="filters">(.*?)</ul>', html, re.S)
    badge_counts = [number(v) for v in re.findall(r'<span class="badge[^"]*">([^<]*)</span>', badges.group(1))] \
        if badges else []  # fmt: skip
    if badge_counts != [counts[k] for k in ("all", "open", "overdue", "done")]:
        problems.append(f"filter badges {badge_counts} != {counts}")
    table = re.search(r'data-testid="ledger">(.*?)</table>', html, re.S)
    rows = len(re.findall(r"<tr data-row=", table.group(1))) if table else -1
    if rows != min(LEDGER_PER_PAGE, counts[which]):
        problems.append(f"{rows} rows in the table for {counts[which]} {which}")
    short = re.search(r'data-testid="services-short">(.*?)</ul>', html, re.S)
    figures = [number(v) for v in re.findall(r"</a>[^<]*?(\d[\d,]*)", short.group(1))] if short else []
    if figures != [seeded["short"], seeded["zero_employment"]]:
        problems.append(f"services short / zero-employment households {figures} != "
                        f"{[seeded['short'], seeded['zero_employment']]}")  # fmt: skip
    return problems


def check_services(html: str, seeded: dict[str, int], page_size: int) -> list[str]:
    problems = []
    summary = re.search(r'data-testid="services-summary">(.*?)</div>\s*</div>\s*</div>\s*</div>', html, re.S)
    figures = [number(v) for v in re.findall(r'<div class="fs-5[^"]*"[^>]*>([\d,]+)</div>', html)]
    if not summary or figures[:3] != [seeded["leaving"], seeded["short"], seeded["short"]]:
        # leaving; short; overdue (the services' period is over: every worker short is overdue)
        problems.append(f"summary {figures[:3]} != {[seeded['leaving'], seeded['short'], seeded['short']]}")
    table = re.search(r'data-testid="services-table">(.*?)</table>', html, re.S)
    rows = re.findall(r'<tr data-row="\d+" class="table-danger"', table.group(1)) if table else []
    if len(rows) != min(page_size, seeded["short"]):
        problems.append(f"{len(rows)} rows of workers short for {seeded['short']}")
    if table and "badge text-bg-success" in table.group(1):
        problems.append("a worker not short on the list of those short")
    return problems


def serve(port: int) -> int:
    """The child process: gunicorn serving wsgi:app, as in production (configured from the environment the
    parent gave it), behind the probe."""
    import wsgi

    with wsgi.app.app_context():
        engine = db.engine
    c.serve_gunicorn(c.Probe(wsgi.app, engine), port)
    return 0


def raw_read(uri: str, plan_id: int) -> int:
    """The baseline: every row the pages are computed from, read with the DB-API cursor (no ORM, no rules)."""
    with db.engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        mark = "?" if uri.startswith("sqlite") else "%s"
        n = 0
        for model in (RosterWorker, ExecutionRecord, ServiceRecord, HouseholdMember):
            table = model.__tablename__
            cursor.execute(f"SELECT * FROM {table} WHERE plan_id = {mark}", (plan_id,))  # noqa: S608
            n += len(cursor.fetchall())
        cursor.close()
        conn.rollback()
    return n


def pages_bench(args: argparse.Namespace, uri: str, plan_id: int, seeded: dict[str, int],
                server_cpu: ServerCpu) -> dict[str, Any]:  # fmt: skip
    from web_latency import Browser

    counts = expected_ledger(plan_id, seeded)
    page_size = int(create_app(app_config(uri)).config["PAGE_SIZE"])
    db.session.remove()
    port = c.free_port()
    env = {**os.environ, "PYTHONPATH": str(c.ROOT), "APP_ENV": "production", "DATABASE_URL": uri, **c.BENCH_SECRETS}
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)], cwd=c.ROOT, env=env)  # noqa: S603
    problems: list[str] = []
    try:
        c.wait_for_port(port, 60)
        browser = Browser(port)
        browser.login(BUREAU_USER)
        names = list(PAGES)
        times: dict[str, list[float]] = {n: [] for n in names}
        app_times: dict[str, list[float]] = {n: [] for n in names}
        app_cpu: dict[str, list[float]] = {n: [] for n in names}
        statements: dict[str, int] = {}
        base: list[float] = []
        for k in range(args.repeat + 1):
            for name in names[k % len(names) :] + names[: k % len(names)]:
                database = server_cpu()
                t0 = c.now_ns()
                browser.conn.request("GET", PAGES[name].format(plan=plan_id),
                                     headers={"Accept": "text/html", "Cookie": browser.cookie})  # fmt: skip
                response = browser.conn.getresponse()
                body = response.read().decode()
                elapsed = (c.now_ns() - t0) / 1e9
                database = server_cpu() - database
                if response.status != 200:
                    problems.append(f"{name}: status {response.status}")
                    continue
                found = (check_services(body, seeded, page_size) if name == "services_short"
                         else check_ledger(body, name.split("_", 1)[1], counts, seeded))  # fmt: skip
                problems += [f"{name}: {p}" for p in found if f"{name}: {p}" not in problems]
                if k:  # the first round is a warm-up
                    times[name].append(elapsed)
                    app_times[name].append(int(response.getheader("X-Bench-App-Ns") or 0) / 1e9)
                    app_cpu[name].append(int(response.getheader("X-Bench-App-Cpu-Ns") or 0) / 1e9 + database)
                    statements[name] = int(response.getheader("X-Bench-Sql") or 0)
            gc.collect()
            t0 = c.now_ns()
            raw_read(uri, plan_id)
            if k:
                base.append((c.now_ns() - t0) / 1e9)
        browser.conn.close()
    finally:
        server.terminate()
        server.wait(10)
    base_med = c.median(base)
    print()
    print(f"{'page':<16} {'wall s':>7} {'max':>7} {'app s':>7} {'cpu s':>7} {'× rows':>7} {'SQL':>4}   "
          f"(bureau user over HTTP; baseline rows: {c.fmt(base_med, 3)} s)")  # fmt: skip
    figures = {}
    for name in names:
        med, app_med, cpu_med = c.median(times[name]), c.median(app_times[name]), c.median(app_cpu[name])
        figures[name] = {"seconds": med, "max_seconds": max(times[name]), "app_seconds": app_med,
                         "cpu_seconds": cpu_med, "ratio_to_rows": c.ratio(med, base_med),
                         "statements": statements[name]}  # fmt: skip
        print(f"{name:<16} {c.fmt(med, 3):>7} {c.fmt(max(times[name]), 3):>7} {c.fmt(app_med, 3):>7} "
              f"{c.fmt(cpu_med, 3):>7} {c.fmt(c.ratio(med, base_med)):>7} {statements[name]:>4}")  # fmt: skip
    print(f"checked on every response: ledger counts {counts}, services short {seeded['short']:,} of "
          f"{seeded['leaving']:,} leaving, zero-employment households {seeded['zero_employment']}")  # fmt: skip
    for problem in problems[:10]:
        print(f"  WRONG {problem}")
    ok = not problems and all(f["cpu_seconds"] < TARGET_SECONDS for f in figures.values())  # see the docstring
    return {"pages": figures, "baseline": "rows: raw DB-API read of the plan's roster, execution, service and "
            "household rows", "rows_seconds": base_med, "expected": {"ledger": counts, **seeded},
            "judged_on": "cpu (server thread + database server)", "problems": problems[:10],
            "ok": ok}  # fmt: skip


def profile(app: Any, plan_id: int) -> None:
    """Each page once under cProfile, in this process (the Flask test client, the same bureau user), with what
    is already held frozen out of the collector's reach as wsgi.py does for the server."""
    gc.collect()
    gc.freeze()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"username": BUREAU_USER, "password": demo.DEMO_PASSWORD,
                                           "csrf_token": token})  # fmt: skip
    assert response.status_code == 302, response.status_code
    for name, path in PAGES.items():
        url = path.format(plan=plan_id)
        client.get(url)  # warm-up
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        assert client.get(url).status_code == 200
        profiler.disable()
        print(f"\nprofile of {name} ({time.perf_counter() - t0:.3f} s under the profiler), top by cumulative time:")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(r"(approvals|app)/", 18)
    gc.unfreeze()


def bench(args: argparse.Namespace, uri: str) -> dict[str, Any]:
    rows = args.rows
    dialect = uri.split(":", 1)[0].split("+", 1)[0]
    print(f"execution benchmark: {rows:,} workers in execution, on {dialect}; {args.repeat} rounds")
    print(f"code {git_head()}; python {platform.python_version()}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    t0 = time.perf_counter()
    plan_id, clerk_id = build_world(rows)
    seeded = seed_services(plan_id, clerk_id)
    data, kinds = ledger_file(plan_id)
    print(f"setup {time.perf_counter() - t0:.1f} s (untimed); file {len(data) / 1e6:.2f} MB, {rows:,} rows: "
          f"{kinds['termination']:,} agreement + end, {kinds['arrears']:,} agreement + arrears; "
          f"{seeded['services']:,} service records, {seeded['households']} households")  # fmt: skip
    server_cpu = ServerCpu(uri)
    runner = Runner(plan_id, clerk_id, data, server_cpu)
    upload = bulk_bench(args, runner, rows, dialect)
    runner.run("commit")  # untimed: the records stay for the pages
    report = runner._upload(dry_run=False)
    assert report.committed, report.errors[:3]
    pages = pages_bench(args, uri, plan_id, seeded, server_cpu)
    server_cpu.close()
    return {
        "bench": "execution", "database": dialect, "plan_id": plan_id, "rows": rows, "entries": 2 * rows, "repeat": args.repeat,
        "file_mb": len(data) / 1e6, "rows_by_kind": kinds, "upload": upload, "who_is_short": pages,
        "targets": {"dry_run_ratio_to_bare": TARGET_RATIO, "commit_ratio_to_bare": TARGET_RATIO,
                    "dry_run_seconds": TARGET_SECONDS, "commit_seconds": TARGET_SECONDS,
                    "page_seconds": TARGET_SECONDS},
        "ok": upload["ok"] and pages["ok"],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000, help="workers, one row each (default 5,000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5); the median is reported")
    parser.add_argument("--quick", action="store_true", help="1,000 workers, two rounds")
    parser.add_argument("--database-url", default="", help="an empty database instead of a SQLite file in a temp "
                        "dir; the bench creates and drops its tables")  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="also profile each page once (cProfile)")
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    if args.quick:
        args.rows, args.repeat = 1_000, 2
    with tempfile.TemporaryDirectory(prefix="bench-execution-") as tmp:
        uri = database_url(args.database_url) if args.database_url else f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app(app_config(uri))
        with app.app_context():
            if db.inspect(db.engine).get_table_names():
                print(f"refusing to run: {db.engine.url.render_as_string(hide_password=True)} already has tables")
                return 2
            db.create_all()
            try:
                out = bench(args, uri)
                if args.profile:
                    profile(app, out["plan_id"])
            finally:
                db.session.rollback()
                db.session.remove()
                db.drop_all()
                db.engine.dispose()
    print(json.dumps(c.clean(out), ensure_ascii=False))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
