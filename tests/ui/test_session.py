"""Logging in and out, the language, CSRF and the error pages."""

from __future__ import annotations

from flask_babel import force_locale

from app.errors import error_response
from app.extensions import db, get_engine
from approvals import demo
from approvals.i18n import N_, Text
from tests.ui.conftest import Browser


def test_pages_need_a_login_and_come_back_after_it(browser):
    anonymous = browser(None)
    response = anonymous.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    page = anonymous.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "请先登录。" in page
    back = anonymous.post("/login?next=/plans/1", {"username": "clerk", "password": "Secret#2026"})
    assert back.headers["Location"] == "/plans/1"


def test_wrong_password_is_refused_with_a_message_and_the_username_kept(browser):
    anonymous = browser(None)
    anonymous.get("/login")
    page = anonymous.post("/login", {"username": "clerk", "password": "wrong"}).get_data(as_text=True)
    assert "用户名或密码不正确，或账号已停用。" in page
    assert 'value="clerk"' in page
    assert anonymous.get("/").status_code == 302


def test_login_never_redirects_to_another_site(browser):
    anonymous = browser(None)
    anonymous.get("/login")
    response = anonymous.post("/login?next=//evil.example/x", {"username": "clerk", "password": "Secret#2026"})
    assert response.headers["Location"] == "/"


def test_home_shows_who_is_logged_in_and_logout_ends_the_session(browser):
    clerk = browser("clerk")
    page = clerk.get("/").get_data(as_text=True)
    assert "企业经办人" in page
    assert "我的待办" in page
    assert clerk.post("/logout").headers["Location"] == "/login"
    assert clerk.get("/").status_code == 302


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(browser):
    clerk = browser("clerk")
    response = clerk.post("/logout", csrf=False)
    assert response.status_code == 400
    assert "CSRF 校验未通过" in response.get_data(as_text=True)
    assert clerk.get("/").status_code == 200  # still logged in


def test_english_on_request_chinese_by_default(browser):
    clerk = browser("clerk")
    assert "我的待办" in clerk.get("/").get_data(as_text=True)
    clerk.get("/lang/en?next=/")
    english = clerk.get("/").get_data(as_text=True)
    assert "My tasks" in english
    assert "Enterprise clerk" in english
    assert 'lang="en"' in english
    clerk.get("/lang/xx")  # an unknown language changes nothing
    assert "My tasks" in clerk.get("/").get_data(as_text=True)
    clerk.get("/lang/zh_CN")
    assert "我的待办" in clerk.get("/").get_data(as_text=True)


def test_error_pages_are_pages_in_chinese_not_json(browser):
    clerk = browser("clerk")
    response = clerk.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "页面不存在" in response.get_data(as_text=True)
    assert clerk.get("/api/v1/no-such").mimetype == "application/json"


def test_a_plan_of_another_enterprise_does_not_exist_for_the_clerk(browser, api):
    plan = api("clerk_small").post("/plans", json={"title": "沙河方案", "content": {}}).json
    assert browser("clerk").get(f"/plans/{plan['id']}").status_code == 404
    assert browser("clerk_small").get(f"/plans/{plan['id']}").status_code == 200


def test_login_page_lists_demo_accounts_only_when_enabled(app):
    demo.load(db.session, get_engine())
    db.session.commit()
    anonymous = Browser(app.test_client())
    hidden = anonymous.get("/login").get_data(as_text=True)
    assert demo.DEMO_PASSWORD not in hidden
    app.config["SHOW_DEMO_ACCOUNTS"] = True
    try:
        shown = anonymous.get("/login").get_data(as_text=True)
    finally:
        app.config["SHOW_DEMO_ACCOUNTS"] = False
    assert demo.DEMO_PASSWORD in shown
    assert all(f"<code>{name}</code>" in shown for name, *_ in demo.DEMO_USERS)


def test_home_shows_the_first_tasks_and_the_tasks_page_pages_through_all(app, browser, api):
    from approvals.models import HumanTask

    plan = api("clerk").post("/plans", json={"title": "迁安方案", "content": {}}).json
    db.session.add_all(HumanTask(plan_id=plan["id"], task_uuid=f"00000000-0000-0000-0000-{k:012d}",
                                 bpmn_id="draft_plan", title="起草安置方案", lane="enterprise") for k in range(59))  # fmt: skip
    db.session.commit()
    clerk = browser("clerk")
    home = clerk.get("/").get_data(as_text=True)
    assert home.count("起草安置方案</td>") == 20
    assert "查看全部 60 项待办" in home
    app.config["PAGE_SIZE"] = 25
    try:
        pages = [clerk.get(f"/tasks?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    finally:
        app.config["PAGE_SIZE"] = 50
    assert [p.count("起草安置方案</td>") for p in pages] == [25, 25, 10]
    assert "第 3 / 3 页，共 60 条" in pages[2]
    assert "查看全部" not in browser("union").get("/").get_data(as_text=True)


def test_a_reviewer_gets_the_review_queue_not_a_second_list_of_the_same_tasks(browser, api, world, complete_content):
    from tests.ui.reviewing import in_review

    plan = in_review(api, world, complete_content, "steel")
    page = browser("reviewer").get("/").get_data(as_text=True)
    assert f'<tr data-plan-id="{plan["id"]}">' in page  # the queue lists it
    assert ">我的待办 <span" not in page
    assert 'data-testid="no-tasks"' not in page
    assert ">我的待办 <span" in browser("clerk").get("/").get_data(as_text=True)  # the clerk has no such section


def test_an_error_page_says_a_refusal_with_values_in_the_readers_language(app):
    """A refusal of the core carries its values (a row, a name): the error page says it through the catalogue
    in the reader's language, as the API does, not as stored Chinese."""
    refusal = Text(N_("第%(row)s行（%(name)s）请先登记劳动关系解除（终止）日期"), row=3, name="王某")
    with app.app_context(), app.test_request_context("/plans/1/execution/ledger"), force_locale("en"):
        page, status = error_response(409, "after_end", refusal)
    assert status == 409
    assert "Row 3 (王某): record the date the labour relation ended first" in page
    with app.app_context(), app.test_request_context("/plans/1/execution/ledger"), force_locale("zh_CN"):
        page, _status = error_response(409, "after_end", refusal)
    assert "第3行（王某）请先登记劳动关系解除（终止）日期" in page
