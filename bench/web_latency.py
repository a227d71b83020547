"""Web latency under load: the pages people use most, served by gunicorn, many clients at once.

Issue 4's target: with 10,000 plans and a 50,000-row roster in the database, gunicorn with
2 workers serving, 20 concurrent clients for 30 s over the inbox (home page), the plan page and
a roster search: p95 < 200 ms and no errors.

How it runs:
  1. a database (a SQLite file in a temp dir, or --database-url) gets the demo world, one plan
     with a 50,000-row roster imported through the real import service, and 10,000 plans waiting
     for review (one driven through the real services, the rest copies of its rows, spread over
     the demo enterprises and with staggered deadlines so every list has real ordering work);
  2. gunicorn serves the application (2 workers, gthread) in a child process;
  3. each client (a thread with its own keep-alive connection) logs in through the login form,
     as a browser does, then requests the pages in turn, without pause, for the duration.
The figures are client-observed latencies (request sent → response read) per page and overall.

Examples:
  python bench/web_latency.py                # full run (≈ 2 min including seeding)
  python bench/web_latency.py --quick        # 1,000 plans, 5,000 rows, 5 clients, 5 s
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

ROOT = c.ROOT
PASSWORD = "Demo@2026"  # noqa: S105  (the demo accounts' password, approvals/demo.py)


# -- seeding -------------------------------------------------------------------------------------


def app_config(uri: str) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": uri,
        "SECRET_KEY": "bench-web-latency",
        "AUDIT_KEY": "bench-audit",
        "TESTING": False,
    }


def seed(uri: str, plans: int, roster_rows: int) -> dict[str, Any]:
    """Fill the database; answers the ids the clients will ask for."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db, get_engine
    from approvals import demo
    from approvals.actor import Actor
    from approvals.models import Enterprise, HumanTask, Plan, User, WorkflowInstance

    app = create_app(app_config(uri))
    with app.app_context():
        db.create_all()
        session, engine = db.session, get_engine()
        demo.load(session, engine)
        session.commit()

        def actor(name: str) -> Actor:
            return Actor(session.scalars(select(User).where(User.username == name)).one(), "127.0.0.1")

        clerk, union, reviewer = actor("clerk"), actor("union"), actor("reviewer")
        steel = clerk.user.grants[0].enterprise  # type: ignore[union-attr]
        t0 = time.perf_counter()
        big = big_roster_plan(session, engine, clerk, steel, roster_rows)
        session.commit()
        roster_s = time.perf_counter() - t0

        # One plan waiting for review, driven through the services, then copied.
        template = demo.create_complete_plan(session, engine, actor=clerk, enterprise=steel, title="复制模板", seed=3)
        demo.advance_to(session, engine, template, "review", clerk, union, reviewer)
        session.commit()
        t0 = time.perf_counter()
        copy_plans(session, template, plans - 1, list(session.scalars(select(Enterprise).order_by(Enterprise.id))))
        session.commit()
        copy_s = time.perf_counter() - t0
        counts = {
            "plans": session.query(Plan).count(),
            "open_tasks": session.query(HumanTask).filter(HumanTask.completed_at.is_(None)).count(),
            "instances": session.query(WorkflowInstance).count(),
        }
        ids = {"big_plan": big.id, "template": template.id}
        session.remove()
        db.engine.dispose()
    return {**ids, "counts": counts, "seed_roster_s": roster_s, "seed_copy_s": copy_s}  # fmt: skip


def big_roster_plan(session: Any, engine: Any, clerk: Any, enterprise: Any, rows: int) -> Any:
    """A plan whose roster is the realistic generated one of bench/roster_import.py, imported
    through the real service (valid rows kept, as a clerk may choose)."""
    from roster_import import generate, plan_content, write_xlsx

    from approvals.services.plans import create_plan
    from approvals.services.roster import import_roster

    roster = generate(rows)
    plan = create_plan(session, engine, actor=clerk, title=f"{enterprise.name}职工安置方案（{rows:,}人名单）",
                       content=plan_content(enterprise, roster), enterprise_id=enterprise.id)  # fmt: skip
    report = import_roster(session, actor=clerk, plan=plan, data=write_xlsx(roster), filename="职工名单.xlsx",
                           dry_run=False, accept_valid=True)  # fmt: skip
    assert report.committed, report.errors[:3]
    return plan


