"""Rules as the API enforces them: votes, the working group, input validation, tokens, OpenAPI."""

from __future__ import annotations

import pytest

from app.api.registry import ENDPOINTS
from tests import flow
from tests.conftest import PASSWORD


def _at_vote(api, world, complete_content, firm="steel"):
    names = {"steel": ("clerk", "union"), "small": ("clerk_small", "union_small")}[firm]
    clerk, union = api(names[0]), api(names[1])
    p = flow.create(clerk, complete_content(getattr(world, firm), workers=20))
    flow.submit(clerk, p["id"])
    return p, union


@pytest.mark.parametrize(
    ("counts", "field", "rule"),
    [
        ({"total": 120, "present": 121, "yes": 80, "no": 0, "abstain": 0}, "present", "present_not_above_total"),
        ({"total": 120, "present": 90, "yes": 80, "no": 10, "abstain": 1}, "yes", "votes_not_above_present"),
        ({"total": 120, "present": 90, "yes": -1, "no": 10, "abstain": 1}, "yes", "non_negative"),
        ({"total": 0, "present": 0, "yes": 0, "no": 0, "abstain": 0}, "total_members", "positive"),
    ],
)
def test_inconsistent_counts_are_422_and_change_nothing(api, world, complete_content, counts, field, rule):
    p, union = _at_vote(api, world, complete_content)
    body = flow.vote(union, p["id"], p["content_hash"], status=422, documents=False, **counts)
    assert body["error"] == "invalid_vote"
    assert {"field": field, "rule": rule} in [{"field": d["field"], "rule": d["rule"]} for d in body["details"]]
    assert flow.open_task_ids(flow.plan(union, p["id"])) == ["congress_vote"]
    assert [e["action"] for e in union.get(f"/plans/{p['id']}/audit").json["items"]][-1] == "plan.submitted"


def test_a_large_enterprise_cannot_use_a_general_assembly(api, world, complete_content):
    p, union = _at_vote(api, world, complete_content)
    body = flow.vote(union, p["id"], p["content_hash"], body_type="general_assembly", status=422)
    assert body["details"][0]["rule"] == "congress_required"


def test_a_small_enterprise_may_hold_a_general_assembly_of_all_workers(api, world, complete_content):
    p, union = _at_vote(api, world, complete_content, firm="small")
    body = flow.vote(union, p["id"], p["content_hash"], body_type="general_assembly",
                     total=60, present=40, yes=31, no=5, abstain=4)  # fmt: skip
    assert body["status"] == "review"
    audit = union.get(f"/plans/{p['id']}/audit").json["items"][-1]
    assert audit["summary"]["body_type"] == "职工大会"


def test_yes_of_exactly_half_of_all_members_fails_even_with_most_present_voting_yes(api, world, complete_content):
    p, union = _at_vote(api, world, complete_content)
    body = flow.vote(union, p["id"], p["content_hash"], total=120, present=100, yes=60, no=40, abstain=0)
    assert body["status"] == "drafting"
    p2, _ = _at_vote(api, world, complete_content)
    body = flow.vote(union, p2["id"], p2["content_hash"], total=120, present=100, yes=61, no=39, abstain=0)
    assert body["status"] == "review"


def test_vote_body_is_validated_with_field_names(api, world, complete_content):
    p, union = _at_vote(api, world, complete_content)
    response = union.post(f"/plans/{p['id']}/congress-votes", json={"body_type": "meeting", "held_on": "2018-13-40"})
    assert response.status_code == 422
    fields = {d["field"] for d in response.json["details"]}
    assert {"body_type", "held_on", "total_members", "plan_revision_hash"} <= fields


def test_return_without_reasons_is_422(api, world, complete_content):
    p, union = _at_vote(api, world, complete_content)
    flow.vote(union, p["id"], p["content_hash"])
    body = flow.review(api("reviewer"), p["id"], "return", "  ", status=422)
    assert body["details"][0]["field"] == "reasons"


def _at_working_group(api, world, complete_content):
    clerk, union = api("clerk_zombie"), api("union_zombie")
    p = flow.create(clerk, complete_content(world.zombie))
    flow.submit(clerk, p["id"])
    flow.vote(union, p["id"], p["content_hash"])
    flow.review(api("province"), p["id"], "approve")
    return p


def test_working_group_needs_every_department_and_a_contact_point(api, world, complete_content):
    p = _at_working_group(api, world, complete_content)
    members = [{"name": "赵某", "department": "人社"}, {"name": "吴某", "department": "工会"}]
    body = flow.working_group(api("wg"), p["id"], decision=None, members=members, status=422, contact_point=" ")
    problems = {d["field"]: d["message"] for d in body["details"]}
    assert "发改" in problems["members"]
    assert "集团公司" in problems["members"]
    assert "contact_point" in problems


def test_working_group_member_from_the_enterprise_is_refused(api, world, complete_content):
    from approvals.demo import WG_MEMBERS

    p = _at_working_group(api, world, complete_content)
    members = [*WG_MEMBERS[:-1], {"name": "郑某", "department": "集团公司", "uscc": world.zombie.uscc}]
    body = flow.working_group(api("wg"), p["id"], decision=None, members=members, status=422)
    assert body["details"][0]["rule"] == "not_from_enterprise"


def test_unknown_plan_sections_are_refused(api, world):
    response = api("clerk").post("/plans", json={"title": "x", "content": {"secret_notes": {}}})
    assert response.status_code == 422
    assert response.json["details"][0]["field"] == "secret_notes"


def test_malformed_json_is_422(api, world):
    response = api("clerk").post("/plans", data="{not json", content_type="application/json")
    assert response.status_code == 422
    assert response.json["error"] == "invalid_json"


def test_tokens(api, world):
    anonymous = api(None)
    good = anonymous.post("/tokens", json={"username": "clerk", "password": PASSWORD})
    assert good.status_code == 201
    bad = anonymous.post("/tokens", json={"username": "clerk", "password": "wrong-password"})
    assert bad.status_code == 401
    assert bad.json["error"] == "bad_credentials"
    assert anonymous.get("/tasks").status_code == 401
    authed = anonymous.get("/tasks", headers={"Authorization": f"Bearer {good.json['token']}"})
    assert authed.status_code == 200


def test_openapi_describes_every_endpoint(app, api, world):
    doc = api(None).get("/openapi.json").json
    assert doc["openapi"].startswith("3.")
    routes = {(r.rule, m) for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")
              for m in r.methods - {"HEAD", "OPTIONS"}}  # fmt: skip
    described = {(e.rule, e.method) for e in ENDPOINTS}
    assert routes == described
    vote = doc["paths"]["/api/v1/plans/{plan_id}/congress-votes"]["post"]
    schema = doc["components"]["schemas"][
        vote["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    ]
    assert {"total_members", "present", "yes", "no", "abstain", "plan_revision_hash"} <= set(schema["properties"])
    assert "409" in vote["responses"]
    assert "422" in vote["responses"]


def test_plan_detail_shows_the_gate_with_reasons(api, world, complete_content):
    clerk = api("clerk")
    p = flow.create(clerk, complete_content(world.steel))
    body = flow.plan(clerk, p["id"])
    assert [c["key"] for c in body["gate"]] == [
        "plan_complete", "funds_secured", "congress_passed", "bureau_approved", "working_group_cleared", "published",
        "notice_window_over", "objections_closed",
    ]  # fmt: skip
    assert all(c["reason"] for c in body["gate"])
    assert body["open_tasks"][0]["lane"] == "enterprise"
    assert len(body["content_hash"]) == 64
