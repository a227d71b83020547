"""Sessions on the server side, the password pages, API tokens on the account page, and the headers
that keep pages out of caches and on HTTPS."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from approvals.models import ApiToken, AuditEvent, User
from approvals.services import accounts
from config import Config, ProductionConfig
from tests.conftest import PASSWORD
from tests.ui.conftest import Browser

NEW_PASSWORD = "Tangshan#Steel7"


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def user(name: str) -> User:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.username == name)).one()


def copy_of(browser: Browser, app) -> Browser:  # type: ignore[no-untyped-def]
    """Another client holding the same session cookie (a stolen or left-behind copy)."""
    other = Browser(app.test_client())
    cookie = browser.client.get_cookie("session")
    assert cookie is not None
    other.client.set_cookie("session", cookie.value)
    return other


# --------------------------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------------------------


def test_login_starts_a_new_session_with_a_new_csrf_token(app, browser):
    anonymous = browser(None)
    anonymous.get("/lang/en")
    anonymous.get("/login")
    before = anonymous.token
    assert anonymous.post("/login", {"username": "clerk", "password": PASSWORD}).status_code == 302
    refused = anonymous.post("/settings", {"email": "", "language": ""})  # with the token from before the login
    assert refused.status_code == 400
    anonymous.get("/settings")
    assert anonymous.token
    assert anonymous.token != before
    assert anonymous.post("/settings", {"email": "", "language": ""}).status_code == 302
    assert 'lang="en"' in anonymous.get("/").get_data(as_text=True)  # the language is kept


def test_logout_ends_the_session_on_the_server_not_only_in_the_browser(app, browser):
    clerk = browser("clerk")
    copy = copy_of(clerk, app)
    assert copy.get("/").status_code == 200
    assert clerk.post("/logout").status_code == 302
    assert copy.get("/").status_code == 302  # the copied cookie no longer opens anything
    assert browser("clerk").get("/").status_code == 200  # a new login works


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, browser):
    clerk, elsewhere = browser("clerk"), browser("clerk")
    page = clerk.get("/settings/password")
    assert page.status_code == 200
    changed = clerk.post("/settings/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD}, follow_redirects=True)  # fmt: skip
    assert changed.request.path == "/settings"
    assert "密码已修改" in changed.get_data(as_text=True)
    assert clerk.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert Browser(app.test_client()).login("clerk", NEW_PASSWORD).status_code == 302
    [event] = events("user.password_changed")
    assert event.actor_name == "clerk"
    assert event.actor_role == "enterprise"


def test_a_refused_password_change_names_the_field_and_rule_and_changes_nothing(browser):
    clerk = browser("clerk")
    clerk.get("/settings/password")
    wrong = clerk.post("/settings/password", {"current": "Wrong#2026x", "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})  # fmt: skip
    assert wrong.status_code == 422
    assert "当前密码不正确。" in wrong.get_data(as_text=True)
    common = clerk.post("/settings/password", {"current": PASSWORD, "password": "Qwerty123!",
                                               "confirm": "Qwerty123!"})  # fmt: skip
    page = common.get_data(as_text=True)
    assert common.status_code == 422
    assert "密码过于常见" in page
    assert "common_password" in page
    assert "Qwerty123!" not in page  # a password is never written back into the page
    assert user("clerk").session_generation == 0
    assert events("user.password_changed") == []


def test_deactivation_ends_sessions_and_tokens_and_reactivation_revives_neither(app, browser, api, world):
    clerk = browser("clerk")
    token_client = api("clerk")
    assert token_client.get("/plans").status_code == 200
    copy = copy_of(clerk, app)
    accounts.set_user_active(db.session, actor=world.actor("admin"), user=world.users["clerk"], active=False)
    db.session.commit()
    assert clerk.get("/").status_code == 302
    assert token_client.get("/plans").status_code == 401
    accounts.set_user_active(db.session, actor=world.actor("admin"), user=world.users["clerk"], active=True)
    db.session.commit()
    assert clerk.get("/").status_code == 302
    assert copy.get("/").status_code == 302
    assert token_client.get("/plans").status_code == 401
    assert events("user.deactivated")[0].summary["tokens_revoked"] == 1
    assert browser("clerk").get("/").status_code == 200  # the account itself works again


# --------------------------------------------------------------------------------------------
# An administrator's reset and the change it forces
# --------------------------------------------------------------------------------------------


def test_admin_reset_forces_a_change_at_the_next_login(app, browser, world):
    clerk_before = browser("clerk")
    admin = browser("admin")
    uid = world.users["clerk"].id
    admin.get(f"/admin/users/{uid}")
    weak = admin.post(f"/admin/users/{uid}/password", {"password": "P@ssw0rd", "confirm": "P@ssw0rd"})
    assert weak.status_code == 422
    assert "密码过于常见" in weak.get_data(as_text=True)
    assert not user("clerk").must_change_password
    reset = admin.post(f"/admin/users/{uid}/password", {"password": "Temp#Reset2026", "confirm": "Temp#Reset2026"})
    assert reset.status_code == 302
    assert 'data-testid="must-change"' in admin.get(f"/admin/users/{uid}").get_data(as_text=True)
    assert clerk_before.get("/").status_code == 302  # the session from before the reset has ended

    clerk = Browser(app.test_client())
    assert clerk.login("clerk", PASSWORD).status_code == 200  # the old password is gone
    assert clerk.login("clerk", "Temp#Reset2026").status_code == 302
    for url in ("/", "/tasks", "/settings", "/notifications"):
        response = clerk.get(url)
        assert (response.status_code, response.headers.get("Location")) == (302, "/settings/password"), url
    page = clerk.get("/settings/password").get_data(as_text=True)
    assert 'data-testid="password-change-required"' in page
    changed = clerk.post("/settings/password", {"current": "Temp#Reset2026", "password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD})  # fmt: skip
    assert changed.status_code == 302
    assert clerk.get("/").status_code == 200
    assert not user("clerk").must_change_password
    [event] = events("user.password_reset")
    assert (event.actor_name, event.summary["username"]) == ("admin", "clerk")


def test_only_the_administrator_resets_passwords(browser, world):
    clerk = browser("clerk")
    clerk.get("/")
    uid = world.users["union"].id
    refused = clerk.post(f"/admin/users/{uid}/password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert refused.status_code == 403
    assert not user("union").must_change_password


# --------------------------------------------------------------------------------------------
# API tokens on the account page
# --------------------------------------------------------------------------------------------


def test_the_account_page_lists_tokens_masked_and_revokes_them(browser, api, world):
    first = api("clerk")
    second = api("clerk")
    api("union")  # someone else's token is not listed
    first.get("/plans")
    clerk = browser("clerk")
    page = clerk.get("/settings").get_data(as_text=True)
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == world.users["clerk"].id)).all()
    assert page.count("<tr data-token-id=") == 2
    raw = first.headers["Authorization"].removeprefix("Bearer ")
    assert raw not in page
    assert f"<code>{raw[:4]}…</code>" in page
    used = next(t for t in tokens if t.last_used_at is not None)
    clerk.post(f"/settings/tokens/{used.id}/revoke")
    assert first.get("/plans").status_code == 401
    assert second.get("/plans").status_code == 200
    other = db.session.scalars(select(ApiToken).where(ApiToken.user_id == world.users["union"].id)).one()
    assert clerk.post(f"/settings/tokens/{other.id}/revoke").status_code == 404  # not theirs
    clerk.post("/settings/tokens/revoke-all")
    assert second.get("/plans").status_code == 401
    assert 'data-testid="no-tokens"' in clerk.get("/settings").get_data(as_text=True)
    assert [e.action for e in events("user.token_revoked") + events("user.tokens_revoked")] == [
        "user.token_revoked", "user.tokens_revoked"]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Caches and HTTPS
# --------------------------------------------------------------------------------------------


def test_every_page_without_parameters_is_no_store_for_each_role(app, browser):
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and not r.arguments]
    assert len(rules) > 15
    for name in ("admin", "clerk", "supervisor", None):
        client = browser(name)
        for rule in rules:
            if rule.endpoint == "web.logout" or rule.endpoint.startswith("web.set_language"):
                continue
            response = client.get(rule.rule)
            assert response.headers.get("Cache-Control") == "no-store", (name, rule.rule, response.status_code)
    static = browser(None).get("/static/app.css")
    static.close()
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_downloads_with_personal_data_are_no_store(browser, api, world, complete_content):
    from tests import flow

    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel))
    for url in (f"/plans/{plan['id']}/roster/export", "/roster-template"):
        response = clerk.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    admin = browser("admin")
    for url in ("/audit/export.csv", "/audit/export.xlsx"):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_hsts_over_tls_only(browser):
    assert "Strict-Transport-Security" not in browser(None).get("/login").headers
    secure = browser(None).client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_session_cookies_are_secure_in_production_by_default(monkeypatch):
    assert ProductionConfig.SESSION_COOKIE_SECURE
    assert ProductionConfig.REMEMBER_COOKIE_SECURE
    assert not Config.SESSION_COOKIE_SECURE  # development serves plain HTTP on 127.0.0.1


def test_the_password_rule_and_the_lockout_speak_english_on_english_pages(app, browser):
    clerk = browser("clerk")
    clerk.get("/lang/en")
    clerk.get("/settings/password")
    page = clerk.post("/settings/password", {"current": PASSWORD, "password": "Qwerty123!",
                                             "confirm": "Qwerty123!"}).get_data(as_text=True)  # fmt: skip
    assert "This password is too common" in page
    assert "密码过于常见" not in page
    anonymous = browser(None)
    anonymous.get("/lang/en")
    for _ in range(5):
        locked = anonymous.login("union", "Wrong#2026x")
    assert "Too many failed logins for this account" in locked.get_data(as_text=True)
