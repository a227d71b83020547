"""Worst-case documents: a published plan whose every text field is at its limit
(approvals/rules/text_limits.py, up to the whole plan's MAX_CONTENT), a review whose reasons and a
working group whose findings are at theirs, rendered as a server worker renders them.

Run from the repository root (after `make fonts`):
  .venv/bin/python bench/worst_case_documents.py [--workers N]

Prints the render time, pages and size of the published plan, the review opinion, the working-group
record and the case file (which renders all of them again), and the size of each document's HTML
against app/documents/render.py MAX_HTML. The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any


def filled(content: dict[str, Any]) -> dict[str, Any]:
    """The content with every limited text at its limit, in the table's order, until MAX_CONTENT."""
    from approvals.rules.text_limits import CONTENT, LONG, MAX_CONTENT

    budget = MAX_CONTENT - 20_000  # the rest of the plan's text (names, units, numbers as text)
    for path, limit in CONTENT.items():
        if limit != LONG or "." not in path:
            continue
        section, item = path.split(".", 1)
        size = min(limit, budget)
        if size <= 0:
            break
        # realistic prose: sentences of CJK text with punctuation and paragraph breaks
        sentence = "企业依法与职工协商一致，按照国家和省有关规定妥善处理劳动关系，保障职工合法权益。"
        text = (sentence * (size // len(sentence) + 1))[:size]
        content.setdefault(section, {})[item] = text
        budget -= size
    return content


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1000)
    args = parser.parse_args()
    from _common import BENCH_SECRETS
    from sqlalchemy import select

    from app import create_app
    from app.documents.case_file import build_case_file
    from app.documents.context import document
    from app.documents.render import MAX_HTML, renderer
    from app.extensions import db, get_engine
    from approvals import demo
    from approvals.actor import Actor
    from approvals.models import Enterprise, User
    from approvals.rules.text_limits import LONG
    from approvals.services.plans import create_plan, update_plan
    from approvals.services.roster import import_roster

    workdir = Path(tempfile.mkdtemp())
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}", "TESTING": True, **BENCH_SECRETS}
    )
    figures: dict[str, Any] = {"workers": args.workers}
    with app.app_context():
        db.create_all()
        engine = get_engine()
        demo.load(db.session, engine)
        people = {u.username: Actor(u, "127.0.0.1") for u in db.session.scalars(select(User))}
        steel = db.session.scalars(select(Enterprise).where(Enterprise.industry == "steel")).one()
        rows = demo.sample_roster(steel, args.workers, seed=3)
        content = filled(demo.sample_content(steel, args.workers, seed=3))
        plan = create_plan(db.session, engine, actor=people["clerk"], title="方" * 200, content=content,
                           enterprise_id=steel.id)  # fmt: skip
        report = import_roster(db.session, actor=people["clerk"], plan=plan, data=demo.roster_csv(rows),
                               filename="职工名单.csv", dry_run=False, accept_valid=True)  # fmt: skip
        assert report.committed, report.errors[:3]  # the demo generator repeats an ID now and then: dropped
        update_plan(db.session, actor=people["clerk"], plan=plan,
                    sections={"funding": demo.fund_fully(plan.content["funding"])})  # fmt: skip
        demo.advance_to(db.session, engine, plan, "published", people["clerk"], people["union"],
                        people["reviewer"], people["wg"])  # fmt: skip
        for model_name, field in (("BureauReview", "reasons"), ("WorkingGroupRecord", "findings")):
            from approvals import models

            for row in db.session.scalars(select(getattr(models, model_name))):
                setattr(row, field, "审" * LONG)
        db.session.commit()
        render = renderer()
        render.render(*_doc(document(db.session, plan, "review-opinion")))  # warm-up: fonts, as a worker has
        for kind in ("published-plan", "review-opinion", "working-group"):
            template, context = _doc(document(db.session, plan, kind))
            html = render.html(template, context)
            start = time.perf_counter()
            pdf = render.render(template, context)
            seconds = time.perf_counter() - start
            figures[kind] = {"seconds": round(seconds, 2), "html_chars": len(html), "pdf_bytes": len(pdf),
                             "pages": pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")}  # fmt: skip
            print(f"{kind:16} {seconds:6.2f} s  HTML {len(html):>9,} chars (bound {MAX_HTML:,})  PDF {len(pdf):>10,} B")
        start = time.perf_counter()
        archive = build_case_file(db.session, plan, render, b"k" * 32)
        seconds = time.perf_counter() - start
        figures["case-file"] = {"seconds": round(seconds, 2), "zip_bytes": len(archive)}
        print(f"{'case-file':16} {seconds:6.2f} s  zip {len(archive):,} B")
    print(json.dumps(figures, ensure_ascii=False))


def _doc(found: Any) -> tuple[str, dict[str, Any]]:
    return found.kind.template, found.context


if __name__ == "__main__":
    main()
