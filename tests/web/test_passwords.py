"""Passwords: the rule (common passwords, the username), the login check's equal work for unknown users,
the user's own change and an administrator's reset with the change it forces (API and CLI)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from app.extensions import db
from approvals import demo
from approvals.errors import Invalid, Unauthenticated
from approvals.models import ApiToken, AuditEvent, User
from approvals.services import passwords
from tests.conftest import PASSWORD, Api
from tests.web.test_cli import run

NEW_PASSWORD = "Tangshan#Steel7"


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.mark.parametrize(
    "password",
    ["Password1!", "P@ssw0rd", "Abc@123456", "Admin@123", "Qwerty123!", "Aa123456", "Woaini@1314", "1qaz@WSX",
     "Passw0rd#2026", "!@#Letmein99", "Adm1n@2026"],
)  # fmt: skip
def test_common_passwords_are_refused_though_they_meet_the_classes(password):
    with pytest.raises(Invalid) as refused:
        passwords.check_password_rule(password, "li")
    assert refused.value.details[0]["rule"] == "common_password"
    assert refused.value.details[0]["field"] == "password"


@pytest.mark.parametrize("password", [NEW_PASSWORD, demo.DEMO_PASSWORD, PASSWORD, "Huang-Mei-1987", "Xq7#9Lp2"])
def test_uncommon_passwords_pass(password):
    passwords.check_password_rule(password, "clerk")


def test_a_password_holding_the_username_is_refused_in_any_case():
    with pytest.raises(Invalid) as refused:
        passwords.check_password_rule("Zhangwei#2026", "ZhangWei")
    assert refused.value.details[0]["rule"] == "contains_username"
    passwords.check_password_rule("Li-Steel#2026", "li")  # two letters occur by chance: not refused


def test_the_common_list_is_shipped_and_read():
    listed = passwords.common_passwords()
    assert len(listed) > 250
    assert {"password", "qwerty", "woaini", "admin@123"} <= listed
    assert not any(line.startswith("#") for line in listed)


def test_an_unknown_user_costs_a_hash_check_like_a_wrong_password(app, world, monkeypatch):
    checked: list[str] = []

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return check_password_hash(stored, password)

    monkeypatch.setattr(passwords, "check_password_hash", spy)
    for username in ("nobody", "clerk"):
        with pytest.raises(Unauthenticated):
            passwords.check_password(db.session, username, "Wrong#2026x")
    world.users["union"].active = False
    with pytest.raises(Unauthenticated):
        passwords.check_password(db.session, "union", PASSWORD)
    dummy = passwords._dummy_hash()
    assert checked == [dummy, world.users["clerk"].password_hash, world.users["union"].password_hash]
    assert dummy.split("$")[0] == world.users["clerk"].password_hash.split("$")[0]  # the same method and cost


def test_own_change_over_the_api_checks_the_current_password_and_the_rule(api, world):
    clerk = api("clerk")
    wrong = clerk.post("/account/password", json={"current_password": "Wrong#2026x", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert wrong.json["details"][0]["field"] == "current"
    common = clerk.post("/account/password", json={"current_password": PASSWORD, "new_password": "P@ssw0rd"})
    assert common.status_code == 422
    assert common.json["details"][0] == {"field": "password", "rule": "common_password",
                                         "message": common.json["message"]}  # fmt: skip
    same = clerk.post("/account/password", json={"current_password": PASSWORD, "new_password": PASSWORD})
    assert same.status_code == 422
    assert same.json["details"][0]["rule"] == "differs_from_current"
    assert events("user.password_changed") == []

    changed = clerk.post("/account/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.json
    assert clerk.get("/plans").status_code == 401  # the token it was changed with ended with the old password
    anonymous = api(None)
    assert anonymous.post("/tokens", json={"username": "clerk", "password": PASSWORD}).status_code == 401
    assert anonymous.post("/tokens", json={"username": "clerk", "password": NEW_PASSWORD}).status_code == 201
    [event] = events("user.password_changed")
    assert (event.actor_name, event.summary["after_reset"], event.summary["tokens_revoked"]) == ("clerk", False, 1)


def test_after_a_reset_the_api_refuses_everything_but_the_password_change(app, api, world):
    result = run(app, "users", "reset-password", "--username", "clerk", "--password", "Temp#Reset2026")
    assert result.exit_code == 0, result.output
    anonymous = api(None)
    assert anonymous.post("/tokens", json={"username": "clerk", "password": PASSWORD}).status_code == 401
    issued = anonymous.post("/tokens", json={"username": "clerk", "password": "Temp#Reset2026"})
    assert issued.status_code == 201
    clerk = Api(anonymous.client, issued.json["token"])
    refused = clerk.get("/plans")
    assert refused.status_code == 403
    assert refused.json["error"] == "password_change_required"
    assert "修改密码" in refused.json["message"]
    changed = clerk.post("/account/password", json={"current_password": "Temp#Reset2026", "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.json
    again = anonymous.post("/tokens", json={"username": "clerk", "password": NEW_PASSWORD})
    assert Api(anonymous.client, again.json["token"]).get("/plans").status_code == 200
    [reset] = events("user.password_reset")
    assert (reset.actor_name, reset.summary["username"]) == ("system", "clerk")
    assert events("user.password_changed")[0].summary["after_reset"] is True


def test_a_reset_ends_the_users_tokens_and_is_refused_for_a_weak_password(app, api, world):
    clerk = api("clerk")
    weak = run(app, "users", "reset-password", "--username", "clerk", "--password", "Password1!")
    assert weak.exit_code != 0
    assert "常见" in weak.output
    assert clerk.get("/plans").status_code == 200  # nothing changed
    assert run(app, "users", "reset-password", "--username", "nobody", "--password", NEW_PASSWORD).exit_code != 0
    assert run(app, "users", "reset-password", "--username", "clerk", "--password", NEW_PASSWORD).exit_code == 0
    assert clerk.get("/plans").status_code == 401
    user = db.session.scalars(select(User).where(User.username == "clerk")).one()
    assert user.must_change_password
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    assert tokens
    assert all(t.revoked_at is not None for t in tokens)


def test_the_cli_reset_asks_for_the_password_without_echoing_it(app, world):
    result = app.test_cli_runner().invoke(args=["users", "reset-password", "--username", "clerk"],
                                          input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    db.session.expire_all()
    user = db.session.scalars(select(User).where(User.username == "clerk")).one()
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
