"""The workers' personal data in the JSON API, by role (approvals/privacy.py): the enterprise, the
union and the bureau see the roster in full; the working group, the supervisor and the administrator
see names, masked ID numbers and placement facts only, and cannot search by ID number."""

from __future__ import annotations

import pytest

from approvals.privacy import hide_personal_in_diff
from approvals.rules.resident_id import mask_id
from tests.ui.test_plan_page_roster import PEOPLE, plan  # noqa: F401 -- the fixture

PERSONAL = ("sex", "birth_date", "hire_date", "retirement_date", "severance", "internal_retirement_cost")


def roster(client, plan_id: int, query: str = "") -> list[dict]:  # type: ignore[no-untyped-def]
    response = client.get(f"/plans/{plan_id}/roster?per_page=500{query}")
    assert response.status_code == 200, response.json
    return response.json["items"]


def test_the_bureau_sees_the_roster_in_full(api, plan):  # noqa: F811
    items = {w["name"]: w for w in roster(api("reviewer"), plan["id"])}
    assert items["王二"]["id_number"] == PEOPLE["王二"][0]
    assert items["王二"]["hire_date"] == "2008-03-01"
    assert items["王二"]["birth_date"] is not None
    assert items["王二"]["retirement_date"] is not None
    assert any(w["value"] for w in items["赵四"]["warnings"])  # the written justification the warning quotes


@pytest.mark.parametrize("user", ["supervisor", "admin"])
def test_others_see_names_masked_numbers_and_placement_facts_only(api, plan, user):  # noqa: F811
    items = {w["name"]: w for w in roster(api(user), plan["id"])}
    assert set(items) == set(PEOPLE)
    for name, worker in items.items():
        assert worker["id_number"] == mask_id(PEOPLE[name][0])
        assert [worker[key] for key in PERSONAL] == [None] * len(PERSONAL), name
        assert all(w["value"] == "" for w in worker["warnings"])
    assert items["王八"]["warnings"]  # the warnings themselves stay
    assert items["周七"]["in_scope"] is False
    assert roster(api(user), plan["id"], "&q=" + PEOPLE["孙六"][0][:12]) == []  # no probing by ID number


def test_the_roster_export_is_for_those_who_see_personal_data(api, plan):  # noqa: F811
    assert api("reviewer").get(f"/plans/{plan['id']}/roster/export").status_code == 200
    refused = api("supervisor").get(f"/plans/{plan['id']}/roster/export")
    assert refused.status_code == 403
    assert refused.json["error"] == "personal_data"
    assert "仅向本企业、工会和人社部门提供" in refused.json["message"]


def test_masked_numbers_that_coincide_stay_apart_in_a_diff():
    one, two = "130283198001010011", "130283199901010011"  # same first 6 and last 4 characters
    change = {"path": "hire_date", "before": "2008-03-01", "after": "2009-03-01"}
    shown = hide_personal_in_diff({"added": [one], "removed": [two], "changed": {one: [change]}, "names": {one: "甲"}})
    assert shown["added"] == [mask_id(one)]
    assert shown["removed"] == [mask_id(two) + "#2"]
    assert shown["changed"] == {mask_id(one): [{"path": "hire_date", "before": None, "after": None}]}
    assert shown["names"] == {mask_id(one): "甲"}
