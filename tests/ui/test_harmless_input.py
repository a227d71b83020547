"""Harmless-looking input never gives a 500: ids beyond an INTEGER column, out-of-range query-string
integers, NUL bytes and other control characters in any text, JSON nested past any body of ours, and
a unique fact stored twice (a duplicate is named as such; only a race is `concurrent_update`)."""

from __future__ import annotations

import json

import pytest
from flask import request
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import IntegerConverter

from app.extensions import db
from app.inputs import DB_INT_MAX, MAX_JSON_DEPTH, DatabaseIdConverter
from approvals import audit
from approvals.actor import SYSTEM
from approvals.models import AuditEvent, Role, User
from tests import flow
from tests.ui.test_public_notice import objection, published  # noqa: F401 (fixture)

HUGE = (2**31, 2**63, 10**30)


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if ints:
            yield rule, ints


def test_every_int_route_uses_the_database_id_converter(app):
    found = list(_int_rules(app))
    assert len(found) > 40  # web and API alike
    for rule, names in found:
        assert all(isinstance(rule._converters[n], DatabaseIdConverter) for n in names), rule.rule


@pytest.mark.parametrize("value", HUGE)
def test_an_id_beyond_the_column_is_404_on_every_route(app, api, world, value):
    client = app.test_client()
    clerk = api("clerk")
    for rule, names in _int_rules(app):
        url = rule.rule
        for name in names:
            url = url.replace(f"<int:{name}>", str(value))
        url = url.replace("<kind>", "congress-vote").replace("<id_number>", "130102199001011234")
        url = url.replace("<fmt>", "csv").replace("<token>", "x").replace("<path:filename>", "x")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, url, response.status_code)
    # and with a token, where the view would otherwise reach the database
    assert clerk.get(f"/plans/{value}").status_code == 404
    assert clerk.get(f"/plans/{DB_INT_MAX}").status_code == 404  # the largest id: looked up, not found


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/plans?page=9223372036854775808", "page"),
        ("/plans?per_page=99999999999999999999999", "per_page"),
        ("/plans?page=0", "page"),
        ("/plans?page=abc", "page"),
        ("/notifications?page=2147483648", "page"),
        ("/notifications?per_page=-1", "per_page"),
    ],
)
def test_a_query_integer_out_of_range_is_422_naming_the_parameter(api, url, name):
    response = api("clerk").get(url)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "invalid_parameter"
    assert response.json["details"][0]["field"] == name
    assert f"“{name}”" in response.json["message"]


def test_a_query_integer_out_of_range_is_422_on_pages_too(browser):
    page = browser("supervisor").get("/audit?page=99999999999999999999")
    assert page.status_code == 422
    assert "查询参数“page”" in page.get_data(as_text=True)


def test_the_roster_and_documents_take_their_numbers_through_the_same_parser(api, world, complete_content):
    clerk = api("clerk")
    plan = flow.create(clerk, complete_content(world.steel, workers=3))
    assert clerk.get(f"/plans/{plan['id']}/roster?page=9223372036854775808").status_code == 422
    assert clerk.get(f"/plans/{plan['id']}/documents/congress-vote.pdf?n=9223372036854775808").status_code == 422
    assert clerk.get(f"/plans/{plan['id']}/roster?page=2").status_code == 200


# --- control characters ---------------------------------------------------------------------


def _refused(response, field: str) -> None:
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert response.json["error"] == "control_character"
    assert response.json["details"][0]["field"] == field
    assert f"“{field}”" in response.json["message"]


@pytest.mark.parametrize("bad", ["a\x00b", "\x1b[31m", "\ud800", "a\x7f"])
def test_a_control_character_in_a_json_string_is_422_naming_the_field(api, bad):
    clerk = api("clerk")

    def post(body):  # escaped as \u0000, as a client's JSON would carry it
        return clerk.post("/plans", data=json.dumps(body), content_type="application/json")

    _refused(post({"title": bad, "content": {}}), "title")
    _refused(post({"title": "方案", "content": {"profile": {"name": bad}}}), "content.profile.name")
    shown = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in bad)  # as the answer names it
    _refused(post({"title": "方案", "content": {bad: "x"}}), f"content.{shown}")
    assert db.session.query(AuditEvent).filter(AuditEvent.action == "plan.created").count() == 0


def test_line_breaks_and_tabs_stay_allowed_in_text(api):
    response = api("clerk").post(
        "/plans", json={"title": "方案", "content": {"timetable": {"steps": "一\n二\r\n\t三"}}}
    )
    assert response.status_code == 201, response.json


def test_a_nul_in_reasons_or_a_token_request_is_422(api, app):
    _refused(api("reviewer").post("/plans/1/review", json={"decision": "return", "reasons": "缺\x00材料"}), "reasons")
    _refused(app.test_client().post("/api/v1/tokens", json={"username": "clerk\x00", "password": "x"}), "username")