def copy_plans(session: Any, template: Any, n: int, enterprises: list[Any]) -> None:
    """n copies of the template plan's rows (plan, instance, open task), in chunks."""
    from sqlalchemy import insert, select

    from approvals.models import HumanTask, Plan, WorkflowInstance

    def row(obj: Any) -> dict[str, Any]:
        return {col.key: getattr(obj, col.key) for col in obj.__mapper__.column_attrs if col.key != "id"}

    plan_row = row(template)
    instance = session.scalars(select(WorkflowInstance).where(WorkflowInstance.plan_id == template.id)).one()
    instance_row = row(instance)
    tasks = [row(t) for t in session.scalars(select(HumanTask).where(HumanTask.plan_id == template.id))]
    next_id = (session.scalar(select(Plan.id).order_by(Plan.id.desc()).limit(1)) or 0) + 1
    chunk = 2_000
    for start in range(0, n, chunk):
        ids = range(next_id + start, next_id + min(start + chunk, n))
        plan_rows, instance_rows, task_rows = [], [], []
        for k, plan_id in enumerate(ids):
            firm = enterprises[(start + k) % len(enterprises)]
            # deadlines fall at midnight (China time): spread the copies over 480 days around the template's
            due = (instance.next_timer_at or template.created_at) + timedelta(days=((start + k) % 480) - 240)
            plan_rows.append({**plan_row, "id": plan_id, "enterprise_id": firm.id,
                              "title": f"{firm.name}职工安置方案（第{plan_id}号）"})  # fmt: skip
            instance_rows.append({**instance_row, "plan_id": plan_id, "next_timer_at": due})
            task_rows.extend({**t, "plan_id": plan_id, "due_at": due if t["due_at"] else None} for t in tasks)
        session.execute(insert(Plan), plan_rows)
        session.execute(insert(WorkflowInstance), instance_rows)
        session.execute(insert(HumanTask), task_rows)
        session.flush()


# -- server ----------------------------------------------------------------------------------------


def serve(port: int, uri: str, workers: int, threads: int) -> int:
    """The child process: gunicorn with `workers` processes serving the application."""
    from gunicorn.app.base import BaseApplication

    from app import create_app

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {"bind": f"127.0.0.1:{port}", "workers": workers, "worker_class": "gthread",
                       "threads": threads, "keepalive": 600, "timeout": 120, "loglevel": "warning",
                       "accesslog": None}  # fmt: skip
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app(app_config(uri))

    Server().run()
    return 0


