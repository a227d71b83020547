"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from config import TestConfig
from tests.flask_commands import Ran, flask


def _flask(*args: str, url: str) -> Ran:
    """`flask --app wsgi ARGS` in production on the database at `url` (tests/flask_commands.py)."""
    return flask(*args, settings={"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "migration-test",
                                  "AUDIT_KEY": "migration-test-audit"})  # fmt: skip


@pytest.fixture
def empty_database(tmp_path):
    url = TestConfig.SQLALCHEMY_DATABASE_URI
    if url.startswith("postgresql"):
        schema = f"mig_{uuid.uuid4().hex[:8]}"
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        yield f"{url}?options=-csearch_path%3D{schema}"
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"


def test_upgrade_head_matches_the_models(empty_database):
    upgraded = _flask("db", "upgrade", url=empty_database)
    assert upgraded.returncode == 0, upgraded.stderr
    check = _flask("db", "check", url=empty_database)
    assert check.returncode == 0, check.stdout + check.stderr


def test_notifications_per_role_become_one_per_user_reached(empty_database):
    """dc9ffb6fd675: each undelivered row per event and role becomes a row per user that role's
    grants reach (active users only), and the downgrade folds them back."""
    assert _flask("db", "upgrade", "c3101fcbcfcd", url=empty_database).returncode == 0
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        for sql in (
            "INSERT INTO region (code, name, level) VALUES ('130000', '河北省', 'province'), "
            "('130200', '唐山市', 'city'), ('130283', '迁安市', 'county'), ('130400', '邯郸市', 'city')",
            "INSERT INTO enterprise (id, name, uscc, industry, region_code, headcount, zombie) "
            "VALUES (1, '迁安钢铁', 'x', 'steel', '130283', 1200, false)",
            "INSERT INTO user_account (id, username, display_name, password_hash, active, created_at) VALUES "
            "(1, 'clerk', 'c', 'h', true, '2026-01-01'), (2, 'tangshan', 't', 'h', true, '2026-01-01'), "
            "(3, 'province', 'p', 'h', true, '2026-01-01'), (4, 'handan', 'd', 'h', true, '2026-01-01'), "
            "(5, 'retired', 'r', 'h', false, '2026-01-01')",
            "INSERT INTO role_grant (id, user_id, role, enterprise_id, region_code) VALUES "
            "(1, 1, 'enterprise', 1, NULL), (2, 2, 'bureau', NULL, '130200'), (3, 3, 'bureau', NULL, '130000'), "
            "(4, 4, 'bureau', NULL, '130400'), (5, 5, 'bureau', NULL, '130000')",
            "INSERT INTO plan (id, enterprise_id, title, status, content, content_hash, revision_number, "
            "roster_digest, created_at, updated_at, audit_seq, audit_head, version) VALUES "
            "(1, 1, '方案', 'review', '{}', 'h', 1, '', '2026-01-01', '2026-01-01', 0, '', 1)",
            "INSERT INTO notification (plan_id, kind, recipient_role, payload, status, attempts, created_at) "
            "VALUES (1, 'task_ready', 'bureau', '{\"title\": \"方案\"}', 'pending', 0, '2026-01-02'), "
            "(1, 'vote_recorded', 'enterprise', '{\"title\": \"方案\"}', 'pending', 0, '2026-01-02')",
        ):
            conn.execute(text(sql))
    assert _flask("db", "upgrade", url=empty_database).returncode == 0
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT n.kind, n.role, u.username, n.read_at FROM notification n "
            "JOIN user_account u ON u.id = n.user_id ORDER BY n.kind, u.username"
        )).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("task_ready", "bureau", "province", None),
        ("task_ready", "bureau", "tangshan", None),
        ("vote_recorded", "enterprise", "clerk", None),
    ]
    downgraded = _flask("db", "downgrade", "c3101fcbcfcd", url=empty_database)
    assert downgraded.returncode == 0, downgraded.stderr
    with engine.connect() as conn:
        folded = conn.execute(text("SELECT kind, recipient_role, status FROM notification ORDER BY kind")).all()
    engine.dispose()
    assert [tuple(r) for r in folded] == [
        ("task_ready", "bureau", "pending"),
        ("vote_recorded", "enterprise", "pending"),
    ]
