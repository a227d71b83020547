"""Each worker keeps its row in the exported roster (the header is row 1) as a column, RosterWorker.roster_row:
after every kind of change to the roster (import, re-import adding, updating and removing workers, a partial
import keeping a rejected row's saved worker, an edit, another plan's import in between) the plan's rows are
2, 3, … without gaps, and each equals what every view counted before (the workers before it by id, plus 2)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from approvals.execution_services.services import leaving_workers
from approvals.models import RosterWorker
from approvals.services.roster import renumber_rows
from tests import flow
from tests.web.test_roster_api import csv_bytes, put, rid, worker


@pytest.fixture
def plan(api, world):
    return flow.create(api("clerk"), {}, title="名单行号测试方案")


def counted(plan_id: int) -> list[tuple[str, int]]:
    """Each worker's row as the views counted it before the column: the plan's workers before it by id, plus 2."""
    other = aliased(RosterWorker)
    before = (select(func.count()).where(other.plan_id == RosterWorker.plan_id, other.id < RosterWorker.id)
              .correlate(RosterWorker).scalar_subquery())  # fmt: skip
    return [tuple(r) for r in db.session.execute(select(RosterWorker.id_number, before + 2)
                                                 .where(RosterWorker.plan_id == plan_id).order_by(RosterWorker.id))]  # fmt: skip


def stored(plan_id: int) -> list[tuple[str, int]]:
    db.session.expire_all()
    return [tuple(r) for r in db.session.execute(select(RosterWorker.id_number, RosterWorker.roster_row)
                                                 .where(RosterWorker.plan_id == plan_id).order_by(RosterWorker.id))]  # fmt: skip


def assert_rows(plan_id: int, numbers: list[int]) -> None:
    """The plan's workers are these (by `worker(n)`), in this order, on rows 2, 3, …, as the count gives them."""
    rows = stored(plan_id)
    assert rows == [(rid(n), row) for row, n in enumerate(numbers, start=2)]
    assert rows == counted(plan_id)


def test_rows_follow_every_import_removal_and_addition(api, plan):
    clerk, plan_id = api("clerk"), plan["id"]
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in range(1, 8)])).status_code == 200
    assert_rows(plan_id, [1, 2, 3, 4, 5, 6, 7])
    # the first and a middle worker removed, one updated, two added: the rows after each removal move up
    again = put(clerk, plan_id, csv_bytes([worker(2), worker(3, channel="自主创业"), worker(5), worker(6), worker(7),
                                           worker(8), worker(9)]))  # fmt: skip
    assert (again.json["added"], again.json["updated"], again.json["removed"]) == (2, 1, 2), again.json
    assert_rows(plan_id, [2, 3, 5, 6, 7, 8, 9])
    # the last worker removed and one added: the new one takes the row the removed one left
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in (2, 3, 5, 6, 7, 8, 10)])).status_code == 200
    assert_rows(plan_id, [2, 3, 5, 6, 7, 8, 10])
    # all but one removed, then a file in another order: saved workers keep their order, new ones follow
    assert put(clerk, plan_id, csv_bytes([worker(7)])).status_code == 200
    assert_rows(plan_id, [7])
    assert put(clerk, plan_id, csv_bytes([worker(12), worker(11), worker(7)])).status_code == 200
    assert_rows(plan_id, [7, 12, 11])


def test_a_rejected_row_keeps_its_worker_and_its_row(api, plan):
    clerk, plan_id = api("clerk"), plan["id"]
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in range(1, 6)])).status_code == 200
    partial = put(clerk, plan_id, csv_bytes([worker(2, wage="不是金额"), worker(4), worker(5), worker(6)]),
                  accept_valid="1")  # fmt: skip
    assert (partial.json["rejected"], partial.json["removed"], partial.json["added"]) == (1, 2, 1), partial.json
    assert_rows(plan_id, [2, 4, 5, 6])


def test_another_plans_imports_in_between_do_not_change_a_plans_rows(api, world, plan):
    clerk, plan_id = api("clerk"), plan["id"]
    other = flow.create(clerk, {}, title="第二批方案")["id"]
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in range(1, 4)])).status_code == 200
    assert put(clerk, other, csv_bytes([worker(n) for n in range(21, 24)])).status_code == 200
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in (2, 3, 4)])).status_code == 200
    assert put(clerk, other, csv_bytes([worker(n) for n in (21, 23, 24, 25)])).status_code == 200
    assert_rows(plan_id, [2, 3, 4])
    assert_rows(other, [21, 23, 24, 25])


def test_an_edit_keeps_the_rows_and_the_worker_shows_its_row(api, plan):
    clerk, plan_id = api("clerk"), plan["id"]
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in range(1, 5)])).status_code == 200
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in range(2, 5)])).status_code == 200
    edited = clerk.patch(f"/plans/{plan_id}/roster/{rid(3)}", json={"channel": "自主创业"})
    assert edited.status_code == 200, edited.json
    assert_rows(plan_id, [2, 3, 4])
    assert clerk.get(f"/plans/{plan_id}/roster/{rid(4)}").json["row"] == 4


def test_the_leaving_workers_carry_the_rows_the_count_gave(api, plan):
    clerk, plan_id = api("clerk"), plan["id"]
    rows = [worker(n, channel="依法解除劳动合同" if n % 2 else "转岗培训") for n in range(1, 9)]
    assert put(clerk, plan_id, csv_bytes(rows)).status_code == 200
    assert put(clerk, plan_id, csv_bytes(rows[2:])).status_code == 200  # the first two removed
    leaving = leaving_workers(db.session, plan_id)
    by_number = dict(counted(plan_id))
    assert [(w.id_number, w.row) for w in leaving] == [(rid(n), by_number[rid(n)]) for n in (3, 5, 7)]
    assert [w.row for w in leaving] == [2, 4, 6]


def test_renumbering_closes_gaps_from_the_first_removed_worker_only(api, plan):
    clerk, plan_id = api("clerk"), plan["id"]
    assert put(clerk, plan_id, csv_bytes([worker(n) for n in range(1, 7)])).status_code == 200
    ids = list(db.session.scalars(select(RosterWorker.id).where(RosterWorker.plan_id == plan_id)
                                  .order_by(RosterWorker.id)))  # fmt: skip
    db.session.execute(RosterWorker.__table__.delete().where(RosterWorker.id.in_([ids[1], ids[3]])))
    assert renumber_rows(db.session, plan_id, ids[1]) == 3  # workers 3, 5 and 6 move up; worker 1 is not read
    assert_rows(plan_id, [1, 3, 5, 6])
    assert renumber_rows(db.session, plan_id, ids[0]) == 0  # nothing left to move
    db.session.rollback()
