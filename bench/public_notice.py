"""Public notice (公示) benchmark: the page of a published plan with a large roster, in process.

Run from the repository root:
  .venv/bin/python bench/public_notice.py [--workers N] [--repeat K] [--quick]

What it does: a temporary SQLite database with the demo data and one plan of --workers workers
(approvals.demo's sample roster) driven through the services to publication. Then, through Flask's
test client (no network, no server), --repeat times each, after one untimed warm-up:
  first_page   GET /public/<token>                (the plan's public parts + roster page 1)
  last_page    GET /public/<token>?page=<last>    (the deepest OFFSET)
  search       GET /public/<token>?q=王           (a name search over the plan's roster)
  objection    POST /public/<token>/objections    (stored, audited, notified; committed)
and the SQL statements one page view sends. Rate limits are lifted for the run.

The last line printed is one JSON object with the figures (milliseconds, median and p95), the
targets and `ok`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

TARGETS_MS = {"first_page": 200.0, "last_page": 200.0, "search": 200.0, "objection": 200.0}
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="200 workers, 5 rounds")
    args = parser.parse_args()
    if args.quick:
        args.workers, args.repeat = 200, 5

    from sqlalchemy import select

    from app import create_app
    from app.extensions import db, get_engine
    from approvals import demo
    from approvals.actor import Actor
    from approvals.models import PublicNotice, User
    from approvals.rules.resident_id import check_character
    from approvals.services.plans import update_plan

    with tempfile.TemporaryDirectory() as tmp:
        uri = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench-public-notice", "AUDIT_KEY": "bench-audit", "TESTING": False,
                          "PUBLIC_PAGE_RATE_LIMIT": "1000000 per minute", "OBJECTION_RATE_LIMIT": "1000000 per hour"})  # fmt: skip
        with app.app_context():
            db.create_all()
            session, engine = db.session, get_engine()
            demo.load(session, engine)

            def actor(name: str) -> Actor:
                return Actor(session.scalars(select(User).where(User.username == name)).one(), "127.0.0.1")

            clerk = actor("clerk")
            steel = clerk.user.grants[0].enterprise  # type: ignore[union-attr]
            t0 = time.perf_counter()
            plan = demo.create_complete_plan(session, engine, actor=clerk, enterprise=steel,
                                             title=f"冀东示范钢铁职工安置方案（{args.workers}人）", workers=args.workers)  # fmt: skip
            # Past 20 terminations the layoff rules of Art 41 apply: the timetable states the notice.
            timetable = {**plan.content["timetable"], "union_explanation_date": "2018-07-20",
                         "termination_date": "2018-09-30"}  # fmt: skip
            update_plan(session, actor=clerk, plan=plan, sections={"timetable": timetable})
            demo.advance_to(session, engine, plan, "published", clerk, actor("union"), actor("reviewer"), actor("wg"))
            session.commit()
            seed_s = time.perf_counter() - t0
            assert plan.published_at is not None, plan.status
            token = session.get(PublicNotice, plan.id).token  # type: ignore[union-attr]
            last = max(1, -(-args.workers // app.config["PAGE_SIZE"]))
            counter = c.SqlCounter(db.engine)
            client = app.test_client()
            url = f"/public/{token}"
            page = client.get(url)
            assert page.status_code == 200, page.status_code
            counter.reset()
            client.get(url)
            statements = counter.take()
            found = CSRF.search(page.get_data(as_text=True))
            assert found
            csrf_token = found.group(1)
            body = "13028319800315002"
            objection = {"csrf_token": csrf_token, "name": "王某", "id_number": body + check_character(body),
                         "phone": "13812345678", "text": "名单中本人的安置渠道有误。"}  # fmt: skip

            requests = {
                "first_page": lambda: client.get(url),
                "last_page": lambda: client.get(f"{url}?page={last}"),
                "search": lambda: client.get(f"{url}?q=王"),
                "objection": lambda: client.post(f"{url}/objections", data=objection),
            }
            expected = {"first_page": 200, "last_page": 200, "search": 200, "objection": 303}
            times: dict[str, list[float]] = {name: [] for name in requests}
            for name, call in requests.items():
                assert call().status_code == expected[name], name  # warm-up
            for _ in range(args.repeat):
                for name, call in requests.items():
                    t = c.now_ns()
                    response = call()
                    times[name].append((c.now_ns() - t) / 1e6)
                    assert response.status_code == expected[name], (name, response.status_code)
            session.remove()
            db.engine.dispose()

    figures = {name: {"median_ms": c.median(v), "p95_ms": c.quantile(v, 0.95)} for name, v in times.items()}
    for name, f in figures.items():
        print(
            f"{name:11} median {c.fmt(f['median_ms'])} ms  p95 {c.fmt(f['p95_ms'])} ms  (target median ≤ {TARGETS_MS[name]:.0f} ms)"
        )
    print(f"page view: {len(statements)} SQL statements: {c.compress([c.label(s) for s in statements])}")
    ok = all(figures[name]["median_ms"] <= TARGETS_MS[name] for name in figures)
    print(json.dumps(c.clean({"workers": args.workers, "repeat": args.repeat, "seed_s": seed_s,
                              "page_statements": len(statements), **figures, "targets_ms": TARGETS_MS, "ok": ok}),
                     ensure_ascii=False))  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
