"""Every number of a plan's content has its range, checked in the core (approvals/rules/number_limits.py):
a negative 在册职工数, a count that is no whole number or above MAX_PEOPLE, an amount below 0 or above
MAX_AMOUNT is refused with a 422 naming the field, in the web form, the API and the CLI alike, and nothing
is saved. A negative 在册职工数 used to be saved with only a completeness warning."""

from __future__ import annotations

import json

import pytest

from approvals.demo import sample_content
from approvals.rules.congress import MAX_PEOPLE
from approvals.rules.number_limits import MAX_AMOUNT
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import actions, block, version

WORKFORCE = {"on_roll": "1200", "in_scope": "20", "excluded": "0", "exclusion_reasons": ""}


@pytest.fixture
def draft(api, world):
    return flow.create(api("clerk"), sample_content(world.steel))


def details_of(body: dict) -> dict[str, dict]:
    return {d["field"]: d for d in body["details"]}


def test_the_web_form_refuses_a_negative_headcount_beside_its_field(browser, draft):
    clerk = browser("clerk")
    clerk.get(f"/plans/{draft['id']}/draft?section=workforce")
    response = clerk.post(f"/plans/{draft['id']}/draft?section=workforce",
                          {"version": version(draft["id"]), **WORKFORCE, "on_roll": "-5"})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "“职工基本情况：在册职工数”须为0至1000000之间的整数（现为“-5”）。" in block(page, "error-on_roll")
    assert 'value="-5"' in page  # the input is kept
    assert reload(draft["id"]).content == draft["content"]
    assert actions(draft["id"]) == ["plan.created"]


@pytest.mark.parametrize(
    ("section", "value", "field", "rule"),
    [
        ("workforce", {"on_roll": -1, "in_scope": 20}, "workforce.on_roll", "count_range"),
        ("workforce", {"on_roll": MAX_PEOPLE + 1, "in_scope": 20}, "workforce.on_roll", "count_range"),
        ("workforce", {"on_roll": 12.5, "in_scope": 20}, "workforce.on_roll", "count_range"),
        ("workforce", {"on_roll": "1200", "in_scope": 20}, "workforce.on_roll", "count_range"),  # text, no number
        ("workforce", {"on_roll": True, "in_scope": 20}, "workforce.on_roll", "count_range"),
        ("channels", {"termination": -3}, "channels.termination", "count_range"),
        ("arrears", {"wages": "-0.01"}, "arrears.wages", "amount_range"),
        ("funding", {"required": {"training": str(MAX_AMOUNT + 1)}}, "funding.required.training", "amount_range"),
        ("funding", {"sources": [{"source": "other", "amount": "1"}, {"source": "other", "amount": -2}]},
         "funding.sources[2].amount", "amount_range"),
    ],
)  # fmt: skip
def test_the_api_refuses_a_number_out_of_its_range_naming_the_field(api, draft, section, value, field, rule):
    before = flow.plan(api("clerk"), draft["id"])
    response = api("clerk").patch(f"/plans/{draft['id']}", json={"content": {section: value}})
    assert response.status_code == 422, response.json
    assert response.json["error"] == "number_out_of_range"
    assert details_of(response.json)[field]["rule"] == rule
    assert flow.plan(api("clerk"), draft["id"])["content_hash"] == before["content_hash"]


def test_numbers_at_their_bounds_and_blank_ones_are_accepted(api, draft):
    content = {"workforce": {"on_roll": MAX_PEOPLE, "in_scope": 0, "excluded": None},
               "arrears": {"wages": str(MAX_AMOUNT), "social_insurance": "0"}}  # fmt: skip
    response = api("clerk").patch(f"/plans/{draft['id']}", json={"content": content})
    assert response.status_code == 200, response.json


def test_a_new_plan_through_the_api_is_checked_the_same_way(api, world):
    response = api("clerk").post("/plans", json={"title": "方案", "content": {"workforce": {"on_roll": -1}}})
    assert response.status_code == 422, response.json
    assert "在册职工数" in details_of(response.json)["workforce.on_roll"]["message"]


def test_the_cli_refuses_a_negative_headcount_naming_the_field(app, draft, tmp_path):
    sections = tmp_path / "workforce.json"
    sections.write_text(json.dumps({"workforce": {"on_roll": -5, "in_scope": 20}}), encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["plans", "update", str(draft["id"]), "--as", "clerk", "--content", str(sections)]
    )
    assert result.exit_code == 1, result.output
    assert "在册职工数" in result.output
    assert "-5" in result.output
    assert reload(draft["id"]).content == draft["content"]
