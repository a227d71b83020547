"""Helpers shared by the benchmarks: statistics, a SQL statement counter, the two raw
SpiffWorkflow baselines (in memory; persisted in stdlib sqlite3) and the gunicorn server + client.

Nothing here is imported by the application.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the application packages live at the repository root
    sys.path.insert(0, str(ROOT))

now_ns = time.perf_counter_ns

# The app starts as production, which refuses to run without its secrets (config.check_config): the
# benches give their own, never the public development secret.
BENCH_SECRETS = {"SECRET_KEY": "bench-secret", "AUDIT_KEY": "bench-audit"}


# -- statistics ---------------------------------------------------------------------------------


def quantile(values: Iterable[float], q: float) -> float:
    """Linear-interpolated quantile (q in 0..1); NaN for no values."""
    data = sorted(values)
    if not data:
        return float("nan")
    pos = (len(data) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def median(values: Iterable[float]) -> float:
    return quantile(values, 0.5)


def ratio(a: float, b: float) -> float:
    return a / b if b and b == b else float("nan")


# -- SQL statements -----------------------------------------------------------------------------

_LABEL = [
    (re.compile(r"^\s*SELECT\b.*?\bFROM\s+\"?(\w+)", re.S | re.I), "SELECT {}"),
    (re.compile(r"^\s*INSERT\s+INTO\s+\"?(\w+)", re.I), "INSERT {}"),
    (re.compile(r"^\s*UPDATE\s+\"?(\w+)", re.I), "UPDATE {}"),
    (re.compile(r"^\s*DELETE\s+FROM\s+\"?(\w+)", re.I), "DELETE {}"),
]


def label(statement: str) -> str:
    """'SELECT plan', 'INSERT audit_event', ... for one SQL statement."""
    for pattern, fmt in _LABEL:
        match = pattern.match(statement)
        if match:
            return fmt.format(match.group(1))
    return statement.split(None, 1)[0].upper() if statement.strip() else "?"


def compress(labels: list[str]) -> str:
    """Labels in execution order, consecutive repeats folded: 'SELECT a, INSERT b ×2'."""
    out: list[str] = []
    prev, n = None, 0
    for item in [*labels, None]:
        if item == prev:
            n += 1
            continue
        if prev is not None:
            out.append(prev + (f" ×{n}" if n > 1 else ""))
        prev, n = item, 1
    return ", ".join(out)


class SqlCounter:
    """Counts (and keeps) every statement an engine sends, via before_cursor_execute."""

    def __init__(self, engine: Any) -> None:
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.statements.append(statement)

    def reset(self) -> None:
        self.statements = []

    def take(self) -> list[str]:
        taken, self.statements = self.statements, []
        return taken


# -- raw SpiffWorkflow baselines ----------------------------------------------------------------


def parse_specs(workflows_dir: Path, process_id: str = "placement_plan") -> tuple[Any, dict[str, Any]]:
    parser = SpiffBpmnParser()
    parser.add_bpmn_files([str(p) for p in sorted(workflows_dir.glob("*.bpmn"))])
    parser.add_dmn_files([str(p) for p in sorted(workflows_dir.glob("*.dmn"))])
    return parser.get_spec(process_id), parser.get_subprocess_specs(process_id)


class RawSpiff:
    """The same process files driven with plain SpiffWorkflow calls, no application code."""

    def __init__(self, workflows_dir: Path) -> None:
        self.spec, self.subprocess_specs = parse_specs(workflows_dir)
        self.script_engine = PythonScriptEngine(environment=TaskDataEnvironment({}))
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

    def start(self, data: dict[str, Any]) -> BpmnWorkflow:
        wf = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.script_engine)
        wf.get_next_task(state=TaskState.READY).data.update(data)
        wf.do_engine_steps()
        return wf

    @staticmethod
    def complete(wf: BpmnWorkflow, bpmn_id: str, data: dict[str, Any]) -> None:
        for task in wf.get_tasks(state=TaskState.READY, manual=True):
            if task.task_spec.bpmn_id == bpmn_id:
                task.data.update(data)
                task.run()
                wf.do_engine_steps()
                return
        raise RuntimeError(f"{bpmn_id} is not ready")

    @staticmethod
    def waiting_at(wf: BpmnWorkflow) -> set[str]:
        """The user tasks the workflow waits at."""
        return {task.task_spec.name for task in wf.get_tasks(state=TaskState.READY, manual=True)}

    def load(self, blob: str) -> BpmnWorkflow:
        wf = self.serializer.deserialize_json(blob)
        wf.script_engine = self.script_engine
        return wf

    def dump(self, wf: BpmnWorkflow) -> str:
        return self.serializer.serialize_json(wf)


SYNCHRONOUS = {"value": ""}  # "" leaves SQLite's default (FULL); "NORMAL" skips the fsync per commit


def set_synchronous(value: str) -> None:
    """Apply PRAGMA synchronous to every SQLite connection opened from now on (ours and the baselines)."""
    SYNCHRONOUS["value"] = value.upper() if value and value.lower() != "full" else ""
    if SYNCHRONOUS["value"] and not event.contains(Engine, "connect", _synchronous_on_connect):
        event.listen(Engine, "connect", _synchronous_on_connect)


def _synchronous_on_connect(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection) and SYNCHRONOUS["value"]:
        dbapi_connection.execute(f"PRAGMA synchronous={SYNCHRONOUS['value']}")


def open_floor_db(path: Path, columns: str = "json TEXT NOT NULL") -> sqlite3.Connection:
    """One table id → JSON, same pragmas as the app's SQLite connections (WAL, busy timeout)."""
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA busy_timeout=5000")
    if SYNCHRONOUS["value"]:
        con.execute(f"PRAGMA synchronous={SYNCHRONOUS['value']}")
    con.execute(f"CREATE TABLE IF NOT EXISTS wf (id INTEGER PRIMARY KEY, {columns})")  # noqa: S608
    con.commit()
    return con


