"""static/js/unsaved.js in Chromium: leaving a changed section of the drafting page without saving asks
first (a link, another form of the page, the address bar or closing the tab); saving does not ask, and "保存并继续下一部分"
saves and opens the next section."""

from __future__ import annotations

from typing import Any

import pytest

from approvals.demo import sample_content
from tests import flow
from tests.conftest import reload
from tests.ui.forms_support import ORIGIN, page_for

# The harness answers a POST with the page its redirect leads to (tests/ui/forms_support.page_for): the
# address stays the form's, so where the browser landed is read from the page.

WARNING = "本部分有尚未保存的修改，离开本页这些修改将会丢失。确定要离开吗？"


@pytest.fixture
def draft(api, world) -> dict[str, Any]:
    return flow.create(api("clerk"), sample_content(world.steel))


class Dialogs:
    """Every dialog the page opens (type, message), answered yes or no as the test says."""

    def __init__(self, page: Any) -> None:
        self.seen: list[tuple[str, str]] = []
        self.answer = False
        page.on("dialog", self._on)

    def _on(self, dialog: Any) -> None:
        self.seen.append((dialog.type, dialog.message))
        if self.answer:
            dialog.accept()
        else:
            dialog.dismiss()


def opened(chromium, browser, plan_id: int, section: str) -> tuple[Any, Dialogs]:  # type: ignore[no-untyped-def]
    page = page_for(chromium, browser("clerk"))
    dialogs = Dialogs(page)
    page.goto(f"{ORIGIN}/plans/{plan_id}/draft?section={section}")
    return page, dialogs


def section_link(page: Any, label: str) -> Any:
    return page.get_by_test_id("sections").get_by_role("link", name=label)


def test_a_link_away_from_a_changed_section_asks_and_no_keeps_the_input(browser, chromium, draft):
    page, dialogs = opened(chromium, browser, draft["id"], "workforce")
    page.fill("#on_roll", "1300")
    section_link(page, "安置渠道").click()
    assert dialogs.seen == [("confirm", WARNING)]
    assert page.url.endswith("section=workforce")  # "no": still here, the input kept
    assert page.input_value("#on_roll") == "1300"
    dialogs.answer = True
    section_link(page, "安置渠道").click()
    page.wait_for_url("**section=channels")
    assert dialogs.seen == [("confirm", WARNING)] * 2  # yes: away, without a second question
    assert reload(draft["id"]).content["workforce"]["on_roll"] == 1200  # nothing saved


def test_an_unchanged_section_or_a_change_undone_leaves_without_a_question(browser, chromium, draft):
    page, dialogs = opened(chromium, browser, draft["id"], "workforce")
    page.fill("#on_roll", "1300")
    page.fill("#on_roll", "1200")  # back as stored
    section_link(page, "安置渠道").click()
    page.wait_for_url("**section=channels")
    assert dialogs.seen == []


def test_leaving_a_changed_section_any_other_way_asks_the_browsers_question(browser, chromium, draft):
    page, dialogs = opened(chromium, browser, draft["id"], "labour_relations")
    page.click("#handling")
    page.keyboard.type("依法变更劳动合同。")  # typed: Chromium asks only on a page the person has used
    page.evaluate(f"location.assign('/plans/{draft['id']}')")  # as the address bar, reload or closing would
    page.wait_for_timeout(500)
    assert [kind for kind, _ in dialogs.seen] == ["beforeunload"]
    assert page.url.endswith("section=labour_relations")  # "stay": the input is still there
    assert "依法变更劳动合同。" in page.input_value("#handling")


def test_sending_another_form_of_the_page_asks_too(browser, chromium, draft):
    page, dialogs = opened(chromium, browser, draft["id"], "workforce")
    page.fill("#on_roll", "1300")
    page.get_by_role("button", name="提交方案").click()
    assert dialogs.seen == [("confirm", WARNING)]
    assert reload(draft["id"]).status == "drafting"
    assert reload(draft["id"]).revision_number == 0  # not submitted: the person said no


def test_saving_does_not_ask_and_save_and_next_opens_the_next_section(browser, chromium, draft):
    page, dialogs = opened(chromium, browser, draft["id"], "workforce")
    page.fill("#on_roll", "1300")
    page.get_by_test_id("save-and-next").click()
    page.get_by_text("已保存“职工基本情况”。").wait_for()
    assert page.locator("h2.h5").inner_text() == "安置渠道"
    assert dialogs.seen == []
    assert reload(draft["id"]).content["workforce"]["on_roll"] == 1300
    assert page.get_by_test_id("save-and-next").inner_text() == "保存并继续下一部分：劳动关系处理"


def test_a_refused_save_still_holds_unsaved_input(browser, chromium, draft):
    page, dialogs = opened(chromium, browser, draft["id"], "workforce")
    page.fill("#on_roll", "1300.5")  # not a whole number: the form refuses it
    page.get_by_role("button", name="保存本部分").click()
    page.wait_for_selector("#on_roll.is-invalid")
    assert dialogs.seen == []  # saving never asks
    section_link(page, "安置渠道").click()
    assert dialogs.seen == [("confirm", WARNING)]  # the input shown is still not saved
    assert page.input_value("#on_roll") == "1300.5"


def test_the_last_section_saves_and_returns_to_the_overview(browser, chromium, draft):
    page, dialogs = opened(chromium, browser, draft["id"], "opinions")
    page.fill("#method", "职工代表座谈会")
    page.get_by_test_id("save-and-next").click()
    page.get_by_test_id("plan-facts").wait_for()  # the plan's overview
    assert "已保存“听取职工意见情况”。" in page.content()
    assert dialogs.seen == []
    assert reload(draft["id"]).content["opinions"]["method"] == "职工代表座谈会"
