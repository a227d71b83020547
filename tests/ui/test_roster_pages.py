"""The roster's pages: the whole roster is paged by the rows kept with the workers (RosterWorker.roster_row),
a search or a filter by its own index range; every page holds the workers an offset over the roster in
import order gives, before and after workers are removed, on the plan page and over the API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from approvals.models import RosterWorker
from approvals.services.roster_view import RosterFilter, roster_page
from tests import flow
from tests.web.test_roster_api import csv_bytes, put, rid, worker


@pytest.fixture
def plan(api, world):
    return flow.create(api("clerk"), {}, title="名单分页测试方案")


def by_offset(plan_id: int, f: RosterFilter, page: int, per_page: int) -> list[str]:
    """The page as an offset over the plan's workers that pass the filter, in import order (by id)."""
    rows = db.session.scalars(select(RosterWorker).where(RosterWorker.plan_id == plan_id).order_by(RosterWorker.id))
    chosen = [w.id_number for w in rows if (not f.channel or w.channel == f.channel) and (not f.couple or w.couple)]
    return chosen[(page - 1) * per_page : page * per_page]


def paged(plan_id: int, f: RosterFilter, page: int, per_page: int) -> list[str]:
    ids = list(db.session.scalars(roster_page(plan_id, f, search_ids=True, page=page, per_page=per_page)))
    numbers = dict(
        db.session.execute(select(RosterWorker.id, RosterWorker.id_number).where(RosterWorker.id.in_(ids))).all()
    )
    return [numbers[i] for i in ids]


def test_every_page_holds_what_an_offset_in_import_order_gives(api, plan):
    clerk, plan_id = api("clerk"), plan["id"]
    rows = [worker(n, channel="自主创业" if n % 3 == 0 else "转岗培训") for n in range(1, 24)]
    assert put(clerk, plan_id, csv_bytes(rows)).status_code == 200
    assert put(clerk, plan_id, csv_bytes([r for k, r in enumerate(rows) if k not in (0, 7, 8)] + [worker(30)])
               ).status_code == 200  # fmt: skip
    for f in (RosterFilter(), RosterFilter(channel="self_employment")):
        for page in range(1, 6):
            assert paged(plan_id, f, page, 5) == by_offset(plan_id, f, page, 5), (f, page)
    assert paged(plan_id, RosterFilter(), 1, 5)[:2] == [rid(2), rid(3)]
    assert paged(plan_id, RosterFilter(), 5, 5) == [rid(30)]  # rows 22 and after: the last worker
    assert paged(plan_id, RosterFilter(), 6, 5) == []


def test_the_whole_roster_is_read_from_its_rows_not_counted_through(api, plan):
    """The unfiltered page asks the rows from the page's first row on (no offset), in the rows' order."""
    sql = str(roster_page(plan["id"], RosterFilter(), search_ids=True, page=3, per_page=50)
              .compile(compile_kwargs={"literal_binds": True}))  # fmt: skip
    assert "roster_worker.roster_row >= 102" in sql
    assert "OFFSET" not in sql
    assert sql.endswith("ORDER BY roster_worker.plan_id, roster_worker.roster_row\n LIMIT 50")


def test_the_api_and_the_plan_page_show_the_pages_in_order(api, plan, browser):
    clerk, plan_id = api("clerk"), plan["id"]
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in range(1, 8)])).status_code == 200
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in range(2, 9)])).status_code == 200  # 1 out, 8 in
    body = clerk.get(f"/plans/{plan_id}/roster?page=2&per_page=3").json
    assert ([w["id_number"] for w in body["items"]], body["total"]) == ([rid(5), rid(6), rid(7)], 7)
    assert clerk.get(f"/plans/{plan_id}/roster?page=4&per_page=3").json["items"] == []
    page = browser("clerk").get(f"/plans/{plan_id}?tab=roster")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert [html.find(f"职工{n}<") for n in range(2, 9)] == sorted(html.find(f"职工{n}<") for n in range(2, 9))
    assert "职工1<" not in html
