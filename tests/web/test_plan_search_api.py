"""GET /api/v1/plans searches and filters as the web's lists do (approvals/queries/plan_list.py): by title,
enterprise name or USCC, city, industry, risk and stage, within the caller's grants."""

from __future__ import annotations


def titles(client, query: str = "") -> list[str]:
    response = client.get("/plans" + query)
    assert response.status_code == 200, response.json
    return [item["title"] for item in response.json["items"]]


def make(api, clerk: str, title: str) -> None:
    assert api(clerk).post("/plans", json={"title": title, "content": {}}).status_code == 201


def test_the_api_list_is_searched_and_filtered_within_the_callers_reach(api, world):
    make(api, "clerk", "迁安钢铁第一批")
    make(api, "clerk", "迁安钢铁第二批")
    make(api, "clerk_zombie", "峰峰煤业方案")
    supervisor, clerk = api("supervisor"), api("clerk")
    assert titles(supervisor, "?q=第二批") == ["迁安钢铁第二批"]
    assert titles(supervisor, f"?q={world.zombie.uscc.lower()}") == ["峰峰煤业方案"]
    assert titles(supervisor, "?q=迁安 第一批") == ["迁安钢铁第一批"]
    assert titles(supervisor, "?industry=coal&status=drafting") == ["峰峰煤业方案"]
    assert titles(supervisor, "?city=130200") == ["迁安钢铁第一批", "迁安钢铁第二批"]
    assert titles(supervisor, "?risk=high") == []
    assert supervisor.get("/plans?q=迁安").json["total"] == 2
    assert titles(clerk, f"?q={world.zombie.uscc}") == []  # another enterprise's exact USCC: nothing
    assert titles(clerk, "?q=峰峰煤业方案") == []
    assert titles(api("reviewer"), "?industry=coal") == []  # 唐山's bureau: not 邯郸's firm


def test_a_search_longer_than_the_limit_is_refused_naming_the_parameter(api, world):
    response = api("supervisor").get("/plans?q=" + "钢" * 101)
    assert response.status_code == 422
    assert response.json["details"][0]["field"] == "q"
    assert response.json["details"][0]["rule"] == "max_length"


def test_the_search_and_filters_are_documented(api, world):
    document = api(None).get("/openapi.json").json
    names = {p["name"] for p in document["paths"]["/api/v1/plans"]["get"]["parameters"]}
    assert {"q", "city", "industry", "risk", "status", "page", "per_page"} <= names
