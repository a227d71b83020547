"""The plan list of supervisors, clerks and unions (/plans): search by title, enterprise or USCC, the
bureau queue's filters, each reader's reach and nothing beyond it, pages, and the supervisor's city × stage
counts that open it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from app.extensions import db
from approvals.models import Role
from tests import flow
from tests.conftest import add_user
from tests.ui.forms_support import block, text
from tests.ui.html_tables import table_rows
from tests.ui.reviewing import in_review

ROW = re.compile(r'<tr data-plan-id="(\d+)">')


def draft(api, clerk: str, title: str) -> int:
    response = api(clerk).post("/plans", json={"title": title, "content": {}})
    assert response.status_code == 201, response.json
    return response.json["id"]


def listed(client, query: str = "") -> list[int]:
    response = client.get("/plans" + query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return [int(n) for n in ROW.findall(page.split('data-testid="plan-list"', 1)[1])] if "plan-list" in page else []


@pytest.fixture
def three_firms(api, world):
    """A draft of each of the world's enterprises: 迁安钢铁 (唐山), 沙河玻璃 (邢台), 峰峰煤业 (邯郸)."""
    return {
        "steel": draft(api, "clerk", "迁安钢铁2026年职工安置方案"),
        "small": draft(api, "clerk_small", "沙河玻璃职工安置方案"),
        "zombie": draft(api, "clerk_zombie", "峰峰煤业去产能职工安置方案"),
    }


def test_the_list_is_searched_by_title_enterprise_name_and_uscc(browser, world, three_firms):
    supervisor = browser("supervisor")  # the province: all three
    assert sorted(listed(supervisor)) == sorted(three_firms.values())
    assert listed(supervisor, "?q=2026年") == [three_firms["steel"]]  # part of the title
    assert listed(supervisor, "?q=沙河玻璃") == [three_firms["small"]]  # the enterprise's name
    assert listed(supervisor, f"?q={world.zombie.uscc}") == [three_firms["zombie"]]  # its USCC
    assert listed(supervisor, f"?q={world.zombie.uscc[2:10].lower()}") == [three_firms["zombie"]]  # part, any case
    assert listed(supervisor, "?q=峰峰+去产能") == [three_firms["zombie"]]  # every word must be found
    assert listed(supervisor, "?q=峰峰　沙河") == []  # a full-width space separates words too
    assert listed(supervisor, "?q=%25") == []  # % and _ are letters, not wildcards
    page = supervisor.get(f"/plans?q={world.zombie.uscc}").get_data(as_text=True)
    assert f'value="{world.zombie.uscc}"' in page  # the search stays in its box


@pytest.mark.parametrize(
    ("user", "sees"),
    [("clerk", "steel"), ("union", "steel"), ("clerk_small", "small"), ("union_zombie", "zombie"),
     ("supervisor_other", "small")],  # 邢台's supervisor: 沙河 only
)  # fmt: skip
def test_nothing_outside_the_readers_reach_is_found_even_by_its_exact_title_or_uscc(browser, world, three_firms,
                                                                                   user, sees):  # fmt: skip
    client = browser(user)
    assert listed(client) == [three_firms[sees]]
    titles = {
        "steel": "迁安钢铁2026年职工安置方案",
        "small": "沙河玻璃职工安置方案",
        "zombie": "峰峰煤业去产能职工安置方案",
    }
    for firm, plan_id in three_firms.items():
        enterprise = getattr(world, firm)
        for query in (titles[firm], enterprise.name, enterprise.uscc):
            page = client.get("/plans", query_string={"q": query}).get_data(as_text=True)
            assert listed(client, f"?q={query}") == ([plan_id] if firm == sees else []), (user, query)
            if firm != sees:
                assert titles[firm] not in page.replace(f'value="{titles[firm]}"', "")
                assert "没有符合条件的方案。" in page


