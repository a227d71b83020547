"""The PostgreSQL and Redis servers that the deployment tests run the application against: a test
is skipped when one is not reachable, except under CI (CI=true), where it fails instead."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from config import database_url

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = ("127.0.0.1", 6379)


def unavailable(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is not reachable (CI must run this test)")
    pytest.skip(f"{what} is not reachable")


def postgres_server() -> str:
    """The server of TEST_DATABASE_URL when it is PostgreSQL, else the local one (plain postgresql://)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith(("postgresql", "postgres:")) else DEFAULT_POSTGRES


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    scheme = "postgresql" if parts.scheme.startswith("postgres") else parts.scheme
    return urlunsplit((scheme, parts.netloc, f"/{name}", parts.query, ""))


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database for the test, dropped afterwards; yields its postgresql:// URL as an
    operator writes it (the application itself picks the driver)."""
    admin = create_engine(database_url(postgres_server()), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError:
        admin.dispose()
        unavailable("PostgreSQL")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield with_database(postgres_server(), name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_for_worker(url: str, worker: str) -> str:
    """A PostgreSQL database of its own for one pytest-xdist worker ("gw0", …): the database of `url`
    with the worker's name appended, created on the same server when it does not exist yet."""
    name = f"{urlsplit(url).path.lstrip('/') or 'test'}_{worker}"
    admin = create_engine(database_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return with_database(url, name)


def redis_url(db: int = 1) -> str:
    try:
        with socket.create_connection(REDIS, timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            if not conn.recv(16).startswith(b"+PONG"):
                unavailable("Redis")
    except OSError:
        unavailable("Redis")
    return f"redis://{REDIS[0]}:{REDIS[1]}/{db}"
