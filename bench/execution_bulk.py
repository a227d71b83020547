"""Execution ledger upload benchmark: a clerk's .xlsx of two parts per worker checked (dry run) and stored
(commit), against a bare read of the same bytes with the same reader.

Run from the repository root:
  .venv/bin/python bench/execution_bulk.py [--rows N] [--repeat K] [--quick] [--database-url URL]

What it does:

  database  SQLite file in a temp dir (or --database-url, e.g. PostgreSQL: an empty database, the bench
            creates and drops its tables) with the demo data, and one more plan of the demo steel
            enterprise with a roster of --rows workers imported through the real import service. The
            plan is then put in execution directly (status "executing"): the upload needs nothing else
            of the plan's earlier steps, and walking 5,000 workers through the workflow would time
            nothing that matters here. The city's average wage of last year is entered so that the
            severance due at each end is computed.
  file      the execution ledger template's columns (approvals/execution/workbook.py), one row per
            worker, two parts each as a clerk fills them after the start of execution: the agreement
            (its kind by the worker's channel) and, for a worker who leaves, the end of the labour
            relation (five different end dates, so the severance due is recomputed with the rules in
            force on each), for the others the arrears (0). Written with openpyxl as the template is.
  timing    interleaved in rounds (order rotated each round), median of --repeat rounds after one
            untimed warm-up of each; wall and process CPU time (the target is judged on CPU time for SQLite,
            which runs in this process, on wall time for PostgreSQL, whose server's CPU time is not counted):
              bare      openpyxl load_workbook(read_only=True, data_only=True) and every row's values:
                        the reader bulk.py reads the file with, alone (the like-for-like baseline)
              read      approvals.execution.workbook.read_ledger only
              dry_run   bulk_update(dry_run=True) + rollback, as the page and the API do
              commit    bulk_update(dry_run=False) + commit; the records written are deleted again after
                        each round (untimed), so that every round inserts them
            SQL statements of one dry run and one commit are counted (before_cursor_execute).

The last line printed is one JSON object with the figures, the targets and `ok`.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import _common as c
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, select

from app import create_app
from app.extensions import db, get_engine
from approvals import demo
from approvals.actor import Actor
from approvals.execution.bulk import BulkReport, bulk_update
from approvals.execution.items import AGREEMENT_BY_CHANNEL, AGREEMENT_KINDS, FIELD_LABELS, leaves
from approvals.execution.ledger import today_in_china
from approvals.execution.workbook import COLUMNS, ID_HEADER, NAME_HEADER, read_ledger
from approvals.models import Enterprise, ExecutionRecord, Plan, RosterWorker, User, WageParameter
from approvals.services.plans import create_plan
from approvals.services.roster import city_of, import_roster

SEED = 11
TARGET_RATIO = 3.0  # dry run and commit, each, at most this many times the bare read (issue 15 §3)
HEADERS = [ID_HEADER, NAME_HEADER, *(header for _part, _key, header in COLUMNS)]


def git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=c.ROOT).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "?"


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
    plan = create_plan(session, engine, actor=actor, title="冀东示范钢铁职工安置方案（实施台账基准测试）",
                       content=demo.sample_content(steel, rows, SEED), enterprise_id=steel.id)  # fmt: skip
    report = import_roster(session, actor=actor, plan=plan, data=demo.roster_csv(roster_rows(steel, rows)),
                           filename="职工名单.csv", dry_run=False)  # fmt: skip
    assert report.committed, report.errors[:3]
    plan.status = "executing"
    city, year = city_of(plan), today_in_china().year - 1
    if (
        session.scalar(select(WageParameter.id).where(WageParameter.city_code == city, WageParameter.year == year))
        is None
    ):
        session.add(WageParameter(city_code=city, year=year, average_monthly_wage=Decimal("6000.00")))
    session.commit()
    return plan.id, clerk.id


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
    def __init__(self, plan_id: int, clerk_id: int, data: bytes) -> None:
        self.plan_id, self.clerk_id, self.data = plan_id, clerk_id, data
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
        """Wall and process CPU seconds of one run (the garbage of the one before collected first, untimed)."""
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        if variant == "bare":
            bare_read(self.data)
        elif variant == "read":
            read_ledger(self.data)
        else:
            self.reports[variant] = self._upload(dry_run=variant == "dry_run")
        elapsed = time.perf_counter() - start, time.process_time() - cpu
        if variant == "commit":  # untimed: the next round inserts the records again
            db.session.execute(delete(ExecutionRecord).where(ExecutionRecord.plan_id == self.plan_id))
            db.session.commit()
        return elapsed


def bench(args: argparse.Namespace, uri: str) -> dict[str, Any]:
    rows, repeat = (1_000, 1) if args.quick else (args.rows, args.repeat)
    dialect = uri.split(":", 1)[0].split("+", 1)[0]
    print(f"execution ledger upload benchmark: {rows:,} workers, two parts each, on {dialect}")
    print(f"code {git_head()}; python {platform.python_version()}")
    t0 = time.perf_counter()
    plan_id, clerk_id = build_world(rows)
    data, kinds = ledger_file(plan_id)
    print(f"setup {time.perf_counter() - t0:.1f} s (untimed); file {len(data) / 1e6:.2f} MB, {rows:,} rows: "
          f"{kinds['termination']:,} agreement + end, {kinds['arrears']:,} agreement + arrears")  # fmt: skip
    runner = Runner(plan_id, clerk_id, data)
    variants = ["bare", "read", "dry_run", "commit"]
    for variant in variants:  # warm-up
        runner.run(variant)
    times: dict[str, list[float]] = {v: [] for v in variants}
    cpu_times: dict[str, list[float]] = {v: [] for v in variants}
    for k in range(repeat):
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
    med = {v: c.median(t) for v, t in times.items()}
    med_cpu = {v: c.median(t) for v, t in cpu_times.items()}
    for variant, report in runner.reports.items():
        assert not report.errors, report.errors[:3]
        assert report.entries == 2 * rows, (variant, report.entries)
    print()
    print(f"{'variant':<10} {'wall s':>7} {'× bare':>7} {'cpu s':>7} {'× bare':>7}   all rounds (wall s)")
    for variant in variants:
        print(f"{variant:<10} {c.fmt(med[variant], 3):>7} {c.fmt(c.ratio(med[variant], med['bare'])):>7} "
              f"{c.fmt(med_cpu[variant], 3):>7} {c.fmt(c.ratio(med_cpu[variant], med_cpu['bare'])):>7}   "
              f"{', '.join(c.fmt(t, 3) for t in times[variant])}")  # fmt: skip
    print(f"SQL statements: dry run {statements['dry_run']}, commit {statements['commit']}")
    ratios = {v: c.ratio(med[v], med["bare"]) for v in ("read", "dry_run", "commit")}
    cpu_ratios = {v: c.ratio(med_cpu[v], med_cpu["bare"]) for v in ("read", "dry_run", "commit")}
    # SQLite runs in this process: its CPU time is the whole cost, and less disturbed by a shared machine than
    # wall time. PostgreSQL works in its own process: there wall time is what counts.
    judged = cpu_ratios if dialect == "sqlite" else ratios
    return {
        "bench": "execution_bulk", "database": dialect, "rows": rows, "entries": 2 * rows, "repeat": repeat,
        "file_mb": len(data) / 1e6, "rows_by_kind": kinds,
        "seconds": {v: med[v] for v in variants}, "cpu_seconds": {v: med_cpu[v] for v in variants},
        "baseline": "bare: openpyxl read-only read of the same file",
        "ratio_to_bare": ratios, "cpu_ratio_to_bare": cpu_ratios,
        "judged_on": "cpu" if dialect == "sqlite" else "wall", "statements": statements,
        "per_1000_rows_ms": {v: med[v] * 1000 / rows * 1000 for v in ("dry_run", "commit")},
        "targets": {"dry_run_ratio_to_bare": TARGET_RATIO, "commit_ratio_to_bare": TARGET_RATIO},
        "ok": judged["dry_run"] <= TARGET_RATIO and judged["commit"] <= TARGET_RATIO,
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000, help="workers, one row each (default 5,000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5); the median is reported")
    parser.add_argument("--quick", action="store_true", help="1,000 rows, one round")
    parser.add_argument("--database-url", default="", help="an empty database instead of a SQLite file in a temp "
                        "dir; the bench creates and drops its tables")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-execution-bulk-") as tmp:
        uri = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "TESTING": False, **c.BENCH_SECRETS})
        with app.app_context():
            if db.inspect(db.engine).get_table_names():
                print(f"refusing to run: {db.engine.url.render_as_string(hide_password=True)} already has tables")
                return 2
            db.create_all()
            try:
                out = bench(args, uri)
            finally:
                db.session.rollback()
                db.drop_all()
    print(json.dumps(c.clean(out), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
