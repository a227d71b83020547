"""The worker congress record through the API (domain.md §5 and §8; 企业民主管理规定): the vote's outcome in
the answer, the membership and date rules as 422 naming their field and rule, and a plan's votes,
reviews and working-group records as JSON."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.extensions import db
from approvals.db import utcnow
from approvals.models import CongressVote
from approvals.workdays import local_date
from tests import flow
from tests.conftest import reload


@pytest.fixture
def steel_at_congress(api, world, complete_content) -> dict[str, Any]:
    plan = flow.create(api("clerk"), complete_content(world.steel))
    return flow.submit(api("clerk"), plan["id"])["plan"]


@pytest.fixture
def small_at_congress(api, world, complete_content) -> dict[str, Any]:
    plan = flow.create(api("clerk_small"), complete_content(world.small), title="沙河玻璃职工安置方案")
    return flow.submit(api("clerk_small"), plan["id"])["plan"]


def post_vote(client: Any, plan: dict[str, Any], **changes: Any) -> Any:
    """The session's documents uploaded, then the vote (120 members, 100 present, 80/15/5 unless changed)."""
    flow.upload_congress_documents(client, plan["id"])
    counts = {key: changes.pop(key) for key in ("total", "present", "yes", "no", "abstain") if key in changes}
    if "total_members" in changes:
        counts["total"] = changes.pop("total_members")
    return client.post(
        f"/plans/{plan['id']}/congress-votes", json=flow.vote_body(plan["content_hash"], **counts) | changes
    )


