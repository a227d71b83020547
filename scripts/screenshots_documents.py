"""Regenerate docs/screenshots/documents-*.png: one page of each official document, from the demo data.

Run from the repository root:  .venv/bin/python scripts/screenshots_documents.py [--out DIR]

Loads the demo data into a temporary SQLite file, takes the high-risk coal plan (waiting for the
working group) through the group and publication, renders each of its documents and turns one page
of each into a PNG with `pdftoppm -png -r 80` (poppler-utils).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.documents.context import document  # noqa: E402
from app.documents.render import renderer  # noqa: E402
from app.extensions import db, get_engine  # noqa: E402
from approvals import demo  # noqa: E402
from approvals.actor import Actor  # noqa: E402
from approvals.models import Plan, User  # noqa: E402
from approvals.services.publication import publish_plan  # noqa: E402
from approvals.services.working_group import record_working_group  # noqa: E402

# file name, document kind, page: a number (-1 the last), or a text the page shows (the first page with it)
SHOTS: list[tuple[str, str, int | str]] = [
    ("documents-published-plan.png", "published-plan", 1),
    ("documents-published-plan-amounts.png", "published-plan", "拖欠职工工资"),  # amounts, counts and dates as written
    ("documents-published-plan-signature.png", "published-plan", "盖章处"),  # signed and sealed
    ("documents-published-plan-timetable.png", "published-plan", "表4 实施进度安排"),
    ("documents-published-plan-annex.png", "published-plan", -1),
    ("documents-congress-vote.png", "congress-vote", 1),
    ("documents-review-opinion.png", "review-opinion", 1),
    ("documents-working-group.png", "working-group", 1),
]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_with(pdf: Path, wanted: str) -> int:
    """The number of the first page whose text holds `wanted`."""
    for number in range(1, page_count(pdf) + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        if wanted in text:
            return number
    raise SystemExit(f"{pdf.name}: no page shows “{wanted}”")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'demo.sqlite'}", "TESTING": True,
                          "SECRET_KEY": "screenshots", "AUDIT_KEY": "screenshots-audit"})  # fmt: skip
        with app.app_context():
            db.create_all()
            demo.load(db.session, get_engine())
            people = {u.username: Actor(u, "127.0.0.1") for u in db.session.scalars(select(User))}
            plan = db.session.scalars(select(Plan).where(Plan.status == "working_group")).one()
            record_working_group(db.session, get_engine(), actor=people["wg"], plan=plan, members=demo.WG_MEMBERS,
                                 contact_point="企业人力资源部（联系人：赵某，0310-5550123）",
                                 findings="经实地核查，安置渠道落实，资金来源有据，职工思想基本稳定，同意公布实施。",
                                 decision="cleared")  # fmt: skip
            publish_plan(db.session, get_engine(), actor=people["clerk_coal"], plan=plan)
            db.session.commit()
            args.out.mkdir(parents=True, exist_ok=True)
            for filename, kind, page in SHOTS:
                found = document(db.session, plan, kind)
                pdf = work / found.filename
                pdf.write_bytes(renderer().render(found.kind.template, found.context))
                number = page_with(pdf, page) if isinstance(page, str) else page if page > 0 else page_count(pdf)
                stem = work / filename.removesuffix(".png")
                subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number), "-singlefile",
                                str(pdf), str(stem)], check=True)  # fmt: skip
                (args.out / filename).write_bytes(stem.with_suffix(".png").read_bytes())
                print(f"{args.out / filename}: {found.title}, page {number}")


if __name__ == "__main__":
    main()
