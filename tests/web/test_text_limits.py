"""Every text a user types has a length limit, checked in the core: a clear 422 naming the field and the
limit, and nothing saved. A 10,000,000-character plan field used to be accepted, and the published
plan's PDF then timed out for every reader."""

from __future__ import annotations

import pytest

from approvals.rules.text_limits import FIELDS, LINE, LONG, MAX_CONTENT, MAX_ITEMS, PARAGRAPH
from tests import flow
from tests.web.test_api_rules import _at_vote, _at_working_group


def details_of(body: dict) -> dict[str, dict]:
    return {d["field"]: d for d in body["details"]}


@pytest.fixture
def draft(api, world, complete_content):
    return flow.create(api("clerk"), complete_content(world.steel))


def test_a_ten_million_character_plan_field_is_refused_naming_the_field(api, draft):
    before = flow.plan(api("clerk"), draft["id"])
    response = api("clerk").patch(f"/plans/{draft['id']}", json={
        "version": before["version"], "content": {"severance": {**before["content"]["severance"],
                                                                "standard": "x" * 10_000_000}}})  # fmt: skip
    assert response.status_code == 422, response.json
    assert response.json["error"] == "text_too_long"
    problem = details_of(response.json)["severance.standard"]
    assert (problem["rule"], problem["limit"]) == ("max_length", LONG)
    assert "经济补偿：经济补偿标准和计算办法" in problem["message"]
    assert f"不得超过 {LONG} 个字（现为 10000000 个字）" in problem["message"]
    assert flow.plan(api("clerk"), draft["id"])["content_hash"] == before["content_hash"]


@pytest.mark.parametrize(
    ("section", "value", "field", "limit"),
    [
        ("timetable", {"items": [{"step": "步" * (LINE + 1), "due": "2018-09-01", "owner": "人事部"}]},
         "timetable.items[1].step", LINE),
        ("profile", {"ownership": "国" * (LINE + 1)}, "profile.ownership", LINE),
        ("decapacity", {"note": "注" * (PARAGRAPH + 1)}, "decapacity.note", PARAGRAPH),  # any field: a paragraph
        ("decapacity", {"k" * 101: "1"}, "decapacity.kkkkkkkkkkkkkkkkkkkk…", 100),  # a key is a field name
        ("funding", {"sources": [{"source": "other", "amount": "1"}] * (MAX_ITEMS + 1)}, "funding.sources", MAX_ITEMS),
    ],
)  # fmt: skip
def test_each_kind_of_plan_text_has_its_limit(api, draft, section, value, field, limit):
    response = api("clerk").patch(f"/plans/{draft['id']}", json={"content": {section: value}})
    assert response.status_code == 422, response.json
    assert details_of(response.json)[field]["limit"] == limit


def test_text_at_its_limit_is_accepted(api, draft):
    before = flow.plan(api("clerk"), draft["id"])
    severance = {**before["content"]["severance"], "standard": "补" * LONG}
    response = api("clerk").patch(f"/plans/{draft['id']}", json={"content": {"severance": severance}})
    assert response.status_code == 200, response.json


def test_the_whole_plan_has_a_limit_too(api, draft):
    sections = {name: {"text": "文" * PARAGRAPH} for name in ("decapacity", "workforce")}
    many = {"decapacity": {f"note{n}": "文" * PARAGRAPH for n in range(MAX_CONTENT // PARAGRAPH + 1)}}
    assert api("clerk").patch(f"/plans/{draft['id']}", json={"content": sections}).status_code == 200
    response = api("clerk").patch(f"/plans/{draft['id']}", json={"content": many})
    assert response.status_code == 422, response.json
    assert details_of(response.json)["content"]["rule"] == "max_total_length"


def test_a_new_plan_is_checked_the_same_way(api, world):
    response = api("clerk").post(
        "/plans", json={"title": "方案", "content": {"arrears": {"settlement": "x" * (LONG + 1)}}}
    )
    assert response.status_code == 422, response.json
    assert "arrears.settlement" in details_of(response.json)


def test_review_reasons_are_limited(api, world, complete_content):
    p, union = _at_vote(api, world, complete_content)
    flow.vote(union, p["id"], p["content_hash"])
    body = flow.review(api("reviewer"), p["id"], "return", "理" * (FIELDS["reasons"] + 1), status=422)
    assert details_of(body)["reasons"]["limit"] == LONG
    assert flow.open_task_ids(flow.plan(api("reviewer"), p["id"])) == ["bureau_review"]


def test_working_group_findings_contact_point_and_member_names_are_limited(api, world, complete_content):
    from approvals.demo import WG_MEMBERS

    p = _at_working_group(api, world, complete_content)
    members = [{**WG_MEMBERS[0], "name": "名" * (FIELDS["members.name"] + 1)}, *WG_MEMBERS[1:]]
    body = flow.working_group(api("wg"), p["id"], decision=None, members=members, status=422,
                              contact_point="联" * (LINE + 1))  # fmt: skip
    found = details_of(body)
    assert found["members[1].name"]["limit"] == FIELDS["members.name"]
    assert found["contact_point"]["limit"] == LINE
    body = flow.working_group(api("wg"), p["id"], decision=None, findings="意" * (LONG + 1), status=422)
    assert details_of(body)["findings"]["limit"] == LONG


def test_roster_text_cells_are_limited_per_column_and_the_report_quotes_only_their_start(api, draft):
    from tests.web.test_roster_api import csv_bytes, put, worker

    long_name = worker(1, name="姓" * (FIELDS["roster.name"] + 1))
    long_note = worker(2, why="说" * (FIELDS["roster.justification"] + 1))
    body = put(api("clerk"), draft["id"], csv_bytes([long_name, long_note, worker(3)]), dry_run="1").json
    assert (body["accepted"], body["rejected"]) == (1, 2)
    found = {(e["row"], e["column"]): e for e in body["errors"] if e["rule"] == "max_length"}
    assert set(found) == {(2, "姓名"), (3, "书面说明")}
    assert f"不得超过 {FIELDS['roster.name']} 个字" in found[2, "姓名"]["message"]
    assert len(found[3, "书面说明"]["value"]) <= 101


def test_reference_data_an_administrator_types_is_limited(world):
    from app.extensions import db
    from approvals.actor import Actor
    from approvals.errors import Invalid
    from approvals.services import accounts

    admin = Actor(world.users["admin"])
    attempts = {
        "enterprise.name": lambda: accounts.create_enterprise(
            db.session, actor=admin, name="企" * (LINE + 1), uscc=world.steel.uscc, industry="steel",
            region_code=world.steel.region_code, headcount=10),
        "display_name": lambda: accounts.create_user(
            db.session, actor=admin, username="longname", password="Abcdef12!", display_name="名" * 101),
        "region.name": lambda: accounts.create_region(db.session, actor=admin, code="130299", name="区" * 65),
        "working_group.name": lambda: accounts.create_working_group(
            db.session, actor=admin, name="组" * (LINE + 1), region_code=world.steel.region_code),
    }  # fmt: skip
    for field, attempt in attempts.items():
        with pytest.raises(Invalid) as refused:
            attempt()
        assert refused.value.details[0]["field"] == field
        assert refused.value.details[0]["rule"] == "max_length"
    db.session.rollback()
