"""Fixtures: one app and schema per run; every test starts from empty tables.

TEST_DATABASE_URL selects the database (PostgreSQL in CI's second pass); SQLite in memory otherwise.
The `world` is built once per test process and copied back for each test (tests/snapshots.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh

from app import create_app
from app.extensions import db, get_engine, limiter
from approvals.actor import SYSTEM, Actor
from approvals.demo import make_uscc, sample_content, sample_roster, seed_wage_parameters
from approvals.engine import WorkflowEngine
from approvals.models import Enterprise, Plan, Region, Role, User, WorkingGroup
from approvals.regions import HEBEI_REGIONS
from approvals.services import accounts, passwords
from config import TestConfig, database_url
from tests import snapshots
from tests.browser.live import chromium_missing, launch_chromium
from tests.services import database_for_worker

# Under pytest-xdist (`-n 2`) each worker process runs its share of the tests on a PostgreSQL database of
# its own (SQLite in memory is one per process anyway); subprocesses that read TEST_DATABASE_URL follow.
if (_worker := os.environ.get("PYTEST_XDIST_WORKER")) and TestConfig.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
    os.environ["TEST_DATABASE_URL"] = database_for_worker(os.environ["TEST_DATABASE_URL"], _worker)
    TestConfig.SQLALCHEMY_DATABASE_URI = database_url(os.environ["TEST_DATABASE_URL"])

PASSWORD = "Secret#2026"
# Production hashes with scrypt, a tenth of a second per hash and per login on purpose; the suite logs in
# thousands of times, so its users get a cheap method (each hash names its own method and cost, and
# passwords.hash_password makes the new ones and the unknown user's stand-in alike).
passwords.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
_HASH = passwords.hash_password(PASSWORD)


# The files that take longest (each well over ten seconds of one core), longest first; they are collected
# before every other file. Under pytest-xdist's --dist loadfile each file runs whole on one worker, handed out
# in collection order, so one of these collected last would run alone after the rest had finished.
SLOW_FILES = (
    "tests/web/test_operator_setup.py",  # the README's commands, each a process, on SQLite and PostgreSQL
    "tests/browser/test_phone_and_keyboard_browser.py",  # every main page in Chromium at a phone's width
    "tests/browser/test_csp_browser.py",
    "tests/web/test_openapi_conformance.py",  # some 8,500 generated requests
    "tests/browser/test_layout_browser.py",
    "tests/web/test_production_start.py",  # start-up refusals, each a process
    "tests/web/test_backup.py",
    "tests/browser/test_role_paths_browser.py",
    "tests/web/test_permissions.py",
    "tests/web/test_deployment.py",
    "tests/ui/test_page_permissions.py",
    "tests/ui/test_forms_agree_js.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """SLOW_FILES first, in their order; every other file after them, in the order collected."""
    rank = {path: n for n, path in enumerate(SLOW_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(SLOW_FILES)))


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    application = create_app(TestConfig)
    with application.app_context():
        db.drop_all()
        db.create_all()
        snapshots.STORE.watch(db.engine)
        yield application
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(app: Flask) -> Iterator[None]:
    yield
    db.session.rollback()
    snapshots.empty_tables(db.session)
    db.session.commit()
    snapshots.STORE.cleared()
    db.session.remove()
    limiter.reset()  # rate-limit counters are state too
    refresh()  # the locale Flask-Babel keeps on the session's one app context: the next test chooses its own


@pytest.fixture(scope="session")
def _chromium_for_process() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test process (each test's pages are in contexts of
    their own, closed after it). Missing, the tests that drive it are skipped, or fail under
    REQUIRE_BROWSER=1 (CI sets it)."""
    missing = chromium_missing()
    if missing:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def chromium(_chromium_for_process: Any) -> Iterator[Any]:
    """The process's Chromium (the suite's one browser harness: tests/browser/live.py); the pages a test
    opens are closed after it."""
    yield _chromium_for_process
    for context in list(_chromium_for_process.contexts):
        context.close()


@pytest.fixture
def session(app: Flask):  # type: ignore[no-untyped-def]
    return db.session


@pytest.fixture
def engine(app: Flask) -> WorkflowEngine:
    return get_engine()


@dataclass
class World:
    """Regions, enterprises, a working group and one user per role (plus outsiders)."""

    steel: Enterprise  # 1,200 workers in 迁安市 (唐山)
    small: Enterprise  # 60 workers in 沙河市 (邢台): may hold a 职工大会
    zombie: Enterprise  # a zombie coal firm in 峰峰矿区 (邯郸): high risk
    group: WorkingGroup
    users: dict[str, User]

    def actor(self, name: str) -> Actor:
        return Actor(self.users[name], "203.0.113.9")