def refused(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.json
    assert response.json["error"] == "invalid_vote"
    return [(d["field"], d["rule"]) for d in response.json["details"]]


def votes(plan_id: int) -> int:
    return db.session.query(CongressVote).filter_by(plan_id=plan_id).count()


@pytest.mark.parametrize(
    ("counts", "outcome", "label"),
    [
        ({"present": 100, "yes": 80}, "passed", "表决通过"),
        ({"present": 100, "yes": 60, "no": 35}, "rejected", "未获通过"),
        ({"present": 79, "yes": 70, "no": 4}, "invalid_session", "到会人数不足三分之二，会议无效"),
    ],
)
def test_the_vote_answer_gives_its_outcome(api, steel_at_congress, counts, outcome, label):
    """企业民主管理规定 Art 20 (passed by more than half of all representatives) and domain.md §5 (quorum
    2/3, else the session is invalid): the answer says which, with its Chinese label."""
    response = post_vote(api("union"), steel_at_congress, **counts)
    assert response.status_code == 201, response.json
    assert (response.json["outcome"], response.json["outcome_label"]) == (outcome, label)
    assert response.json["vote"]["outcome"] == outcome
    assert response.json["id"] == steel_at_congress["id"]  # still the plan, as before


def test_an_assembly_of_fewer_than_all_workers_is_refused(api, small_at_congress):
    """企业民主管理规定 Art 3; domain.md §8: a 职工大会's members are all the workers on roll (60 at 沙河玻璃).
    A declared 50 with 30 yes no longer passes the plan."""
    response = post_vote(api("union_small"), small_at_congress, body_type="general_assembly", total_members=50,
                         present=40, yes=30, no=5, abstain=5)  # fmt: skip
    assert refused(response) == [("total_members", "assembly_all_workers")]
    assert "60" in response.json["message"]
    assert votes(small_at_congress["id"]) == 0
    assert reload(small_at_congress["id"]).status == "congress"
    passed = post_vote(api("union_small"), small_at_congress, body_type="general_assembly", total_members=60,
                       present=50, yes=40, no=6, abstain=4)  # fmt: skip
    assert passed.status_code == 201, passed.json


def test_a_congress_larger_than_the_workforce_is_refused(api, small_at_congress):
    """企业民主管理规定 Art 24: representatives are elected among the workers (60 at 沙河玻璃)."""
    response = post_vote(api("union_small"), small_at_congress, total_members=61, present=50, yes=40, no=6,
                         abstain=4)  # fmt: skip
    assert refused(response) == [("total_members", "within_headcount")]


def test_an_undersized_congress_needs_a_written_explanation_kept_with_the_vote(api, small_at_congress):
    """企业民主管理规定 (domain-research.md §A.3; 上海市职工代表大会条例 Art 21): fewer than 30 representatives
    needs a written explanation; it is stored with the vote and listed with it."""
    union = api("union_small")
    small = {"total_members": 20, "present": 18, "yes": 15, "no": 2, "abstain": 1}
    assert refused(post_vote(union, small_at_congress, **small)) == [("explanation", "explanation_required")]
    assert votes(small_at_congress["id"]) == 0
    reason = "本企业职工60人，经与工会协商选举职工代表20人。"
    response = post_vote(union, small_at_congress, explanation=reason, **small)
    assert response.status_code == 201, response.json
    assert response.json["vote"]["explanation"] == reason
    listed = union.get(f"/plans/{small_at_congress['id']}/congress-votes").json["items"]
    assert [(v["total_members"], v["explanation"], v["outcome"]) for v in listed] == [(20, reason, "passed")]


@pytest.mark.parametrize(
    ("days", "rule"),
    [(1, "not_in_future"), (-1, "not_before_submission")],
)
def test_the_session_date_lies_between_the_submission_and_today(api, steel_at_congress, days, rule):
    """domain.md §8 Congress (劳动合同法 Art 4 ¶2: the congress discusses the plan put to it): not after
    today in China, not before the day the current revision was submitted (today, in this test)."""
    day = local_date(utcnow()) + timedelta(days=days)
    response = post_vote(api("union"), steel_at_congress, held_on=day.isoformat())
    assert refused(response) == [("held_on", rule)]
    assert day.isoformat() in response.json["message"]
    assert votes(steel_at_congress["id"]) == 0


def test_a_plans_votes_reviews_and_group_records_are_listed_as_json(api, world, complete_content):
    """The record of each decision, in the order made, for whoever sees the plan (the bureau here)."""
    plan = flow.create(api("clerk"), complete_content(world.steel))
    plan = flow.submit(api("clerk"), plan["id"])["plan"]
    flow.vote(api("union"), plan["id"], plan["content_hash"], present=79, yes=70, no=4, abstain=5)
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    flow.review(api("reviewer"), plan["id"], "return", "资金来源证明不全，请补充。")
    reader = api("reviewer")
    listed = reader.get(f"/plans/{plan['id']}/congress-votes").json["items"]
    assert [(v["outcome"], v["present"], v["body_type_label"]) for v in listed] == [
        ("invalid_session", 79, "职工代表大会"), ("passed", 100, "职工代表大会")]  # fmt: skip
    reviews = reader.get(f"/plans/{plan['id']}/reviews").json["items"]
    assert [(r["decision"], r["decision_label"], r["reasons"]) for r in reviews] == [
        ("return", "退回修改", "资金来源证明不全，请补充。")]  # fmt: skip
    assert reader.get(f"/plans/{plan['id']}/working-group-records").json == {"items": []}


def test_free_text_in_the_lists_masks_id_numbers_for_those_who_do_not_see_personal_data(api, world, complete_content):
    """approvals/privacy.py: the supervisor sees the plan but not the workers' personal data, so an ID
    number quoted in a review's reasons is masked for them (as in the documents), not for the bureau."""
    content = complete_content(world.steel)
    worker_id = content["roster"][1][0]
    plan = flow.create(api("clerk"), content)
    plan = flow.submit(api("clerk"), plan["id"])["plan"]
    flow.vote(api("union"), plan["id"], plan["content_hash"])
    flow.review(api("reviewer"), plan["id"], "return", f"职工{worker_id}的安置渠道须补充说明。")
    full = api("reviewer").get(f"/plans/{plan['id']}/reviews").json["items"][0]["reasons"]
    masked = api("supervisor").get(f"/plans/{plan['id']}/reviews").json["items"][0]["reasons"]
    assert worker_id in full
    assert worker_id not in masked
    assert f"{worker_id[:6]}********{worker_id[-4:]}" in masked


def test_the_openapi_document_gives_the_real_status_codes_and_the_outcome(api):
    """The vote is answered 201 with its outcome; the lists 200 with their items."""
    document = api("union").get("/openapi.json").json
    paths = document["paths"]
    vote = paths["/api/v1/plans/{plan_id}/congress-votes"]["post"]["responses"]
    assert "201" in vote
    assert "200" not in vote
    assert vote["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/VoteAnswer"}
    outcome = document["components"]["schemas"]["VoteAnswer"]["properties"]["outcome"]
    assert outcome["enum"] == ["passed", "rejected", "invalid_session"]
    for path in ("congress-votes", "reviews", "working-group-records"):
        assert "200" in paths[f"/api/v1/plans/{{plan_id}}/{path}"]["get"]["responses"]
