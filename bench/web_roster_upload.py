"""The roster upload page with a large file: what the web layer adds to the import service.

Run from the repository root:
  .venv/bin/python bench/web_roster_upload.py [--rows N] [--repeat K] [--quick]

A CSV of --rows workers (the demo generator, one row in fifty with a wrong check character)
is uploaded as the clerk through the Flask test client, against the demo data in a temporary
SQLite file. Timed, median of --repeat rounds:

  service_dry_run  import_roster(dry_run=True) called directly (the floor)
  upload           POST /plans/1/roster/upload: the same dry run + keeping the file and its report
  report_page      GET of the report's first page (reads the kept report, pages 50 issues)
  report_last      GET of its last page of errors
  commit           POST …/roster/commit with accept_valid (the import again + commit), round 1 only

The last line printed is one JSON object with the figures, the targets and `ok`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import BENCH_SECRETS, median  # noqa: E402


def roster_bytes(rows: int) -> bytes:
    from approvals.demo import ROSTER_HEADER, sample_roster

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ROSTER_HEADER)
    body = sample_roster(SimpleNamespace(region_code="130283"), rows, 7)  # type: ignore[arg-type]
    for row in body[::50]:  # one row in fifty with a wrong check character: a long report
        row[0] = row[0][:-1] + ("0" if row[0][-1] != "0" else "1")
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="5,000 rows, one round")
    args = parser.parse_args()
    rows, repeat = (5_000, 1) if args.quick else (args.rows, args.repeat)

    from app import create_app
    from app.extensions import db, get_engine
    from approvals import demo
    from approvals.actor import Actor
    from approvals.models import Plan, User
    from approvals.services.roster import import_roster

    workdir = Path(tempfile.mkdtemp(prefix="bench-web-roster-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}",
                      "UPLOAD_STASH_DIR": workdir / "uploads", **BENCH_SECRETS,
                      "WTF_CSRF_ENABLED": False})  # fmt: skip
    data = roster_bytes(rows)
    timings: dict[str, list[float]] = {k: [] for k in ("service_dry_run", "upload", "report_page", "report_last")}
    with app.app_context():
        db.create_all()
        demo.load(db.session, get_engine())
        db.session.commit()
        plan_id = db.session.scalar(db.select(Plan.id).where(Plan.status == "drafting").order_by(Plan.id))
        clerk = db.session.scalar(db.select(User).where(User.username == "clerk"))
        client = app.test_client()
        client.post("/login", data={"username": "clerk", "password": demo.DEMO_PASSWORD})
        report = None
        for _round in range(repeat):
            plan = db.session.get(Plan, plan_id)
            start = time.perf_counter()
            report = import_roster(db.session, actor=Actor(clerk, "-"), plan=plan, data=data, filename="名单.csv",
                                   dry_run=True)  # fmt: skip
            timings["service_dry_run"].append(time.perf_counter() - start)
            db.session.rollback()
            start = time.perf_counter()
            response = client.post(f"/plans/{plan_id}/roster/upload", data={"file": (io.BytesIO(data), "名单.csv")},
                                   content_type="multipart/form-data")  # fmt: skip
            timings["upload"].append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
            start = time.perf_counter()
            page = client.get(f"/plans/{plan_id}/roster/upload").get_data(as_text=True)
            timings["report_page"].append(time.perf_counter() - start)
            last = re.search(r"第 1 / (\d+) 页", page)
            start = time.perf_counter()
            client.get(f"/plans/{plan_id}/roster/upload?show=errors&page={last.group(1) if last else 1}")
            timings["report_last"].append(time.perf_counter() - start)
        report_bytes = next((workdir / "uploads").glob("*.json")).stat().st_size
        start = time.perf_counter()
        sha = re.search(r'name="sha256" type="hidden" value="([0-9a-f]+)"', page)
        committed = client.post(f"/plans/{plan_id}/roster/commit",
                                data={"sha256": sha.group(1) if sha else "", "accept_valid": "y"})  # fmt: skip
        commit_s = time.perf_counter() - start
        assert committed.status_code == 302
        saved = db.session.get(Plan, plan_id)
        db.session.refresh(saved)
        stored = (saved.roster_summary or {}).get("workers", 0)
    figures = {k: round(median(v) * 1000, 1) for k, v in timings.items()}
    overhead = figures["upload"] - figures["service_dry_run"]
    result = {
        "rows": rows, "accepted": report.accepted if report else 0, "rejected": report.rejected if report else 0,
        "errors": len(report.errors) if report else 0, "warnings": len(report.warnings) if report else 0,
        "report_json_bytes": report_bytes, "ms": figures, "upload_overhead_ms": round(overhead, 1),
        "commit_ms": round(commit_s * 1000, 1), "workers_saved": stored,
        "targets": {"report_page_ms": 300, "upload_overhead_share": 0.15},
    }  # fmt: skip
    result["ok"] = bool(
        figures["report_page"] < 300
        and figures["report_last"] < 300
        and overhead <= 0.15 * figures["service_dry_run"]
        and stored == result["accepted"]
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
