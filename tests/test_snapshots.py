"""The suite's copies of built database states (tests/snapshots.py): a copy brings back exactly the rows
the step made, and never stands in for a step taken after other writes."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from app.extensions import db
from approvals.models import Region
from tests import snapshots

ROWS = [("130000", "河北省", "province", None), ("130200", "唐山市", "city", "130000")]


def regions() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(r.code, r.name) for r in db.session.scalars(select(Region).order_by(Region.code))]


def add_regions(made: list[int]) -> int:
    made.append(1)
    for code, name, level, parent in ROWS:
        db.session.add(Region(code=code, name=name, level=level, parent_code=parent))
    db.session.flush()
    return len(made)


def start_over() -> None:
    db.session.rollback()
    snapshots.empty_tables(db.session)
    db.session.commit()
    snapshots.STORE.cleared()


def test_a_step_from_the_same_state_is_copied_back_not_rebuilt(app):
    made: list[int] = []
    name = ("regions", "copied")
    assert snapshots.cached(db.session, name, lambda: add_regions(made)) == 1
    built = regions()
    assert built == [("130000", "河北省"), ("130200", "唐山市")]
    start_over()
    assert regions() == []
    assert snapshots.cached(db.session, name, lambda: add_regions(made)) == 1  # the first build's result
    assert made == [1]  # not built again
    assert regions() == built
    assert snapshots.STORE.state == (name,)


def test_after_any_other_write_the_step_is_built_not_copied(app):
    made: list[int] = []
    name = ("regions", "after a write")
    snapshots.cached(db.session, name, lambda: add_regions(made))
    start_over()
    db.session.add(Region(code="130500", name="邢台市", level="city"))
    db.session.commit()
    assert snapshots.STORE.state is None  # the state is unknown: a copy would lose 邢台市
    snapshots.cached(db.session, name, lambda: add_regions(made))
    assert made == [1, 1]
    assert [code for code, _ in regions()] == ["130000", "130200", "130500"]


def test_a_step_taken_while_the_clock_is_travelled_is_built(app):
    made: list[int] = []
    name = ("regions", "travelled")
    snapshots.cached(db.session, name, lambda: add_regions(made))
    start_over()
    with time_machine.travel(timedelta(days=40), tick=False):
        snapshots.cached(db.session, name, lambda: add_regions(made))
    assert made == [1, 1]
    assert snapshots.STORE.state is None
