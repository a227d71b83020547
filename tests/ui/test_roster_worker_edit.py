"""One worker's page: reached from the roster upload page, edited through the import's checks (errors by
field with the rule, input kept, nothing saved), history shown; only the clerk while drafting may edit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from app.extensions import db
from approvals.demo import DEMO_WAGES, sample_roster
from approvals.models import RosterWorker, RosterWorkerChange
from approvals.rules.severance import WageParameters, segmented_severance
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import actions, block, field_value, rules

PARAMS = WageParameters("130200", 2017, DEMO_WAGES["average"], DEMO_WAGES["minimum"])


@pytest.fixture
def plan(api, world, complete_content) -> dict[str, Any]:
    return flow.create(api("clerk"), complete_content(world.steel))


@pytest.fixture
def someone(world) -> list[str]:
    """The second worker of the sample roster: in transfer training, born 1975 or later."""
    return sample_roster(world.steel)[1]


def url(plan_id: int, id_number: str) -> str:
    return f"/plans/{plan_id}/roster/workers/{id_number}"


def worker(plan_id: int, id_number: str) -> RosterWorker:
    db.session.expire_all()
    return db.session.scalars(
        select(RosterWorker).where(RosterWorker.plan_id == plan_id, RosterWorker.id_number == id_number)
    ).one()


def changes() -> int:
    return db.session.scalar(select(func.count()).select_from(RosterWorkerChange)) or 0


def fields_of(page: str) -> dict[str, str]:
    """Every field of the worker form as the page holds it (what a browser would post back unchanged)."""
    import lxml.html

    form = lxml.html.fromstring(page).xpath("//form[@data-testid='worker-form']")[0]
    values = {}
    for element in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name = element.get("name")
        if element.tag == "select":
            chosen = element.xpath("./option[@selected]/@value")
            values[name] = chosen[0] if chosen else ""
        elif element.tag == "textarea":
            values[name] = element.text or ""
        else:
            values[name] = element.get("value") or ""
    return values


def test_the_roster_upload_page_finds_a_worker_and_links_to_their_page(browser, plan, someone):
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{plan['id']}/roster/upload?q={quote(someone[1])}").get_data(as_text=True)
    found = block(page, "workers-found")
    assert someone[1] in found
    assert someone[0] in found
    assert f'href="{url(plan["id"], someone[0])}"' in page
    by_id = clerk.get(f"/plans/{plan['id']}/roster/upload?q={someone[0][:14]}").get_data(as_text=True)
    assert someone[0] in block(by_id, "workers-found")
    none = clerk.get(f"/plans/{plan['id']}/roster/upload?q=查无此人").get_data(as_text=True)
    assert "名单中没有与“查无此人”相符的职工" in block(none, "workers-found")


def test_the_page_shows_the_workers_fields_and_what_was_computed(browser, plan, someone):
    page = browser("clerk").get(url(plan["id"], someone[0])).get_data(as_text=True)
    assert someone[0] in block(page, "id-number")
    assert "名单第 3 行" in page
    assert "转岗培训" in block(page, "channel")
    values = fields_of(page)
    assert (values["name"], values["hire_date"], values["channel"]) == (someone[1], someone[2], "转岗培训")
    assert values["monthly_wage"] == f"{someone[4]}.00"
    assert "id_number" not in values  # the ID number is who the worker is: not a field
    assert "导入后尚未修改过" in block(page, "history")


def test_an_edit_is_checked_saved_recomputed_audited_and_kept_in_the_history(browser, plan, someone):
    clerk = browser("clerk")
    page = clerk.get(url(plan["id"], someone[0])).get_data(as_text=True)
    before = reload(plan["id"]).content_hash
    form = fields_of(page) | {"channel": "依法解除劳动合同", "hire_date": "1995年3月15日", "monthly_wage": "4,500元"}
    response = clerk.post(url(plan["id"], someone[0]), form)
    assert response.status_code == 302
    changed = worker(plan["id"], someone[0])
    expected = segmented_severance(date(1995, 3, 15), date(2018, 7, 31), Decimal(4500), PARAMS).amount
    assert (changed.channel, changed.hire_date, changed.severance) == ("termination", date(1995, 3, 15), expected)
    assert changes() == 1
    assert actions(plan["id"])[-1] == "roster.worker_edited"
    assert reload(plan["id"]).content_hash != before
    page = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "已保存职工“" in page
    assert "安置渠道" in page
    history = block(page, "history")
    assert "逐人修改" in history
    assert "clerk" in history
    assert "安置渠道：转岗培训 → 依法解除劳动合同" in history
    assert f"入企时间：{someone[2]} → 1995-03-15" in history
    assert f"{expected:,}"[:5] in block(page, "severance")


@pytest.mark.parametrize(
    ("changes_typed", "field", "rule"),
    [
        ({"hire_date": "2011年13月45日"}, "hire_date", "date"),
        ({"monthly_wage": "很多"}, "monthly_wage", "amount"),
        ({"name": ""}, "name", "required"),
        (
            {"channel": "企业内部退养", "retirement_consent": "是", "retirement_agreement": "是"},
            "channel",
            "internal_retirement_window",
        ),
    ],
    ids=["impossible_date", "not_an_amount", "name_required", "too_young_for_internal_retirement"],
)
def test_a_bad_value_is_shown_beside_its_field_with_the_rule_and_nothing_is_saved(
    browser, plan, someone, changes_typed, field, rule
):
    clerk = browser("clerk")
    page = clerk.get(url(plan["id"], someone[0])).get_data(as_text=True)
    stored = worker(plan["id"], someone[0]).row_hash
    events = actions(plan["id"])
    response = clerk.post(url(plan["id"], someone[0]), fields_of(page) | changes_typed | {"remarks": "已核对档案"})
    assert response.status_code == 422
    shown = response.get_data(as_text=True)
    assert rule in rules(shown, f"error-{field}")  # the rule is marked, said in words
    assert "未保存" in block(shown, "problems")
    assert "已核对档案" in shown  # everything typed is kept
    for key, value in changes_typed.items():
        assert value == (fields_of(shown)[key])
    assert worker(plan["id"], someone[0]).row_hash == stored
    assert changes() == 0
    assert actions(plan["id"]) == events


def test_saving_without_a_change_changes_nothing(browser, plan, someone):
    clerk = browser("clerk")
    page = clerk.get(url(plan["id"], someone[0])).get_data(as_text=True)
    response = clerk.post(url(plan["id"], someone[0]), fields_of(page))
    assert response.status_code == 302
    assert "没有修改任何字段" in clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert changes() == 0
    assert actions(plan["id"])[-1] != "roster.worker_edited"


def test_others_may_read_the_page_but_only_the_clerk_may_edit(browser, plan, someone):
    union = browser("union")
    page = union.get(url(plan["id"], someone[0])).get_data(as_text=True)
    assert "仅供查看" in block(page, "read-only")
    assert 'data-testid="worker-form"' not in page
    assert someone[1] in block(page, "fields")
    response = union.post(url(plan["id"], someone[0]), {"name": "改名"})
    assert response.status_code == 403
    assert worker(plan["id"], someone[0]).name == someone[1]
    assert browser("clerk_small").get(url(plan["id"], someone[0])).status_code == 404
    assert browser("clerk").get(url(plan["id"], "130283199001011234")).status_code == 404


def test_after_submission_the_clerk_sees_the_page_read_only_and_an_edit_is_refused(browser, api, plan, someone):
    flow.submit(api("clerk"), plan["id"])
    clerk = browser("clerk")
    page = clerk.get(url(plan["id"], someone[0])).get_data(as_text=True)
    assert "起草阶段之外不能修改职工名单" in block(page, "read-only")
    response = clerk.post(url(plan["id"], someone[0]), {"name": "改名"})
    assert response.status_code == 409
    assert "只有起草阶段的方案可以修改职工名单" in response.get_data(as_text=True)
    assert worker(plan["id"], someone[0]).name == someone[1]


def test_an_edit_without_the_csrf_token_is_refused(browser, plan, someone):
    clerk = browser("clerk")
    page = clerk.get(url(plan["id"], someone[0])).get_data(as_text=True)
    typed = {k: v for k, v in fields_of(page).items() if k != "csrf_token"} | {"name": "改名"}
    response = clerk.post(url(plan["id"], someone[0]), typed, csrf=False)
    assert response.status_code == 400
    assert worker(plan["id"], someone[0]).name == someone[1]
    assert field_value(page, "name") == someone[1]