def test_the_bureau_queue_filters_apply_to_the_list_and_stay_in_the_url(api, browser, world, complete_content,
                                                                          three_firms):  # fmt: skip
    reviewed = in_review(api, world, complete_content, "zombie", "峰峰煤业第二批方案")
    assert flow.review(api("province"), reviewed["id"], "approve")["risk_level"] == "high"
    supervisor = browser("supervisor")
    assert set(listed(supervisor, "?city=130200")) == {three_firms["steel"]}  # 唐山市 covers 迁安市
    assert set(listed(supervisor, "?city=130582")) == {three_firms["small"]}  # a county: 沙河市
    assert set(listed(supervisor, "?industry=coal")) == {three_firms["zombie"], reviewed["id"]}
    assert listed(supervisor, "?risk=high") == [reviewed["id"]]
    assert set(listed(supervisor, "?risk=none")) == set(three_firms.values())
    assert set(listed(supervisor, "?status=drafting")) == set(three_firms.values())
    assert listed(supervisor, "?status=working_group&industry=coal&q=第二批") == [reviewed["id"]]
    page = supervisor.get("/plans?status=working_group&industry=coal&city=130400").get_data(as_text=True)
    assert '<option selected value="coal">' in page  # the form shows what is applied
    assert '<option selected value="working_group">' in page
    assert '<option selected value="130400">' in page
    assert table_rows(page, "plan-list")[0][:6] == ["峰峰煤业第二批方案第 1 版", f"峰峰煤业{world.zombie.uscc}", "峰峰矿区",
                                                      "煤炭", "联合工作组介入", "高风险"]  # fmt: skip


def test_a_clerk_or_union_list_offers_no_city_or_industry_but_the_rest(browser, three_firms):
    page = browser("union").get("/plans").get_data(as_text=True)
    filters = block(page, "plan-filters")
    assert "风险等级" in filters
    assert "阶段" in filters
    assert "查找" in filters
    assert 'name="city"' not in page
    assert 'name="industry"' not in page
    assert "地区" not in text(page.split('data-testid="plan-list"', 1)[1])  # nor their columns


def test_the_list_pages_on_the_server_and_keeps_the_filters(app, browser, api, world):
    made = [draft(api, "clerk", f"迁安钢铁方案{n}") for n in range(3)]
    draft(api, "clerk", "另一个企业方案")
    app.config["PAGE_SIZE"] = 2
    try:
        clerk = browser("clerk")
        first = clerk.get("/plans?q=迁安钢铁方案&status=drafting").get_data(as_text=True)
        assert listed(clerk, "?q=迁安钢铁方案&status=drafting") == made[:0:-1]  # the last changed first
        assert listed(clerk, "?q=迁安钢铁方案&status=drafting&page=2") == made[:1]
        assert listed(clerk, "?q=迁安钢铁方案&page=9") == made[:1]  # past the end: the last page
    finally:
        app.config["PAGE_SIZE"] = 50
    assert "第 1 / 2 页，共 3 条" in first
    next_link = re.search(r'href="(/plans\?[^"]*page=2[^"]*)"', first.replace("&amp;", "&"))
    assert next_link
    assert "status=drafting" in next_link.group(1)
    assert "q=%E8%BF%81" in next_link.group(1)  # 迁…, the search too


def test_an_empty_result_says_so_and_offers_the_whole_list(browser, three_firms):
    page = browser("clerk").get("/plans?q=不存在的方案").get_data(as_text=True)
    assert block(page, "list-empty") == "没有符合条件的方案。 清除条件，查看全部方案"
    assert 'data-testid="plan-list"' not in page


def test_a_reader_with_no_plans_is_told_so(browser, world):
    page = browser("clerk").get("/plans").get_data(as_text=True)
    assert block(page, "list-empty") == "您的查看范围内还没有方案。"


def test_bad_input_is_named_and_ignored_never_a_failure(browser, three_firms):
    supervisor = browser("supervisor")
    response = supervisor.get("/plans?q=" + "钢" * 101 + "&industry=gold&status=nothing")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "查找内容不得超过100个字符，已忽略。" in page
    assert page.count("筛选条件无效，已忽略。") == 2
    assert sorted(listed(supervisor, "?q=" + "钢" * 101 + "&industry=gold")) == sorted(three_firms.values())
    assert supervisor.get("/plans?page=0").status_code == 422  # names the parameter (app/inputs.py)


