"""Load: many users at once reading and writing plans through gunicorn on PostgreSQL, and no update lost.

Target (issue 14): with 10,000 plans in PostgreSQL, 50 users working at once for 60 s against gunicorn
started as in production (`gunicorn --workers 2 --threads 1 wsgi:app`, APP_ENV=production, secrets and
DATABASE_URL from the environment): p95 < 300 ms, no error, and afterwards no update lost.

How it runs:
  1. a database of the bench's own (bench_load_PID, created on the server --server names and dropped at
     the end; or --database-url: an EMPTY database, refused if it has tables, whose tables are dropped at
     the end) gets the demo world, 10,000 plans bulk-inserted as bench/web_latency.py seeds them (one plan
     driven through the services to the review, copied with its own title, enterprise and deadline), a
     few drafting plans per enterprise created through the plan service (the ones users edit, so that
     several users edit the same plan at once), and one account per user, each a clerk of one of the six
     demo enterprises (the API token of each is taken before timing: one password check per user);
  2. gunicorn serves wsgi:app, the production entry point, in a child process, with the README's options (one
     thread per worker: gunicorn's sync worker); each request opens its own connection, as nginx in front
     does (a sync worker serves one connection at a time, so a connection left open would hold a worker);
  3. users arrive at a rate (--arrivals per second, the first one at 0) and each, until the end: reads its
     enterprise's plan list, a plan of it (any of the ~1,700), its task list; edits one of its enterprise's
     drafting plans (PATCH, a new title); now and then creates a plan; then thinks (exponential, mean
     --think seconds). Each answer is checked for content: the plan asked for (its id and title), the list's
     total, the edit's new title and version;
  4. afterwards, in the database: every edit answered 200 left its trace (one `plan.updated` audit event
     each, per plan), no two edits of a plan were answered with the same version, each plan's version is
     the last one answered, each plan's title is one that an edit set, and every plan answered 201 exists:
     a lost update fails the bench.

Baseline, same run: the same requests from a single user, one at a time, before the load (what a
request costs with nothing else in flight); the ratio load p95 / alone p95 is printed beside.

  python bench/load.py                # 10,000 plans, 50 users, 60 s
  python bench/load.py --quick        # 1,000 plans, 10 users, 15 s

The last line printed is one JSON object with the figures, the targets and `ok`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

ROOT = c.ROOT
PASSWORD = "Bench#2026-load"  # noqa: S105 (a throw-away database)
TARGETS = {"p95_ms": 300.0, "errors": 0, "lost_updates": 0}
HOT_PER_ENTERPRISE = 4  # drafting plans each enterprise's users edit (several users edit one at once)


# -- seeding -------------------------------------------------------------------------------------


@dataclass
class World:
    users: list[tuple[str, int]]  # (username, enterprise id)
    hot: dict[int, list[int]]  # enterprise id -> its drafting plans that users edit
    visible: dict[int, list[int]]  # enterprise id -> its plans' ids (what its clerks may read)
    titles: dict[int, str]
    before: dict[int, tuple[int, int]]  # hot plan -> (version, plan.updated audit events) before the load


def seed(uri: str, plans: int, users: int) -> World:
    from sqlalchemy import func, select
    from web_latency import app_config
    from web_latency import seed as seed_plans
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.extensions import db, get_engine
    from approvals.actor import SYSTEM, Actor
    from approvals.demo import sample_content
    from approvals.models import AuditEvent, Enterprise, Plan, Role, User
    from approvals.services import accounts
    from approvals.services.plans import create_plan

    seed_plans(uri, plans, 200)  # the demo world, a 200-row roster, `plans` plans (the template's copies)
    app = create_app(app_config(uri))
    with app.app_context():
        session, engine = db.session, get_engine()
        firms = list(session.scalars(select(Enterprise).order_by(Enterprise.id)))
        password_hash = generate_password_hash(PASSWORD)
        made = []
        for k in range(users):
            firm = firms[k % len(firms)]
            user = User(username=f"load{k:03d}", display_name=f"压测用户{k + 1}", password_hash=password_hash)
            session.add(user)
            session.flush()
            accounts.grant_role(session, actor=SYSTEM, user=user, role=Role.ENTERPRISE, enterprise=firm)
            made.append((user.username, firm.id))
        session.commit()
        hot: dict[int, list[int]] = {}
        for firm in firms:
            clerk = session.scalars(select(User).where(User.username == made[firms.index(firm)][0])).one()
            hot[firm.id] = []
            for n in range(HOT_PER_ENTERPRISE):
                plan = create_plan(session, engine, actor=Actor(clerk, "127.0.0.1"),
                                   title=f"{firm.name}职工安置方案（多人修改{n + 1}）",
                                   content=sample_content(firm, workers=20, seed=n + 1), enterprise_id=firm.id)  # fmt: skip
                hot[firm.id].append(plan.id)
        session.commit()
        visible: dict[int, list[int]] = defaultdict(list)
        titles = {}
        for plan_id, firm_id, title in session.execute(select(Plan.id, Plan.enterprise_id, Plan.title)):
            visible[firm_id].append(plan_id)
            titles[plan_id] = title
        hot_ids = [p for ids in hot.values() for p in ids]
        versions = dict(session.execute(select(Plan.id, Plan.version).where(Plan.id.in_(hot_ids))).all())
        updates = dict(session.execute(select(AuditEvent.plan_id, func.count()).where(
            AuditEvent.plan_id.in_(hot_ids), AuditEvent.action == "plan.updated").group_by(AuditEvent.plan_id)).all())  # fmt: skip
        session.remove()
        with db.engine.connect() as conn:  # statistics for the planner, as a live database has them
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        session.remove()
        db.engine.dispose()
    before = {p: (versions[p], updates.get(p, 0)) for p in hot_ids}
    return World(made, hot, dict(visible), titles, before)


# -- server --------------------------------------------------------------------------------------


def start_gunicorn(uri: str, workers: int, threads: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn serving wsgi:app as in production (README: one process per core, one thread each)."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    port = c.free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("APP_ENV", "DATABASE_URL", "SECRET_KEY", "AUDIT_KEY")}
    env.update(APP_ENV="production", DATABASE_URL=uri, PYTHONPATH=str(ROOT), **c.BENCH_SECRETS)
    command = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
               "wsgi:app"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        c.wait_for_port(port, 60)
    except OSError:
        process.terminate()
        raise
    return process, port


# -- users ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    ms: float
    ok: bool
    why: str = ""


@dataclass
class Ledger:
    """What the server answered to the writes, to check against the database afterwards."""

    edits: dict[int, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )  # plan -> (version, title)
    created: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client(c.HttpClient):
    """A connection per request, opened when the request is sent, as nginx talks to its upstream: with one thread
    per worker gunicorn runs its sync worker, which serves one connection at a time, so an idle connection kept
    open by a thinking user would hold a whole worker."""

    def _connect(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        self.connects += 1

    def call(self, method: str, path: str, token: str | None = None, body: bytes | None = None) -> c.Reply:
        try:
            return super().call(method, path, token, body)
        finally:
            self.conn.close()


class User:
    def __init__(self, port: int, username: str, firm: int, world: World, ledger: Ledger, seed: int) -> None:
        self.client = Client(port)
        reply = self.client.call("POST", "/api/v1/tokens", None, c.dumps({"username": username, "password": PASSWORD}))
        assert reply.status == 201, (reply.status, reply.body[:200])
        self.token = json.loads(reply.body)["token"]
        self.name, self.firm, self.world, self.ledger = username, firm, world, ledger
        self.rng = random.Random(seed)
        self.edits = 0

    def call(self, kind: str, method: str, path: str, body: Any, expect: int,
             check: Any) -> tuple[Outcome, Any]:  # fmt: skip
        t0 = c.now_ns()
        try:
            reply = self.client.call(method, "/api/v1" + path, self.token, None if body is None else c.dumps(body))
        except (OSError, http.client.HTTPException) as error:
            return Outcome(kind, (c.now_ns() - t0) / 1e6, False, repr(error)), None
        ms = (c.now_ns() - t0) / 1e6
        if reply.status != expect:
            return Outcome(kind, ms, False, f"{method} {path}: {reply.status} {reply.body[:160]!r}"), None
        data = json.loads(reply.body)
        why = check(data)
        return Outcome(kind, ms, not why, why or ""), data

    def one(self, kind: str) -> Outcome:
        rng, world = self.rng, self.world
        if kind == "list":
            total = len(world.visible[self.firm])
            out, _ = self.call(kind, "GET", f"/plans?page={rng.randint(1, 5)}", None, 200,
                               lambda d: "" if d.get("total", 0) >= total else f"total {d.get('total')} < {total}")  # fmt: skip
            return out
        if kind == "read":
            plan_id = rng.choice(world.visible[self.firm])
            title = world.titles[plan_id]
            out, _ = self.call(kind, "GET", f"/plans/{plan_id}", None, 200,
                               lambda d: "" if d.get("id") == plan_id and (d.get("title") == title or plan_id in
                                                                            world.before) else f"plan {plan_id}: {d.get('title')!r}")  # fmt: skip
            return out
        if kind == "tasks":
            out, _ = self.call(
                kind, "GET", "/tasks", None, 200, lambda d: "" if isinstance(d, dict | list) else "no list"
            )
            return out
        if kind == "edit":
            plan_id = rng.choice(world.hot[self.firm])
            self.edits += 1
            title = f"职工安置方案（{self.name}第{self.edits}次修改）"
            out, data = self.call(kind, "PATCH", f"/plans/{plan_id}", {"title": title}, 200,
                                  lambda d: "" if d.get("title") == title else f"edit answered {d.get('title')!r}")  # fmt: skip
            if out.ok:
                with self.ledger.lock:
                    self.ledger.edits[plan_id].append((int(data["version"]), title))
            return out
        # create
        title = f"职工安置方案（{self.name}新建{self.edits}-{rng.randrange(10**6)}）"
        out, data = self.call(kind, "POST", "/plans", {"title": title, "enterprise_id": self.firm}, 201,
                              lambda d: "" if d.get("title") == title else f"created {d.get('title')!r}")  # fmt: skip
        if out.ok:
            with self.ledger.lock:
                self.ledger.created.append(int(data["id"]))
        return out


MIX = (("list", 20), ("read", 40), ("tasks", 10), ("edit", 25), ("create", 5))


def run_users(port: int, world: World, users: int, seconds: float, arrivals: float, think: float,
              ledger: Ledger) -> tuple[list[Outcome], float]:  # fmt: skip
    """Users log in (untimed), then arrive one every 1/arrivals s and work until the end."""
    people = [User(port, name, firm, world, ledger, seed=k) for k, (name, firm) in enumerate(world.users[:users])]
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    kinds, weights = zip(*MIX, strict=True)
    start = time.monotonic() + 0.2
    end = start + seconds

    def work(k: int, person: User) -> None:
        mine = []
        wait = start + k / arrivals - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        while time.monotonic() < end:
            mine.append(person.one(person.rng.choices(kinds, weights)[0]))
            pause = min(person.rng.expovariate(1 / think), end - time.monotonic()) if think > 0 else 0
            if pause > 0:
                time.sleep(pause)
        person.client.close()
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=work, args=(k, p), daemon=True) for k, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, time.monotonic() - start


def alone(port: int, world: World, rounds: int) -> list[Outcome]:
    """The baseline: one user, one request in flight, the same mix of kinds."""
    name, firm = world.users[0]
    person = User(port, name, firm, world, Ledger(), seed=10_000)
    out = [person.one(kind) for _ in range(rounds) for kind, _w in MIX if kind not in ("edit", "create")]
    person.client.close()
    return out


# -- the check afterwards ----------------------------------------------------------------------------


def lost_updates(uri: str, world: World, ledger: Ledger) -> tuple[int, list[str]]:
    from sqlalchemy import func, select
    from web_latency import app_config

    from app import create_app
    from app.extensions import db
    from approvals.models import AuditEvent, Plan

    app = create_app(app_config(uri))
    problems = []
    with app.app_context():
        hot = list(world.before)
        rows = {
            p: (v, t)
            for p, v, t in db.session.execute(select(Plan.id, Plan.version, Plan.title).where(Plan.id.in_(hot)))
        }
        updates = dict(db.session.execute(select(AuditEvent.plan_id, func.count()).where(
            AuditEvent.plan_id.in_(hot), AuditEvent.action == "plan.updated").group_by(AuditEvent.plan_id)).all())  # fmt: skip
        for plan_id in hot:
            answered = ledger.edits.get(plan_id, [])
            version0, updates0 = world.before[plan_id]
            version, title = rows[plan_id]
            traces = updates.get(plan_id, 0) - updates0
            if traces != len(answered):
                problems.append(f"plan {plan_id}: {len(answered)} edits answered 200, {traces} plan.updated events")
            repeated = [v for v, n in Counter(v for v, _t in answered).items() if n > 1]
            if repeated:
                problems.append(f"plan {plan_id}: two edits answered with version {repeated[0]}")
            if answered:
                last_version, last_title = max(answered)
                if version != last_version:
                    problems.append(f"plan {plan_id}: version {version}, the last edit answered {last_version}")
                if title != last_title:
                    problems.append(
                        f"plan {plan_id}: title {title!r}, the last edit (version {last_version}) set {last_title!r}"
                    )
            elif version != version0:
                problems.append(f"plan {plan_id}: version {version0} -> {version} without an edit answered")
        found = set(db.session.scalars(select(Plan.id).where(Plan.id.in_(ledger.created))))
        missing = [p for p in ledger.created if p not in found]
        if missing:
            problems.append(f"{len(missing)} plans answered 201 are not in the database: {missing[:5]}")
        db.session.remove()
        db.engine.dispose()
    return len(problems), problems


# -- main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=10_000, help="plans in the database (10,000)")
    parser.add_argument("--users", type=int, default=50, help="users working at once (50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of the load (60 s)")
    parser.add_argument("--arrivals", type=float, default=5.0, help="users arriving per second (5)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests (1 s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2, one per core)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (1)")
    parser.add_argument("--quick", action="store_true", help="1,000 plans, 10 users, 15 s")
    parser.add_argument("--server-log", default="", help="keep gunicorn's log in this file")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server (any database URL of it): the bench makes its own database there "
                             "and drops it at the end")  # fmt: skip
    parser.add_argument(
        "--database-url", default="", help="an EMPTY PostgreSQL database instead (tables dropped at the end)"
    )
    args = parser.parse_args()
    if args.quick:
        args.plans, args.users, args.seconds = 1_000, 10, 15.0
    from config import database_url

    if args.database_url:
        uri = database_url(args.database_url)
        if not uri.startswith("postgresql"):
            print("the load bench runs on PostgreSQL (several gunicorn workers write at once)", file=sys.stderr)
            return 2
        if c.has_tables(uri):
            print("refusing to run: the database already has tables (use an empty one)", file=sys.stderr)
            return 2
        try:
            return run(args, uri)
        finally:
            from web_latency import drop_tables

            drop_tables(uri)
    with c.ScratchPostgres(args.server, "load") as url:
        return run(args, database_url(url))


def run(args: argparse.Namespace, uri: str) -> int:
    import tempfile

    print(f"seeding {args.plans:,} plans and {args.users} users into PostgreSQL …", flush=True)
    t0 = time.perf_counter()
    world = seed(uri, args.plans, args.users)
    print(f"  seeded in {time.perf_counter() - t0:.1f} s: {len(world.titles):,} plans, "
          f"{sum(map(len, world.hot.values()))} drafting plans edited by several users at once", flush=True)  # fmt: skip
    ledger = Ledger()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        log = Path(tmp) / "gunicorn.log"
        server, port = start_gunicorn(uri, args.workers, args.threads, log)
        try:
            baseline = alone(port, world, 3)  # the first round warms up both workers' caches
            baseline = alone(port, world, 10)
            print(f"load: {args.users} users arriving at {args.arrivals:g}/s, {args.seconds:g} s, think time "
                  f"{args.think:g} s (mean); gunicorn wsgi:app {args.workers} workers × {args.threads} threads; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
            outcomes, elapsed = run_users(port, world, args.users, args.seconds, args.arrivals, args.think, ledger)
        finally:
            server.terminate()
            server.wait(30)
        server_log = log.read_text(errors="replace")
    lost, problems = lost_updates(uri, world, ledger)
    ms = [o.ms for o in outcomes]
    errors = [o for o in outcomes if not o.ok]
    base_p95 = c.quantile([o.ms for o in baseline], 0.95)
    print(f"{'request':10}{'n':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}   (ms)")
    per_kind = {}
    for kind, _w in MIX:
        got = [o.ms for o in outcomes if o.kind == kind]
        per_kind[kind] = {"n": len(got), "p50_ms": c.quantile(got, 0.5), "p95_ms": c.quantile(got, 0.95),
                          "p99_ms": c.quantile(got, 0.99), "errors": sum(1 for o in errors if o.kind == kind)}  # fmt: skip
        row = per_kind[kind]
        print(f"{kind:10}{row['n']:>7}{c.fmt(row['p50_ms'], 1):>8}{c.fmt(row['p95_ms'], 1):>8}"
              f"{c.fmt(row['p99_ms'], 1):>8}{row['errors']:>8}")  # fmt: skip
    figures = {"requests": len(outcomes), "throughput_rps": len(outcomes) / elapsed if elapsed else 0.0,
               "p50_ms": c.quantile(ms, 0.5), "p95_ms": c.quantile(ms, 0.95), "p99_ms": c.quantile(ms, 0.99),
               "errors": len(errors), "edits": sum(map(len, ledger.edits.values())), "created": len(ledger.created),
               "lost_updates": lost, "alone_p95_ms": base_p95}  # fmt: skip
    figures["p95_over_alone"] = c.ratio(figures["p95_ms"], base_p95)
    print(f"{'all':10}{len(ms):>7}{c.fmt(figures['p50_ms'], 1):>8}{c.fmt(figures['p95_ms'], 1):>8}"
          f"{c.fmt(figures['p99_ms'], 1):>8}{len(errors):>8}   {figures['throughput_rps']:.1f} req/s")  # fmt: skip
    print(f"alone (one request in flight, reads): p95 {c.fmt(base_p95, 1)} ms; under load p95 is "
          f"{c.fmt(figures['p95_over_alone'], 1)}× that")  # fmt: skip
    print(f"writes: {figures['edits']} edits of {len(world.before)} shared drafting plans, {figures['created']} plans "
          f"created; lost updates: {lost}; load average {os.getloadavg()[0]:.1f} (a shared machine shows here)")  # fmt: skip
    for line in [*problems[:5], *(o.why for o in errors[:5])]:
        print(f"  {line}")
    failures = Counter(line for line in server_log.splitlines() if re.match(r"^[\w.]+(Error|Exception)\b", line))
    for line, n in failures.most_common(5):
        print(f"  the server logged {n}× {line[:300]}")
    if args.server_log:
        Path(args.server_log).write_text(server_log)
    ok = figures["p95_ms"] < TARGETS["p95_ms"] and not errors and lost == 0 and not failures
    out = {"bench": "load", "database": "postgresql", "quick": args.quick, "plans": len(world.titles),
           "users": args.users, "seconds": args.seconds, "arrivals_per_s": args.arrivals, "think_s": args.think,
           "workers": args.workers, **figures, "per_kind": per_kind, "load_average": os.getloadavg()[0],
           "targets": {"p95_ms": f"< {TARGETS['p95_ms']}", "errors": "== 0", "lost_updates": "== 0"}, "ok": ok}  # fmt: skip
    print(json.dumps(c.clean(out), ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
