"""The API answers a refusal in the caller's language: the user's interface language, else the request's
Accept-Language, else Chinese; the machine-readable fields (error, rule, field) the same in every language."""

from __future__ import annotations

import pytest

from app.extensions import db
from approvals.demo import sample_roster
from tests import flow


@pytest.fixture
def submitted(api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), plan["id"])
    flow.upload_congress_documents(api("union"), plan["id"])
    return plan


def refused_vote(api, plan, headers=None):
    """More present than the body has members: refused (a bad number) whoever asks."""
    body = flow.vote_body(plan["content_hash"], present=130)
    response = api("union").post(f"/plans/{plan['id']}/congress-votes", json=body, headers=headers)
    assert response.status_code == 422, response.json
    return response.json


def speak(world, name, language):
    world.users[name].interface_language = language
    db.session.commit()


def test_an_english_user_is_refused_in_english_with_the_same_codes(api, world, submitted):
    chinese = refused_vote(api, submitted)
    speak(world, "union", "en")
    english = refused_vote(api, submitted)
    assert english["message"] == "Those present (130) may not exceed all workers' representatives (120)."
    assert [d["message"] for d in english["details"]] == [english["message"]]
    assert (chinese["message"] != english["message"], "130" in chinese["message"]) == (True, True)
    assert english["error"] == chinese["error"] == "invalid_vote"
    strip = [{k: v for k, v in d.items() if k != "message"} for d in chinese["details"]]
    assert strip == [{k: v for k, v in d.items() if k != "message"} for d in english["details"]]
    assert (strip[0]["rule"], strip[0]["field"]) == ("present_not_above_total", "present")


def test_a_chinese_user_is_refused_in_chinese_whatever_the_request_asks(api, world, submitted):
    default = refused_vote(api, submitted)
    assert not default["message"].isascii()
    speak(world, "union", "zh_CN")
    assert refused_vote(api, submitted, headers={"Accept-Language": "en"}) == default


def test_without_a_user_accept_language_chooses_among_the_supported_languages(api, world):
    wrong = {"username": "clerk", "password": "wrong"}
    asked = {language: api(None).post("/tokens", json=wrong, headers={"Accept-Language": language}).json
             for language in ("en-GB,en;q=0.9", "fr", "zh-CN,en;q=0.5")}  # fmt: skip
    assert asked["en-GB,en;q=0.9"] == {"error": "bad_credentials", "message": "Incorrect username or password.",
                                       "details": None}  # fmt: skip
    assert asked["fr"]["message"] == asked["zh-CN,en;q=0.5"]["message"] == "用户名或密码错误。"
    unknown = api(None).get("/plans", headers={"Authorization": "Bearer nope", "Accept-Language": "en"})
    assert (unknown.status_code, unknown.json["error"]) == (401, "unauthorized")
    assert unknown.json["message"].startswith("Please provide a valid access token")


def test_an_english_clerks_refused_roster_edit_is_reported_in_english(api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    url = f"/plans/{plan['id']}/roster/{sample_roster(world.steel)[1][0]}"
    bad = {"hire_date": "1995-13-01", "channel": "搬家"}
    chinese = api("clerk").patch(url, json=bad).json
    speak(world, "clerk", "en")
    refused = api("clerk").patch(url, json=bad)
    assert refused.status_code == 422
    english = refused.json
    assert english["error"] == chinese["error"] == "roster_invalid"
    assert english["message"] == "Row 3 has 2 errors; nothing was saved. Please correct them and submit again."
    assert chinese["message"] == "第3行有2处错误，未保存。请修改后重新提交。"
    rules = [(e["row"], e["column"], e["rule"]) for e in english["details"]["errors"]]
    assert rules == [(e["row"], e["column"], e["rule"]) for e in chinese["details"]["errors"]]
    assert all(e["message"].startswith("Row 3") for e in english["details"]["errors"])


def test_an_english_user_hears_out_of_turn_role_and_body_refusals_in_english(api, world, submitted):
    """The refusals of the workflow (out_of_turn), of the roles (role_required) and of the body's validation
    are said in the caller's language; their error, rule and field stay the same."""
    plan_id = submitted["id"]

    def refusals():
        turn = api("clerk").post(f"/plans/{plan_id}/submit")  # already submitted: the congress votes now
        role = api("union").post(f"/plans/{plan_id}/submit")  # only the enterprise's clerk submits
        body = api("union").post(f"/plans/{plan_id}/congress-votes", json={"present": "many"})
        assert (turn.status_code, role.status_code, body.status_code) == (409, 403, 422)
        return turn.json, role.json, body.json

    chinese = refusals()
    speak(world, "clerk", "en")
    speak(world, "union", "en")
    turn, role, body = refusals()
    assert (
        turn["message"] == 'The plan is at the stage "Workers\' congress vote"; this cannot be done now: Submit plan.'
    )
    assert role["message"] == "Only the plan's Enterprise clerk may do this: Submit plan."
    assert body["message"].startswith('Field "')
    assert body["message"].isascii()
    assert all(d["message"].isascii() for d in body["details"])
    assert [refusal["error"] for refusal in chinese] == [turn["error"], role["error"], body["error"]]
    assert [refusal["error"] for refusal in chinese] == ["out_of_turn", "role_required", "invalid_request"]
    assert chinese[0]["message"] == "方案当前处于“职工代表大会审议”阶段，不能提交方案。"
    assert chinese[1]["message"] == "提交方案须由本方案的企业经办人办理。"
    assert [(d["field"], d["rule"]) for d in body["details"]] == [
        (d["field"], d["rule"]) for d in chinese[2]["details"]
    ]
    assert not chinese[2]["message"].isascii()