def test_the_navigation_links_the_list_for_supervisors_clerks_and_unions_only(browser, world):
    for user in ("supervisor", "clerk", "union"):
        assert 'href="/plans">方案查询</a>' in browser(user).get("/").get_data(as_text=True), user
    for user in ("reviewer", "wg", "admin"):
        client = browser(user)
        assert 'href="/plans"' not in client.get("/").get_data(as_text=True), user
        assert client.get("/plans").status_code == 403, user


def test_each_city_and_stage_count_opens_the_matching_list(browser, api, world, complete_content):
    drafts = [
        draft(api, "clerk", "唐山草稿一"),
        draft(api, "clerk", "唐山草稿二"),
        draft(api, "clerk_small", "邢台草稿"),
    ]
    reviewed = in_review(api, world, complete_content, "steel", "唐山待审核方案")
    supervisor = browser("supervisor")
    home = supervisor.get("/").get_data(as_text=True)
    links = dict(re.findall(r'<a href="([^"]+)" data-testid="cell-([^"]+)"', home.replace("&amp;", "&")))
    cells = {cell: href for href, cell in links.items()}
    assert cells["130200-drafting"] == "/plans?status=drafting&city=130200"
    assert set(listed(supervisor, "?" + cells["130200-drafting"].split("?")[1])) == set(drafts[:2])
    assert listed(supervisor, "?" + cells["130200-review"].split("?")[1]) == [reviewed["id"]]
    assert listed(supervisor, "?" + cells["130500-drafting"].split("?")[1]) == [drafts[2]]
    assert set(listed(supervisor, "?" + cells["130200-all"].split("?")[1])) == {*drafts[:2], reviewed["id"]}
    assert "130500-review" not in cells  # a zero opens nothing


def test_the_bureau_queue_is_searched_with_the_same_query(browser, api, world, complete_content):
    steel = in_review(api, world, complete_content, "steel", "迁安钢铁第一批")
    other = in_review(api, world, complete_content, "steel", "迁安钢铁第二批")
    zombie = in_review(api, world, complete_content, "zombie", "峰峰煤业方案")
    reviewer = browser("province")

    def queue(query: str) -> set[int]:
        page = reviewer.get("/" + query).get_data(as_text=True)
        return {int(n) for n in re.findall(r'<tr data-plan-id="(\d+)">', page.split('data-testid="review-queue"')[1])}

    assert queue("?q=第二批") == {other["id"]}
    assert queue(f"?q={world.zombie.uscc}") == {zombie["id"]}
    assert queue("?q=迁安钢铁") == {steel["id"], other["id"]}
    assert queue(f"?q={world.zombie.uscc}") & queue("?city=130200") == set()
    assert queue("?q=峰峰&city=130200") == set()
    tangshan = browser("reviewer").get(f"/?q={world.zombie.uscc}&status=all").get_data(as_text=True)  # 唐山 only
    assert "峰峰煤业方案" not in tangshan
    assert "没有符合条件的方案。" in tangshan


def test_the_list_costs_the_same_statements_for_more_plans(browser, api, world):
    supervisor = browser("supervisor")
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    def statements_for_list() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert supervisor.get("/plans?q=方案").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    draft(api, "clerk", "方案一")
    few = statements_for_list()
    for clerk in ("clerk", "clerk_small", "clerk_zombie", "clerk_small"):
        draft(api, clerk, "另一方案")
    assert statements_for_list() == few  # no statement per row


def test_a_county_supervisors_counts_open_their_whole_list(browser, api, world):
    """The overview counts by city; a supervisor of one county (迁安市) may not choose the city, so its counts
    open their list by stage alone, which holds that county's plans only."""
    add_user("supervisor_county", Role.SUPERVISOR, region_code="130283")
    db.session.commit()
    steel = draft(api, "clerk", "迁安草稿")
    draft(api, "clerk_small", "沙河草稿")
    supervisor = browser("supervisor_county")
    home = supervisor.get("/").get_data(as_text=True).replace("&amp;", "&")
    assert '<a href="/plans?status=drafting" data-testid="cell-130200-drafting"' in home
    assert listed(supervisor, "?status=drafting") == [steel]
    page = supervisor.get("/plans").get_data(as_text=True)
    assert '<option value="130283">迁安市</option>' in page  # the one choice of region: their county
