"""In a real browser: logging in, the language switch, a forged form, another firm's task and pages of another role."""

from __future__ import annotations

import re


def test_login_language_switch_and_logout(page_for):
    page = page_for(None)
    page.goto("/")
    assert "/login" in page.url
    assert page.locator("h1").inner_text() == "登录"
    page.fill("#username", "clerk")
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    assert page.locator(".invalid-feedback").inner_text() == "用户名或密码不正确，或账号已停用。"
    page.fill("#password", "Demo@2026")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert "钢铁企业经办人" in page.get_by_test_id("who").inner_text()
    page.click("text=中文")
    page.click("text=English")
    assert page.locator("h1").first.inner_text().startswith("My tasks")
    page.click("text=Log out")
    page.wait_for_url(re.compile(r"/login$"))
    assert "You have logged out." in page.content()


def test_a_forged_form_is_refused_with_a_page_that_says_why(page_for):
    page = page_for("clerk")
    page.evaluate("document.querySelector('input[name=csrf_token]').value = 'forged'")
    page.click("text=退出")
    assert "CSRF 校验未通过" in page.get_by_test_id("error-message").inner_text()
    page.goto("/")
    assert "钢铁企业经办人" in page.get_by_test_id("who").inner_text()  # still logged in: nothing happened


def test_a_task_of_another_enterprise_does_not_exist_for_the_steel_clerk(page_for):
    coal = page_for("wg")  # the working group has the coal firm's high-risk plan
    coal.goto("/tasks")
    task_url = coal.get_by_test_id("tasks").locator("a").first.get_attribute("href")
    assert coal.goto(task_url).status == 200
    clerk = page_for("clerk")
    response = clerk.goto(task_url)
    assert response.status == 404
    assert clerk.locator("h1").inner_text() == "页面不存在"


def test_pages_of_another_role_are_refused_with_a_page_that_says_why(page_for):
    union = page_for("union")
    response = union.goto("/plans/1/draft")  # the union's own enterprise's plan, but drafting is the clerk's
    assert response.status == 403
    assert union.locator("h1").inner_text() == "无权访问"
    assert union.get_by_test_id("error-message").inner_text() == "起草方案须由本方案的企业经办人办理。"
    clerk = page_for("clerk")
    assert clerk.locator("#nav").get_by_role("link", name="系统管理").count() == 0
    response = clerk.goto("/admin/users")
    assert response.status == 403
    assert clerk.get_by_test_id("error-message").inner_text() == "系统管理仅限系统管理员使用。"