def add_user(username: str, role: Role, **reach: Any) -> User:
    user = User(username=username, display_name=username, password_hash=_HASH)
    db.session.add(user)
    db.session.flush()
    accounts.grant_role(db.session, actor=SYSTEM, user=user, role=role, **reach)
    return user


# The regions the world registers (the shipped list has them all): the province, its cities, the
# enterprises' counties and a few more; the tests register others themselves.
WORLD_REGIONS = {"130000", "130100", "130200", "130300", "130400", "130500", "130600", "130700", "130800", "130900",
                 "131000", "131100", "130102", "130181", "130203", "130281", "130283", "130406", "130481", "130582",
                 "130682"}  # fmt: skip


@pytest.fixture
def world(app: Flask) -> World:
    ids = snapshots.cached(db.session, "world", build_world)
    get = db.session.get
    return World(get(Enterprise, ids["steel"]), get(Enterprise, ids["small"]), get(Enterprise, ids["zombie"]),
                 get(WorkingGroup, ids["group"]), {name: get(User, i) for name, i in ids["users"].items()})  # fmt: skip


def build_world() -> dict[str, Any]:
    """The world's rows, committed; its ids."""
    for code, name, level, parent in HEBEI_REGIONS:
        if code not in WORLD_REGIONS:
            continue
        db.session.add(Region(code=code, name=name, level=level, parent_code=parent))
    db.session.flush()
    seed_wage_parameters(db.session)

    def firm(name: str, region: str, n: int, headcount: int, **kw: Any) -> Enterprise:
        return accounts.create_enterprise(db.session, actor=SYSTEM, name=name, uscc=make_uscc(region, n),
                                          industry=kw.pop("industry", "steel"), region_code=region,
                                          headcount=headcount, **kw)  # fmt: skip

    steel = firm("迁安钢铁", "130283", 1, 1200, parent_group="示范集团")
    small = firm("沙河玻璃", "130582", 2, 60, industry="flat_glass")
    zombie = firm("峰峰煤业", "130406", 3, 800, industry="coal", zombie=True, parent_group="冀中能源")
    group = accounts.create_working_group(db.session, actor=SYSTEM, name="省联合工作组", region_code="130000")
    other_group = accounts.create_working_group(db.session, actor=SYSTEM, name="邢台工作组", region_code="130500")
    users = {
        "clerk": add_user("clerk", Role.ENTERPRISE, enterprise=steel),
        "union": add_user("union", Role.UNION, enterprise=steel),
        "clerk_small": add_user("clerk_small", Role.ENTERPRISE, enterprise=small),
        "union_small": add_user("union_small", Role.UNION, enterprise=small),
        "clerk_zombie": add_user("clerk_zombie", Role.ENTERPRISE, enterprise=zombie),
        "union_zombie": add_user("union_zombie", Role.UNION, enterprise=zombie),
        "reviewer": add_user("reviewer", Role.BUREAU, region_code="130200"),  # 唐山市 covers 迁安
        "province": add_user("province", Role.BUREAU, region_code="130000"),
        "reviewer_other": add_user("reviewer_other", Role.BUREAU, region_code="130400"),  # 邯郸
        "wg": add_user("wg", Role.WORKING_GROUP, working_group=group),
        "wg_other": add_user("wg_other", Role.WORKING_GROUP, working_group=other_group),
        "supervisor": add_user("supervisor", Role.SUPERVISOR, region_code="130000"),
        "supervisor_other": add_user("supervisor_other", Role.SUPERVISOR, region_code="130500"),
        "admin": add_user("admin", Role.ADMIN),
    }
    db.session.commit()
    return {"steel": steel.id, "small": small.id, "zombie": zombie.id, "group": group.id,
            "users": {name: user.id for name, user in users.items()}}  # fmt: skip


class Api:
    """A test client speaking as one user, with a real bearer token."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __getattr__(self, method: str) -> Callable[..., Any]:
        def call(url: str, headers: dict[str, str] | None = None, **kw: Any) -> Any:
            return getattr(self.client, method)(f"/api/v1{url}", headers={**self.headers, **(headers or {})}, **kw)

        return call


@pytest.fixture
def api(app: Flask, world: World) -> Callable[[str | None], Api]:
    def as_user(name: str | None) -> Api:
        if name is None:
            return Api(app.test_client(), None)
        token = accounts.issue_token(db.session, world.users[name])
        db.session.commit()
        return Api(app.test_client(), token)

    return as_user


@pytest.fixture
def complete_content() -> Callable[..., dict[str, Any]]:
    """A complete plan's content plus its "roster" rows (tests/flow.create imports them)."""

    def build(enterprise: Enterprise, workers: int = 20, seed: int = 1) -> dict[str, Any]:
        return {**sample_content(enterprise, workers, seed), "roster": sample_roster(enterprise, workers, seed)}

    return build


def reload(plan_id: int) -> Plan:
    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    assert plan is not None
    return plan
