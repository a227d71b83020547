"""API tokens: their owner lists them (masked, with their last use) and revokes one or all; a revoked
token stays revoked, whatever happens to the account afterwards."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from approvals.models import ApiToken, AuditEvent
from approvals.services import accounts
from tests.conftest import PASSWORD, Api


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def raw_of(client: Api) -> str:
    return client.headers["Authorization"].removeprefix("Bearer ")


def test_the_owner_lists_their_live_tokens_masked(api, world):
    first, second = api("clerk"), api("clerk")
    api("union")
    expired = api("clerk")
    newest = db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    newest.expires_at = newest.created_at  # expired
    db.session.commit()
    listing = first.get("/tokens")
    assert listing.status_code == 200
    items = listing.json["items"]
    assert [item["token"] for item in items] == [raw_of(second)[:4] + "…", raw_of(first)[:4] + "…"]
    assert [item["current"] for item in items] == [False, True]
    assert items[1]["last_used_at"] is not None  # this very request
    assert items[0]["last_used_at"] is None
    assert raw_of(first) not in listing.get_data(as_text=True)
    assert expired.get("/tokens").status_code == 401


def test_the_owner_revokes_one_token_and_another_users_token_is_not_found(api, world):
    first, second = api("clerk"), api("clerk")
    union = api("union")
    ids = [item["id"] for item in first.get("/tokens").json["items"]]
    union_id = union.get("/tokens").json["items"][0]["id"]
    assert first.delete(f"/tokens/{union_id}").status_code == 404
    assert union.get("/plans").status_code == 200
    revoked = first.delete(f"/tokens/{ids[0]}")  # the second token (newest first)
    assert revoked.status_code == 200
    assert second.get("/plans").status_code == 401
    assert first.get("/plans").status_code == 200
    assert first.delete(f"/tokens/{ids[0]}").status_code == 404  # already revoked
    [event] = events("user.token_revoked")
    assert event.summary == {"username": "clerk", "token": raw_of(second)[:4] + "…"}


def test_revoking_all_ends_every_token_of_the_owner_only(api, world):
    first, second = api("clerk"), api("clerk")
    union = api("union")
    answer = first.delete("/tokens")
    assert answer.json == {"revoked": 2}
    assert first.get("/plans").status_code == 401
    assert second.get("/plans").status_code == 401
    assert union.get("/plans").status_code == 200
    assert events("user.tokens_revoked")[0].summary == {"username": "clerk", "count": 2}


def test_reactivating_an_account_revives_no_token(api, world):
    clerk = api("clerk")
    admin = world.actor("admin")
    accounts.set_user_active(db.session, actor=admin, user=world.users["clerk"], active=False)
    db.session.commit()
    assert clerk.get("/plans").status_code == 401
    accounts.set_user_active(db.session, actor=admin, user=world.users["clerk"], active=True)
    db.session.commit()
    assert clerk.get("/plans").status_code == 401
    fresh = api(None).post("/tokens", json={"username": "clerk", "password": PASSWORD})
    assert Api(api(None).client, fresh.json["token"]).get("/plans").status_code == 200