def start_server(uri: str, workers: int, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    port = c.free_port()
    env = {**os.environ, "APP_ENV": "production", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, "--serve", str(port), "--database-url", uri,
               "--workers", str(workers), "--threads", str(threads)]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    c.wait_for_port(port, 60)
    return process, port


# -- clients ---------------------------------------------------------------------------------------

CSRF = re.compile(rb'name="csrf-token" content="([^"]+)"')


class Browser:
    """One keep-alive connection with a session cookie, logged in through the form."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.cookie = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes, int]:
        headers = {"Accept": "text/html"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = c.now_ns()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = c.now_ns() - t0
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data, elapsed

    def login(self, username: str) -> None:
        status, page, _ = self.request("GET", "/login")
        token = CSRF.search(page)
        assert status == 200, f"login page: {status}"
        assert token, "no CSRF token on the login page"
        form = urlencode({"csrf_token": token.group(1).decode(), "username": username, "password": PASSWORD})
        status, _, _ = self.request("POST", "/login", form.encode())
        assert status == 302, f"login refused for {username}: {status}"


def run_clients(port: int, clients: int, seconds: float, pages: list[tuple[str, str]], username: str) -> dict[str, Any]:
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(k: int) -> None:
        browser = Browser(port)
        browser.login(username)
        ready.wait()
        i = k  # start each client on a different page
        local: dict[str, list[float]] = defaultdict(list)
        local_errors: dict[str, int] = defaultdict(int)
        while time.monotonic() < stop_at[0]:
            name, path = pages[i % len(pages)]
            i += 1
            try:
                status, _, ns = browser.request("GET", path)
            except (OSError, http.client.HTTPException):
                local_errors[name] += 1
                browser = Browser(port)
                browser.login(username)
                continue
            if status != 200:
                local_errors[name] += 1
            local[name].append(ns / 1e6)
        with lock:
            for name, values in local.items():
                samples[name].extend(values)
            for name, n in local_errors.items():
                errors[name] += n

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.monotonic() + seconds + 3600  # set properly once everyone has logged in
    ready.wait()
    started = time.monotonic()
    stop_at[0] = started + seconds
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    every = [v for values in samples.values() for v in values]
    per_page = {
        name: {
            "n": len(values),
            "p50_ms": c.quantile(values, 0.5),
            "p95_ms": c.quantile(values, 0.95),
            "p99_ms": c.quantile(values, 0.99),
            "errors": errors.get(name, 0),
        }  # fmt: skip
        for name, values in sorted(samples.items())
    }
    return {"requests": len(every), "rps": len(every) / elapsed if elapsed else 0.0,
            "p50_ms": c.quantile(every, 0.5), "p95_ms": c.quantile(every, 0.95), "p99_ms": c.quantile(every, 0.99),
            "errors": sum(errors.values()), "pages": per_page}  # fmt: skip


def pages_for(big_plan: int, page_names: list[str]) -> list[tuple[str, str]]:
    """The pages each client cycles through."""
    known = {
        "inbox": "/",
        "plan": f"/plans/{big_plan}",
        "roster_search": f"/plans/{big_plan}?" + urlencode({"tab": "roster", "q": "王"}),
        "roster_page": f"/plans/{big_plan}?tab=roster&page=400",
    }
    return [(name, known[name]) for name in page_names]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=10_000, help="plans in the database (default 10,000)")
    parser.add_argument("--roster", type=int, default=50_000, help="rows in the big plan's roster (50,000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of the load (30 s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2)")
    # One thread per worker: on 2 cores the two processes already use both; more threads only make
    # requests of one process wait for each other on the GIL (measured: p95 208 ms with 4, 169 ms with 1).
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (1)")
    parser.add_argument("--user", default="reviewer", help="the demo account the clients use (reviewer)")
    parser.add_argument(
        "--pages",
        default="inbox,plan,roster_search,roster_page",
        help="pages to cycle through: inbox, plan, roster_search, roster_page",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 plans, 5,000 rows, 5 clients, 5 s")
    parser.add_argument("--database-url", default="", help="a database instead of a SQLite file in a temp dir")
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, args.database_url, args.workers, args.threads)
    if args.quick:
        args.plans, args.roster, args.clients, args.seconds = 1_000, 5_000, 5, 5.0

    from config import database_url

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        uri = database_url(args.database_url) if args.database_url else f"sqlite:///{Path(tmp) / 'web.sqlite'}"
        print(f"seeding {args.plans:,} plans and a {args.roster:,}-row roster into {uri.split('@')[-1]} …", flush=True)
        t0 = time.perf_counter()
        seeded = seed(uri, args.plans, args.roster)
        print(f"  seeded in {time.perf_counter() - t0:.1f} s: {seeded['counts']}", flush=True)
        server, port = start_server(uri, args.workers, args.threads)
        try:
            pages = pages_for(seeded["big_plan"], args.pages.split(","))
            run_clients(port, min(args.clients, 4), 2.0, pages, args.user)  # warm-up: imports, caches
            print(f"load: {args.clients} clients × {args.seconds:.0f} s over {', '.join(n for n, _ in pages)} "
                  f"(gunicorn {args.workers} workers × {args.threads} threads)", flush=True)  # fmt: skip
            result = run_clients(port, args.clients, args.seconds, pages, args.user)
        finally:
            server.terminate()
            server.wait(10)
    for name, figures in result["pages"].items():
        print(f"  {name:14} n={figures['n']:6}  p50 {c.fmt(figures['p50_ms'])} ms  p95 {c.fmt(figures['p95_ms'])} ms"
              f"  p99 {c.fmt(figures['p99_ms'])} ms  errors {figures['errors']}")  # fmt: skip
    print(f"  all            n={result['requests']:6}  p50 {c.fmt(result['p50_ms'])} ms  p95 {c.fmt(result['p95_ms'])} ms"
          f"  p99 {c.fmt(result['p99_ms'])} ms  errors {result['errors']}  ({result['rps']:.0f} req/s)")  # fmt: skip
    target = 200.0
    summary = {
        "plans": seeded["counts"]["plans"], "roster_rows": args.roster, "clients": args.clients,
        "seconds": args.seconds, "workers": args.workers, "requests": result["requests"], "rps": result["rps"],
        "p50_ms": result["p50_ms"], "p95_ms": result["p95_ms"], "p99_ms": result["p99_ms"],
        "errors": result["errors"], "pages": result["pages"], "target_p95_ms": target,
        "ok": result["p95_ms"] < target and result["errors"] == 0 and not args.quick,
    }  # fmt: skip
    print(json.dumps(c.clean(summary), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
