"""The second save button ("保存并继续下一部分") saves the section and opens the next one, after the last
section the plan's overview; a refused save stays where the input is."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest

from approvals.demo import sample_content
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import version

WORKFORCE = {"on_roll": "1300", "in_scope": "20", "excluded": "0", "exclusion_reasons": ""}


@pytest.fixture
def draft(api, world) -> dict[str, Any]:
    return flow.create(api("clerk"), sample_content(world.steel))


def save_and_next(client, plan_id: int, section: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(f"/plans/{plan_id}/draft?section={section}",
                       {"version": version(plan_id), "continue": "1", **data})  # fmt: skip


def second_button(html: str) -> str:
    (button,) = lxml.html.fromstring(html).xpath("//*[@data-testid='save-and-next']")
    assert (button.get("type"), button.get("name")) == ("submit", "continue")
    return " ".join(button.text_content().split())


def test_save_and_next_saves_the_section_and_opens_the_next_one(browser, draft):
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{draft['id']}/draft?section=workforce").get_data(as_text=True)
    assert second_button(page) == "保存并继续下一部分：安置渠道"
    response = save_and_next(clerk, draft["id"], "workforce", WORKFORCE)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{draft['id']}/draft?section=channels"
    assert reload(draft["id"]).content["workforce"]["on_roll"] == 1300
    assert "已保存“职工基本情况”。" in clerk.get(response.headers["Location"]).get_data(as_text=True)


def test_after_the_last_section_save_and_next_opens_the_plans_overview(browser, draft):
    clerk = browser("clerk")
    page = clerk.get(f"/plans/{draft['id']}/draft?section=opinions").get_data(as_text=True)
    assert second_button(page) == "保存并返回方案概览"
    response = save_and_next(clerk, draft["id"], "opinions", {"method": "职工代表座谈会", "summary": "职工同意方案。"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{draft['id']}"
    assert reload(draft["id"]).content["opinions"]["method"] == "职工代表座谈会"


def test_a_refused_save_and_next_stays_on_the_section_with_the_input(browser, draft):
    clerk = browser("clerk")
    response = save_and_next(clerk, draft["id"], "workforce", WORKFORCE | {"on_roll": "一千三百"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="一千三百"' in page
    assert "data-unsaved-pending" in page  # the page knows the input shown is not saved
    assert reload(draft["id"]).content["workforce"]["on_roll"] != "一千三百"


def test_a_submitted_plan_shows_neither_button_nor_guards_its_read_only_form(browser, api, world, complete_content):
    plan = flow.create(api("clerk"), complete_content(world.steel))
    flow.submit(api("clerk"), plan["id"])
    page = browser("clerk").get(f"/plans/{plan['id']}/draft?section=workforce").get_data(as_text=True)
    assert 'data-testid="read-only"' in page
    assert 'data-testid="save-and-next"' not in page
    assert "data-unsaved-warning" not in page
