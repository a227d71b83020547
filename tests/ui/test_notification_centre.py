"""The notification centre page, the unread badge in the navigation bar, and each user's own email and
notification-language settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from approvals.models import AuditEvent, User
from notifications.models import Notification
from tests import flow
from tests.ui.forms_support import block, rules, text


@pytest.fixture
def voted(api, world, complete_content) -> dict[str, Any]:
    """A plan submitted (the union hears of the vote to record), then voted (the clerk hears the result)."""
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, plan["id"])
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    return plan


def mine(username: str) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).join(User).where(User.username == username)
                                   .order_by(Notification.id)))  # fmt: skip


def unread(username: str) -> int:
    return sum(1 for n in mine(username) if n.read_at is None)


@contextmanager
def statements(app) -> Iterator[list[str]]:
    """The SQL statements the app runs meanwhile."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = db.engines[None] if hasattr(db, "engines") else db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_centre_lists_my_notifications_newest_first_with_links_and_unread_highlighted(browser, voted):
    reviewer = browser("reviewer")
    page = reviewer.get("/notifications").get_data(as_text=True)
    (ready,) = mine("reviewer")
    item = block(page, f"notification-{ready.id}")
    assert "未读" in item
    assert "人社部门审核" in item
    assert 'class="list-group-item notification unread"' in page
    assert f'href="/plans/{voted["id"]}"' in page
    assert f'href="/plans/{voted["id"]}/review"' in page  # the task that waits for the reviewer
    assert "未读 1 条" in block(page, "unread")
    clerk_page = browser("clerk").get("/notifications").get_data(as_text=True)
    shown = [int(n.split("-")[1]) for n in _testids(clerk_page, "notification-")]
    assert shown == sorted((n.id for n in mine("clerk")), reverse=True)  # newest first
    assert all(f"notification-{n.id}" not in clerk_page for n in mine("reviewer"))  # only mine


def _testids(page: str, prefix: str) -> list[str]:
    import re

    return re.findall(rf'data-testid="({prefix}\d+)"', page)


def test_the_navigation_bar_shows_the_unread_count_with_one_count_query_per_page(app, browser, voted):
    union = browser("union")
    union.post(f"/notifications/{mine('union')[0].id}/read")  # read the vote task's notice: 0 unread
    assert 'data-testid="badge-web.notifications"' not in union.get("/").get_data(as_text=True)
    reviewer = browser("reviewer")
    with statements(app) as seen:
        page = reviewer.get("/tasks").get_data(as_text=True)
    assert block(page, "badge-web.notifications") == "1"
    counting = [s for s in seen if "notification" in s.lower()]
    assert len(counting) == 1
    assert "count(" in counting[0].lower()