# -- a local HTTP server (gunicorn, gthread worker: HTTP/1.1 keep-alive) ---------------------------


class Probe:
    """WSGI middleware for the server process: counts the SQL statements, wall and CPU time of
    each request inside the application and hands them back in response headers."""

    def __init__(self, app: Callable[..., Any], engine: Any) -> None:
        self.app = app
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.statements.append(statement)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.statements = []
        t0, c0 = now_ns(), time.thread_time_ns()

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            wall, cpu = now_ns() - t0, time.thread_time_ns() - c0
            labels = ";".join(label(s) for s in self.statements)
            headers = [*headers, ("X-Bench-Sql", str(len(self.statements))), ("X-Bench-Sql-Labels", labels),
                       ("X-Bench-App-Ns", str(wall)), ("X-Bench-App-Cpu-Ns", str(cpu))]  # fmt: skip
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def serve_gunicorn(wsgi_app: Callable[..., Any], port: int) -> None:
    """Run gunicorn in this process (blocks): 1 worker, gthread, 1 thread, long keep-alive."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {"bind": f"127.0.0.1:{port}", "workers": 1, "worker_class": "gthread", "threads": 1,
                       "keepalive": 600, "timeout": 300, "graceful_timeout": 5, "loglevel": "warning",
                       "accesslog": None}  # fmt: skip
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            return wsgi_app

    _Server().run()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Reply:
    status: int
    body: bytes
    ns: int  # client-observed: request sent -> response read
    sql: list[str]
    app_ns: int | None
    app_cpu_ns: int | None


class HttpClient:
    """One keep-alive connection (http.client), TCP_NODELAY."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connects = 0
        self._connect()

    def _connect(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connects += 1

    def call(self, method: str, path: str, token: str | None = None, body: bytes | None = None) -> Reply:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        t0 = now_ns()
        self.conn.request(method, path, body=body if body is not None else b"", headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        elapsed = now_ns() - t0
        if response.will_close:
            self.conn.close()
            self._connect()
        labels = response.getheader("X-Bench-Sql-Labels")
        app_ns, app_cpu = response.getheader("X-Bench-App-Ns"), response.getheader("X-Bench-App-Cpu-Ns")
        return Reply(response.status, raw, elapsed, labels.split(";") if labels else [],
                     int(app_ns) if app_ns else None, int(app_cpu) if app_cpu else None)  # fmt: skip

    def close(self) -> None:
        self.conn.close()


def wait_for_port(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def dumps(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def commit_latency_ms(directory: Path, n: int = 40) -> float:
    """Median time of one tiny committed INSERT in a WAL SQLite file here: the fsync floor."""
    path = directory / "fsync-probe.sqlite"
    con = open_floor_db(path)
    times = []
    for _ in range(n):
        t0 = now_ns()
        con.execute("INSERT INTO wf (json) VALUES ('x')")
        con.commit()
        times.append((now_ns() - t0) / 1e6)
    con.close()
    return median(times)


def fmt(value: float | None, digits: int = 2) -> str:
    """A figure for the human-readable lines; "-" for no samples."""
    if value is None or value != value:
        return "-"
    return f"{value:.{digits}f}"


def clean(value: Any) -> Any:
    """Rounded floats, NaN (no samples) as null, recursively: the last line stays valid JSON."""
    if isinstance(value, float):
        return None if value != value else round(value, 3)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


# -- databases ----------------------------------------------------------------------------------


def has_tables(uri: str) -> bool:
    """Whether the database already has tables: a bench refuses to run on one (it would mix its rows
    with someone's data, and it drops what it made at the end)."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(uri)
    try:
        return bool(inspect(engine).get_table_names())
    finally:
        engine.dispose()


class ScratchPostgres:
    """A database of the bench's own (bench_NAME_PID) on a PostgreSQL server, dropped on exit.

    `server` is any database URL of that server (postgresql://user@host:port/db): the bench connects to its
    maintenance database `postgres` to create and drop its own, and never touches the one named."""

    def __init__(self, server: str, name: str) -> None:
        import os

        from sqlalchemy.engine import make_url

        base = make_url(server.replace("postgresql+psycopg://", "postgresql://", 1))
        self.name = f"bench_{name}_{os.getpid()}"
        self.admin = base.set(database="postgres").render_as_string(hide_password=False)
        self.url = base.set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self) -> str:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def __exit__(self, *_exc: Any) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
