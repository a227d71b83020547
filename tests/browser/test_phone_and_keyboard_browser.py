"""On a 390-wide phone and with the keyboard (issue 12 §7).

- Every main page fits the phone in either language: nothing scrolls sideways, and no table cell is
  squeezed to a few characters (a data table shows each row as "label value" lines instead).
- The draft's section list is one button on a phone that opens the list.
- Every page starts with a skip link to its content.
- Each working-group member input has a name that says which member and which item, in either language.
- A refused login puts the cursor back in the password field, which names the error.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.live import squeezed_cells, too_wide
from tests.browser.test_layout_browser import PAGES as OFFICE_PAGES

PHONE = {"width": 390, "height": 844}
# The office-screen pages, and the tables the clerk, the supervisor and the administrator also open.
PAGES = [
    *OFFICE_PAGES,
    ("clerk", "/plans/1/draft?section=timetable"),
    ("clerk", "/plans/6?tab=roster"),
    ("clerk", "/plans/6/documents"),
    ("clerk", "/notifications"),
    ("clerk", "/settings"),
    ("supervisor", "/plans/6/objections"),
    ("admin", "/admin/wage-tiers"),
    ("admin", "/admin/legal-parameters"),
    (None, "/login"),
]


def phone(page_for: Any, user: str | None, language: str = "zh_CN") -> Any:
    page = page_for(user)
    page.set_viewport_size(PHONE)
    page.goto(f"/lang/{language}")
    return page


def problems(page: Any, path: str) -> list[str]:
    page.goto(path)
    return [f"{path}: {problem}" for problem in too_wide(page) + squeezed_cells(page)]


def test_every_main_page_fits_a_phone_with_its_tables_as_stacked_rows_in_either_language(page_for):
    found = []
    for language in ("zh_CN", "en"):
        pages: dict[str | None, Any] = {}
        for user, path in PAGES:
            if user not in pages:
                pages[user] = phone(page_for, user, language)
            found += [f"{language} {problem}" for problem in problems(pages[user], path)]
        clerk = pages["clerk"]
        clerk.goto("/plans/6?tab=roster")
        worker = clerk.locator("[data-col=name] a").first.get_attribute("href")
        clerk.goto("/plans/6/publication")
        notice = clerk.get_by_test_id("public-link").get_attribute("href")
        found += [f"{language} {problem}" for path in (worker, notice) for problem in problems(clerk, path)]
    assert found == []


def test_on_a_phone_a_table_row_reads_as_label_and_value_lines(page_for):
    page = phone(page_for, "clerk")
    page.goto("/tasks")
    row = page.get_by_test_id("tasks").locator("tbody tr").first
    cells = row.locator("td")
    assert [cells.nth(i).get_attribute("data-label") for i in range(4)] == ["事项", "方案", "企业", "到达时间"]
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert len({round(box["x"]) for box in boxes}) == 1  # one under the other, each the row's width
    assert all(box["width"] > 300 for box in boxes)
    label = page.evaluate("cell => getComputedStyle(cell, '::before').content", cells.first.element_handle())
    assert label == '"事项" / ""'  # shown, and not read out again after the column's header
    expect(page.get_by_test_id("tasks").locator("thead")).to_be_attached()  # the header row stays for screen readers
    page.set_viewport_size({"width": 1366, "height": 768})
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert len({round(box["y"]) for box in boxes}) == 1  # an office screen keeps the columns


def test_a_member_row_added_on_a_phone_is_labelled_like_the_others(page_for):
    page = phone(page_for, "wg")
    page.goto("/plans/7/working-group")
    rows = page.locator("table[data-rows] tbody tr")
    before = rows.count()
    page.get_by_role("button", name="添加成员").click()
    expect(rows).to_have_count(before + 1)
    added = rows.nth(before).locator("td")
    assert [added.nth(i).get_attribute("data-label") for i in range(4)] == ["#", "姓名", "单位类别", "所在单位"]
    expect(page.get_by_label(f"成员 {before + 1}：姓名")).to_be_focused()
    assert squeezed_cells(page) == []
    assert too_wide(page) == []


def test_the_draft_section_list_is_one_button_on_a_phone(page_for):
    page = phone(page_for, "clerk")
    page.goto("/plans/1/draft?section=funding")
    sections, toggle = page.get_by_test_id("sections"), page.get_by_test_id("section-toggle")
    expect(sections).to_be_hidden()
    expect(toggle).to_have_accessible_name("第10部分（共16部分）：资金保障 待处理 4 项")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(sections).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    with page.expect_navigation():
        sections.get_by_role("link", name=re.compile("安置渠道")).click()
    assert page.url.endswith("section=channels")
    expect(page.get_by_test_id("sections")).to_be_hidden()
    assert "安置渠道" in page.get_by_test_id("section-toggle").inner_text()
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(page.get_by_test_id("sections")).to_be_visible()  # beside the form on an office screen
    expect(page.get_by_test_id("section-toggle")).to_be_hidden()


def test_the_skip_link_is_the_first_tab_stop_of_every_page_and_leads_to_the_content(page_for):
    for user, path, language, name in (
        ("clerk", "/", "zh_CN", "跳到正文"),
        ("clerk", "/plans/1/draft?section=funding", "zh_CN", "跳到正文"),
        ("reviewer", "/plans/7?tab=roster", "en", "Skip to content"),
        ("supervisor", "/audit", "zh_CN", "跳到正文"),
        (None, "/public/objection-status", "en", "Skip to content"),
    ):
        page = phone(page_for, user, language)
        page.goto(path)
        skip = page.get_by_role("link", name=name)
        expect(skip).not_to_be_in_viewport()  # out of sight until the keyboard reaches it
        page.keyboard.press("Tab")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
        page.keyboard.press("Tab")  # the next stop is in the content, past the menu
        assert page.evaluate("document.activeElement.closest('main') !== null"), f"{path}: Tab left the content"
    login = phone(page_for, None)
    login.goto("/login")  # the cursor starts in the name field; the skip link is still the first stop
    expect(login.locator("a[href], button, input:not([type=hidden]), select, textarea").first).to_have_text("跳到正文")


def test_each_working_group_member_input_is_named_by_member_and_item_in_either_language(page_for):
    page = page_for("wg")
    page.goto("/plans/7/working-group")
    for n in range(1, 3):
        expect(page.locator(f"#members-{n - 1}-name")).to_have_accessible_name(f"成员 {n}：姓名")
        expect(page.locator(f"#members-{n - 1}-department")).to_have_accessible_name(f"成员 {n}：单位类别")
        expect(page.locator(f"#members-{n - 1}-organisation")).to_have_accessible_name(f"成员 {n}：所在单位")
    rows = page.locator("table[data-rows] tbody tr").count()
    page.get_by_role("button", name="添加成员").click()
    expect(page.locator(f"#members-{rows}-name")).to_have_accessible_name(f"成员 {rows + 1}：姓名")
    page.goto("/lang/en?next=/plans/7/working-group")
    expect(page.locator("#members-0-name")).to_have_accessible_name("Member 1: Name")
    expect(page.locator("#members-0-department")).to_have_accessible_name("Member 1: Department")
    expect(page.locator("#members-0-organisation")).to_have_accessible_name("Member 1: Organisation")


def test_a_refused_login_puts_the_cursor_in_the_password_field_which_names_the_error(page_for):
    page = page_for(None)
    page.goto("/login")
    expect(page.locator("#username")).to_be_focused()
    page.fill("#username", "union")
    page.fill("#password", "wrong password")
    page.keyboard.press("Enter")
    password = page.locator("#password")
    expect(password).to_be_focused()
    expect(password).to_have_value("")
    expect(password).to_have_accessible_description("用户名或密码不正确，或账号已停用。")
    expect(page.locator("#username")).to_have_value("union")
    page.keyboard.type("Demo@2026")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))


def test_a_login_without_a_name_puts_the_cursor_in_the_name_field(page_for):
    page = page_for(None)
    page.goto("/login")
    page.fill("#password", "Demo@2026")
    page.click("button[type=submit]")
    expect(page.locator("#username")).to_be_focused()
    expect(page.locator("#username")).to_have_accessible_description("请填写用户名。")