def test_marking_one_read_changes_it_and_the_badge(browser, voted):
    reviewer = browser("reviewer")
    reviewer.get("/notifications")
    (ready,) = mine("reviewer")
    response = reviewer.post(f"/notifications/{ready.id}/read", {"next": "/notifications?unread=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications?unread=1"
    assert unread("reviewer") == 0
    page = reviewer.get("/notifications").get_data(as_text=True)
    assert "已读于" in block(page, f"notification-{ready.id}")
    assert 'data-testid="badge-web.notifications"' not in page
    assert "没有未读通知" in reviewer.get("/notifications?unread=1").get_data(as_text=True)


def test_marking_all_read(browser, api, world, complete_content, voted):
    flow.review(api("reviewer"), voted["id"], "return", "请补充内部退养协议。")  # one more for the clerk
    waiting = flow.create(api("clerk"), complete_content(world.steel), title="第二批职工安置方案")
    flow.submit(api("clerk"), waiting["id"])  # a vote waits: the union is told
    clerk = browser("clerk")
    clerk.get("/notifications")
    assert unread("clerk") == 2
    response = clerk.post("/notifications/read-all", {"next": "https://evil.example/"})
    assert response.headers["Location"] == "/notifications"  # never to another site
    assert unread("clerk") == 0
    assert "已将 2 条通知标为已读" in clerk.get("/notifications").get_data(as_text=True)
    assert unread("union") == 1  # another user's are untouched


def test_another_users_notification_is_not_found(browser, voted):
    (theirs,) = mine("reviewer")
    clerk = browser("clerk")
    clerk.get("/notifications")
    response = clerk.post(f"/notifications/{theirs.id}/read")
    assert response.status_code == 404
    assert unread("reviewer") == 1


def test_read_all_without_the_csrf_token_is_refused(browser, voted):
    clerk = browser("clerk")
    response = clerk.post("/notifications/read-all", {}, csrf=False)
    assert response.status_code == 400
    assert unread("clerk") == 1


# --- my settings ------------------------------------------------------------------------------------


def test_a_user_sets_their_own_email_and_notification_language_audited(browser, voted):
    clerk = browser("clerk")
    page = clerk.get("/settings").get_data(as_text=True)
    assert 'href="/settings"' in page  # the name in the navigation bar leads here
    response = clerk.post("/settings", {"email": " clerk@qa-steel.example ", "language": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.username == "clerk")).one()
    assert (user.email, user.language) == ("clerk@qa-steel.example", "en")
    event_ = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.contact_set")).one()
    assert (event_.actor_name, event_.actor_role) == ("clerk", "enterprise")
    assert event_.summary == {"username": "clerk", "email": "clerk@qa-steel.example", "language": "en"}
    assert "已保存通知设置" in clerk.get("/settings").get_data(as_text=True)
    # The centre now speaks English to them (the interface stays Chinese).
    centre = text(clerk.get("/notifications").get_data(as_text=True))
    assert '[Vote] "迁安钢铁职工安置方案": Passed' in centre
    assert "【表决结果】" not in centre


@pytest.mark.parametrize(
    ("typed", "field", "rule"),
    [({"email": "clerk.at.example", "language": ""}, "email", "email_address"),
     ({"email": "", "language": "fr"}, "language", "known_language")],
    ids=["bad_email", "unknown_language"],
)  # fmt: skip
def test_a_bad_setting_is_refused_beside_its_field_and_nothing_changes(browser, world, typed, field, rule):
    clerk = browser("clerk")
    clerk.get("/settings")
    response = clerk.post("/settings", typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert rule in rules(page, f"error-{field}")
    if typed["email"]:
        assert f'value="{typed["email"]}"' in page
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.username == "clerk")).one()
    assert (user.email, user.language) == (None, None)
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "user.contact_set"))
        == 0
    )


def test_settings_without_the_csrf_token_are_refused(browser, world):
    clerk = browser("clerk")
    response = clerk.post("/settings", {"email": "x@y.example", "language": "en"}, csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalars(select(User.email).where(User.username == "clerk")).one() is None


# --- a notification about a task is done with it; its language follows the interface ------------------


def test_a_notification_about_a_task_is_marked_done_when_the_task_is(browser, api, world, complete_content):
    """The union is told a vote waits (task_ready); once the vote is recorded the notice no longer waits in
    its unread list, and the centre says the matter is done. The reviewer's new task stays unread."""
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel))
    flow.submit(clerk, plan["id"])
    (told,) = [n for n in mine("union") if n.kind == "task_ready"]
    assert told.read_at is None
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    (told,) = [n for n in mine("union") if n.kind == "task_ready"]
    assert told.read_at is not None
    assert unread("union") == 0
    page = browser("union").get("/notifications").get_data(as_text=True)
    assert "已办结" in block(page, f"notification-{told.id}")
    assert "去办理" not in block(page, f"notification-{told.id}")
    (waiting,) = [n for n in mine("reviewer") if n.kind == "task_ready"]
    assert waiting.read_at is None
    assert "已办结" not in block(browser("reviewer").get("/notifications").get_data(as_text=True),
                               f"notification-{waiting.id}")  # fmt: skip


def test_notifications_follow_the_interface_language_unless_the_user_chose_one(browser, voted, world):
    reviewer = browser("reviewer")
    (ready,) = mine("reviewer")
    assert "人社部门审核" in block(reviewer.get("/notifications").get_data(as_text=True), f"notification-{ready.id}")
    reviewer.get("/lang/en")
    english = block(reviewer.get("/notifications").get_data(as_text=True), f"notification-{ready.id}")
    assert "Labour bureau review" in english
    assert "人社部门审核" not in english
    # the interface language chosen before logging in is kept for what is sent by email too
    # (notifications/messages.language_of), and audited; switching it changes nothing stored
    assert db.session.get(User, world.users["reviewer"].id).interface_language is None
    again = browser(None)
    again.get("/lang/en")
    assert again.login("reviewer").status_code == 302
    db.session.expire_all()
    user = db.session.get(User, world.users["reviewer"].id)
    assert user.interface_language == "en"
    assert db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first() == (
        "user.interface_language_set"
    )
    # a notification language of their own wins over the interface's
    reviewer.post("/settings", {"email": "", "language": "zh_CN"})
    chosen = block(reviewer.get("/notifications").get_data(as_text=True), f"notification-{ready.id}")
    assert "人社部门审核" in chosen