def test_a_nul_in_a_query_string_or_a_data_header_is_422(api, app):
    _refused(api("clerk").get("/plans/1/roster?q=%00"), "q")
    _refused(api("clerk").get("/plans?status=drafting%00"), "status")
    response = app.test_client().get("/api/v1/tasks", headers={"Authorization": "Bearer abc\x00def"})
    _refused(response, "Authorization")


def test_a_nul_on_the_login_form_is_422_naming_the_field(browser):
    visitor = browser(None)
    response = visitor.post("/login", {"username": "clerk\x00", "password": "x"})
    assert response.status_code == 422
    assert "“username”" in response.get_data(as_text=True)


def test_a_nul_on_the_public_page_and_its_objection_form_is_422(browser, published):  # noqa: F811
    _plan, token = published
    visitor = browser(None)
    page = visitor.get(f"/public/{token}?q=%E7%8E%8B%00")
    assert page.status_code == 422
    assert "“q”" in page.get_data(as_text=True)
    visitor.get(f"/public/{token}")
    sent = visitor.post(f"/public/{token}/objections", objection(text="名单有误\x00"))
    assert sent.status_code == 422
    assert "“text”" in sent.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter(AuditEvent.action.like("objection%")).count() == 0


# --- JSON depth -------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_deeply_nested_json_is_400_even_on_tokens(app, api, depth):
    for client, url in ((app.test_client(), "/api/v1/tokens"), (api("clerk").client, "/api/v1/plans")):
        headers = {"Content-Type": "application/json", **api("clerk").headers}
        response = client.post(url, data=_nested(depth), headers=headers)
        assert response.status_code == 400, (url, response.status_code)
        assert response.json["error"] == "invalid_json"
        assert response.json["details"][0]["rule"] == "max_depth"


def test_json_as_deep_as_allowed_is_read(api):
    content = {"profile": {"notes": _nested(1)}}  # a string that looks nested is only a string
    value: object = "leaf"
    for _ in range(MAX_JSON_DEPTH - 3):
        value = [value]
    content["timetable"] = {"steps": value}
    response = api("clerk").post("/plans", json={"title": "方案", "content": content})
    assert response.status_code in (201, 422)  # read and judged by the rules, not refused as JSON
    assert response.json.get("error") != "invalid_json"


# --- integrity errors: a duplicate is named, a race is a conflict ------------------------------


def _integrity_error(add) -> IntegrityError:
    try:
        with db.session.begin_nested():
            add()
            db.session.flush()
    except IntegrityError as exc:
        return exc
    raise AssertionError("no integrity error")


def _answer(app, exc: IntegrityError):
    with app.test_request_context("/api/v1/plans", method="POST"):
        assert request.path.startswith("/api/")
        response = app.make_response(app.handle_user_exception(exc))
        return response.status_code, response.get_json()


def test_a_username_stored_twice_is_a_duplicate_naming_the_field(app, world):
    exc = _integrity_error(lambda: db.session.add(User(username="clerk", display_name="x", password_hash="x")))
    status, body = _answer(app, exc)
    assert status == 409
    assert body["error"] == "duplicate"
    assert body["details"][0]["field"] == "username"


def test_a_uscc_or_a_worker_stored_twice_is_a_duplicate_naming_the_field(app, world):
    from approvals.models import Enterprise

    firm = Enterprise(name="另一家", uscc=world.steel.uscc, industry="steel", region_code="130283", headcount=10)
    status, body = _answer(app, _integrity_error(lambda: db.session.add(firm)))
    assert (status, body["error"], body["details"][0]["field"]) == (409, "duplicate", "uscc")


def test_a_sequence_taken_in_between_is_a_concurrent_update(app, world):
    head = db.session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    assert head is not None

    def again() -> None:
        event = audit.record(db.session, actor=SYSTEM, role=Role.ADMIN, action="user.created", summary={})
        event.seq = head.seq  # as if another request had appended the same link first
        event.chain = head.chain

    status, body = _answer(app, _integrity_error(again))
    assert status == 409
    assert body["error"] == "concurrent_update"
    assert body["details"] is None


@pytest.mark.parametrize("value", HUGE)
def test_ids_in_a_body_or_a_filter_beyond_the_column_are_422_naming_the_field(api, browser, value):
    response = api("clerk").post("/plans", json={"title": "方案", "content": {}, "enterprise_id": value})
    assert response.status_code == 422
    assert response.json["details"][0]["field"] == "enterprise_id"
    supervisor = browser("supervisor")
    for name in ("plan", "enterprise"):
        page = supervisor.get(f"/audit?{name}={value}")
        assert page.status_code == 422, name
        assert supervisor.get(f"/audit/export.csv?{name}={value}").status_code == 422
