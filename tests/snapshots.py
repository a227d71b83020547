"""Database states built once per test process and copied back for each test that asks for them.

A test starts from empty tables (tests/conftest.py). `cached(name, build)` runs `build()` the first time a
test reaches it from a given state, and keeps a copy of every row the database holds afterwards (and, on
PostgreSQL, where each id sequence stands) with what `build` returned; the next test that reaches it
from the same state gets the rows copied back instead, in milliseconds. The state is a path: () for the
empty tables, then the name of each cached step taken, so `cached("world", …)` then
`cached(("plan", "steel", "review"), …)` names "the world with the steel firm's plan at review".

Whatever else writes to the database (a request, a service, a fixture) leaves the state unknown, and a
step from an unknown state is built, never copied: a copy never replaces what a test wrote itself. So is
a step built while the clock is travelled (time-machine), and a copy older than COPY_MAX_AGE, or from
another day in China, is built again: the rows carry the time they were made.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine, Table, event, insert, select, text
from sqlalchemy.orm import Session

from approvals.db import Base
from approvals.workdays import local_date

T = TypeVar("T")
COPY_MAX_AGE = timedelta(minutes=30)
# Statements that leave the rows as they were.
_READS = frozenset({"SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW", "SET"})


@dataclass
class _Copy:
    rows: dict[str, list[dict[str, Any]]]  # table -> its rows, in the order of Base.metadata.sorted_tables
    sequences: dict[str, int]  # PostgreSQL: sequence -> its last value
    result: Any
    made: datetime


@dataclass
class Snapshots:
    copies: dict[tuple[Hashable, ...], _Copy] = field(default_factory=dict)
    state: tuple[Hashable, ...] | None = ()  # None: rows no cached step accounts for
    restoring: bool = False
    # time.time() - time.monotonic() stays put unless time-machine moves the clock (it leaves monotonic alone).
    clock_offset: float = field(default_factory=lambda: time.time() - time.monotonic())
    hits: int = 0
    builds: int = 0

    def watch(self, engine: Engine) -> None:
        """Forget the state at every statement that may write, unless it is one of ours."""

        @event.listens_for(engine, "before_cursor_execute")
        def _written(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if self.restoring or self.state is None:
                return
            verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
            if verb not in _READS:
                self.state = None

    def cleared(self) -> None:
        """The tables were emptied (and PostgreSQL's sequences restarted)."""
        self.state = ()

    def _travelling(self) -> bool:
        return abs(time.time() - time.monotonic() - self.clock_offset) > 5

    def cached(self, session: Session, name: Hashable, build: Callable[[], T]) -> T:
        """build()'s result; its rows built now or copied back from the last time it ran from this state.
        build() commits what it writes."""
        start = self.state
        key = None if start is None or self._travelling() else (*start, name)
        now = datetime.now(UTC)
        copy = self.copies.get(key) if key is not None else None
        if copy is not None and now - copy.made < COPY_MAX_AGE and local_date(copy.made) == local_date(now):
            self._restore(session, copy)
            self.state = key
            self.hits += 1
            return copy.result  # type: ignore[no-any-return]
        result = build()
        session.commit()
        self.builds += 1
        if key is not None:
            self.copies[key] = self._take(session, result, now)
        self.state = key
        return result

    def _take(self, session: Session, result: Any, made: datetime) -> _Copy:
        self.restoring = True
        try:
            rows = {}
            for table in _tables():
                found = [dict(row._mapping) for row in session.execute(select(table))]
                if found:
                    rows[table.name] = found
            sequences: dict[str, int] = {}
            if session.get_bind().dialect.name == "postgresql":
                query = text("SELECT schemaname, sequencename, last_value FROM pg_sequences "
                             "WHERE schemaname = current_schema() AND last_value IS NOT NULL")  # fmt: skip
                sequences = {f'"{schema}"."{name}"': value for schema, name, value in session.execute(query)}
            session.rollback()
        finally:
            self.restoring = False
        return _Copy(rows, sequences, result, made)

    def _restore(self, session: Session, copy: _Copy) -> None:
        self.restoring = True
        try:
            session.rollback()  # expires the objects loaded so far: they read the copied rows next
            if self.state != ():
                empty_tables(session)
            for table in _tables():
                if table.name in copy.rows:
                    session.execute(insert(table), copy.rows[table.name])
            for name, value in copy.sequences.items():
                session.execute(text("SELECT setval(CAST(:name AS regclass), :value)"), {"name": name, "value": value})
            session.commit()
        finally:
            self.restoring = False


@functools.cache
def _tables() -> list[Table]:
    return Base.metadata.sorted_tables


def empty_tables(session: Session) -> None:
    """Every row deleted; on PostgreSQL the id sequences used restart too. Not committed.

    DELETE, not TRUNCATE: a TRUNCATE of every table replaces each table's files, a second or more per
    test on a busy machine, where deleting the few rows a test leaves takes milliseconds."""
    connection = session.connection()
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(_tables())]
    if connection.dialect.name != "postgresql":
        for delete in deletes:
            connection.exec_driver_sql(delete)
        return
    connection.exec_driver_sql("; ".join(deletes))
    used = connection.exec_driver_sql("SELECT schemaname, sequencename FROM pg_sequences "
                                      "WHERE schemaname = current_schema() AND last_value IS NOT NULL").all()  # fmt: skip
    if used:
        restarts = ", ".join(f"""setval('"{schema}"."{name}"', 1, false)""" for schema, name in used)
        connection.exec_driver_sql(f"SELECT {restarts}")


STORE = Snapshots()


def cached(session: Session, name: Hashable, build: Callable[[], T]) -> T:
    """STORE.cached: see the module's docstring."""
    return STORE.cached(session, name, build)
