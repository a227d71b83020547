"""The plan list in a real browser (Debian's Chromium through Playwright; the Flask test client answers
its requests): a clerk searches from the navigation, a supervisor opens a city × stage count of the home
page, and at a phone's width each plan is a block of labelled lines that fits the screen."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.browser.live import too_wide
from tests.ui.forms_support import ORIGIN, page_for
from tests.ui.reviewing import in_review


def draft(api, clerk: str, title: str) -> int:
    response = api(clerk).post("/plans", json={"title": title, "content": {}})
    assert response.status_code == 201, response.json
    return response.json["id"]


def listed_titles(page) -> list[str]:
    return page.get_by_test_id("plan-list").locator("tbody tr td.plan-title a").all_inner_texts()


def test_a_clerk_searches_the_list_by_title_and_uscc_and_finds_nothing_of_another_enterprise(
    browser, api, world, chromium
):
    draft(api, "clerk", "迁安钢铁第一批职工安置方案")
    draft(api, "clerk", "迁安钢铁第二批职工安置方案")
    draft(api, "clerk_zombie", "峰峰煤业职工安置方案")
    page = page_for(chromium, browser("clerk"))
    page.goto(f"{ORIGIN}/")
    page.get_by_role("link", name="方案查询").click()
    assert sorted(listed_titles(page)) == ["迁安钢铁第一批职工安置方案", "迁安钢铁第二批职工安置方案"]

    page.get_by_label("查找").fill("第二批")
    page.get_by_role("button", name="查询").click()
    assert listed_titles(page) == ["迁安钢铁第二批职工安置方案"]
    assert parse_qs(urlsplit(page.url).query)["q"] == ["第二批"]  # the search is a link
    assert page.get_by_label("查找").input_value() == "第二批"

    page.get_by_label("查找").fill(world.zombie.uscc)  # another enterprise's exact USCC
    page.get_by_role("button", name="查询").click()
    assert page.get_by_test_id("list-empty").inner_text().startswith("没有符合条件的方案。")
    assert page.get_by_test_id("plan-list").count() == 0
    page.get_by_role("link", name="清除条件，查看全部方案").click()
    assert len(listed_titles(page)) == 2


def test_a_supervisor_opens_the_plans_of_a_city_and_stage_from_the_home_page(browser, api, world, complete_content,
                                                                              chromium):  # fmt: skip
    draft(api, "clerk", "唐山草稿")
    draft(api, "clerk_small", "邢台草稿")
    in_review(api, world, complete_content, "steel", "唐山待审核方案")
    page = page_for(chromium, browser("supervisor"))
    page.goto(f"{ORIGIN}/")
    page.get_by_test_id("cell-130200-review").click()
    page.wait_for_url("**/plans?*")
    assert parse_qs(urlsplit(page.url).query) == {"status": ["review"], "city": ["130200"]}
    assert listed_titles(page) == ["唐山待审核方案"]
    assert page.get_by_label("地区").input_value() == "130200"  # the filters say what is shown
    assert page.get_by_label("阶段").input_value() == "review"

    page.go_back()
    page.get_by_test_id("cell-130500-drafting").click()
    assert listed_titles(page) == ["邢台草稿"]
    page.get_by_label("阶段").select_option("all")  # widen from there: 邢台 at every stage
    page.get_by_role("button", name="查询").click()
    assert parse_qs(urlsplit(page.url).query) == {"city": ["130500"], "status": ["all"]}
    assert listed_titles(page) == ["邢台草稿"]


def test_on_a_phone_each_plan_is_a_block_that_fits_the_screen(browser, api, world, chromium):
    draft(api, "clerk", "迁安钢铁化解过剩产能职工安置方案（第一批）")
    page = page_for(chromium, browser("supervisor"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{ORIGIN}/plans")
    assert too_wide(page) == []
    cell = page.get_by_test_id("plan-list").locator("tbody td").nth(1)  # the enterprise, with its label
    assert cell.evaluate("td => getComputedStyle(td, '::before').content").startswith('"企业"')  # static/js/tables.js
    title = page.get_by_test_id("plan-list").locator("td.plan-title a")
    assert title.bounding_box()["width"] > 200  # a line of text, not a column of characters
